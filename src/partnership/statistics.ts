/**
 * Small-number suppression for everything the partnerships publish from
 * bookings and surveys (the learning and development report, survey results).
 *
 * docs/reference.md "Statistics and publication": DfE publishes counts of 1–5
 * as "c" with secondary suppression; NHS Digital hides 1–7. "Publish with
 * the stricter rule": any count from 1 to 7 is hidden; 0 is shown (it
 * identifies nobody). Secondary suppression stops a hidden count being worked
 * out from a published total.
 */
export const SMALLEST_SHOWN = 8;

/** A count as published: the number, or null when it is hidden. */
export type Published = number | null;

export function isSmall(count: number): boolean {
  return count > 0 && count < SMALLEST_SHOWN;
}

/**
 * Cells that add up to a published total (a single-choice question, people
 * by sector). Hides small cells; if only one cell is hidden it could be
 * recovered as total − the others, so the smallest other non-zero cell is
 * hidden too, or, failing that, the total. A small total hides everything.
 */
export function suppressPartition(counts: readonly number[]): {
  cells: Published[];
  total: Published;
} {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (isSmall(total)) return { cells: counts.map(() => null), total: null };
  const hidden = counts.map(isSmall);
  let totalHidden = false;
  if (hidden.filter(Boolean).length === 1) {
    let smallest = -1;
    counts.forEach((n, i) => {
      if (!hidden[i] && n > 0 && (smallest < 0 || n < (counts[smallest] ?? 0))) smallest = i;
    });
    if (smallest >= 0) hidden[smallest] = true;
    else totalHidden = true;
  }
  return {
    cells: counts.map((n, i) => (hidden[i] ? null : n)),
    total: totalHidden ? null : total,
  };
}

/**
 * Counts that do not add up (a multiple-choice question: each respondent may
 * tick several). Each count is compared with the number of respondents: a
 * small count is hidden, and so is one whose complement (those who did not
 * tick it) is small, since that reveals a small group just as well.
 */
export function suppressEach(
  counts: readonly number[],
  respondents: number,
): { cells: Published[]; total: Published } {
  if (isSmall(respondents)) return { cells: counts.map(() => null), total: null };
  return {
    cells: counts.map((n) => (isSmall(n) || isSmall(respondents - n) ? null : n)),
    total: respondents,
  };
}

/** How a hidden count is shown on pages and in the API's text. */
export const SUPPRESSED_MARK = 'c';
