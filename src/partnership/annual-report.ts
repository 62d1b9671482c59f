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
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { OrganisationSlug } from '../policy/index.js';
import { reportingYear } from '../statistics/periods.js';
import { StatisticsService } from '../statistics/service.js';
import { SUPPRESSED_MARK, suppressPartition, type Published } from './statistics.js';
import type { PartnershipService } from './service.js';
import type { StaffContext } from '../platform/auth/service.js';

// The reporting year is the statistics' (one year for both: decision 0040).
export { reportingYear, reportingYearsTo } from '../statistics/periods.js';

export interface AnnualReport {
  year: ReturnType<typeof reportingYear>;
  training: Awaited<ReturnType<PartnershipService['learningReport']>>;
  surveys: { title: string; respondents: Published }[];
  reviews: { measure: string; count: Published }[];
}

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
  // Reviews come from the statistics, suppressed once, in one place: the
  // same cells the statistics page and its CSV publish, so nothing hidden
  // there can be worked out by setting this report against them.
  const statistics = await new StatisticsService(db).forOrganisation(
    { id: organisationId, slug: (staff.organisation?.slug ?? '') as OrganisationSlug },
    startYear,
    ['practice-reviews'],
  );
  const reviewTable = statistics.tables.find((t) => t.id === 'practice-reviews');
  return {
    year,
    training,
    surveys: surveyRows.map((s) => ({
      title: s.title,
      respondents: suppressPartition([Number(s.respondents)]).total,
    })),
    reviews: (reviewTable?.columns ?? []).map((measure, i) => ({
      measure,
      count: reviewTable?.totals.cells[i] ?? null,
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
