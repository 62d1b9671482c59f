import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newReference } from './reference.js';
import type { ComplaintOutcome, ComplaintTable, SendingMethod } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A complaint's row as the service works with it. */
export type ComplaintRow = Awaited<ReturnType<ComplaintStore['complaint']>> & object;

/** How many times a clashing reference is drawn again before giving up. */
const REFERENCE_ATTEMPTS = 8;

/** The complaints' SQL. Every query names the organisation; the service decides who may ask. */
export class ComplaintStore {
  constructor(private readonly db: Db) {}

  organisationBySlug(slug: string) {
    return this.db
      .selectFrom('organisation')
      .select(['id', 'slug', 'name', 'short_name'])
      .where('slug', '=', slug)
      .executeTakeFirst();
  }

  organisationById(id: string) {
    return this.db
      .selectFrom('organisation')
      .select(['id', 'slug', 'name', 'short_name'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  /**
   * Inserts a complaint under a fresh reference, drawing again on the rare
   * clash with one the organisation already has.
   */
  async insert(
    values: Omit<Insertable<ComplaintTable>, 'reference'>,
  ): Promise<{ id: string; reference: string }> {
    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
      const reference = newReference();
      const row = await this.db
        .insertInto('complaint')
        .values({ ...values, reference })
        .onConflict((oc) => oc.columns(['organisation_id', 'reference']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) return { id: row.id, reference };
    }
    throw new Error('no free complaint reference after several attempts');
  }

  /** A complaint by id alone: the caller decides whether the staff member may see it. */
  complaint(id: string, options: { lock?: boolean } = {}) {
    let query = this.db.selectFrom('complaint').selectAll().where('id', '=', id);
    if (options.lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  entries(complaintId: string, organisationId: string) {
    return this.db
      .selectFrom('complaint_entry as e')
      .innerJoin('account as a', 'a.id', 'e.recorded_by')
      .select([
        'e.id',
        'e.kind',
        'e.body',
        'e.sent_on',
        'e.sent_via',
        'e.created_at',
        'a.display_name as recorded_by_name',
      ])
      .where('e.complaint_id', '=', complaintId)
      .where('e.organisation_id', '=', organisationId)
      .orderBy('e.created_at')
      .orderBy('e.id')
      .execute();
  }

  links(complaintId: string, organisationId: string) {
    return this.db
      .selectFrom('complaint_link as l')
      .innerJoin('rights_request as r', (join) =>
        join
          .onRef('r.id', '=', 'l.rights_request_id')
          .onRef('r.organisation_id', '=', 'l.organisation_id'),
      )
      .select(['l.id', 'l.target_kind', 'r.id as request_id', 'r.type', 'r.received_on', 'r.state'])
      .where('l.complaint_id', '=', complaintId)
      .where('l.organisation_id', '=', organisationId)
      .orderBy('l.created_at')
      .execute();
  }

  /** The organisation's rights requests a complaint may be linked to, newest first. */
  rightsRequestChoices(organisationId: string) {
    return this.db
      .selectFrom('rights_request')
      .select(['id', 'type', 'received_on', 'requester_name'])
      .where('organisation_id', '=', organisationId)
      .orderBy('received_on', 'desc')
      .orderBy('id')
      .limit(200)
      .execute();
  }

  /** One of the organisation's rights requests, by an id already known to be well formed. */
  rightsRequest(organisationId: string, id: string) {
    return this.db
      .selectFrom('rights_request')
      .select(['id'])
      .where('id', '=', id)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
  }

  /** The breaches a complaint is linked to, oldest link first. */
  breachLinks(complaintId: string, organisationId: string) {
    return this.db
      .selectFrom('complaint_link as l')
      .innerJoin('breach as b', (join) =>
        join.onRef('b.id', '=', 'l.breach_id').onRef('b.organisation_id', '=', 'l.organisation_id'),
      )
      .select(['b.id as breach_id', 'b.reference', 'b.summary', 'b.aware_at'])
      .where('l.complaint_id', '=', complaintId)
      .where('l.organisation_id', '=', organisationId)
      .orderBy('l.created_at')
      .execute();
  }

  /** The organisation's breaches a complaint may be linked to, newest first. */
  breachChoices(organisationId: string) {
    return this.db
      .selectFrom('breach')
      .select(['id', 'reference', 'summary'])
      .where('organisation_id', '=', organisationId)
      .orderBy('reference', 'desc')
      .limit(200)
      .execute();
  }

  /** One of the organisation's breaches, by an id already known to be well formed. */
  breach(organisationId: string, id: string) {
    return this.db
      .selectFrom('breach')
      .select(['id'])
      .where('id', '=', id)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
  }

  /** The complaints linked to a breach of the organisation, newest first. */
  complaintsLinkedTo(breachId: string, organisationId: string) {
    return this.db
      .selectFrom('complaint_link as l')
      .innerJoin('complaint as c', (join) =>
        join
          .onRef('c.id', '=', 'l.complaint_id')
          .onRef('c.organisation_id', '=', 'l.organisation_id'),
      )
      .select(['c.id', 'c.reference', 'c.received_on', 'c.state'])
      .where('l.breach_id', '=', breachId)
      .where('l.organisation_id', '=', organisationId)
      .orderBy('c.received_on', 'desc')
      .execute();
  }

  async insertBreachLink(values: {
    complaintId: string;
    organisationId: string;
    breachId: string;
    linkedBy: string;
  }): Promise<string | null> {
    const row = await this.db
      .insertInto('complaint_link')
      .values({
        complaint_id: values.complaintId,
        organisation_id: values.organisationId,
        target_kind: 'breach',
        breach_id: values.breachId,
        linked_by: values.linkedBy,
      })
      .onConflict((oc) => oc.columns(['complaint_id', 'breach_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async insertLink(values: {
    complaintId: string;
    organisationId: string;
    rightsRequestId: string;
    linkedBy: string;
  }): Promise<string | null> {
    const row = await this.db
      .insertInto('complaint_link')
      .values({
        complaint_id: values.complaintId,
        organisation_id: values.organisationId,
        target_kind: 'rights-request',
        rights_request_id: values.rightsRequestId,
        linked_by: values.linkedBy,
      })
      .onConflict((oc) => oc.columns(['complaint_id', 'rights_request_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async insertEntry(values: {
    complaintId: string;
    organisationId: string;
    kind: 'note' | 'progress-update';
    body: string;
    sentOn?: string;
    sentVia?: SendingMethod;
    recordedBy: string;
  }): Promise<string> {
    const row = await this.db
      .insertInto('complaint_entry')
      .values({
        complaint_id: values.complaintId,
        organisation_id: values.organisationId,
        kind: values.kind,
        body: values.body,
        sent_on: values.sentOn ?? null,
        sent_via: values.sentVia ?? null,
        recorded_by: values.recordedBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  acknowledge(id: string, values: { on: string; via: SendingMethod; by: string }) {
    return this.db
      .updateTable('complaint')
      .set({
        state: 'acknowledged',
        acknowledged_on: values.on,
        acknowledged_via: values.via,
        acknowledged_by: values.by,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .execute();
  }

  close(
    id: string,
    values: {
      outcome: ComplaintOutcome;
      findings: string;
      actions: string | null;
      on: string;
      by: string;
    },
  ) {
    return this.db
      .updateTable('complaint')
      .set({
        state: 'closed',
        outcome: values.outcome,
        findings: values.findings,
        actions: values.actions,
        closed_on: values.on,
        closed_by: values.by,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Every complaint of the organisation, for the list: open ones first, each by its last day. */
  list(organisationId: string) {
    return this.db
      .selectFrom('complaint as c')
      .select([
        'c.id',
        'c.reference',
        'c.complainant_name',
        'c.channel',
        'c.received_on',
        'c.acknowledge_by',
        'c.acknowledged_on',
        'c.state',
        'c.outcome',
        'c.closed_on',
      ])
      .where('c.organisation_id', '=', organisationId)
      .orderBy(sql`c.state = 'closed'`)
      .orderBy('c.acknowledge_by')
      .orderBy('c.received_on', 'desc')
      .orderBy('c.id')
      .execute();
  }

  /**
   * What the reminders count: open complaints not yet acknowledged, with
   * their last day, and acknowledged ones with the day the complainant last
   * heard from us (the acknowledgement or the latest update sent). Dates and
   * ids only.
   */
  openClocks(organisationId: string) {
    return this.db
      .selectFrom('complaint as c')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('complaint_entry')
            .select(['complaint_id', sql<string>`max(sent_on)::text`.as('last_sent_on')])
            .where('kind', '=', 'progress-update')
            .where('organisation_id', '=', organisationId)
            .groupBy('complaint_id')
            .as('u'),
        (join) => join.onRef('u.complaint_id', '=', 'c.id'),
      )
      .select(['c.id', 'c.received_on', 'c.acknowledged_on', 'c.state', 'u.last_sent_on'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.state', '!=', 'closed')
      .execute();
  }

  /** The rows the counts of a period are made from (dates and codes only). */
  countRows(organisationId: string, from: string, to: string) {
    return this.db
      .selectFrom('complaint')
      .select(['received_on', 'acknowledge_by', 'acknowledged_on', 'closed_on', 'outcome'])
      .where('organisation_id', '=', organisationId)
      .where((eb) =>
        eb.or([
          eb.and([eb('received_on', '>=', from), eb('received_on', '<=', to)]),
          eb.and([eb('acknowledged_on', '>=', from), eb('acknowledged_on', '<=', to)]),
          eb.and([eb('closed_on', '>=', from), eb('closed_on', '<=', to)]),
        ]),
      )
      .execute();
  }
}
