/**
 * Data portability (UK GDPR Art 20, issue 5): the data a person gave a
 * partnership on consent or a contract, in machine-readable form — one JSON
 * document, and one CSV file per data set.
 *
 * What goes in is exactly what a person confirmed, from the latest discovery
 * run, as the subject's (the selection erasure uses, erasure.ts
 * confirmedFromDiscovery), and only in categories whose portability decision
 * (decisions.ts portabilityFor) says the right applies: never public-task
 * data (Art 20(3)) and never case records. The selection is stored before
 * review, so the second person approves exactly what the export will hold;
 * the export can be downloaded only after that approval.
 *
 * Only the fields the person provided (Art 20(1): "which he or she has
 * provided") and the facts of the booking or sign-up itself; nothing we
 * derive (retention status and dates, minimisation) is exported.
 *
 * Audit events carry ids only: the request and the rows exported.
 */
import type { Kysely, Transaction } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { canRights, type RightsAction } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { isOrganisationSlug, policyFor, type OrganisationPolicy } from '../policy/index.js';
import {
  confirmedFromDiscovery,
  discoveredPartnershipEntries,
  sourceCategory,
  type ConfirmedItem,
} from './erasure.js';
import type { PartnershipMatch } from './review.js';
import type { RequestState } from './tables.js';

const PURPOSE = 'rights-request';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The selection may change while the request is worked on; from review on it is what is approved. */
const editableStates: readonly RequestState[] = ['in-progress', 'extended'];
/** As for the access bundle: released once a second person has approved the response. */
const releasedStates: readonly RequestState[] = [
  'approved',
  'responded-in-full',
  'responded-in-part',
  'closed',
];

export const portableDatasets = ['training-bookings', 'newsletter-subscriptions'] as const;
export type PortableDataset = (typeof portableDatasets)[number];

/** Where each data set's rows are held. */
const datasetSource: Record<PortableDataset, PartnershipMatch['source']> = {
  'training-bookings': 'training-booking',
  'newsletter-subscriptions': 'newsletter-subscriber',
};

/**
 * The columns of each data set, in order. The CSV header and the JSON keys
 * are the same names, so a receiving organisation can map either form once.
 */
export const datasetColumns = {
  'training-bookings': [
    'fullName',
    'jobRole',
    'employer',
    'sector',
    'email',
    'telephone',
    'postalAddress',
    'budgetReference',
    'requirements',
    'courseTitle',
    'courseKind',
    'courseDelivery',
    'courseStartDate',
    'courseEndDate',
    'attendance',
    'bookedOn',
  ],
  'newsletter-subscriptions': [
    'fullName',
    'employer',
    'email',
    'consentGivenAt',
    'consentMethod',
    'consentNoticeVersion',
  ],
} as const satisfies Record<PortableDataset, readonly string[]>;

export type PortableRecord = Record<string, string | null>;

export interface PortableDatasetExport {
  dataset: PortableDataset;
  category: string;
  categoryName: string;
  /** The Art 20(1)(a) ground the decision recorded, e.g. "Art 20(1) UK GDPR". */
  ground: string;
  columns: readonly string[];
  records: PortableRecord[];
}

export interface PortabilityExport {
  requestId: string;
  controller: string;
  generatedOn: string;
  datasets: PortableDatasetExport[];
}

export interface PortabilityView {
  /** What the latest discovery found, in categories the right reaches; null before discovery. */
  found: PartnershipMatch[] | null;
  /** What was confirmed for the export, with the name held now (null once the row is gone). */
  confirmed: { source: PartnershipMatch['source']; id: string; name: string | null }[];
  /** Data sets the right reaches for this request (its decision says "applies"). */
  datasets: PortableDataset[];
  decided: boolean;
  editable: boolean;
  downloadable: boolean;
}

/** The JSON document: the data sets, each with its columns and records. */
export function portabilityJson(data: PortabilityExport) {
  return {
    format: 'safekeep-portability-export/1' as const,
    requestId: data.requestId,
    controller: data.controller,
    generatedOn: data.generatedOn,
    about:
      'The information you gave us on consent or a contract, in a structured, commonly used and ' +
      'machine-readable form (Art 20(1) UK GDPR). Each data set has the same columns as its CSV file.',
    datasets: data.datasets.map((d) => ({
      dataset: d.dataset,
      category: d.category,
      categoryName: d.categoryName,
      ground: d.ground,
      columns: [...d.columns],
      records: d.records,
    })),
  };
}

/**
 * One data set as CSV (RFC 4180: a header row, CRLF line ends, fields with a
 * comma, quote or line break quoted and quotes doubled — all by
 * csv-stringify, not by hand).
 *
 * `escape_formulas` guards against CSV (formula) injection: a cell starting
 * with = + - @ tab or CR (or their full-width forms) is prefixed with a
 * single quote, so a spreadsheet opening the file shows the text instead of
 * running it. Every value here is text the person typed into a public form,
 * so any of them could be a formula. Empty cells stay empty: null and ''
 * both mean "not given".
 */
export function datasetCsv(data: PortabilityExport, dataset: PortableDataset): string {
  const found = data.datasets.find((d) => d.dataset === dataset);
  const columns: readonly string[] = datasetColumns[dataset];
  const rows = (found?.records ?? []).map((r) => columns.map((c) => r[c] ?? ''));
  return stringify(rows, {
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    // With CRLF record ends, csv-stringify quotes a cell only if it holds
    // the whole "\r\n"; a bare line feed or carriage return inside a cell
    // would then split the row in every reader, so force quotes for either.
    quoted_match: /[\r\n]/,
    escape_formulas: true,
  });
}

export class RightsPortability {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly today: () => string,
  ) {}

  private organisationOf(staff: StaffContext, action: RightsAction) {
    if (!canRights(staff, action) || !staff.organisation) throw new NotFoundError();
    return staff.organisation;
  }

  private policyOf(staff: StaffContext): OrganisationPolicy {
    const slug = staff.organisation?.slug ?? '';
    if (!isOrganisationSlug(slug)) throw new NotFoundError();
    return policyFor(slug);
  }

  /** A portability request of the organisation (locked when it will change); not found otherwise. */
  private async request(
    trx: Transaction<Database>,
    organisationId: string,
    id: string,
    lock = false,
  ) {
    if (!UUID.test(id)) throw new NotFoundError();
    const row = await trx
      .selectFrom('rights_request')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', organisationId)
      .$if(lock, (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (!row) throw new NotFoundError();
    if (row.type !== 'portability') {
      throw new ConflictError('Only a portability request has a portability export');
    }
    return row;
  }

  /**
   * The data sets the latest recorded portability decision says the right
   * reaches, with its ground. Decisions can be recorded again; the latest
   * for each category stands.
   */
  private async applying(
    trx: Transaction<Database>,
    requestId: string,
  ): Promise<{ decided: boolean; applies: Map<string, string> }> {
    const decisions = await trx
      .selectFrom('rights_decision')
      .select(['category', 'outcome', 'ground'])
      .where('request_id', '=', requestId)
      .where('kind', '=', 'portability')
      .orderBy('decided_at')
      .orderBy('id')
      .execute();
    const latest = new Map(decisions.map((d) => [d.category ?? '', d]));
    const applies = new Map<string, string>();
    for (const [category, d] of latest) {
      if (d.outcome === 'applies') applies.set(category, d.ground ?? 'Art 20(1) UK GDPR');
    }
    return { decided: decisions.length > 0, applies };
  }

  private async confirmedOf(trx: Transaction<Database>, requestId: string) {
    return trx
      .selectFrom('rights_portable_item')
      .select(['source', 'item_id'])
      .where('request_id', '=', requestId)
      .orderBy('source')
      .orderBy('item_id')
      .execute();
  }

  private async event(
    trx: Transaction<Database>,
    staff: StaffContext,
    requestId: string,
    kind: string,
    objectIds: readonly string[],
    note: string,
  ) {
    await trx
      .insertInto('rights_event')
      .values({ request_id: requestId, actor_account_id: staff.accountId, kind, note })
      .execute();
    await recordAudit(trx, {
      action: `rights.${kind}`,
      actorAccountId: staff.accountId,
      organisationId: staff.organisation?.id ?? null,
      objectType: 'rights-request',
      objectIds: [requestId, ...objectIds],
      purpose: PURPOSE,
    });
  }

  /** What the request page shows about the export. Names are read, so it is audited. */
  async view(staff: StaffContext, requestId: string): Promise<PortabilityView> {
    const organisation = this.organisationOf(staff, 'rights.view');
    const policy = this.policyOf(staff);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.request(trx, organisation.id, requestId);
      const { decided, applies } = await this.applying(trx, requestId);
      const reaches = (source: PartnershipMatch['source']) => applies.has(sourceCategory[source]);
      const found = await discoveredPartnershipEntries(trx, requestId);
      const stored = await this.confirmedOf(trx, requestId);
      const names = await this.namesOf(trx, organisation.id, stored);
      await recordAudit(trx, {
        action: 'rights.portability.view',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-request',
        objectIds: [requestId, ...stored.map((s) => s.item_id)],
        purpose: PURPOSE,
      });
      return {
        found: found ? found.filter((f) => reaches(f.source)) : null,
        confirmed: stored.map((s) => ({
          source: s.source,
          id: s.item_id,
          name: names.get(s.item_id) ?? null,
        })),
        datasets: portableDatasets.filter((d) =>
          policy.categories.some(
            (c) => applies.has(c.slug) && sourceCategory[datasetSource[d]] === c.slug,
          ),
        ),
        decided,
        editable: editableStates.includes(row.state),
        downloadable: releasedStates.includes(row.state) && row.approved_by !== null,
      };
    });
  }

  private async namesOf(
    trx: Transaction<Database>,
    organisationId: string,
    items: readonly { source: PartnershipMatch['source']; item_id: string }[],
  ): Promise<Map<string, string>> {
    const ids = (source: PartnershipMatch['source']) =>
      items.filter((i) => i.source === source).map((i) => i.item_id);
    const bookings = ids('training-booking');
    const subscribers = ids('newsletter-subscriber');
    const rows = [
      ...(bookings.length
        ? await trx
            .selectFrom('training_booking')
            .select(['id', 'full_name'])
            .where('organisation_id', '=', organisationId)
            .where('id', 'in', bookings)
            .execute()
        : []),
      ...(subscribers.length
        ? await trx
            .selectFrom('newsletter_subscriber')
            .select(['id', 'full_name'])
            .where('organisation_id', '=', organisationId)
            .where('id', 'in', subscribers)
            .execute()
        : []),
    ];
    return new Map(rows.map((r) => [r.id, r.full_name]));
  }

  /**
   * Records which entries discovery found are the subject's, replacing any
   * earlier choice. Refused for an entry discovery did not find (erasure.ts
   * confirmedFromDiscovery), and for one in a category the right does not
   * reach, whose decision already says why (Art 20(3), or not on consent).
   */
  async confirm(staff: StaffContext, requestId: string, items: readonly ConfirmedItem[]) {
    const organisation = this.organisationOf(staff, 'rights.manage');
    const policy = this.policyOf(staff);
    await this.db.transaction().execute(async (trx) => {
      const row = await this.request(trx, organisation.id, requestId, true);
      if (!editableStates.includes(row.state)) {
        throw new ConflictError(
          'What goes in the export can change only while the request is in progress: send it back from review first',
        );
      }
      const { decided, applies } = await this.applying(trx, requestId);
      if (!decided) {
        throw new ConflictError(
          'Record the portability decision first: it says which data the right reaches',
        );
      }
      const unique = [...new Map(items.map((i) => [`${i.source}:${i.id}`, i])).values()];
      const matched = await confirmedFromDiscovery(trx, requestId, unique, 'exported');
      const outside = matched.filter((m) => !applies.has(sourceCategory[m.source]));
      if (outside.length > 0) {
        const names = [
          ...new Set(
            outside.map(
              (m) =>
                policy.categories
                  .find((c) => c.slug === sourceCategory[m.source])
                  ?.name.toLowerCase() ?? sourceCategory[m.source],
            ),
          ),
        ];
        throw new ValidationError([
          {
            field: 'items',
            message: `The right to data portability does not reach ${names.join(' or ')}: see the decision`,
          },
        ]);
      }
      await trx.deleteFrom('rights_portable_item').where('request_id', '=', requestId).execute();
      if (matched.length > 0) {
        await trx
          .insertInto('rights_portable_item')
          .values(
            matched.map((m) => ({
              request_id: requestId,
              source: m.source,
              item_id: m.id,
              confirmed_by: staff.accountId,
            })),
          )
          .execute();
      }
      const count = (source: PartnershipMatch['source']) =>
        matched.filter((m) => m.source === source).length;
      await this.event(
        trx,
        staff,
        requestId,
        'portability-confirmed',
        matched.map((m) => m.id),
        `For the export: ${count('training-booking')} training booking(s), ` +
          `${count('newsletter-subscriber')} newsletter subscription(s)`,
      );
      await trx
        .updateTable('rights_request')
        .set({ version: row.version + 1 })
        .where('id', '=', requestId)
        .execute();
    });
  }

  /**
   * The export, once a second person has approved the response: every
   * confirmed entry still held, in a category the right reaches. Each
   * download is audited (who, which request, the rows' ids) and put on the
   * request's timeline with the counts.
   */
  async export(
    staff: StaffContext,
    requestId: string,
    format: 'json' | 'csv',
  ): Promise<PortabilityExport> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    const policy = this.policyOf(staff);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.request(trx, organisation.id, requestId);
      if (!releasedStates.includes(row.state) || row.approved_by === null) {
        throw new ConflictError(
          'The export can be downloaded once a second person has approved the response',
        );
      }
      const { applies } = await this.applying(trx, requestId);
      if (applies.size === 0) {
        throw new ConflictError(
          'The right to data portability reaches none of the data this request covers: offer an access request instead',
        );
      }
      const confirmed = (await this.confirmedOf(trx, requestId)).filter((c) =>
        applies.has(sourceCategory[c.source]),
      );
      const ids = (source: PartnershipMatch['source']) =>
        confirmed.filter((c) => c.source === source).map((c) => c.item_id);
      const datasets: PortableDatasetExport[] = [];
      const exported: string[] = [];
      for (const dataset of portableDatasets) {
        const source = datasetSource[dataset];
        const slug = sourceCategory[source];
        const ground = applies.get(slug);
        const category = policy.categories.find((c) => c.slug === slug);
        if (ground === undefined || !category) continue;
        const records =
          source === 'training-booking'
            ? await this.bookings(trx, organisation.id, ids(source))
            : await this.subscriptions(trx, organisation.id, ids(source));
        exported.push(...records.map((r) => r.id));
        datasets.push({
          dataset,
          category: slug,
          categoryName: category.name,
          ground,
          columns: datasetColumns[dataset],
          records: records.map((r) => r.record),
        });
      }
      await this.event(
        trx,
        staff,
        requestId,
        `portability-download-${format}`,
        exported,
        datasets.map((d) => `${d.records.length} ${d.dataset.replace(/-/g, ' ')}`).join(', '),
      );
      return {
        requestId,
        controller: policy.name,
        generatedOn: Temporal.PlainDate.from(this.today()).toString(),
        datasets,
      };
    });
  }

  private async bookings(trx: Transaction<Database>, organisationId: string, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await trx
      .selectFrom('training_booking as b')
      .innerJoin('training_course as c', 'c.id', 'b.course_id')
      .select([
        'b.id',
        'b.full_name',
        'b.job_role',
        'b.employer',
        'b.sector',
        'b.email',
        'b.telephone',
        'b.postal_address',
        'b.budget_reference',
        'b.requirements',
        'b.attendance',
        'b.created_at',
        'c.title',
        'c.kind',
        'c.delivery',
        'c.start_date',
        'c.end_date',
      ])
      .where('b.organisation_id', '=', organisationId)
      .where('b.id', 'in', ids)
      .orderBy('c.start_date')
      .orderBy('b.id')
      .execute();
    return rows.map((b) => ({
      id: b.id,
      record: {
        fullName: b.full_name,
        jobRole: b.job_role,
        employer: b.employer,
        sector: b.sector,
        email: b.email,
        telephone: b.telephone,
        postalAddress: b.postal_address,
        budgetReference: b.budget_reference,
        requirements: b.requirements,
        courseTitle: b.title,
        courseKind: b.kind,
        courseDelivery: b.delivery,
        courseStartDate: b.start_date,
        courseEndDate: b.end_date,
        attendance: b.attendance,
        bookedOn: isoDate(b.created_at),
      } satisfies Record<(typeof datasetColumns)['training-bookings'][number], string | null>,
    }));
  }

  private async subscriptions(trx: Transaction<Database>, organisationId: string, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await trx
      .selectFrom('newsletter_subscriber')
      .select([
        'id',
        'full_name',
        'employer',
        'email',
        'consent_at',
        'consent_method',
        'consent_notice_version',
      ])
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', ids)
      .orderBy('consent_at')
      .orderBy('id')
      .execute();
    return rows.map((s) => ({
      id: s.id,
      record: {
        fullName: s.full_name,
        employer: s.employer,
        email: s.email,
        consentGivenAt: new Date(s.consent_at).toISOString(),
        consentMethod: s.consent_method,
        consentNoticeVersion: s.consent_notice_version,
      } satisfies Record<
        (typeof datasetColumns)['newsletter-subscriptions'][number],
        string | null
      >,
    }));
  }
}

/** A timestamp as its calendar day in the UK, where the booking was made. */
function isoDate(at: Date | string): string {
  return Temporal.Instant.from(new Date(at).toISOString())
    .toZonedDateTimeISO('Europe/London')
    .toPlainDate()
    .toString();
}
