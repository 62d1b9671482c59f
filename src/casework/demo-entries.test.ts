import { describe, expect, it } from 'vitest';
import { structuredDemoEntries, type DemoEntryRows } from './demo-entries.js';
import { timescalesDue } from './entries/timescales.js';

/*
 * Issue 13 item 13: the demo's open records show each stage of the working
 * day — looked-after children with no review yet, one, and several, some of
 * what is due overdue and some not — and case summaries and oversight.
 */
const TODAY = '2026-12-06';

function build(category: 'looked-after' | 'child-protection-plan', count: number) {
  const rows: DemoEntryRows = { statutory_review: [], case_summary: [], oversight_note: [] };
  for (let i = 0; i < count; i += 1) {
    structuredDemoEntries(rows, {
      position: i,
      id: `record-${i}`,
      category,
      opened: '2024-01-10',
      worker: 'worker',
      manager: 'manager',
      today: TODAY,
    });
  }
  return rows;
}

describe('demo structured entries', () => {
  it('gives looked-after records no review, one and several, with overdue and not yet due', () => {
    const rows = build('looked-after', 30);
    const reviewsOf = (i: number) =>
      rows.statutory_review.filter((r) => r.record_id === `record-${i}`);
    const counts = new Set(Array.from({ length: 30 }, (_, i) => reviewsOf(i).length));
    expect(counts).toEqual(new Set([0, 1, 2]));
    const dues = Array.from(
      { length: 30 },
      (_, i) =>
        timescalesDue({
          category: 'looked-after',
          openedOn: '2024-01-10',
          detail: { episodes: [{ startedOn: '2024-01-10' }] },
          meetings: reviewsOf(i).map((r) => ({
            kind: 'looked-after-review',
            heldOn: String(r.held_on),
          })),
        })[0]?.due ?? '',
    );
    expect(dues.some((d) => d < TODAY)).toBe(true);
    expect(dues.some((d) => d >= TODAY)).toBe(true);
  });

  it('writes case summaries on most records and oversight on some, all before today', () => {
    const rows = build('child-protection-plan', 12);
    expect(rows.case_summary.length).toBe(9);
    expect(rows.oversight_note.length).toBe(4);
    expect(rows.oversight_note.every((n) => String(n.given_on) < TODAY)).toBe(true);
    expect(rows.statutory_review.every((r) => r.kind === 'review-conference')).toBe(true);
  });
});
