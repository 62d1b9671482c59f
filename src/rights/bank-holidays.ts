/**
 * Bank holidays in England and Wales, 2015 to 2030, as DATA.
 *
 * Why data and not rules: one-off holidays (VE day 2020, the Platinum Jubilee,
 * the State Funeral of Queen Elizabeth II, the coronation) are proclaimed
 * under s.1(3) of the Banking and Financial Dealings Act 1971 and cannot be
 * computed. A statutory deadline that ignored one would be a day early.
 *
 * Sources
 * - 2015–2027: GOV.UK, https://www.gov.uk/bank-holidays.json, division
 *   "england-and-wales" (titles shortened; "Substitute day" notes folded into
 *   the name). 2015–2022 were checked against a cached copy of that file
 *   (ministryofjustice/govuk-bank-holidays on GitHub). 2023–2027 were
 *   transcribed from GOV.UK's published list without a live fetch (no
 *   network when this was written): re-check them against the live file at
 *   the next refresh. The rules test in bank-holidays.test.ts confirms every row except the
 *   listed one-offs.
 * - 2028–2030: PROJECTED, not yet published. Computed once from the standing
 *   rules of the Banking and Financial Dealings Act 1971, Schedule 1 (New
 *   Year's Day, Good Friday, Easter Monday, first and last Monday in May,
 *   last Monday in August, Christmas Day and Boxing Day, with the substitute
 *   weekday when one falls at a weekend), with Easter by the anonymous
 *   Gregorian algorithm. A future one-off proclamation will not be here:
 *   when GOV.UK publishes those years, replace the projected rows and move
 *   PUBLISHED_THROUGH_YEAR on.
 *
 * bank-holidays.test.ts recomputes every row from the rules and Easter, and
 * lists the one-offs explicitly, so a typo in this table fails a test.
 */

export interface BankHoliday {
  /** ISO 8601 calendar date, YYYY-MM-DD. */
  readonly date: string;
  readonly name: string;
}

/** First and last calendar year this table covers completely. */
export const BANK_HOLIDAY_COVERAGE = { firstYear: 2015, lastYear: 2030 } as const;

/** Years after this one are projected from the rules, not published by GOV.UK. */
export const PUBLISHED_THROUGH_YEAR = 2027;

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly BankHoliday[] = [
  // 2015
  { date: '2015-01-01', name: "New Year's Day" },
  { date: '2015-04-03', name: 'Good Friday' },
  { date: '2015-04-06', name: 'Easter Monday' },
  { date: '2015-05-04', name: 'Early May bank holiday' },
  { date: '2015-05-25', name: 'Spring bank holiday' },
  { date: '2015-08-31', name: 'Summer bank holiday' },
  { date: '2015-12-25', name: 'Christmas Day' },
  { date: '2015-12-28', name: 'Boxing Day (substitute day)' },
  // 2016
  { date: '2016-01-01', name: "New Year's Day" },
  { date: '2016-03-25', name: 'Good Friday' },
  { date: '2016-03-28', name: 'Easter Monday' },
  { date: '2016-05-02', name: 'Early May bank holiday' },
  { date: '2016-05-30', name: 'Spring bank holiday' },
  { date: '2016-08-29', name: 'Summer bank holiday' },
  { date: '2016-12-26', name: 'Boxing Day' },
  { date: '2016-12-27', name: 'Christmas Day (substitute day)' },
  // 2017
  { date: '2017-01-02', name: "New Year's Day (substitute day)" },
  { date: '2017-04-14', name: 'Good Friday' },
  { date: '2017-04-17', name: 'Easter Monday' },
  { date: '2017-05-01', name: 'Early May bank holiday' },
  { date: '2017-05-29', name: 'Spring bank holiday' },
  { date: '2017-08-28', name: 'Summer bank holiday' },
  { date: '2017-12-25', name: 'Christmas Day' },
  { date: '2017-12-26', name: 'Boxing Day' },
  // 2018
  { date: '2018-01-01', name: "New Year's Day" },
  { date: '2018-03-30', name: 'Good Friday' },
  { date: '2018-04-02', name: 'Easter Monday' },
  { date: '2018-05-07', name: 'Early May bank holiday' },
  { date: '2018-05-28', name: 'Spring bank holiday' },
  { date: '2018-08-27', name: 'Summer bank holiday' },
  { date: '2018-12-25', name: 'Christmas Day' },
  { date: '2018-12-26', name: 'Boxing Day' },
  // 2019
  { date: '2019-01-01', name: "New Year's Day" },
  { date: '2019-04-19', name: 'Good Friday' },
  { date: '2019-04-22', name: 'Easter Monday' },
  { date: '2019-05-06', name: 'Early May bank holiday' },
  { date: '2019-05-27', name: 'Spring bank holiday' },
  { date: '2019-08-26', name: 'Summer bank holiday' },
  { date: '2019-12-25', name: 'Christmas Day' },
  { date: '2019-12-26', name: 'Boxing Day' },
  // 2020
  { date: '2020-01-01', name: "New Year's Day" },
  { date: '2020-04-10', name: 'Good Friday' },
  { date: '2020-04-13', name: 'Easter Monday' },
  // Moved from Monday 4 May to mark the 75th anniversary of VE day.
  { date: '2020-05-08', name: 'Early May bank holiday (VE day)' },
  { date: '2020-05-25', name: 'Spring bank holiday' },
  { date: '2020-08-31', name: 'Summer bank holiday' },
  { date: '2020-12-25', name: 'Christmas Day' },
  { date: '2020-12-28', name: 'Boxing Day (substitute day)' },
  // 2021
  { date: '2021-01-01', name: "New Year's Day" },
  { date: '2021-04-02', name: 'Good Friday' },
  { date: '2021-04-05', name: 'Easter Monday' },
  { date: '2021-05-03', name: 'Early May bank holiday' },
  { date: '2021-05-31', name: 'Spring bank holiday' },
  { date: '2021-08-30', name: 'Summer bank holiday' },
  { date: '2021-12-27', name: 'Christmas Day (substitute day)' },
  { date: '2021-12-28', name: 'Boxing Day (substitute day)' },
  // 2022
  { date: '2022-01-03', name: "New Year's Day (substitute day)" },
  { date: '2022-04-15', name: 'Good Friday' },
  { date: '2022-04-18', name: 'Easter Monday' },
  { date: '2022-05-02', name: 'Early May bank holiday' },
  // Spring bank holiday moved from Monday 30 May, and an extra day added, for
  // the Platinum Jubilee.
  { date: '2022-06-02', name: 'Spring bank holiday' },
  { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
  { date: '2022-08-29', name: 'Summer bank holiday' },
  { date: '2022-09-19', name: 'Bank holiday for the State Funeral of Queen Elizabeth II' },
  { date: '2022-12-26', name: 'Boxing Day' },
  { date: '2022-12-27', name: 'Christmas Day (substitute day)' },
  // 2023
  { date: '2023-01-02', name: "New Year's Day (substitute day)" },
  { date: '2023-04-07', name: 'Good Friday' },
  { date: '2023-04-10', name: 'Easter Monday' },
  { date: '2023-05-01', name: 'Early May bank holiday' },
  { date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' },
  { date: '2023-05-29', name: 'Spring bank holiday' },
  { date: '2023-08-28', name: 'Summer bank holiday' },
  { date: '2023-12-25', name: 'Christmas Day' },
  { date: '2023-12-26', name: 'Boxing Day' },
  // 2024
  { date: '2024-01-01', name: "New Year's Day" },
  { date: '2024-03-29', name: 'Good Friday' },
  { date: '2024-04-01', name: 'Easter Monday' },
  { date: '2024-05-06', name: 'Early May bank holiday' },
  { date: '2024-05-27', name: 'Spring bank holiday' },
  { date: '2024-08-26', name: 'Summer bank holiday' },
  { date: '2024-12-25', name: 'Christmas Day' },
  { date: '2024-12-26', name: 'Boxing Day' },
  // 2025
  { date: '2025-01-01', name: "New Year's Day" },
  { date: '2025-04-18', name: 'Good Friday' },
  { date: '2025-04-21', name: 'Easter Monday' },
  { date: '2025-05-05', name: 'Early May bank holiday' },
  { date: '2025-05-26', name: 'Spring bank holiday' },
  { date: '2025-08-25', name: 'Summer bank holiday' },
  { date: '2025-12-25', name: 'Christmas Day' },
  { date: '2025-12-26', name: 'Boxing Day' },
  // 2026
  { date: '2026-01-01', name: "New Year's Day" },
  { date: '2026-04-03', name: 'Good Friday' },
  { date: '2026-04-06', name: 'Easter Monday' },
  { date: '2026-05-04', name: 'Early May bank holiday' },
  { date: '2026-05-25', name: 'Spring bank holiday' },
  { date: '2026-08-31', name: 'Summer bank holiday' },
  { date: '2026-12-25', name: 'Christmas Day' },
  { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
  // 2027
  { date: '2027-01-01', name: "New Year's Day" },
  { date: '2027-03-26', name: 'Good Friday' },
  { date: '2027-03-29', name: 'Easter Monday' },
  { date: '2027-05-03', name: 'Early May bank holiday' },
  { date: '2027-05-31', name: 'Spring bank holiday' },
  { date: '2027-08-30', name: 'Summer bank holiday' },
  { date: '2027-12-27', name: 'Christmas Day (substitute day)' },
  { date: '2027-12-28', name: 'Boxing Day (substitute day)' },
  // 2028 onwards: PROJECTED from the standing rules, not yet published.
  // 2028
  { date: '2028-01-03', name: "New Year's Day (substitute day)" },
  { date: '2028-04-14', name: 'Good Friday' },
  { date: '2028-04-17', name: 'Easter Monday' },
  { date: '2028-05-01', name: 'Early May bank holiday' },
  { date: '2028-05-29', name: 'Spring bank holiday' },
  { date: '2028-08-28', name: 'Summer bank holiday' },
  { date: '2028-12-25', name: 'Christmas Day' },
  { date: '2028-12-26', name: 'Boxing Day' },
  // 2029
  { date: '2029-01-01', name: "New Year's Day" },
  { date: '2029-03-30', name: 'Good Friday' },
  { date: '2029-04-02', name: 'Easter Monday' },
  { date: '2029-05-07', name: 'Early May bank holiday' },
  { date: '2029-05-28', name: 'Spring bank holiday' },
  { date: '2029-08-27', name: 'Summer bank holiday' },
  { date: '2029-12-25', name: 'Christmas Day' },
  { date: '2029-12-26', name: 'Boxing Day' },
  // 2030
  { date: '2030-01-01', name: "New Year's Day" },
  { date: '2030-04-19', name: 'Good Friday' },
  { date: '2030-04-22', name: 'Easter Monday' },
  { date: '2030-05-06', name: 'Early May bank holiday' },
  { date: '2030-05-27', name: 'Spring bank holiday' },
  { date: '2030-08-26', name: 'Summer bank holiday' },
  { date: '2030-12-25', name: 'Christmas Day' },
  { date: '2030-12-26', name: 'Boxing Day' },
];
