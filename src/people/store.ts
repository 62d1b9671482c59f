import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { CalendarDate, Database } from '../db/schema.js';
import { personNotRestricted } from '../rights/restriction.js';
import type {
  BirthPrecision,
  ContactKind,
  Gender,
  IdentifierType,
  NameKind,
  OffenceDataKind,
  RelationshipType,
  SpecialCharacteristic,
} from './tables.js';

export interface PersonSummary {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
}

/**
 * Which people a staff member may find, as SQL over `person p`. Built by the
 * service from the one access function (platform/access/access.ts); the
 * store only applies it, so no query here can widen it.
 */
export interface Visibility {
  organisationId: string;
  /** Boolean SQL over a case_record row aliased `cr`: may the staff member search it? */
  searchableRecord: RawBuilder<boolean>;
  /**
   * People under a restriction of processing (UK GDPR Art 18) are left out
   * unless 'include' (rights discovery, which must be able to say they are
   * held): their data may only be stored.
   */
  restricted?: 'exclude' | 'include';
}

export interface SearchCriteria {
  name?: string;
  dateOfBirth?: CalendarDate;
  nhsNumber?: string;
  upn?: string;
}

export interface SearchHit extends PersonSummary {
  dateOfBirthPrecision: BirthPrecision | null;
  /** The name that matched, when it is not the current one (an alias, a previous name). */
  matchedName: { kind: NameKind; givenName: string; familyName: string } | null;
  score: number;
}

export interface PersonDetail extends PersonSummary {
  organisationId: string;
  dateOfBirthPrecision: BirthPrecision | null;
  dateOfDeath: string | null;
  gender: Gender | null;
  version: number;
  names: {
    id: string;
    kind: NameKind;
    givenName: string;
    familyName: string;
    fromDate: string | null;
    toDate: string | null;
  }[];
  addresses: {
    id: string;
    line1: string;
    line2: string | null;
    town: string | null;
    postcode: string | null;
    fromDate: string | null;
    toDate: string | null;
  }[];
  contacts: { id: string; kind: ContactKind; value: string }[];
  identifiers: { id: string; type: IdentifierType; value: string }[];
  relationships: {
    id: string;
    type: RelationshipType;
    description: string | null;
    relatedPersonId: string;
    relatedPersonName: string;
    direction: 'to' | 'from';
  }[];
}

export interface SensitiveData {
  specialCategory: {
    id: string;
    characteristic: SpecialCharacteristic;
    value: string;
    recordedOn: string | null;
  }[];
  offenceData: {
    id: string;
    kind: OffenceDataKind;
    description: string;
    occurredOn: string | null;
  }[];
}

/**
 * The condition that keeps hidden people hidden (issue 3, "a search never
 * reveals that a hidden record exists"): a person of the organisation, not
 * merged away, who is in no record at all (just created, say) or in at least
 * one record the staff member may search. Someone who appears only in
 * records they may not see is neither found nor counted.
 */
export function visiblePerson(v: Visibility, alias = 'p'): RawBuilder<boolean> {
  const p = sql.table(alias);
  return sql<boolean>`(${p}.organisation_id = ${v.organisationId}
    and ${p}.merged_into_id is null
    and (not exists (select 1 from record_party rp where rp.person_id = ${p}.id)
      or exists (select 1 from record_party rp join case_record cr on cr.id = rp.record_id
        where rp.person_id = ${p}.id and cr.organisation_id = ${v.organisationId}
          and ${v.searchableRecord}))
    and ${v.restricted === 'include' ? sql`true` : personNotRestricted(sql.ref(`${alias}.id`))})`;
}

/** Splits a typed name into lower-case words, dropping punctuation. */
export function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{M}'\- ]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** SQL for people. Every query is scoped to one organisation. */
export class PeopleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(v: Visibility, page: { limit: number; offset: number }) {
    const rows = await this.db
      .selectFrom('person as p')
      .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth'])
      .where(visiblePerson(v))
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .orderBy('p.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const { total } = await this.db
      .selectFrom('person as p')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where(visiblePerson(v))
      .executeTakeFirstOrThrow();
    return {
      total: Number(total),
      people: rows.map((r): PersonSummary => ({
        id: r.id,
        givenName: r.given_name,
        familyName: r.family_name,
        dateOfBirth: r.date_of_birth,
      })),
    };
  }

  /**
   * Finds people by name (tolerant of spelling: trigram similarity and
   * double metaphone), date of birth, NHS number or UPN; all given criteria
   * must hold. Only visible people are returned.
   */
  async search(v: Visibility, criteria: SearchCriteria, limit: number): Promise<SearchHit[]> {
    const conditions: RawBuilder<unknown>[] = [];
    for (const [type, value] of [
      ['nhs-number', criteria.nhsNumber],
      ['upn', criteria.upn],
    ] as const) {
      if (value === undefined) continue;
      conditions.push(sql`p.id in (select person_id from person_identifier
        where organisation_id = ${v.organisationId} and type = ${type} and value = ${value})`);
    }
    if (criteria.dateOfBirth !== undefined) conditions.push(birthMatches(criteria.dateOfBirth));

    const words = criteria.name ? nameWords(criteria.name) : [];
    if (words.length === 0 && conditions.length === 0) return [];
    const where = sql.join(
      [sql`p.organisation_id = ${v.organisationId}`, sql`p.merged_into_id is null`, ...conditions],
      sql` and `,
    );
    // Every candidate is ranked first, from its own columns only, and the
    // visibility rule is then checked in that order until `limit` people
    // pass (decision 0054). Checked before ranking, as it was, a date shared
    // by 2,683 people at county scale meant 2,683 visibility checks (7.5
    // records each) to show 25. OFFSET 0 keeps the ranked list a subquery of
    // its own: PostgreSQL neither merges it into the outer query nor pushes
    // the visibility rule down into it, and the outer ORDER BY is the
    // subquery's own order, so no second sort reads every candidate. The
    // rule is asked as a scalar subquery so that its NOT EXISTS is not made
    // an anti-join, whose output PostgreSQL would sort again.
    const ranked =
      words.length === 0
        ? sql`
          select p.id, p.organisation_id, p.merged_into_id, p.given_name, p.family_name,
            p.date_of_birth, p.date_of_birth_precision, null::text as name_kind,
            null::text as name_given, null::text as name_family, 1::real as score
          from person p
          where ${where}
          order by p.family_name, p.given_name, p.id
          offset 0`
        : sql`
          with matches as (${nameMatches(v.organisationId, words)}),
          best as (
            select distinct on (person_id) person_id, name_kind, name_given, name_family, score
            from matches order by person_id, score desc
          )
          select p.id, p.organisation_id, p.merged_into_id, p.given_name, p.family_name,
            p.date_of_birth, p.date_of_birth_precision, b.name_kind, b.name_given,
            b.name_family, b.score
          from best b join person p on p.id = b.person_id
          where ${where}
          order by b.score desc, p.family_name, p.given_name, p.id
          offset 0`;
    const { rows } = await sql<HitRow>`
      select c.id, c.given_name, c.family_name, c.date_of_birth, c.date_of_birth_precision,
        c.name_kind, c.name_given, c.name_family, c.score
      from (${ranked}) c
      where (select ${visiblePerson(v, 'c')})
      order by ${words.length === 0 ? sql`` : sql`c.score desc, `}c.family_name, c.given_name, c.id
      limit ${limit}`.execute(this.db);
    return rows.map(toHit);
  }

  /** Whether the person exists and is visible; the id of the organisation holding them. */
  async isVisible(v: Visibility, personId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('person as p')
      .select('p.id')
      .where('p.id', '=', personId)
      .where(visiblePerson(v))
      .executeTakeFirst();
    return row !== undefined;
  }

  async detail(v: Visibility, personId: string): Promise<PersonDetail | undefined> {
    const person = await this.db
      .selectFrom('person as p')
      .selectAll('p')
      .where('p.id', '=', personId)
      .where(visiblePerson(v))
      .executeTakeFirst();
    if (!person) return undefined;
    const [names, addresses, contacts, identifiers, relationships] = await Promise.all([
      this.db
        .selectFrom('person_name')
        .select(['id', 'kind', 'given_name', 'family_name', 'from_date', 'to_date'])
        .where('person_id', '=', personId)
        .orderBy(sql`case kind when 'current' then 0 when 'previous' then 1 else 2 end`)
        .orderBy('from_date')
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('person_address')
        .select(['id', 'line1', 'line2', 'town', 'postcode', 'from_date', 'to_date'])
        .where('person_id', '=', personId)
        .orderBy(sql`to_date desc nulls first`)
        .orderBy('from_date', 'desc')
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('person_contact')
        .select(['id', 'kind', 'value'])
        .where('person_id', '=', personId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      this.db
        .selectFrom('person_identifier')
        .select(['id', 'type', 'value'])
        .where('person_id', '=', personId)
        .orderBy('type')
        .execute(),
      // Only relationships with people the viewer may see themselves: a
      // relationship must not reveal a hidden person.
      sql<{
        id: string;
        type: RelationshipType;
        description: string | null;
        related_id: string;
        related_name: string;
        direction: 'to' | 'from';
      }>`
        select r.id, r.type, r.description, o.id as related_id,
          o.given_name || ' ' || o.family_name as related_name,
          case when r.person_id = ${personId} then 'to' else 'from' end as direction
        from person_relationship r
        join person o on o.id = case when r.person_id = ${personId}
          then r.related_person_id else r.person_id end
        where (r.person_id = ${personId} or r.related_person_id = ${personId})
          and ${visiblePerson(v, 'o')}
        order by r.type, o.family_name, o.given_name, r.id`
        .execute(this.db)
        .then((r) => r.rows),
    ]);
    return {
      id: person.id,
      organisationId: person.organisation_id,
      givenName: person.given_name,
      familyName: person.family_name,
      dateOfBirth: person.date_of_birth,
      dateOfBirthPrecision: person.date_of_birth_precision,
      dateOfDeath: person.date_of_death,
      gender: person.gender,
      version: person.version,
      names: names.map((n) => ({
        id: n.id,
        kind: n.kind,
        givenName: n.given_name,
        familyName: n.family_name,
        fromDate: n.from_date,
        toDate: n.to_date,
      })),
      addresses: addresses.map((a) => ({
        id: a.id,
        line1: a.line1,
        line2: a.line2,
        town: a.town,
        postcode: a.postcode,
        fromDate: a.from_date,
        toDate: a.to_date,
      })),
      contacts,
      identifiers,
      relationships: relationships.map((r) => ({
        id: r.id,
        type: r.type,
        description: r.description,
        relatedPersonId: r.related_id,
        relatedPersonName: r.related_name,
        direction: r.direction,
      })),
    };
  }

  async sensitive(personId: string): Promise<SensitiveData> {
    const [special, offence] = await Promise.all([
      this.db
        .selectFrom('person_special_category')
        .select(['id', 'characteristic', 'value', 'recorded_on'])
        .where('person_id', '=', personId)
        .orderBy('characteristic')
        .orderBy('created_at')
        .execute(),
      this.db
        .selectFrom('person_offence_data')
        .select(['id', 'kind', 'description', 'occurred_on'])
        .where('person_id', '=', personId)
        .orderBy('occurred_on')
        .orderBy('created_at')
        .execute(),
    ]);
    return {
      specialCategory: special.map((s) => ({
        id: s.id,
        characteristic: s.characteristic,
        value: s.value,
        recordedOn: s.recorded_on,
      })),
      offenceData: offence.map((o) => ({
        id: o.id,
        kind: o.kind,
        description: o.description,
        occurredOn: o.occurred_on,
      })),
    };
  }

  async create(input: {
    organisationId: string;
    givenName: string;
    familyName: string;
    dateOfBirth: CalendarDate | null;
    dateOfBirthPrecision: BirthPrecision | null;
    dateOfDeath: CalendarDate | null;
    gender: Gender | null;
  }): Promise<string> {
    const { id } = await this.db
      .insertInto('person')
      .values({
        organisation_id: input.organisationId,
        given_name: input.givenName,
        family_name: input.familyName,
        date_of_birth: input.dateOfBirth,
        date_of_birth_precision: input.dateOfBirth ? input.dateOfBirthPrecision : null,
        date_of_death: input.dateOfDeath,
        gender: input.gender,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('person_name')
      .values({
        person_id: id,
        organisation_id: input.organisationId,
        kind: 'current',
        given_name: input.givenName,
        family_name: input.familyName,
      })
      .execute();
    return id;
  }

  /**
   * Updates the core fields only if the person is still at `version`; returns
   * false (and changes nothing) when someone else has saved in between.
   */
  async update(
    personId: string,
    version: number,
    input: {
      givenName: string;
      familyName: string;
      dateOfBirth: CalendarDate | null;
      dateOfBirthPrecision: BirthPrecision | null;
      dateOfDeath: CalendarDate | null;
      gender: Gender | null;
    },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('person')
      .set((eb) => ({
        given_name: input.givenName,
        family_name: input.familyName,
        date_of_birth: input.dateOfBirth,
        date_of_birth_precision: input.dateOfBirth ? input.dateOfBirthPrecision : null,
        date_of_death: input.dateOfDeath,
        gender: input.gender,
        version: eb('version', '+', 1),
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', personId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.db
      .updateTable('person_name')
      .set({ given_name: input.givenName, family_name: input.familyName })
      .where('person_id', '=', personId)
      .where('kind', '=', 'current')
      .execute();
    return true;
  }

  /** Moves the version on for a change to a person's details held in other tables. */
  async touch(personId: string): Promise<void> {
    await this.db
      .updateTable('person')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
      .where('id', '=', personId)
      .execute();
  }

  async addName(
    personId: string,
    organisationId: string,
    name: {
      kind: Exclude<NameKind, 'current'>;
      givenName: string;
      familyName: string;
      fromDate: CalendarDate | null;
      toDate: CalendarDate | null;
    },
  ): Promise<string> {
    const { id } = await this.db
      .insertInto('person_name')
      .values({
        person_id: personId,
        organisation_id: organisationId,
        kind: name.kind,
        given_name: name.givenName,
        family_name: name.familyName,
        from_date: name.fromDate,
        to_date: name.toDate,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /**
   * Removes one of the person's identifiers (it was wrong), returning what
   * it was; undefined when the person has no such identifier.
   */
  async removeIdentifier(personId: string, identifierId: string) {
    return this.db
      .deleteFrom('person_identifier')
      .where('id', '=', identifierId)
      .where('person_id', '=', personId)
      .returning(['type', 'value'])
      .executeTakeFirst();
  }

  /** Removes one of the person's addresses (it was wrong), returning what it was. */
  async removeAddress(personId: string, addressId: string) {
    return this.db
      .deleteFrom('person_address')
      .where('id', '=', addressId)
      .where('person_id', '=', personId)
      .returning(['line1', 'line2', 'town', 'postcode', 'from_date', 'to_date'])
      .executeTakeFirst();
  }

  /** One of the person's addresses, locked for a change. */
  async address(personId: string, addressId: string) {
    return this.db
      .selectFrom('person_address')
      .select(['line1', 'line2', 'town', 'postcode', 'from_date', 'to_date'])
      .where('id', '=', addressId)
      .where('person_id', '=', personId)
      .forUpdate()
      .executeTakeFirst();
  }

  async setAddressEnd(addressId: string, toDate: CalendarDate): Promise<void> {
    await this.db
      .updateTable('person_address')
      .set({ to_date: toDate })
      .where('id', '=', addressId)
      .execute();
  }

  /** A change to what is held about the person, kept in their history at their current version. */
  async recordChange(change: {
    personId: string;
    field: string;
    from: string | null;
    to: string | null;
    changedBy: string;
  }): Promise<void> {
    await this.db
      .insertInto('person_change')
      .values((eb) => ({
        person_id: change.personId,
        version: eb.selectFrom('person').select('version').where('id', '=', change.personId),
        field: change.field,
        from_value: change.from,
        to_value: change.to,
        changed_by: change.changedBy,
      }))
      .execute();
  }

  async addAddress(
    personId: string,
    address: {
      line1: string;
      line2: string | null;
      town: string | null;
      postcode: string | null;
      fromDate: CalendarDate | null;
      toDate: CalendarDate | null;
    },
  ): Promise<string> {
    const { id } = await this.db
      .insertInto('person_address')
      .values({
        person_id: personId,
        line1: address.line1,
        line2: address.line2,
        town: address.town,
        postcode: address.postcode,
        from_date: address.fromDate,
        to_date: address.toDate,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async addContact(personId: string, kind: ContactKind, value: string): Promise<string> {
    const { id } = await this.db
      .insertInto('person_contact')
      .values({ person_id: personId, kind, value })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** The person already holding this identifier in the organisation, if any. */
  async identifierHolder(
    organisationId: string,
    type: IdentifierType,
    value: string,
  ): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('person_identifier')
      .select('person_id')
      .where('organisation_id', '=', organisationId)
      .where('type', '=', type)
      .where('value', '=', value)
      .executeTakeFirst();
    return row?.person_id;
  }

  async addIdentifier(
    personId: string,
    organisationId: string,
    type: IdentifierType,
    value: string,
  ): Promise<string> {
    const { id } = await this.db
      .insertInto('person_identifier')
      .values({ person_id: personId, organisation_id: organisationId, type, value })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async addSpecialCategory(
    personId: string,
    entry: {
      characteristic: SpecialCharacteristic;
      value: string;
      recordedOn: CalendarDate | null;
    },
  ): Promise<string> {
    const { id } = await this.db
      .insertInto('person_special_category')
      .values({
        person_id: personId,
        characteristic: entry.characteristic,
        value: entry.value,
        recorded_on: entry.recordedOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async addOffenceData(
    personId: string,
    entry: { kind: OffenceDataKind; description: string; occurredOn: CalendarDate | null },
  ): Promise<string> {
    const { id } = await this.db
      .insertInto('person_offence_data')
      .values({
        person_id: personId,
        kind: entry.kind,
        description: entry.description,
        occurred_on: entry.occurredOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async addRelationship(input: {
    organisationId: string;
    personId: string;
    relatedPersonId: string;
    type: RelationshipType;
    description: string | null;
  }): Promise<string> {
    const { id } = await this.db
      .insertInto('person_relationship')
      .values({
        organisation_id: input.organisationId,
        person_id: input.personId,
        related_person_id: input.relatedPersonId,
        type: input.type,
        description: input.description,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async identifierTypes(personId: string): Promise<{ type: IdentifierType; value: string }[]> {
    return this.db
      .selectFrom('person_identifier')
      .select(['type', 'value'])
      .where('person_id', '=', personId)
      .execute();
  }

  async lockPeople(ids: string[]): Promise<{ id: string; version: number }[]> {
    return this.db
      .selectFrom('person')
      .select(['id', 'version'])
      .where('id', 'in', ids)
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /**
   * Folds `mergedId` into `survivorId`: every row about the merged person
   * moves to the survivor, and each move is written down so that
   * `undoMerge` can put it back exactly. Rows that cannot move (the same
   * record role twice, a relationship between the two) are removed and kept
   * whole in the merge's items.
   */
  async merge(input: {
    organisationId: string;
    survivorId: string;
    mergedId: string;
    accountId: string;
  }): Promise<string> {
    const { survivorId, mergedId } = input;
    const { id: mergeId } = await this.db
      .insertInto('person_merge')
      .values({
        organisation_id: input.organisationId,
        survivor_id: survivorId,
        merged_id: mergedId,
        merged_by: input.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // The merged person's current name becomes one of the survivor's aliases;
    // the items are written first, so they hold each row's kind before.
    await sql`
      insert into person_merge_item (merge_id, table_name, action, row_key, detail)
      select ${mergeId}, 'person_name', 'moved', jsonb_build_object('id', id),
        jsonb_build_object('column', 'person_id', 'kind', kind)
      from person_name where person_id = ${mergedId}`.execute(this.db);
    await sql`
      update person_name set person_id = ${survivorId},
        kind = case kind when 'current' then 'alias' else kind end
      where person_id = ${mergedId}`.execute(this.db);

    for (const table of [
      'person_address',
      'person_contact',
      'person_identifier',
      'person_special_category',
      'person_offence_data',
      'person_consent',
    ] as const) {
      await sql`
        with moved as (
          update ${sql.table(table)} set person_id = ${survivorId}
          where person_id = ${mergedId} returning id
        )
        insert into person_merge_item (merge_id, table_name, action, row_key, detail)
        select ${mergeId}, ${table}, 'moved', jsonb_build_object('id', id),
          jsonb_build_object('column', 'person_id')
        from moved`.execute(this.db);
    }

    // A relationship between the two would relate the survivor to itself.
    await sql`
      with removed as (
        delete from person_relationship
        where (person_id = ${mergedId} and related_person_id = ${survivorId})
           or (person_id = ${survivorId} and related_person_id = ${mergedId})
        returning *
      )
      insert into person_merge_item (merge_id, table_name, action, row_key, detail)
      select ${mergeId}, 'person_relationship', 'removed', jsonb_build_object('id', id),
        to_jsonb(removed)
      from removed`.execute(this.db);
    for (const column of ['person_id', 'related_person_id'] as const) {
      await sql`
        with moved as (
          update person_relationship set ${sql.ref(column)} = ${survivorId}
          where ${sql.ref(column)} = ${mergedId} returning id
        )
        insert into person_merge_item (merge_id, table_name, action, row_key, detail)
        select ${mergeId}, 'person_relationship', 'moved', jsonb_build_object('id', id),
          jsonb_build_object('column', ${column}::text)
        from moved`.execute(this.db);
    }

    // Records the person is in (casework's record_party). A row the survivor
    // already has (same record, same role) would break its key: it is removed.
    await sql`
      with removed as (
        delete from record_party m
        where m.person_id = ${mergedId} and exists (
          select 1 from record_party s
          where s.person_id = ${survivorId} and s.record_id = m.record_id and s.role = m.role)
        returning m.*
      )
      insert into person_merge_item (merge_id, table_name, action, row_key, detail)
      select ${mergeId}, 'record_party', 'removed',
        jsonb_build_object('record_id', record_id, 'role', role), to_jsonb(removed)
      from removed`.execute(this.db);
    await sql`
      with moved as (
        update record_party set person_id = ${survivorId}
        where person_id = ${mergedId} returning record_id, role
      )
      insert into person_merge_item (merge_id, table_name, action, row_key, detail)
      select ${mergeId}, 'record_party', 'moved',
        jsonb_build_object('record_id', record_id, 'role', role),
        jsonb_build_object('column', 'person_id')
      from moved`.execute(this.db);

    await sql`update person set merged_into_id = ${survivorId}::uuid where id = ${mergedId}`.execute(
      this.db,
    );
    await this.db
      .updateTable('person')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
      .where('id', 'in', [survivorId, mergedId])
      .execute();
    return mergeId;
  }

  async findMerge(mergeId: string) {
    return this.db
      .selectFrom('person_merge')
      .selectAll()
      .where('id', '=', mergeId)
      .executeTakeFirst();
  }

  /** Merges of this person that are still in force, newest first. */
  async mergesInto(survivorId: string) {
    return this.db
      .selectFrom('person_merge as m')
      .innerJoin('person as p', 'p.id', 'm.merged_id')
      .select([
        'm.id',
        'm.merged_id',
        'm.merged_at',
        'p.given_name',
        'p.family_name',
        'p.date_of_birth',
      ])
      .where('m.survivor_id', '=', survivorId)
      .where('m.undone_at', 'is', null)
      .orderBy('m.merged_at', 'desc')
      .execute();
  }

  /** Puts back what `merge` changed, from its items, newest changes first. */
  async undoMerge(mergeId: string, accountId: string): Promise<void> {
    const merge = await this.db
      .selectFrom('person_merge')
      .selectAll()
      .where('id', '=', mergeId)
      .executeTakeFirstOrThrow();
    const { merged_id: mergedId, survivor_id: survivorId } = merge;
    const items = await this.db
      .selectFrom('person_merge_item')
      .select(['table_name', 'action', 'row_key', 'detail'])
      .where('merge_id', '=', mergeId)
      .execute();

    for (const item of items) {
      const key = item.row_key as Record<string, string>;
      const detail = item.detail as Record<string, string>;
      if (item.action !== 'moved') continue;
      if (item.table_name === 'record_party') {
        await sql`update record_party set person_id = ${mergedId}
          where record_id = ${key.record_id} and role = ${key.role} and person_id = ${survivorId}`.execute(
          this.db,
        );
      } else if (item.table_name === 'person_name') {
        await sql`update person_name set person_id = ${mergedId}, kind = ${detail.kind}
          where id = ${key.id}`.execute(this.db);
      } else {
        const column = detail.column === 'related_person_id' ? 'related_person_id' : 'person_id';
        await sql`update ${sql.table(tableOf(item.table_name))} set ${sql.ref(column)} = ${mergedId}
          where id = ${key.id}`.execute(this.db);
      }
    }
    for (const item of items) {
      if (item.action !== 'removed') continue;
      // The whole row was kept, whatever columns its table has, so it comes back as it was.
      const row = JSON.stringify(item.detail);
      if (item.table_name === 'record_party') {
        await sql`insert into record_party
          select * from jsonb_populate_record(null::record_party, ${row}::jsonb)`.execute(this.db);
      } else if (item.table_name === 'person_relationship') {
        await sql`insert into person_relationship
          select * from jsonb_populate_record(null::person_relationship, ${row}::jsonb)`.execute(
          this.db,
        );
      }
    }
    await this.db
      .updateTable('person')
      .set((eb) => ({
        merged_into_id: null,
        version: eb('version', '+', 1),
        updated_at: sql<Date>`now()`,
      }))
      .where('id', 'in', [survivorId, mergedId])
      .execute();
    await this.db
      .updateTable('person_merge')
      .set({ undone_at: new Date(), undone_by: accountId })
      .where('id', '=', mergeId)
      .execute();
  }
}

const movableTables = [
  'person_address',
  'person_contact',
  'person_identifier',
  'person_special_category',
  'person_offence_data',
  'person_consent',
  'person_relationship',
] as const;

/** Only a table this store wrote into a merge item may be named in SQL. */
function tableOf(name: string): (typeof movableTables)[number] {
  const found = movableTables.find((t) => t === name);
  if (!found) throw new Error(`unexpected table in a merge item: ${name}`);
  return found;
}

interface HitRow {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  date_of_birth_precision: BirthPrecision | null;
  name_kind: NameKind | null;
  name_given: string | null;
  name_family: string | null;
  score: number;
}

function toHit(r: HitRow): SearchHit {
  return {
    id: r.id,
    givenName: r.given_name,
    familyName: r.family_name,
    dateOfBirth: r.date_of_birth,
    dateOfBirthPrecision: r.date_of_birth_precision,
    matchedName:
      r.name_kind && r.name_kind !== 'current' && r.name_given !== null && r.name_family !== null
        ? { kind: r.name_kind, givenName: r.name_given, familyName: r.name_family }
        : null,
    score: Number(r.score),
  };
}

/**
 * A date of birth matches a person's to the precision it was recorded with:
 * the same day; for a month-only date (stored as the 1st) the same month;
 * for a year-only date (stored as 1 January) the same year; an estimated
 * date anywhere in the same year. Each branch is an equality or a short
 * range on person(organisation_id, date_of_birth), so the index answers it.
 */
function birthMatches(date: CalendarDate): RawBuilder<boolean> {
  const year = date.slice(0, 4);
  const monthStart = `${date.slice(0, 7)}-01`;
  return sql<boolean>`(p.date_of_birth = ${date}::date
    or (p.date_of_birth = ${monthStart}::date and p.date_of_birth_precision = 'month')
    or (p.date_of_birth = ${`${year}-01-01`}::date and p.date_of_birth_precision = 'year')
    or (p.date_of_birth between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date
      and p.date_of_birth_precision = 'estimated'))`;
}

/**
 * Names like the typed one, with a score. Each branch can use an index
 * (trigram GIN on the whole name and on the family name; b-tree on the
 * double-metaphone codes), so PostgreSQL combines them with a bitmap OR.
 * "Jon Smyth" finds "John Smith" by sound (JN, SM0) even though the
 * trigram similarity of the whole names is only 0.31.
 */
function nameMatches(organisationId: string, words: string[]): RawBuilder<unknown> {
  const whole = words.join(' ');
  if (words.length === 1) {
    const word = whole;
    return sql`
      select n.person_id, n.kind as name_kind, n.given_name as name_given,
        n.family_name as name_family,
        greatest(similarity(lower(n.family_name), ${word}), similarity(lower(n.given_name), ${word}))
          + case when n.family_metaphone = dmetaphone(${word}) then 0.3 else 0 end
          + case when n.given_metaphone = dmetaphone(${word}) then 0.2 else 0 end as score
      from person_name n
      where n.organisation_id = ${organisationId}
        and (lower(n.family_name) % ${word}
          or n.family_metaphone = dmetaphone(${word})
          or n.given_metaphone = dmetaphone(${word}))`;
  }
  const given = words[0] ?? '';
  const family = words[words.length - 1] ?? '';
  return sql`
    select n.person_id, n.kind as name_kind, n.given_name as name_given,
      n.family_name as name_family,
      similarity(n.search_text, ${whole})
        + case when n.family_metaphone = dmetaphone(${family}) then 0.3 else 0 end
        + case when n.given_metaphone = dmetaphone(${given}) then 0.2 else 0 end as score
    from person_name n
    where n.organisation_id = ${organisationId}
      and (n.search_text % ${whole}
        or (n.family_metaphone = dmetaphone(${family})
          and (n.given_metaphone = dmetaphone(${given})
            or similarity(lower(n.given_name), ${given}) >= 0.3
            or (length(${given}) = 1 and lower(n.given_name) like ${given} || '%')))
        or (lower(n.family_name) % ${family} and n.given_metaphone = dmetaphone(${given})))`;
}
