/**
 * The case summary card at the top of a record page and its management
 * oversight notes, built from what the record's audited read already loaded
 * (RecordView.summaries and .oversight), so they read nothing more.
 */
import type { StaffContext } from '../../platform/auth/service.js';
import type { RecordView } from '../service.js';
import { isTeamManager } from './summary-service.js';
import { holdsSummary } from './summary-schema.js';
import type { OversightView, SummaryView } from './summary-store.js';

export interface SummarySection {
  current: SummaryView | null;
  /** How many earlier versions there are (kept, and in the chronology). */
  earlier: number;
  oversight: OversightView[];
  canWrite: boolean;
  /** Team managers record oversight; others see it. */
  canOversee: boolean;
}

export function summarySection(view: RecordView, staff: StaffContext): SummarySection | null {
  // Not for categories that are not casework, and not through a sharing grant (never shared).
  if (!holdsSummary(view.category) || !view.summaries || !view.oversight) return null;
  const canWrite = view.access.canWrite && view.state === 'active' && view.access.via !== 'grant';
  return {
    current: view.summaries[0] ?? null,
    earlier: Math.max(0, view.summaries.length - 1),
    oversight: view.oversight,
    canWrite,
    canOversee: canWrite && isTeamManager(staff),
  };
}
