/**
 * The "Conferences and reviews" part of a record page: what is due next
 * under the statutory timescales (timescales.ts), with its rule and source,
 * and the meetings held, latest first. Built from what the record's audited
 * read already loaded (RecordView.reviews and the detail), so it reads
 * nothing more.
 */
import { londonToday } from '../retention.js';
import type { RecordView } from '../service.js';
import { reviewKindsOf } from './review-schema.js';
import type { ReviewView } from './review-store.js';
import { timescalesDue, type TimescaleDue } from './timescales.js';

export interface ReviewsSection {
  reviews: ReviewView[];
  due: (TimescaleDue & { overdue: boolean })[];
  /** Whether meetings are recorded on this kind of record (a child in need has only its assessment). */
  holdsMeetings: boolean;
  /** Whether the form may be offered: someone who may change it, while open and active, not via a grant. */
  canRecord: boolean;
}

export function reviewsSection(view: RecordView, today = londonToday()): ReviewsSection | null {
  // Not through a sharing grant: reviews are the holders' own, never shared.
  if (!view.reviews) return null;
  const due =
    view.status === 'open'
      ? timescalesDue({
          category: view.category,
          openedOn: view.openedOn,
          detail: view.detail,
          meetings: view.reviews.map((r) => ({
            kind: r.kind,
            heldOn: r.heldOn,
            decision: r.decision,
          })),
        })
      : [];
  const holdsMeetings = reviewKindsOf(view.category).length > 0;
  if (!holdsMeetings && due.length === 0) return null;
  return {
    reviews: view.reviews,
    due: due.map((d) => ({ ...d, overdue: d.due < today })),
    holdsMeetings,
    canRecord: view.access.canWrite && view.state === 'active' && view.access.via !== 'grant',
  };
}
