/**
 * The "Statutory visits" part of a record page: the visits, latest first, as
 * timeline entries ("Statutory visit — seen alone"), and when the next one is
 * due. Built from what the record's audited read already loaded
 * (RecordView.visits), so it reads nothing more.
 */
import { londonToday } from '../retention.js';
import type { RecordView } from '../service.js';
import { isVisitCategory, nextVisitDue, type VisitDue } from './visit-policy.js';
import type { VisitView } from './visit-store.js';

export interface VisitsSection {
  visits: VisitView[];
  next: (VisitDue & { overdue: boolean }) | null;
  /** The link to the form: only for those who may change the record, while it is open and active. */
  canRecord: boolean;
}

export function visitsSection(view: RecordView, today = londonToday()): VisitsSection | null {
  // Not for other categories, and not through a sharing grant (visits are never shared).
  if (!isVisitCategory(view.category) || !view.visits) return null;
  const last = view.visits[0];
  const next =
    view.status === 'open'
      ? nextVisitDue({
          category: view.category,
          openedOn: view.openedOn,
          detail: view.detail,
          lastVisit: last ? { visitedOn: last.visitedOn, nextDueOn: last.nextDueOn } : null,
        })
      : null;
  return {
    visits: view.visits,
    next: next ? { ...next, overdue: next.due < today } : null,
    canRecord: view.access.canWrite && view.state === 'active' && view.access.via !== 'grant',
  };
}
