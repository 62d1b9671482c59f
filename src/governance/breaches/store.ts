import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BreachTable, SubjectSource } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The breach register's SQL: no rules here, the service decides. */
export class BreachStore {
  constructor(private readonly db: Db) {}

  /**
   * The organisation's next breach number. Locks the organisation's row for
   * the rest of the transaction, so two reports at once get 1 and 2, not 1
   * and a unique-key failure.
   */
  async nextReference(organisationId: string): Promise<number> {
    await this.db
      .selectFrom('organisation')
      .select('id')
      .where('id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('breach')
      .select((eb) => eb.fn.max('reference').as('max'))
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }

  async insert(values: Insertable<BreachTable>): Promise<string> {
    const { id } = await this.db
      .insertInto('breach')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** One breach by id alone (the caller decides whether it may be seen), locked when it will change. */
  breach(id: string, options: { lock?: boolean } = {}) {
    const query = this.db.selectFrom('breach').selectAll().where('id', '=', id);
    return (options.lock ? query.forUpdate() : query).executeTakeFirst();
  }

  /** Changes a breach that is still open; false when it was closed meanwhile. */
  async update(id: string, values: Updateable<BreachTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('breach')
      .set(values)
      .where('id', '=', id)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The organisation's register, open breaches first, newest first. */
  register(organisationId: string) {
    return this.db
      .selectFrom('breach as b')
      .select((eb) => [
        'b.id',
        'b.reference',
        'b.aware_at',
        'b.risk',
        'b.ico_decision',
        'b.ico_decided_at',
        'b.subjects_decision',
        'b.closed_at',
        eb
          .selectFrom('breach_subject as s')
          .select((s) => s.fn.countAll<number>().as('n'))
          .whereRef('s.breach_id', '=', 'b.id')
          .as('subjects'),
      ])
      .where('b.organisation_id', '=', organisationId)
      .orderBy((eb) => eb.case().when('b.closed_at', 'is', null).then(0).else(1).end())
      .orderBy('b.reference', 'desc')
      .execute();
  }

  /** Breaches still waiting for the ICO decision, across every organisation (the reminders). */
  awaitingIcoDecision(organisationId?: string) {
    let query = this.db
      .selectFrom('breach')
      .select(['id', 'organisation_id', 'reference', 'aware_at'])
      .where('ico_decided_at', 'is', null)
      .where('closed_at', 'is', null);
    if (organisationId) query = query.where('organisation_id', '=', organisationId);
    return query.orderBy('aware_at').orderBy('id').execute();
  }

  subjects(breachId: string) {
    return this.db
      .selectFrom('breach_subject as s')
      .innerJoin('person as p', 'p.id', 's.person_id')
      .select([
        's.person_id',
        's.source',
        's.added_at',
        'p.given_name',
        'p.family_name',
        'p.date_of_birth',
        'p.date_of_birth_precision',
      ])
      .where('s.breach_id', '=', breachId)
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .orderBy('s.person_id')
      .execute();
  }

  /** Adds people as the breach's subjects; those already on it stay as they were. Returns the ones added. */
  async addSubjects(
    breach: { id: string; organisation_id: string },
    personIds: readonly string[],
    source: SubjectSource,
    addedBy: string,
  ): Promise<string[]> {
    if (personIds.length === 0) return [];
    const rows = await this.db
      .insertInto('breach_subject')
      .values(
        personIds.map((personId) => ({
          breach_id: breach.id,
          organisation_id: breach.organisation_id,
          person_id: personId,
          source,
          added_by: addedBy,
        })),
      )
      .onConflict((oc) => oc.columns(['breach_id', 'person_id']).doNothing())
      .returning('person_id')
      .execute();
    return rows.map((r) => r.person_id);
  }

  async removeSubject(breachId: string, personId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('breach_subject')
      .where('breach_id', '=', breachId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  actions(breachId: string) {
    return this.db
      .selectFrom('breach_action as a')
      .leftJoin('account as d', 'd.id', 'a.done_by')
      .select(['a.id', 'a.description', 'a.owner', 'a.created_at', 'a.done_at'])
      .select('d.display_name as done_by_name')
      .where('a.breach_id', '=', breachId)
      .orderBy('a.created_at')
      .orderBy('a.id')
      .execute();
  }

  async addAction(breachId: string, description: string, owner: string, createdBy: string) {
    const { id } = await this.db
      .insertInto('breach_action')
      .values({ breach_id: breachId, description, owner, created_by: createdBy })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async completeAction(breachId: string, actionId: string, doneBy: string, at: Date) {
    const result = await this.db
      .updateTable('breach_action')
      .set({ done_by: doneBy, done_at: at })
      .where('id', '=', actionId)
      .where('breach_id', '=', breachId)
      .where('done_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Display names of accounts, by id. */
  async accountNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('account')
      .select(['id', 'display_name'])
      .where('id', 'in', wanted)
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** Each subject's name and current postal address, for the letters. */
  async letterAddresses(breachId: string) {
    const people = await this.subjects(breachId);
    const ids = people.map((p) => p.person_id);
    const addresses = ids.length
      ? await this.db
          .selectFrom('person_address')
          .select(['person_id', 'line1', 'line2', 'town', 'postcode', 'from_date', 'created_at'])
          .where('person_id', 'in', ids)
          .where('to_date', 'is', null)
          .orderBy('from_date', 'desc')
          .orderBy('created_at', 'desc')
          .execute()
      : [];
    const current = new Map<string, (typeof addresses)[number]>();
    for (const address of addresses) {
      if (!current.has(address.person_id)) current.set(address.person_id, address);
    }
    return people.map((p) => ({ ...p, address: current.get(p.person_id) ?? null }));
  }

  async reminders(organisationId: string) {
    return this.db
      .selectFrom('breach_reminder as r')
      .innerJoin('breach as b', 'b.id', 'r.breach_id')
      .select(['r.breach_id', 'r.kind', 'r.created_at', 'b.reference', 'b.aware_at'])
      .where('r.organisation_id', '=', organisationId)
      .where('b.ico_decided_at', 'is', null)
      .where('b.closed_at', 'is', null)
      .orderBy('b.aware_at')
      .orderBy('r.kind')
      .execute();
  }
}
