/**
 * fast-check generators for calendar dates, shared by the property tests.
 * Dates between 1900 and 2150, with 29 February and year ends drawn often,
 * because that is where date arithmetic goes wrong.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';

import type { PlainDate } from './calendar.js';

const epoch = Temporal.PlainDate.from('1900-01-01');
const spanDays = 250 * 365;

const anyDate = fc.integer({ min: 0, max: spanDays }).map((days) => epoch.add({ days }));

const leapDay = fc
  .integer({ min: 1900, max: 2148 })
  .map((year) => year - (year % 4))
  .filter((year) => year % 100 !== 0 || year % 400 === 0)
  .map((year) => Temporal.PlainDate.from({ year, month: 2, day: 29 }));

const monthEnd = fc
  .record({ year: fc.integer({ min: 1900, max: 2149 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) =>
    Temporal.PlainYearMonth.from({ year, month })
      .toPlainDate({ day: 1 })
      .add({ months: 1 })
      .subtract({ days: 1 }),
  );

export const dateArbitrary: fc.Arbitrary<PlainDate> = fc.oneof(
  { weight: 6, arbitrary: anyDate },
  { weight: 2, arbitrary: leapDay },
  { weight: 2, arbitrary: monthEnd },
);

export const yearsArbitrary = fc.integer({ min: 0, max: 120 });
