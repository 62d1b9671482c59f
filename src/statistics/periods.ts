import { Temporal } from 'temporal-polyfill';
import { formatDate } from '../platform/http/views.js';

/**
 * Reporting years and their quarters. Partnerships publish a yearly report
 * for April to March (Working Together 2023 asks for one every twelve
 * months; Kent's and Somerset's follow the financial year), and the
 * statistics use the same year so the two agree. A year is named by the
 * calendar year it starts in.
 */
export interface Period {
  from: string;
  to: string;
  label: string;
}

export function reportingYear(startYear: number): Period {
  const from = Temporal.PlainDate.from({ year: startYear, month: 4, day: 1 });
  const to = from.add({ years: 1 }).subtract({ days: 1 });
  return {
    from: from.toString(),
    to: to.toString(),
    label: `${formatDate(from.toString())} to ${formatDate(to.toString())}`,
  };
}

/** The latest reporting year that has ended by `today`, and the five before it. */
export function reportingYearsTo(today: string): number[] {
  const date = Temporal.PlainDate.from(today);
  // A year starting in April of year Y ends on 31 March of Y + 1.
  const latest = date.month >= 4 ? date.year - 1 : date.year - 2;
  return Array.from({ length: 6 }, (_, i) => latest - i);
}

/** The year's four quarters, in words: "April to June 2025". */
export function quartersOf(startYear: number): Period[] {
  const start = Temporal.PlainDate.from({ year: startYear, month: 4, day: 1 });
  return [0, 3, 6, 9].map((months) => {
    const from = start.add({ months });
    const to = from.add({ months: 3 }).subtract({ days: 1 });
    const monthName = (d: Temporal.PlainDate) => formatDate(d.toString()).split(' ')[1] ?? '';
    return {
      from: from.toString(),
      to: to.toString(),
      label: `${monthName(from)} to ${monthName(to)} ${to.year}`,
    };
  });
}

/** Which quarter (0–3) of the year a date falls in, or -1 outside it. */
export function quarterIndex(startYear: number, date: string | null | undefined): number {
  if (!date) return -1;
  const year = reportingYear(startYear);
  if (date < year.from || date > year.to) return -1;
  return quartersOf(startYear).findIndex((q) => date >= q.from && date <= q.to);
}
