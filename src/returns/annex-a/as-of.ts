import { Temporal } from 'temporal-polyfill';

/**
 * The as-of date the Annex A lists are drawn up for, from what someone typed:
 * a real calendar date, not after today. Returns the date (YYYY-MM-DD) or a
 * plain-English reason.
 */
export function parseAsOf(
  parts: { day: string; month: string; year: string },
  today: string,
): { asOf: string } | { error: string } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { error: 'Enter the date the lists are for' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { error: 'The date the lists are for must be a real date, such as 31 3 2026' };
  }
  let date: Temporal.PlainDate;
  try {
    date = Temporal.PlainDate.from(
      { year: Number(year), month: Number(month), day: Number(day) },
      { overflow: 'reject' },
    );
  } catch {
    return { error: 'The date the lists are for must be a real date, such as 31 3 2026' };
  }
  const asOf = date.toString();
  if (asOf > today) return { error: 'The date the lists are for must be today or in the past' };
  if (date.year < 2010) return { error: 'The date the lists are for must be after 2010' };
  return { asOf };
}

/** The same from the command line's YYYY-MM-DD. */
export function parseAsOfOption(text: string, today: string): { asOf: string } | { error: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) {
    return {
      error: `--as-of must be a date written YYYY-MM-DD, such as 2026-03-31 (not "${text}")`,
    };
  }
  const parsed = parseAsOf(
    { year: match[1] ?? '', month: match[2] ?? '', day: match[3] ?? '' },
    today,
  );
  return 'error' in parsed
    ? { error: `--as-of: ${parsed.error.replace(/^The date/, 'the date')}` }
    : parsed;
}
