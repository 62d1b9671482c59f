import { Temporal } from 'temporal-polyfill';
import { complaintOutcomes, type ComplaintOutcome } from './tables.js';

/**
 * Counts of complaints per period. DPA 2018 s.164B (inserted by the Data
 * (Use and Access) Act 2025 s.103) lets regulations require a controller to
 * tell the ICO how many complaints it received in each period; the periods
 * are not set yet, so the page offers months, quarters, calendar years and
 * financial years (April to March, as councils report), and a CSV of the
 * same numbers. Pure functions over dates and codes: no personal data.
 */

export interface Period {
  /** 'YYYY-MM', 'YYYY-Qn', 'YYYY' or 'FYYYYY' (the financial year starting in April of YYYY). */
  key: string;
  from: string;
  to: string;
  label: string;
}

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });
const nameOfMonth = (year: number, month: number) =>
  monthName.format(new Date(Date.UTC(year, month - 1, 1)));

/** Years a period may be in: the range every date field takes (decision record 0011). */
const EARLIEST = 1900;
const LATEST = 2200;

/** The period a key names, or null when it names none. */
export function parsePeriod(key: string): Period | null {
  let match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  const yearOk = (year: number) => year >= EARLIEST && year <= LATEST;
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    if (!yearOk(year)) return null;
    const first = Temporal.PlainDate.from({ year, month, day: 1 });
    return {
      key,
      from: first.toString(),
      to: first.add({ months: 1 }).subtract({ days: 1 }).toString(),
      label: `${nameOfMonth(year, month)} ${year}`,
    };
  }
  match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (match) {
    const year = Number(match[1]);
    const quarter = Number(match[2]);
    if (!yearOk(year)) return null;
    const first = Temporal.PlainDate.from({ year, month: quarter * 3 - 2, day: 1 });
    return {
      key,
      from: first.toString(),
      to: first.add({ months: 3 }).subtract({ days: 1 }).toString(),
      label: `${nameOfMonth(year, quarter * 3 - 2)} to ${nameOfMonth(year, quarter * 3)} ${year}`,
    };
  }
  match = /^(\d{4})$/.exec(key);
  if (match) {
    const year = Number(match[1]);
    if (!yearOk(year)) return null;
    return { key, from: `${year}-01-01`, to: `${year}-12-31`, label: `${year}` };
  }
  match = /^FY(\d{4})$/.exec(key);
  if (match) {
    const year = Number(match[1]);
    if (!yearOk(year) || year === LATEST) return null;
    return {
      key,
      from: `${year}-04-01`,
      to: `${year + 1}-03-31`,
      label: `April ${year} to March ${year + 1}`,
    };
  }
  return null;
}

/** The quarter `today` is in: the page's first answer. */
export function currentQuarter(today: string): string {
  const date = Temporal.PlainDate.from(today);
  return `${date.year}-Q${Math.ceil(date.month / 3)}`;
}

/** The periods the picker offers, newest first in each kind. */
export function periodChoices(today: string): { kind: string; periods: Period[] }[] {
  const date = Temporal.PlainDate.from(today);
  // Every key made here is well formed, so each names a period.
  const periodOf = (key: string) => parsePeriod(key) as Period;
  const months: Period[] = [];
  for (let i = 0; i < 12; i++) {
    const m = date.with({ day: 1 }).subtract({ months: i });
    months.push(periodOf(`${m.year}-${String(m.month).padStart(2, '0')}`));
  }
  const quarters: Period[] = [];
  let q = { year: date.year, quarter: Math.ceil(date.month / 3) };
  for (let i = 0; i < 8; i++) {
    quarters.push(periodOf(`${q.year}-Q${q.quarter}`));
    q =
      q.quarter === 1 ? { year: q.year - 1, quarter: 4 } : { year: q.year, quarter: q.quarter - 1 };
  }
  const years: Period[] = [0, 1, 2].map((i) => periodOf(`${date.year - i}`));
  const financialStart = date.month >= 4 ? date.year : date.year - 1;
  const financial: Period[] = [0, 1, 2].map((i) => periodOf(`FY${financialStart - i}`));
  return [
    { kind: 'Quarters', periods: quarters },
    { kind: 'Months', periods: months },
    { kind: 'Financial years', periods: financial },
    { kind: 'Calendar years', periods: years },
  ];
}

export interface PeriodCounts {
  received: number;
  acknowledged: number;
  acknowledgedInTime: number;
  acknowledgedLate: number;
  closed: number;
  byOutcome: Record<ComplaintOutcome, number>;
}

interface CountRow {
  received_on: string;
  acknowledge_by: string;
  acknowledged_on: string | null;
  closed_on: string | null;
  outcome: ComplaintOutcome | null;
}

const within = (date: string | null, period: Period) =>
  date !== null && date >= period.from && date <= period.to;

/**
 * Received: complaints received in the period. Acknowledged: acknowledged in
 * the period, split by whether within the 30 days (clock.ts). Closed: closed
 * in the period, by outcome. A complaint can count in several rows of one
 * period, and in different periods for each.
 */
export function countPeriod(rows: readonly CountRow[], period: Period): PeriodCounts {
  const byOutcome = Object.fromEntries(complaintOutcomes.map((o) => [o, 0])) as Record<
    ComplaintOutcome,
    number
  >;
  const counts: PeriodCounts = {
    received: 0,
    acknowledged: 0,
    acknowledgedInTime: 0,
    acknowledgedLate: 0,
    closed: 0,
    byOutcome,
  };
  for (const row of rows) {
    if (within(row.received_on, period)) counts.received += 1;
    if (within(row.acknowledged_on, period)) {
      counts.acknowledged += 1;
      if ((row.acknowledged_on ?? '') <= row.acknowledge_by) counts.acknowledgedInTime += 1;
      else counts.acknowledgedLate += 1;
    }
    if (within(row.closed_on, period) && row.outcome) {
      counts.closed += 1;
      counts.byOutcome[row.outcome] += 1;
    }
  }
  return counts;
}

/** The counts as CSV, one measure a line, for sending on (RFC 4180; nothing in it needs quoting). */
export function countsCsv(
  organisation: string,
  period: Period,
  counts: PeriodCounts,
  outcomeLabels: Record<ComplaintOutcome, string>,
): string {
  const lines: [string, number][] = [
    ['Complaints received', counts.received],
    ['Acknowledged', counts.acknowledged],
    ['Acknowledged within 30 days', counts.acknowledgedInTime],
    ['Acknowledged after 30 days', counts.acknowledgedLate],
    ['Closed', counts.closed],
    ...complaintOutcomes.map(
      (o) => [`Closed: ${outcomeLabels[o].toLowerCase()}`, counts.byOutcome[o]] as [string, number],
    ),
  ];
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  return (
    [
      'organisation,period_from,period_to,measure,count',
      ...lines.map(
        ([measure, count]) =>
          `${quote(organisation)},${period.from},${period.to},${quote(measure)},${count}`,
      ),
    ].join('\r\n') + '\r\n'
  );
}
