/**
 * The partnership's annual report (issue 12 item 19). The KSCMP notice says
 * survey results are "included … in the KSCMP annual report"; partnerships
 * also report the training they ran and the reviews of serious incidents
 * they held. This builds those figures for one reporting year from what
 * Safekeep holds, aggregate and anonymous: every count of people or cases is
 * put through the same small-number suppression as the learning report
 * (statistics.ts), because a published report is read by everyone, including
 * the families the reviews were about.
 */
import { Temporal } from 'temporal-polyfill';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatDate } from '../platform/http/views.js';
import { SUPPRESSED_MARK, suppressPartition, type Published } from './statistics.js';
import type { PartnershipService } from './service.js';
import type { StaffContext } from '../platform/auth/service.js';

/**
 * Partnerships publish a yearly report for April to March (Working Together
 * 2023 asks for one every twelve months; Kent's and Somerset's follow the
 * financial year). A year is named by the calendar year it starts in.
 */
export function reportingYear(startYear: number): { from: string; to: string; label: string } {
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

export interface AnnualReport {
  year: ReturnType<typeof reportingYear>;
  training: Awaited<ReturnType<PartnershipService['learningReport']>>;
  surveys: { title: string; respondents: Published }[];
  reviews: { measure: string; count: Published }[];
}

/** The review measures, each counted by the date that puts it in the year. */
const reviewMeasures = [
  ['Referrals of serious incidents received', 'referral_received_on'],
  ['Decisions whether to notify the national panel', 'notification_decided_on'],
  ['Rapid reviews sent to the national panel', 'rapid_review_sent_on'],
  ['Decisions whether to hold a local review', 'review_decided_on'],
  ['Local child safeguarding practice reviews published', 'published_on'],
] as const;

/**
 * The figures for one reporting year. The training section is the learning
 * report for the same dates; surveys are those that had responses in the
 * year; reviews are counted by the date each step happened.
 */
export async function annualReport(
  db: Kysely<Database>,
  partnership: PartnershipService,
  staff: StaffContext,
  startYear: number,
): Promise<AnnualReport> {
  const year = reportingYear(startYear);
  // learningReport refuses anyone without the partnership business role, as
  // "not found", before anything below is read.
  const training = await partnership.learningReport(staff, year.from, year.to);
  const organisationId = staff.organisation?.id ?? '';
  const surveyRows = await db
    .selectFrom('survey as s')
    .innerJoin('survey_response as r', 'r.survey_id', 's.id')
    .select(['s.id', 's.title', (eb) => eb.fn.countAll<number>().as('respondents')])
    .where('s.organisation_id', '=', organisationId)
    .where('r.received_on', '>=', year.from)
    .where('r.received_on', '<=', year.to)
    .groupBy(['s.id', 's.title'])
    .orderBy('s.title')
    .execute();
  const reviewCounts = await db
    .selectFrom('practice_review')
    .select((eb) =>
      reviewMeasures.map(([, column]) =>
        eb.fn
          .count<number>(column)
          .filterWhere(column, '>=', year.from)
          .filterWhere(column, '<=', year.to)
          .as(column),
      ),
    )
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return {
    year,
    training,
    surveys: surveyRows.map((s) => ({
      title: s.title,
      respondents: suppressPartition([Number(s.respondents)]).total,
    })),
    reviews: reviewMeasures.map(([measure, column]) => ({
      measure,
      count: suppressPartition([Number(reviewCounts[column])]).total,
    })),
  };
}

/** The report as rows for a spreadsheet: section, measure, figure ("c" when hidden). */
export function annualReportRows(
  report: AnnualReport,
  sectorLabel: (sector: string) => string,
): string[][] {
  const shown = (n: Published) => (n === null ? SUPPRESSED_MARK : String(n));
  return [
    ['Section', 'Measure', 'Figure'],
    ['Training', 'Courses and events held', String(report.training.courses)],
    ['Training', 'Places booked', shown(report.training.totals.booked)],
    ['Training', 'Places attended', shown(report.training.totals.attended)],
    ...report.training.bySector.map((r) => [
      'Training',
      `Attended: ${sectorLabel(r.sector)}`,
      shown(r.attended),
    ]),
    ...report.surveys.map((s) => ['Surveys', `Responses: ${s.title}`, shown(s.respondents)]),
    ...report.reviews.map((r) => ['Practice reviews', r.measure, shown(r.count)]),
  ];
}
