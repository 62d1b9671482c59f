import { recomputeRetentionForPerson } from '../casework/service.js';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import {
  canPeople,
  mayRectifyRestrictedPerson,
  searchableCategories,
  type PeopleAction,
} from '../platform/access/access.js';
import type { RectificationRequest } from '../casework/service.js';
import type { ReadSource } from '../db/read-replica.js';
import { recordAudit, type AuditEntry } from '../platform/audit/audit-log.js';
import type { StaffContext } from '../platform/auth/service.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { personRestrictionsForRectification, RESTRICTED_MESSAGE } from '../rights/restriction.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';
import { formatNhsNumber } from './identifiers.js';
import { scoreAgainstHeld } from './likely-by-score.js';
import type {
  CreatePerson,
  IdentifierInput,
  PersonFields,
  Search,
  UpdatePerson,
} from './schemas.js';
import {
  PeopleStore,
  type PersonDetail,
  type SearchHit,
  type SensitiveData,
  type Visibility,
} from './store.js';
import type {
  ContactKind,
  IdentifierType,
  NameKind,
  OffenceDataKind,
  RelationshipType,
  SpecialCharacteristic,
} from './tables.js';

export const PEOPLE_PAGE_SIZE = 25;
export const SEARCH_LIMIT = 25;
export const LIKELY_MATCH_LIMIT = 5;

/**
 * Where casework keeps a record's allocation (its worker and team), so that
 * 'team'-reach search (record-rules.ts) can be decided in SQL. `null` means
 * records carry no allocation yet: team-reach categories then find nobody
 * (deny by default). 'detect' looks for case_record.allocated_account_id and
 * allocated_team_id — the names access.ts's RecordScope uses — once.
 */
export type RecordAllocation = { accountColumn: string; teamColumn: string } | null | 'detect';

export interface PeopleServiceOptions {
  recordAllocation?: RecordAllocation;
  /** Where searches read (a replica when configured, db/read-replica.ts); the primary unless given. */
  reads?: ReadSource;
}

export const identifierLabels: Record<IdentifierType, string> = {
  'nhs-number': 'NHS number',
  upn: 'unique pupil number',
  'home-office-reference': 'Home Office reference',
  'port-reference': 'port reference',
};

export interface LikelyMatch extends SearchHit {
  reasons: string[];
  /** The matcher's chance that this is the person being added (likely-by-score.ts). */
  probability?: number;
}

/** Beside the search's likely matches, at most this many more found only by the matcher's score. */
export const SCORED_MATCH_LIMIT = 3;

export interface PersonView extends PersonDetail {
  merges: {
    id: string;
    mergedId: string;
    mergedAt: Date;
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
  }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * People held by an organisation: the rules, the transactions and the audit
 * trail. Every read and write of personal data is authorised by the access
 * function and audited in its own transaction; audit events carry ids only,
 * never a name, a search term or free text. A person the staff member may
 * not see is "not found", never "forbidden".
 *
 * Other capabilities call: `search`, `get`, `isVisible`, `create`,
 * `visibilityFor` (to hide people in their own queries).
 */
export class PeopleService {
  private allocation: Promise<{ accountColumn: string; teamColumn: string } | null> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: PeopleServiceOptions = {},
  ) {}

  // -------------------------------------------------------------------------
  // Access

  /**
   * The people a staff member may see for `action`, as SQL the store
   * applies. Throws "not found" when they may not work with people here.
   */
  async visibilityFor(staff: StaffContext, action: PeopleAction): Promise<Visibility> {
    const organisationId = staff.organisation?.id;
    if (!organisationId || !canPeople(staff, action, organisationId)) throw new NotFoundError();
    return { organisationId, searchableRecord: await this.searchableRecordSql(staff) };
  }

  /** Records the staff member may search, from searchableCategories, over `case_record cr`. */
  private async searchableRecordSql(staff: StaffContext): Promise<RawBuilder<boolean>> {
    const categories = searchableCategories(staff);
    const anywhere = categories.filter((c) => c.reach === 'any').map((c) => c.category);
    const allocated = categories.filter((c) => c.reach === 'team').map((c) => c.category);
    const parts: RawBuilder<unknown>[] = [];
    if (anywhere.length > 0) parts.push(sql`cr.category in (${sql.join(anywhere)})`);
    const allocation = allocated.length > 0 ? await this.recordAllocation() : null;
    if (allocation && allocated.length > 0) {
      const account = sql.ref(`cr.${allocation.accountColumn}`);
      const team = sql.ref(`cr.${allocation.teamColumn}`);
      const teamIds = staff.teams.map((t) => t.id);
      const mine =
        teamIds.length > 0
          ? sql`(${account} = ${staff.accountId} or ${team} in (${sql.join(teamIds)}))`
          : sql`${account} = ${staff.accountId}`;
      parts.push(sql`(cr.category in (${sql.join(allocated)}) and ${mine})`);
    }
    if (parts.length === 0) return sql<boolean>`false`;
    // A kept record (archived, inaccessible: decision 0020) is out of search
    // for everyone but information governance, and so are the people only
    // it holds.
    const kept = staff.roles.includes('information-governance')
      ? sql``
      : sql` and cr.record_state = 'active'`;
    return sql<boolean>`((${sql.join(parts, sql` or `)})${kept})`;
  }

  private recordAllocation() {
    const configured = this.options.recordAllocation ?? 'detect';
    if (configured !== 'detect') return Promise.resolve(configured);
    this.allocation ??= sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'case_record'
        and column_name in ('allocated_account_id', 'allocated_team_id')`
      .execute(this.db)
      .then(({ rows }) =>
        rows.length === 2
          ? { accountColumn: 'allocated_account_id', teamColumn: 'allocated_team_id' }
          : null,
      );
    return this.allocation;
  }

  /** Whether the staff member may see this person (no audit: it reveals nothing else). */
  async isVisible(staff: StaffContext, personId: string): Promise<boolean> {
    if (!UUID.test(personId)) return false;
    const organisationId = staff.organisation?.id;
    if (!organisationId || !canPeople(staff, 'person.read', organisationId)) return false;
    const v = await this.visibilityFor(staff, 'person.read');
    return new PeopleStore(this.db).isVisible(v, personId);
  }

  private async visiblePersonOrNotFound(
    trx: Transaction<Database>,
    v: Visibility,
    personId: string,
    rectification?: { staff: StaffContext; request: RectificationRequest },
  ): Promise<void> {
    if (!UUID.test(personId)) throw new NotFoundError();
    const store = new PeopleStore(trx);
    if (await store.isVisible(v, personId)) return;
    // Art 18(2): someone who could otherwise see the person learns only that
    // their data is restricted.
    if (await store.isVisible({ ...v, restricted: 'include' }, personId)) {
      // Except the correction an accuracy restriction waits for (access.ts).
      if (
        rectification &&
        mayRectifyRestrictedPerson(
          rectification.staff,
          { id: personId, organisationId: v.organisationId },
          {
            requestOrganisationId: rectification.request.organisationId,
            requestType: rectification.request.type,
            requestState: rectification.request.state,
            subjectPersonId: rectification.request.subjectPersonId,
            restrictions: await personRestrictionsForRectification(trx, personId),
          },
        )
      ) {
        return;
      }
      throw new ConflictError(RESTRICTED_MESSAGE);
    }
    throw new NotFoundError();
  }

  /** A restricted person whose details a rectification request may still correct (access.ts). */
  private async rectifiableRestricted(
    trx: Transaction<Database>,
    staff: StaffContext,
    v: Visibility,
    personId: string,
    request: RectificationRequest,
  ): Promise<boolean> {
    try {
      await this.visiblePersonOrNotFound(trx, v, personId, { staff, request });
      return true;
    } catch (error) {
      if (error instanceof ConflictError || error instanceof NotFoundError) return false;
      throw error;
    }
  }

  private audit(
    trx: Transaction<Database>,
    staff: StaffContext,
    entry: Omit<AuditEntry, 'actorAccountId' | 'organisationId'>,
  ) {
    return recordAudit(trx, {
      purpose: 'casework',
      objectType: 'person',
      ...entry,
      actorAccountId: staff.accountId,
      organisationId: staff.organisation?.id ?? null,
    });
  }

  // -------------------------------------------------------------------------
  // Reading

  async list(staff: StaffContext, pageNumber: number) {
    const v = await this.visibilityFor(staff, 'person.list');
    const page = Math.max(1, pageNumber);
    return this.db.transaction().execute(async (trx) => {
      const result = await new PeopleStore(trx).list(v, {
        limit: PEOPLE_PAGE_SIZE,
        offset: (page - 1) * PEOPLE_PAGE_SIZE,
      });
      // The read is recorded with exactly the people it showed.
      await this.audit(trx, staff, {
        action: 'person.list',
        objectIds: result.people.map((p) => p.id),
      });
      return { ...result, page, pageSize: PEOPLE_PAGE_SIZE };
    });
  }

  /**
   * Finds people by name (spelling variants too), date of birth, NHS number
   * or UPN, among those the staff member may see. The audit event lists the
   * people shown; the search terms are never recorded.
   */
  async search(staff: StaffContext, criteria: Search): Promise<SearchHit[]> {
    const v = await this.visibilityFor(staff, 'person.list');
    // Read where read-only work goes; the audit event is written on the primary.
    const hits = await new PeopleStore(this.options.reads?.db ?? this.db).search(
      v,
      criteria,
      SEARCH_LIMIT,
    );
    await this.db
      .transaction()
      .execute((trx) =>
        this.audit(trx, staff, { action: 'person.search', objectIds: hits.map((h) => h.id) }),
      );
    return hits;
  }

  /**
   * People who may be the one about to be created (issue 3: "the form shows
   * likely existing matches, to avoid duplicates"): the same identifier, or
   * a similar name — those with the same date of birth first, and none whose
   * known date of birth is more than a year away.
   */
  async likelyMatches(
    staff: StaffContext,
    input: Pick<CreatePerson, 'givenName' | 'familyName' | 'dateOfBirth' | 'nhsNumber' | 'upn'>,
  ): Promise<LikelyMatch[]> {
    const v = await this.visibilityFor(staff, 'person.list');
    return this.db.transaction().execute(async (trx) => {
      const store = new PeopleStore(trx);
      const found = new Map<string, LikelyMatch>();
      for (const [key, label] of [
        ['nhsNumber', 'Same NHS number'],
        ['upn', 'Same unique pupil number'],
      ] as const) {
        const value = input[key];
        if (!value) continue;
        for (const hit of await store.search(v, { [key]: value }, LIKELY_MATCH_LIMIT)) {
          const match = found.get(hit.id) ?? { ...hit, score: 10, reasons: [] };
          match.reasons.push(label);
          found.set(hit.id, match);
        }
      }
      const byName = await store.search(
        v,
        { name: `${input.givenName} ${input.familyName}` },
        LIKELY_MATCH_LIMIT * 4,
      );
      for (const hit of byName) {
        const sameBirth = input.dateOfBirth !== null && hit.dateOfBirth === input.dateOfBirth;
        if (input.dateOfBirth && hit.dateOfBirth && !sameBirth) {
          const apart = Math.abs(Date.parse(input.dateOfBirth) - Date.parse(hit.dateOfBirth));
          if (apart > 366 * 86_400_000) continue;
        }
        const match = found.get(hit.id) ?? { ...hit, score: 0, reasons: [] };
        match.score += hit.score + (sameBirth ? 1 : 0);
        match.reasons.push(
          hit.matchedName ? `Similar ${hit.matchedName.kind} name` : 'Similar name',
        );
        if (sameBirth) match.reasons.push('Same date of birth');
        found.set(hit.id, match);
      }
      const matches = [...found.values()]
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .slice(0, LIKELY_MATCH_LIMIT);
      // The same scores as imports and the duplicate job: a chance for each
      // match, and those the search's rules missed (a changed surname, a
      // birthday typed day-first) added after them.
      const organisation = staff.organisation;
      if (organisation) {
        let added = 0;
        for (const scored of await scoreAgainstHeld(trx, organisation, input)) {
          const known = matches.find((m) => m.id === scored.id);
          if (known) {
            known.probability = scored.probability;
            continue;
          }
          if (added >= SCORED_MATCH_LIMIT || !(await store.isVisible(v, scored.id))) continue;
          const detail = await store.detail(v, scored.id);
          if (!detail) continue;
          added += 1;
          matches.push({
            id: detail.id,
            givenName: detail.givenName,
            familyName: detail.familyName,
            dateOfBirth: detail.dateOfBirth,
            dateOfBirthPrecision: detail.dateOfBirthPrecision,
            matchedName: null,
            score: 0,
            reasons: scored.why,
            probability: scored.probability,
          });
        }
      }
      await this.audit(trx, staff, {
        action: 'person.duplicate-check',
        objectIds: matches.map((m) => m.id),
      });
      return matches;
    });
  }

  /** A person's details (not their special category or offence data), audited as a read. */
  async get(
    staff: StaffContext,
    personId: string,
    /** A rectification request of the person (src/rights), to correct what is held. */
    rectification?: RectificationRequest,
  ): Promise<PersonView> {
    const v = await this.visibilityFor(staff, 'person.read');
    if (!UUID.test(personId)) throw new NotFoundError();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const store = new PeopleStore(trx);
      const person =
        (await store.detail(v, personId)) ??
        (rectification && (await this.rectifiableRestricted(trx, staff, v, personId, rectification))
          ? await store.detail({ ...v, restricted: 'include' }, personId)
          : undefined);
      if (!person) {
        // Refused (another organisation's, merged away) and missing people
        // are audited alike, as a denied attempt on the id as given, as
        // denied record reads are: the same work, so neither the answer nor
        // its timing tells them apart (docs/decisions/0014-refusals-answer-as-not-found.md).
        const restricted = await store.isVisible({ ...v, restricted: 'include' }, personId);
        await this.audit(trx, staff, {
          action: 'person.read',
          objectIds: [personId],
          outcome: 'denied',
        });
        return restricted ? { restricted: true as const } : { notFound: true as const };
      }
      const merges = await store.mergesInto(personId);
      await this.audit(trx, staff, { action: 'person.read', objectIds: [personId] });
      return {
        ...person,
        merges: merges.map((m) => ({
          id: m.id,
          mergedId: m.merged_id,
          mergedAt: m.merged_at,
          givenName: m.given_name,
          familyName: m.family_name,
          dateOfBirth: m.date_of_birth,
        })),
      };
    });
    // Thrown after the transaction, so the denial's audit event is kept.
    if ('restricted' in outcome) throw new ConflictError(RESTRICTED_MESSAGE);
    if ('notFound' in outcome) throw new NotFoundError();
    return outcome;
  }

  /**
   * Special category (Art 9) and criminal offence (Art 10) data: read on its
   * own page, with its own audit action, so governance can see who opened it.
   */
  async sensitive(staff: StaffContext, personId: string): Promise<SensitiveData> {
    const v = await this.visibilityFor(staff, 'person.read');
    return this.db.transaction().execute(async (trx) => {
      await this.visiblePersonOrNotFound(trx, v, personId);
      const data = await new PeopleStore(trx).sensitive(personId);
      await this.audit(trx, staff, { action: 'person.sensitive.read', objectIds: [personId] });
      return data;
    });
  }

  // -------------------------------------------------------------------------
  // Writing

  async create(staff: StaffContext, input: CreatePerson): Promise<string> {
    const v = await this.visibilityFor(staff, 'person.write');
    return this.db.transaction().execute(async (trx) => {
      const store = new PeopleStore(trx);
      const id = await store.create({ organisationId: v.organisationId, ...fieldsOf(input) });
      const identifiers: IdentifierInput[] = [];
      if (input.nhsNumber) identifiers.push({ type: 'nhs-number', value: input.nhsNumber });
      if (input.upn) identifiers.push({ type: 'upn', value: input.upn });
      for (const identifier of identifiers) {
        await this.insertIdentifier(store, v.organisationId, id, identifier, identifierField);
      }
      await this.audit(trx, staff, { action: 'person.create', objectIds: [id] });
      return id;
    });
  }

  /**
   * Saves the core details if nobody else has since `input.version`;
   * otherwise refuses with a ConflictError and changes nothing.
   */
  async update(
    staff: StaffContext,
    personId: string,
    input: UpdatePerson,
    /** A rectification request of the person (src/rights) the change is made for. */
    rectification?: RectificationRequest,
  ): Promise<number> {
    const v = await this.visibilityFor(staff, 'person.write');
    return this.db.transaction().execute(async (trx) => {
      await this.visiblePersonOrNotFound(
        trx,
        v,
        personId,
        rectification && { staff, request: rectification },
      );
      const store = new PeopleStore(trx);
      const before = await trx
        .selectFrom('person')
        .select([
          'given_name',
          'family_name',
          'date_of_birth',
          'date_of_birth_precision',
          'date_of_death',
          'gender',
        ])
        .where('id', '=', personId)
        .executeTakeFirstOrThrow();
      const fields = fieldsOf(input);
      if (!(await store.update(personId, input.version, fields))) {
        throw new ConflictError(
          'Someone else changed this person’s details after you opened them, so your changes ' +
            'have not been saved. Reload the page to see the latest details, then make your changes again.',
        );
      }
      // Each changed fact keeps its history: from, to, who, when.
      const after: Record<keyof typeof before, string | null> = {
        given_name: fields.givenName,
        family_name: fields.familyName,
        date_of_birth: fields.dateOfBirth,
        date_of_birth_precision: fields.dateOfBirthPrecision,
        date_of_death: fields.dateOfDeath,
        gender: fields.gender,
      };
      const changes = (Object.keys(after) as (keyof typeof before)[])
        .filter((field) => (before[field] ?? null) !== after[field])
        .map((field) => ({
          person_id: personId,
          version: input.version + 1,
          field,
          from_value: before[field] ?? null,
          to_value: after[field],
          changed_by: staff.accountId,
        }));
      if (changes.length > 0) await trx.insertInto('person_change').values(changes).execute();
      // A corrected date of birth or death moves every due date that depends
      // on it, in this same transaction (design.md principle 4).
      await recomputeRetentionForPerson(trx, personId);
      await this.audit(trx, staff, { action: 'person.update', objectIds: [personId] });
      return input.version + 1;
    });
  }

  private async write<T>(
    staff: StaffContext,
    personId: string,
    action: string,
    work: (store: PeopleStore, v: Visibility) => Promise<T>,
    objectIds: (result: T) => string[] = () => [],
    rectification?: RectificationRequest,
  ): Promise<T> {
    const v = await this.visibilityFor(staff, 'person.write');
    return this.db.transaction().execute(async (trx) => {
      await this.visiblePersonOrNotFound(
        trx,
        v,
        personId,
        rectification && { staff, request: rectification },
      );
      const result = await work(new PeopleStore(trx), v);
      await this.audit(trx, staff, { action, objectIds: [personId, ...objectIds(result)] });
      return result;
    });
  }

  addName(
    staff: StaffContext,
    personId: string,
    name: {
      kind: Exclude<NameKind, 'current'>;
      givenName: string;
      familyName: string;
      fromDate: string | null;
      toDate: string | null;
    },
  ): Promise<string> {
    return this.write(
      staff,
      personId,
      'person.name.add',
      (store, v) => store.addName(personId, v.organisationId, name),
      (id) => [id],
    );
  }

  addAddress(
    staff: StaffContext,
    personId: string,
    address: Parameters<PeopleStore['addAddress']>[1],
    rectification?: RectificationRequest,
  ): Promise<string> {
    return this.write(
      staff,
      personId,
      'person.address.add',
      (store) => store.addAddress(personId, address),
      (id) => [id],
      rectification,
    );
  }

  /**
   * Removes a wrong identifier. What it was stays in the person's history
   * (person_change: from, to, who, when), so the correction can be seen and
   * explained; the number itself is then free for the person it belongs to.
   */
  removeIdentifier(
    staff: StaffContext,
    personId: string,
    identifierId: string,
    rectification?: RectificationRequest,
  ): Promise<void> {
    return this.write(
      staff,
      personId,
      'person.identifier.remove',
      async (store) => {
        const removed = UUID.test(identifierId)
          ? await store.removeIdentifier(personId, identifierId)
          : undefined;
        if (!removed) throw new NotFoundError('That identifier is not recorded for this person');
        await store.recordChange({
          personId,
          field: `identifier.${removed.type}`,
          from: removed.value,
          to: null,
          changedBy: staff.accountId,
        });
      },
      () => [identifierId],
      rectification,
    );
  }

  /** Removes an address that was wrong (never theirs); what it was stays in the history. */
  removeAddress(
    staff: StaffContext,
    personId: string,
    addressId: string,
    rectification?: RectificationRequest,
  ): Promise<void> {
    return this.write(
      staff,
      personId,
      'person.address.remove',
      async (store) => {
        const removed = UUID.test(addressId)
          ? await store.removeAddress(personId, addressId)
          : undefined;
        if (!removed) throw new NotFoundError('That address is not recorded for this person');
        await store.recordChange({
          personId,
          field: 'address',
          from: addressHistory(removed),
          to: null,
          changedBy: staff.accountId,
        });
      },
      () => [addressId],
      rectification,
    );
  }

  /**
   * Ends an address on the date the person moved out (or corrects that
   * date): the address stays, as one they had; the change is in the history.
   */
  endAddress(
    staff: StaffContext,
    personId: string,
    addressId: string,
    toDate: string,
    rectification?: RectificationRequest,
  ): Promise<void> {
    return this.write(
      staff,
      personId,
      'person.address.end',
      async (store) => {
        if (!z.iso.date().safeParse(toDate).success) {
          throw new ValidationError([{ field: 'toDate', message: 'Enter a real date moved out' }]);
        }
        const address = UUID.test(addressId) ? await store.address(personId, addressId) : undefined;
        if (!address) throw new NotFoundError('That address is not recorded for this person');
        if (address.from_date && toDate < address.from_date) {
          throw new ValidationError([
            {
              field: 'toDate',
              message: 'The date moved out must be on or after the date moved in',
            },
          ]);
        }
        if (address.to_date === toDate) return;
        await store.setAddressEnd(addressId, toDate);
        await store.recordChange({
          personId,
          field: `address.to_date (${addressHistory({ ...address, from_date: null, to_date: null })})`,
          from: address.to_date,
          to: toDate,
          changedBy: staff.accountId,
        });
      },
      () => [addressId],
      rectification,
    );
  }

  addContact(
    staff: StaffContext,
    personId: string,
    contact: { kind: ContactKind; value: string },
  ): Promise<string> {
    return this.write(
      staff,
      personId,
      'person.contact.add',
      (store) => store.addContact(personId, contact.kind, contact.value),
      (id) => [id],
    );
  }

  /** Adds a validated identifier; one already held in the organisation is refused. */
  addIdentifier(
    staff: StaffContext,
    personId: string,
    input: IdentifierInput,
    rectification?: RectificationRequest,
  ): Promise<string> {
    return this.write(
      staff,
      personId,
      'person.identifier.add',
      (store, v) => this.insertIdentifier(store, v.organisationId, personId, input, () => 'value'),
      (id) => [id],
      rectification,
    );
  }

  private async insertIdentifier(
    store: PeopleStore,
    organisationId: string,
    personId: string,
    input: IdentifierInput,
    field: (type: IdentifierType) => string,
  ): Promise<string> {
    const holder = await store.identifierHolder(organisationId, input.type, input.value);
    if (holder !== undefined) {
      // Identifiers are unique per organisation. Saying so reveals that some
      // entry holds it, never who: search for it, or ask governance.
      const shown = input.type === 'nhs-number' ? formatNhsNumber(input.value) : input.value;
      throw new ValidationError([
        {
          field: field(input.type),
          message:
            holder === personId
              ? `This person already has ${identifierLabels[input.type]} ${shown}`
              : `${identifierLabels[input.type]} ${shown} is already recorded for another person ` +
                'here. Search for it; if you cannot find them, ask information governance',
        },
      ]);
    }
    return store.addIdentifier(personId, organisationId, input.type, input.value);
  }

  async addRelationship(
    staff: StaffContext,
    personId: string,
    input: { relatedPersonId: string; type: RelationshipType; description: string | null },
  ): Promise<string> {
    return this.write(
      staff,
      personId,
      'person.relationship.add',
      async (store, v) => {
        if (input.relatedPersonId === personId) {
          throw new ValidationError([
            { field: 'relatedPersonId', message: 'A person cannot be related to themselves' },
          ]);
        }
        // The related person must be one the staff member may see too.
        if (!(await store.isVisible(v, input.relatedPersonId))) {
          throw new ValidationError([
            { field: 'relatedPersonId', message: 'Choose a person you can find in a search' },
          ]);
        }
        return store.addRelationship({ organisationId: v.organisationId, personId, ...input });
      },
      (id) => [id, input.relatedPersonId],
    );
  }

  async addSpecialCategory(
    staff: StaffContext,
    personId: string,
    entry: { characteristic: SpecialCharacteristic; value: string; recordedOn: string | null },
  ): Promise<string> {
    refuseOutsideNotice(staff, 'characteristic', entry.characteristic);
    return this.write(
      staff,
      personId,
      'person.special-category.add',
      (store) => store.addSpecialCategory(personId, entry),
      (id) => [id],
    );
  }

  async addOffenceData(
    staff: StaffContext,
    personId: string,
    entry: { kind: OffenceDataKind; description: string; occurredOn: string | null },
  ): Promise<string> {
    refuseOutsideNotice(staff, 'kind', entry.kind);
    return this.write(
      staff,
      personId,
      'person.offence-data.add',
      (store) => store.addOffenceData(personId, entry),
      (id) => [id],
    );
  }

  // -------------------------------------------------------------------------
  // Merging

  /**
   * Folds `duplicateId` into `survivorId` (both must be visible and
   * writable). Two entries with different NHS numbers or UPNs are not the
   * same person, so that merge is refused. Returns the merge's id, which
   * `undoMerge` takes.
   */
  async merge(staff: StaffContext, survivorId: string, duplicateId: string): Promise<string> {
    const v = await this.visibilityFor(staff, 'person.write');
    if (survivorId === duplicateId) {
      throw new ValidationError([
        {
          field: 'duplicateId',
          message: 'Choose a different person: an entry cannot merge into itself',
        },
      ]);
    }
    return this.db.transaction().execute(async (trx) => {
      await this.visiblePersonOrNotFound(trx, v, survivorId);
      await this.visiblePersonOrNotFound(trx, v, duplicateId);
      const store = new PeopleStore(trx);
      await store.lockPeople([survivorId, duplicateId]);
      const [kept, folded] = await Promise.all([
        store.identifierTypes(survivorId),
        store.identifierTypes(duplicateId),
      ]);
      for (const type of ['nhs-number', 'upn'] as const) {
        const a = kept.find((i) => i.type === type);
        const b = folded.find((i) => i.type === type);
        if (a && b && a.value !== b.value) {
          throw new ConflictError(
            `These entries have different ${identifierLabels[type]}s, so they are not the same ` +
              'person. Correct the wrong one before merging.',
          );
        }
      }
      const mergeId = await store.merge({
        organisationId: v.organisationId,
        survivorId,
        mergedId: duplicateId,
        accountId: staff.accountId,
      });
      // The survivor is now the subject of the duplicate's records too.
      await recomputeRetentionForPerson(trx, survivorId);
      await this.audit(trx, staff, {
        action: 'person.merge',
        objectIds: [survivorId, duplicateId, mergeId],
      });
      return mergeId;
    });
  }

  /** Undoes a merge exactly, from what it wrote down. Returns the person restored. */
  async undoMerge(
    staff: StaffContext,
    mergeId: string,
  ): Promise<{ survivorId: string; restoredId: string }> {
    const v = await this.visibilityFor(staff, 'person.write');
    if (!UUID.test(mergeId)) throw new NotFoundError();
    return this.db.transaction().execute(async (trx) => {
      const store = new PeopleStore(trx);
      const merge = await store.findMerge(mergeId);
      if (!merge || merge.organisation_id !== v.organisationId) throw new NotFoundError();
      await this.visiblePersonOrNotFound(trx, v, merge.survivor_id);
      await store.lockPeople([merge.survivor_id, merge.merged_id]);
      if (merge.undone_at) {
        throw new ConflictError('This merge has already been undone.');
      }
      await store.undoMerge(mergeId, staff.accountId);
      await recomputeRetentionForPerson(trx, merge.survivor_id);
      await recomputeRetentionForPerson(trx, merge.merged_id);
      await this.audit(trx, staff, {
        action: 'person.merge.undo',
        objectIds: [merge.survivor_id, merge.merged_id, mergeId],
      });
      return { survivorId: merge.survivor_id, restoredId: merge.merged_id };
    });
  }
}

function fieldsOf(input: PersonFields) {
  return {
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    dateOfBirthPrecision: input.dateOfBirth ? (input.dateOfBirthPrecision ?? 'exact') : null,
    dateOfDeath: input.dateOfDeath,
    gender: input.gender,
  };
}

/** An address as the history keeps it: its lines and when it applied. */
function addressHistory(a: {
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string | null;
  from_date: string | null;
  to_date: string | null;
}): string {
  const lines = [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', ');
  if (!a.from_date && !a.to_date) return lines;
  return `${lines} (${a.from_date ?? 'not known'} to ${a.to_date ?? 'now'})`;
}

function identifierField(type: IdentifierType): string {
  return type === 'nhs-number' ? 'nhsNumber' : type === 'upn' ? 'upn' : 'value';
}

/**
 * Special category and criminal offence data only of the kinds the
 * organisation's notice says it holds (policy `personSensitiveData`,
 * decision record 0013): anything else is refused before it is written.
 */
function refuseOutsideNotice(
  staff: StaffContext,
  field: 'characteristic' | 'kind',
  value: SpecialCharacteristic | OffenceDataKind,
): void {
  const slug = staff.organisation?.slug;
  if (!slug || !isOrganisationSlug(slug)) return; // the write's own access check refuses
  const policy = policyFor(slug);
  const allowed: readonly string[] =
    field === 'characteristic'
      ? policy.personSensitiveData.specialCategory
      : policy.personSensitiveData.offenceData;
  if (allowed.includes(value)) return;
  const what =
    field === 'characteristic'
      ? 'this special category information'
      : 'this criminal offence information';
  throw new ValidationError([
    {
      field,
      message:
        allowed.length === 0
          ? `${policy.name}’s privacy notice does not say it holds ${field === 'kind' ? 'criminal offence information' : 'special category information'}, so it cannot be recorded here`
          : `${policy.name}’s privacy notice does not cover ${what}. Choose one it covers`,
    },
  ]);
}
