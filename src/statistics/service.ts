/**
 * Statistics that identify no one (issue 14; decision 0040). The measures a
 * partnership's annual report and an organisation's own quality assurance
 * need, counted by quarter of an April-to-March reporting year, and every
 * published cell put through the one two-way table suppression
 * (publication/statistics/table-suppression.ts): counts from 1 to 7 hidden
 * (the stricter of DfE's 1–5 and NHS Digital's 1–7, reference.md), and
 * more hidden where a total would give one away.
 *
 * This is the one source of truth for these counts: the statistics page,
 * its CSV and the partnership annual report all read the same suppressed
 * tables from here, so no count hidden in one can be worked out by
 * differencing against another.
 */
import type { Kysely } from 'kysely';
import { humanise, primaryNeeds } from '../casework/categories.js';
import { dueFrom, lookedAfterSince, timescales } from '../casework/entries/timescales.js';
import type { Database } from '../db/schema.js';
import { canStatistics } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { primaryReads, type ReadSource } from '../db/read-replica.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { ladoOutcomes, type OrganisationSlug } from '../policy/index.js';
import { suppressTable } from '../publication/statistics/table-suppression.js';
import { SUPPRESSED_MARK, suppressPartition, type Published } from '../partnership/statistics.js';
import { quarterIndex, quartersOf, reportingYear, type Period } from './periods.js';

export const measureIds = [
  'referrals',
  'assessments',
  'section-47',
  'protection-plans',
  'looked-after',
  'lado-allegations',
  'rights-requests',
  'practice-reviews',
] as const;
export type MeasureId = (typeof measureIds)[number];

/** One published table: quarters down, a breakdown across, every count as published. */
export interface StatisticsTable {
  id: MeasureId;
  title: string;
  /** Why the measure is counted, in a sentence (shown under the table). */
  why: string;
  columnHeading: string;
  columns: string[];
  /**
   * True when the columns add up to a total (a breakdown of one count);
   * false when each column is a measure of its own (practice review steps),
   * which are then suppressed column by column and have no row total.
   */
  partition: boolean;
  rows: { label: string; cells: Published[]; total: Published }[];
  totals: { cells: Published[]; total: Published };
}

export interface Statistics {
  year: Period;
  startYear: number;
  tables: StatisticsTable[];
}

/**
 * Whose figures an organisation's statistics cover. A partnership reports
 * on its area's safeguarding system (KSCMP notice: "analyse effectiveness of
 * the wider safeguarding system"), so KSCMP's include Kent's children's
 * services, LADO and the district council it works with; every other body
 * sees its own. Counts only, suppressed: no record is opened to do it.
 */
const AREAS: Partial<Record<OrganisationSlug, readonly OrganisationSlug[]>> = {
  kscmp: ['kscmp', 'kent-scs', 'kent-lado', 'maidstone-bc'],
};

export function areaOf(slug: OrganisationSlug): readonly OrganisationSlug[] {
  return AREAS[slug] ?? [slug];
}

const childrensCategories = [
  'child-in-need',
  'child-protection-plan',
  'looked-after',
  'private-fostering',
] as const;

const abuseWords: Record<string, string> = {
  neglect: 'Neglect',
  'physical-abuse': 'Physical abuse',
  'sexual-abuse': 'Sexual abuse',
  'emotional-abuse': 'Emotional abuse',
  multiple: 'More than one category',
};
const legalStatuses = [
  'section-20',
  'interim-care-order',
  'care-order',
  'placement-order',
  'police-protection',
  'emergency-protection-order',
  'remand',
] as const;
const section47Outcomes: [string, string][] = [
  ['concerns-not-substantiated', 'Concerns not substantiated'],
  ['concerns-substantiated-conference', 'Concerns substantiated: conference'],
  ['other', 'Another outcome'],
];
const NOT_RECORDED = 'Not yet recorded';

const reviewMeasures = [
  ['Referrals of serious incidents received', 'referral_received_on'],
  ['Decisions whether to notify the national panel', 'notification_decided_on'],
  ['Rapid reviews sent to the national panel', 'rapid_review_sent_on'],
  ['Decisions whether to hold a local review', 'review_decided_on'],
  ['Local child safeguarding practice reviews published', 'published_on'],
] as const;

interface Definition {
  id: MeasureId;
  title: string;
  why: string;
  columnHeading: string;
  columns: string[];
  partition: boolean;
  /** Which organisations' data it counts: the measure appears where the area holds one. */
  sources: readonly OrganisationSlug[];
}

const definitions: readonly Definition[] = [
  {
    // Only children in need: plans and care have tables of their own, and two
    // tables sharing a count could be set against each other.
    id: 'referrals',
    title: 'Referrals of children in need, by primary need',
    why: 'The demand on children’s services, by the primary need the children in need census records.',
    columnHeading: 'Primary need',
    columns: [...primaryNeeds.map((n) => humanise(n)), NOT_RECORDED],
    partition: true,
    sources: ['kent-scs'],
  },
  {
    id: 'assessments',
    title: 'Assessments completed, on time or late',
    why: 'Working Together to Safeguard Children 2023 asks for an assessment within 45 working days of the referral.',
    columnHeading: 'Completed',
    columns: ['Within 45 working days', 'Later'],
    partition: true,
    sources: ['kent-scs'],
  },
  {
    id: 'section-47',
    title: 'Section 47 enquiries started, by outcome',
    why: 'Enquiries under section 47 of the Children Act 1989 are where a child is thought to be suffering significant harm.',
    columnHeading: 'Outcome',
    columns: [...section47Outcomes.map(([, words]) => words), NOT_RECORDED],
    partition: true,
    sources: ['kent-scs'],
  },
  {
    id: 'protection-plans',
    title: 'Child protection plans started, by category of abuse',
    why: 'The categories Working Together 2023 gives for a plan; the measure every partnership reports.',
    columnHeading: 'Category of abuse',
    columns: Object.values(abuseWords),
    partition: true,
    sources: ['kent-scs'],
  },
  {
    id: 'looked-after',
    title: 'Children starting to be looked after, by legal status',
    why: 'The corporate parenting measure: children who came into care, and under what order or agreement.',
    columnHeading: 'Legal status',
    columns: [...legalStatuses.map((s) => humanise(s)), NOT_RECORDED],
    partition: true,
    sources: ['kent-scs'],
  },
  {
    id: 'lado-allegations',
    title: 'Allegations against adults who work with children, concluded, by outcome',
    why: 'The LADO’s outcomes decide how long records are kept and show how allegations are resolved.',
    columnHeading: 'Outcome',
    columns: [...ladoOutcomes.map((o) => humanise(o)), NOT_RECORDED],
    partition: true,
    sources: ['kent-lado'],
  },
  {
    id: 'rights-requests',
    title: 'Requests to exercise data protection rights answered, on time or late',
    why: 'Every notice promises an answer within one calendar month (UK GDPR Article 12(3)), extendable with reasons.',
    columnHeading: 'Answered',
    columns: ['On time', 'Late'],
    partition: true,
    sources: ['kent-scs', 'kent-lado', 'kscmp', 'maidstone-bc', 'sscp'],
  },
  {
    id: 'practice-reviews',
    title: 'Reviews of serious incidents, by step',
    why: 'Partnerships must review serious incidents and publish what they learn (Working Together 2023, chapter 5).',
    columnHeading: 'Step',
    columns: reviewMeasures.map(([measure]) => measure),
    partition: false,
    sources: ['kscmp', 'sscp'],
  },
];

/** Counts before suppression: [quarter][column]. */
type Counts = number[][];

const emptyCounts = (columns: number): Counts =>
  Array.from({ length: 4 }, () => new Array<number>(columns).fill(0));

function add(counts: Counts, quarter: number, column: number): void {
  const row = counts[quarter];
  if (quarter < 0 || !row || column < 0) return;
  row[column] = (row[column] ?? 0) + 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export class StatisticsService {
  constructor(
    private readonly db: Kysely<Database>,
    /** Where the counts are read (a replica when configured, db/read-replica.ts); the primary unless given. */
    private readonly reads: ReadSource = primaryReads(db),
  ) {}

  /** The statistics page's figures for the staff member's organisation; audited. */
  async view(staff: StaffContext, startYear: number): Promise<Statistics> {
    return this.audited(staff, startYear, 'statistics.view');
  }

  /** The same figures for the CSV download; audited as a download. */
  async download(staff: StaffContext, startYear: number): Promise<Statistics> {
    return this.audited(staff, startYear, 'statistics.download');
  }

  private async audited(staff: StaffContext, startYear: number, action: string) {
    const organisation = staff.organisation;
    if (!organisation || !canStatistics(staff)) throw new NotFoundError();
    const statistics = await this.forOrganisation(
      { id: organisation.id, slug: organisation.slug as OrganisationSlug },
      startYear,
    );
    await this.db.transaction().execute((trx) =>
      recordAudit(trx, {
        action,
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'statistics',
        // No ids: aggregate counts name nobody.
        objectIds: [],
        purpose: 'statistics',
      }),
    );
    return statistics;
  }

  /**
   * The suppressed tables for an organisation's area and a reporting year,
   * optionally only some measures. Callers decide access first (the annual
   * report: the partnership business role).
   */
  async forOrganisation(
    organisation: { id: string; slug: OrganisationSlug },
    startYear: number,
    only?: readonly MeasureId[],
  ): Promise<Statistics> {
    const area = areaOf(organisation.slug);
    const wanted = definitions.filter(
      (d) => d.sources.some((s) => area.includes(s)) && (!only || only.includes(d.id)),
    );
    const counts = await this.count(area, startYear, new Set(wanted.map((d) => d.id)));
    const quarters = quartersOf(startYear);
    return {
      year: reportingYear(startYear),
      startYear,
      tables: wanted.map((d) =>
        publish(d, counts.get(d.id) ?? emptyCounts(d.columns.length), quarters),
      ),
    };
  }

  private async count(
    area: readonly OrganisationSlug[],
    startYear: number,
    wanted: Set<MeasureId>,
  ): Promise<Map<MeasureId, Counts>> {
    const year = reportingYear(startYear);
    const q = (date: string | null | undefined) => quarterIndex(startYear, date);
    const result = new Map<MeasureId, Counts>();
    const table = (id: MeasureId) => {
      const definition = definitions.find((d) => d.id === id);
      const counts = emptyCounts(definition?.columns.length ?? 0);
      result.set(id, counts);
      return counts;
    };
    const organisations = await this.reads.db
      .selectFrom('organisation')
      .select(['id', 'slug'])
      .where('slug', 'in', [...area])
      .execute();
    const ids = organisations.map((o) => o.id);
    if (!ids.length) return result;

    const caseMeasures: MeasureId[] = [
      'referrals',
      'assessments',
      'section-47',
      'protection-plans',
      'looked-after',
      'lado-allegations',
    ];
    if (caseMeasures.some((m) => wanted.has(m))) {
      // Records alive at some point in the year: their dated events are counted by quarter.
      const records = await this.reads.db
        .selectFrom('case_record')
        .select(['category', 'opened_on', 'closed_on', 'outcome', 'detail'])
        .where('organisation_id', 'in', ids)
        .where('category', 'in', [...childrensCategories, 'lado-allegation'])
        .where('opened_on', '<=', year.to)
        .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>=', year.from)]))
        .execute();
      const referrals = wanted.has('referrals') ? table('referrals') : null;
      const assessments = wanted.has('assessments') ? table('assessments') : null;
      const s47 = wanted.has('section-47') ? table('section-47') : null;
      const plans = wanted.has('protection-plans') ? table('protection-plans') : null;
      const lookedAfter = wanted.has('looked-after') ? table('looked-after') : null;
      const lado = wanted.has('lado-allegations') ? table('lado-allegations') : null;
      const abuseKeys = Object.keys(abuseWords);
      for (const record of records) {
        const detail = isObject(record.detail) ? record.detail : {};
        if (referrals && record.category === 'child-in-need') {
          const need = primaryNeeds.indexOf(text(detail.primaryNeed) as never);
          add(referrals, q(record.opened_on), need >= 0 ? need : primaryNeeds.length);
        }
        if (assessments && record.category === 'child-in-need') {
          const completed = text(detail.assessmentCompletedOn);
          if (completed) {
            const due = dueFrom(record.opened_on, timescales.assessment);
            add(assessments, q(completed), completed <= due ? 0 : 1);
          }
        }
        if (record.category === 'child-protection-plan') {
          if (s47) {
            for (const enquiry of list(detail.section47Enquiries)) {
              if (!isObject(enquiry)) continue;
              const outcome = text(enquiry.outcome);
              const column = section47Outcomes.findIndex(([value]) => value === outcome);
              add(s47, q(text(enquiry.startedOn)), column >= 0 ? column : section47Outcomes.length);
            }
          }
          if (plans) {
            const started = text(detail.planStartedOn) ?? record.opened_on;
            add(plans, q(started), abuseKeys.indexOf(text(detail.categoryOfAbuse) ?? ''));
          }
        }
        if (lookedAfter && record.category === 'looked-after') {
          const status = legalStatuses.indexOf(text(detail.legalStatus) as never);
          add(
            lookedAfter,
            q(lookedAfterSince(record.detail, record.opened_on)),
            status >= 0 ? status : legalStatuses.length,
          );
        }
        if (lado && record.category === 'lado-allegation' && record.closed_on) {
          const outcome = ladoOutcomes.indexOf(record.outcome as never);
          add(lado, q(record.closed_on), outcome >= 0 ? outcome : ladoOutcomes.length);
        }
      }
    }

    if (wanted.has('rights-requests')) {
      const counts = table('rights-requests');
      const requests = await this.reads.db
        .selectFrom('rights_request')
        .select(['responded_on', 'clock_due'])
        .where('organisation_id', 'in', ids)
        .where('responded_on', '>=', year.from)
        .where('responded_on', '<=', year.to)
        .execute();
      for (const r of requests) {
        // No due date (a request that never started its clock) is not late.
        const late = !!r.clock_due && !!r.responded_on && r.responded_on > r.clock_due;
        add(counts, q(r.responded_on), late ? 1 : 0);
      }
    }

    if (wanted.has('practice-reviews')) {
      const counts = table('practice-reviews');
      const reviews = await this.reads.db
        .selectFrom('practice_review')
        .select(reviewMeasures.map(([, column]) => column))
        .where('organisation_id', 'in', ids)
        .execute();
      for (const review of reviews) {
        reviewMeasures.forEach(([, column], i) => add(counts, q(review[column]), i));
      }
    }
    return result;
  }
}

/** Suppresses one table's counts as it will be published. */
function publish(definition: Definition, counts: Counts, quarters: Period[]): StatisticsTable {
  const { id, title, why, columnHeading, columns, partition } = definition;
  if (partition) {
    const s = suppressTable(counts);
    return {
      id,
      title,
      why,
      columnHeading,
      columns,
      partition,
      rows: quarters.map((quarter, r) => ({
        label: quarter.label,
        cells: s.cells[r] ?? [],
        total: s.rowTotals[r] ?? null,
      })),
      totals: { cells: s.columnTotals, total: s.total },
    };
  }
  // Separate measures: each column is its own list of quarters adding up to
  // a year total (a row total would only repeat the cell).
  const byColumn = columns.map((_, c) => suppressPartition(counts.map((row) => row[c] ?? 0)));
  return {
    id,
    title,
    why,
    columnHeading,
    columns,
    partition,
    rows: quarters.map((quarter, r) => ({
      label: quarter.label,
      cells: byColumn.map((s) => s.cells[r] ?? null),
      total: null,
    })),
    totals: { cells: byColumn.map((s) => s.total), total: null },
  };
}

/** A published count as text: the number, or the mark for a hidden one. */
export function shown(count: Published): string {
  return count === null ? SUPPRESSED_MARK : String(count);
}

/** Every published figure as CSV rows: measure, period, breakdown, count ("c" when hidden). */
export function statisticsRows(statistics: Statistics): string[][] {
  const out: string[][] = [['Measure', 'Period', 'Breakdown', 'Count']];
  for (const t of statistics.tables) {
    const periods = [
      ...t.rows.map((r) => ({ label: r.label, cells: r.cells, total: r.total })),
      { label: statistics.year.label, cells: t.totals.cells, total: t.totals.total },
    ];
    for (const p of periods) {
      t.columns.forEach((column, c) =>
        out.push([t.title, p.label, column, shown(p.cells[c] ?? null)]),
      );
      if (t.partition) out.push([t.title, p.label, 'All', shown(p.total)]);
    }
  }
  return out;
}
