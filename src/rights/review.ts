/**
 * Subject access, after intake (issue 5): discovery (finding the person
 * across everything the organisation holds, with why each candidate
 * matched, for a human to confirm), review (a decision on every item, with
 * spans of text redacted on a legal ground whose who-may-claim rule holds)
 * and the bundle (bundle.ts).
 *
 * Reads go through the one access function (decideRecord) per record, and
 * are audited with purpose "rights-request" and ids only; the search terms
 * are kept on the request's discovery run, never in the audit log.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { detailEvents, humanise } from '../casework/categories.js';
import { allowedDocumentTypes } from '../casework/schemas.js';
import { CaseworkStore } from '../casework/store.js';
import { formatDate } from '../platform/http/views.js';
import type { Database } from '../db/schema.js';
import { PeopleService } from '../people/service.js';
import { PeopleStore, type SearchHit, type Visibility } from '../people/store.js';
import { validateNhsNumber, validateUpn } from '../people/identifiers.js';
import {
  canRights,
  decideRecord,
  type RecordState,
  type RightsAction,
} from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { findCategory, isCategorySlug, isOrganisationSlug } from '../policy/index.js';
import { checkGround, groundsFor, type Ground } from './exemptions.js';
import { openStates } from './machine.js';
import { restrictedPersonIds, restrictedRecordIds } from './restriction.js';
import {
  checkSpan,
  findPhrase,
  redactedText,
  suggestSpans,
  type KnownPerson,
  type Suggestion,
} from './redaction.js';
import type {
  DiscoverySource,
  ReviewDecision,
  RightsRedactionTable,
  RightsRequestTable,
  RightsReviewItemTable,
  ThirdPartyKind,
} from './tables.js';

const PURPOSE = 'rights-request';
const CANDIDATE_LIMIT = 25;
const MENTION_LIMIT = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** While these hold, the review may be changed; from "review" on it is frozen for approval. */
const editableStates: readonly RightsRequestTable['state'][] = ['in-progress', 'extended'];

export interface DiscoveryCriteria {
  names: string[];
  dateOfBirth: string | null;
  nhsNumbers: string[];
  upns: string[];
  /** Identifiers given that are not valid, and so were not searched for. */
  notSearched: string[];
}

export interface Candidate {
  personId: string;
  name: string;
  dateOfBirth: string | null;
  reasons: string[];
  score: number;
  records: { recordId: string; category: string; categoryName: string; role: string }[];
  /**
   * Processing of the person's data is restricted (Art 18): they are listed
   * so the request is not answered "nothing held", but their records are not.
   */
  restricted?: boolean;
}

export interface Mention {
  recordId: string;
  noteId: string;
  categoryName: string;
  occurredOn: string;
  reason: string;
}

export interface PartnershipMatch {
  source: 'training-booking' | 'newsletter-subscriber';
  id: string;
  name: string;
  reasons: string[];
}

export interface DiscoveryResult {
  runAt: Date;
  runBy: string;
  sources: DiscoverySource[];
  criteria: DiscoveryCriteria;
  candidates: Candidate[];
  mentions: Mention[];
  partnership: PartnershipMatch[];
  notes: string[];
}

export type ItemRow = Selectable<RightsReviewItemTable>;
export type RedactionRow = Selectable<RightsRedactionTable>;

export interface ReviewItem extends ItemRow {
  category: string | null;
  /** Its record is restricted for this request (Art 18): shown without its text, left out of the bundle. */
  restricted: boolean;
  redactions: RedactionRow[];
  suggestions: Suggestion[];
  preview: string;
}

export interface RedactionInput {
  /** Either offsets … */
  start?: number | undefined;
  end?: number | undefined;
  /** … or the words to redact (their first occurrence, or the nth). */
  phrase?: string | undefined;
  occurrence?: number | undefined;
  ground: string;
  thirdParty?: ThirdPartyKind | undefined;
  note?: string | undefined;
}

export interface NcndInput {
  ground: string;
  reason: string;
}

export interface DecisionInput {
  decision: ReviewDecision;
  ground?: string | undefined;
  reason?: string | undefined;
}

function categoryNameOf(organisation: string, category: string): string {
  if (!isOrganisationSlug(organisation) || !isCategorySlug(category)) return humanise(category);
  return findCategory(organisation, category)?.name ?? humanise(category);
}

/** The names to search for: as given, then each other name (comma or semicolon separated). */
export function criteriaOf(
  request: Pick<
    Selectable<RightsRequestTable>,
    | 'subject_given_name'
    | 'subject_family_name'
    | 'subject_other_names'
    | 'subject_date_of_birth'
    | 'subject_identifiers'
  >,
): DiscoveryCriteria {
  const names = [`${request.subject_given_name} ${request.subject_family_name}`.trim()];
  for (const other of (request.subject_other_names ?? '').split(/[,;\n]/)) {
    const name = other.trim();
    if (!name) continue;
    // A single word is taken as another first name with the same family name.
    names.push(name.includes(' ') ? name : `${name} ${request.subject_family_name}`);
  }
  const criteria: DiscoveryCriteria = {
    names: [...new Set(names)],
    dateOfBirth: request.subject_date_of_birth,
    nhsNumbers: [],
    upns: [],
    notSearched: [],
  };
  for (const identifier of request.subject_identifiers) {
    if (identifier.type === 'nhs-number') {
      const valid = validateNhsNumber(identifier.value);
      if (valid.ok) criteria.nhsNumbers.push(valid.value);
      else criteria.notSearched.push(`NHS number ${identifier.value}: ${valid.reason}`);
    } else if (identifier.type === 'upn') {
      const valid = validateUpn(identifier.value);
      if (valid.ok) criteria.upns.push(valid.value);
      else criteria.notSearched.push(`UPN ${identifier.value}: ${valid.reason}`);
    } else {
      criteria.notSearched.push(`Other identifier ${identifier.value}: no such identifier is held`);
    }
  }
  return criteria;
}

const hitName = (hit: SearchHit) => `${hit.givenName} ${hit.familyName}`;

export class RightsReview {
  private readonly people: PeopleService;

  constructor(private readonly db: Kysely<Database>) {
    this.people = new PeopleService(db);
  }

  private organisationOf(staff: StaffContext, action: RightsAction) {
    if (!canRights(staff, action) || !staff.organisation) throw new NotFoundError();
    return staff.organisation;
  }

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
    return row;
  }

  private async event(
    trx: Transaction<Database>,
    staff: StaffContext,
    requestId: string,
    kind: string,
    objectIds: readonly string[] = [],
    note: string | null = null,
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

  /** People visible for discovery; information governance sees every record of the organisation. */
  private async visibility(staff: StaffContext): Promise<Visibility> {
    try {
      const v = await this.people.visibilityFor(staff, 'person.list');
      return { ...v, restricted: 'include' };
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new ConflictError(
          'Discovery searches people and their records: it needs the information governance role',
        );
      }
      throw error;
    }
  }

  // -------------------------------------------------------------------------
  // Discovery

  /**
   * Searches everything the organisation holds for the request's subject
   * and stores the run (sources, criteria, candidates with reasons).
   */
  async discover(staff: StaffContext, requestId: string): Promise<DiscoveryResult> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    const v = await this.visibility(staff);
    return this.db.transaction().execute(async (trx) => {
      const request = await this.request(trx, organisation.id, requestId, true);
      if (!openStates.includes(request.state)) {
        throw new ConflictError('Discovery runs only while the request is open');
      }
      const criteria = criteriaOf(request);
      const store = new PeopleStore(trx);
      const found = new Map<string, Candidate>();
      const sources = new Set<DiscoverySource>();
      const add = (hit: SearchHit, reason: string, score: number) => {
        const candidate = found.get(hit.id) ?? {
          personId: hit.id,
          name: hitName(hit),
          dateOfBirth: hit.dateOfBirth,
          reasons: [],
          score: 0,
          records: [],
        };
        if (!candidate.reasons.includes(reason)) candidate.reasons.push(reason);
        candidate.score += score;
        found.set(hit.id, candidate);
      };

      sources.add('person-identifier');
      for (const nhsNumber of criteria.nhsNumbers) {
        for (const hit of await store.search(v, { nhsNumber }, CANDIDATE_LIMIT)) {
          add(hit, `Same NHS number (${nhsNumber})`, 10);
        }
      }
      for (const upn of criteria.upns) {
        for (const hit of await store.search(v, { upn }, CANDIDATE_LIMIT)) {
          add(hit, `Same unique pupil number (${upn})`, 10);
        }
      }
      sources.add('person-name');
      for (const name of criteria.names) {
        for (const hit of await store.search(v, { name }, CANDIDATE_LIMIT)) {
          const via = hit.matchedName
            ? ` (${hit.matchedName.kind} name ${hit.matchedName.givenName} ${hit.matchedName.familyName})`
            : '';
          const exact = hitName(hit).toLowerCase() === name.toLowerCase() && !hit.matchedName;
          add(hit, exact ? `Same name as “${name}”` : `Name like “${name}”${via}`, 1 + hit.score);
        }
      }
      if (criteria.dateOfBirth) {
        sources.add('person-date-of-birth');
        for (const hit of await store.search(
          v,
          { dateOfBirth: criteria.dateOfBirth },
          CANDIDATE_LIMIT * 4,
        )) {
          // A date of birth alone is shared by too many: it strengthens a
          // candidate found otherwise, and adds one only when the family name
          // sounds alike too.
          const family = request.subject_family_name.toLowerCase();
          if (found.has(hit.id) || hit.familyName.toLowerCase() === family) {
            add(
              hit,
              `Same date of birth${hit.dateOfBirthPrecision && hit.dateOfBirthPrecision !== 'exact' ? ` (held as ${hit.dateOfBirthPrecision})` : ''}`,
              3,
            );
          }
        }
      }

      // The records each candidate takes part in, as far as the searcher may search.
      sources.add('record-party');
      const candidates = [...found.values()];
      if (candidates.length > 0) {
        const parties = await trx
          .selectFrom('record_party as rp')
          .innerJoin('case_record as cr', 'cr.id', 'rp.record_id')
          .select([
            'rp.person_id',
            'rp.role',
            'cr.id',
            'cr.category',
            'cr.organisation_id',
            'cr.allocated_account_id',
            'cr.allocated_team_id',
            'cr.record_state',
          ])
          .where(
            'rp.person_id',
            'in',
            candidates.map((c) => c.personId),
          )
          .where('cr.organisation_id', '=', organisation.id)
          .orderBy('cr.opened_on')
          .execute();
        const restrictedPeople = await restrictedPersonIds(
          trx,
          candidates.map((c) => c.personId),
        );
        for (const c of candidates) if (restrictedPeople.has(c.personId)) c.restricted = true;
        const restrictedRecords = await restrictedFor(
          trx,
          request,
          parties.map((p) => p.id),
        );
        for (const p of parties) {
          if (!this.searchable(staff, p, restrictedRecords.has(p.id))) continue;
          found.get(p.person_id)?.records.push({
            recordId: p.id,
            category: p.category,
            categoryName: categoryNameOf(organisation.slug, p.category),
            role: p.role,
          });
        }
      }

      sources.add('case-note-text');
      const mentions = await this.mentions(trx, staff, organisation, criteria.names, request);

      const partnership = await this.partnershipMatches(trx, organisation.id, criteria, sources);
      sources.add('survey-response');
      const notes = [
        'Survey responses hold no names or identifiers, so they cannot be linked to a person.',
        ...criteria.notSearched.map((n) => `Not searched: ${n}`),
      ];

      const ordered = candidates.sort(
        (a, b) =>
          b.score - a.score || a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId),
      );
      const result: DiscoveryResult = {
        runAt: new Date(),
        runBy: staff.displayName,
        sources: [...sources],
        criteria,
        candidates: ordered,
        mentions,
        partnership,
        notes,
      };
      await trx
        .insertInto('rights_discovery')
        .values({
          request_id: request.id,
          run_by: staff.accountId,
          sources: result.sources,
          criteria: JSON.stringify(criteria),
          results: JSON.stringify({ candidates: ordered, mentions, partnership, notes }),
        })
        .execute();
      // The timeline and the audit log name the sources and how many were
      // found (codes and counts), never the terms.
      const criteriaKinds = [
        ...(criteria.nhsNumbers.length ? ['nhs-number'] : []),
        ...(criteria.upns.length ? ['upn'] : []),
        `names:${criteria.names.length}`,
        ...(criteria.dateOfBirth ? ['date-of-birth'] : []),
      ];
      await this.event(
        trx,
        staff,
        request.id,
        'discovery-run',
        ordered.map((c) => c.personId),
        `Searched ${result.sources.join(', ')} by ${criteriaKinds.join(', ')}: ` +
          `${ordered.length} candidate(s), ${mentions.length} note mention(s), ` +
          `${partnership.length} partnership entr${partnership.length === 1 ? 'y' : 'ies'}`,
      );
      return result;
    });
  }

  private searchable(
    staff: StaffContext,
    r: {
      organisation_id: string;
      category: string;
      allocated_account_id: string | null;
      allocated_team_id: string | null;
      record_state: RecordState;
    },
    /** Restricted for this request (restrictedFor: the subject's own request may see theirs). */
    restricted: boolean,
    action: 'search' | 'read' = 'search',
  ): boolean {
    return (
      isCategorySlug(r.category) &&
      decideRecord(
        staff,
        action,
        {
          organisationId: r.organisation_id,
          category: r.category,
          allocatedAccountId: r.allocated_account_id,
          allocatedTeamId: r.allocated_team_id,
          restricted,
          state: r.record_state,
        },
        // A kept record (archived, inaccessible) is still held, so a rights
        // request reaches it: the request is the recorded reason to open it.
        { forRightsRequest: true },
      ).allowed
    );
  }

  /** Notes of the organisation whose text names the subject (any given full-name variant). */
  private async mentions(
    trx: Transaction<Database>,
    staff: StaffContext,
    organisation: { id: string; slug: string },
    names: readonly string[],
    request: RequestRow,
  ): Promise<Mention[]> {
    const needles = names.map((n) => n.toLowerCase()).filter((n) => n.length > 2);
    if (needles.length === 0) return [];
    const rows = await trx
      .selectFrom('case_note as n')
      .innerJoin('case_record as cr', 'cr.id', 'n.record_id')
      .select([
        'n.id',
        'n.text',
        'n.occurred_on',
        'cr.id as record_id',
        'cr.category',
        'cr.organisation_id',
        'cr.allocated_account_id',
        'cr.allocated_team_id',
        'cr.record_state',
      ])
      .where('cr.organisation_id', '=', organisation.id)
      .where((eb) =>
        eb.or(needles.map((needle) => eb(sql`strpos(lower(n.text), ${needle})`, '>', 0))),
      )
      .orderBy('n.occurred_on')
      .orderBy('n.id')
      .limit(MENTION_LIMIT)
      .execute();
    const restricted = await restrictedFor(
      trx,
      request,
      rows.map((r) => r.record_id),
    );
    return rows
      .filter((r) => this.searchable(staff, r, restricted.has(r.record_id)))
      .map((r) => {
        const lower = r.text.toLowerCase();
        const name = names.find((n) => lower.includes(n.toLowerCase())) ?? '';
        return {
          recordId: r.record_id,
          noteId: r.id,
          categoryName: categoryNameOf(organisation.slug, r.category),
          occurredOn: r.occurred_on,
          reason: `The note names “${name}”`,
        };
      });
  }

  /** Training bookings and newsletter subscriptions hold a full name, not a person: matched by name. */
  private async partnershipMatches(
    trx: Transaction<Database>,
    organisationId: string,
    criteria: DiscoveryCriteria,
    sources: Set<DiscoverySource>,
  ): Promise<PartnershipMatch[]> {
    const out: PartnershipMatch[] = [];
    const names = criteria.names.map((n) => n.toLowerCase().replace(/\s+/g, ' '));
    const match = (fullName: string) =>
      names.flatMap((n) => {
        const held = fullName.toLowerCase().replace(/\s+/g, ' ').trim();
        return held === n ? [`Same name as “${n}”`] : [];
      });
    const similar = (column: string) =>
      sql<boolean>`(${sql.join(
        names.map((n) => sql`similarity(lower(${sql.ref(column)}), ${n}) >= 0.6`),
        sql` or `,
      )})`;
    // Training bookings and newsletter subscriptions hold a name and nothing
    // else to match on; both are searched the same way.
    const tables = [
      { table: 'training_booking', source: 'training-booking', what: 'a training booking' },
      {
        table: 'newsletter_subscriber',
        source: 'newsletter-subscriber',
        what: 'a newsletter subscription',
      },
    ] as const;
    for (const { table, source, what } of tables) {
      sources.add(source);
      const rows = await trx
        .selectFrom(table)
        .select(['id', 'full_name'])
        .where('organisation_id', '=', organisationId)
        .where(similar('full_name'))
        .orderBy('id')
        .limit(CANDIDATE_LIMIT)
        .execute();
      for (const row of rows) {
        const reasons = match(row.full_name);
        out.push({
          source,
          id: row.id,
          name: row.full_name,
          reasons: reasons.length ? reasons : [`Similar name on ${what}`],
        });
      }
    }
    return out;
  }

  /** The latest discovery run for the request, if any. */
  async latestDiscovery(staff: StaffContext, requestId: string) {
    const organisation = this.organisationOf(staff, 'rights.view');
    return this.db.transaction().execute(async (trx) => {
      const request = await this.request(trx, organisation.id, requestId);
      const run = await trx
        .selectFrom('rights_discovery as d')
        .innerJoin('account as a', 'a.id', 'd.run_by')
        .select(['d.id', 'd.run_at', 'd.sources', 'd.criteria', 'd.results', 'a.display_name'])
        .where('d.request_id', '=', requestId)
        .orderBy('d.run_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const result: DiscoveryResult | null = run
        ? {
            runAt: run.run_at,
            runBy: run.display_name,
            sources: run.sources,
            criteria: run.criteria as DiscoveryCriteria,
            ...(run.results as Pick<
              DiscoveryResult,
              'candidates' | 'mentions' | 'partnership' | 'notes'
            >),
          }
        : null;
      await recordAudit(trx, {
        action: 'rights.discovery.view',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-request',
        objectIds: [requestId, ...(result?.candidates.map((c) => c.personId) ?? [])],
        purpose: PURPOSE,
      });
      return { request, result };
    });
  }

  // -------------------------------------------------------------------------
  // Review

  /**
   * Builds the bundle's items from the confirmed person's records — each
   * record's summary, its notes, its documents (listed) and its chronology
   * (dated events and information received) — plus notes elsewhere that
   * name the person. Idempotent: items already there keep their decisions.
   */
  async prepare(staff: StaffContext, requestId: string): Promise<number> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const request = await this.request(trx, organisation.id, requestId, true);
      if (request.type !== 'access') throw new ConflictError('Only an access request has a bundle');
      if (!editableStates.includes(request.state)) {
        throw new ConflictError('The review can be prepared only while the request is in progress');
      }
      const personId = request.subject_person_id;
      if (!personId) {
        throw new ConflictError('Run discovery and confirm who the subject is first');
      }
      const store = new CaseworkStore(trx);
      const all = await store.recordsOfPerson(personId);
      const restricted = await restrictedFor(
        trx,
        request,
        all.map((r) => r.id),
      );
      const records = all.filter(
        (r) =>
          r.organisation_id === organisation.id &&
          this.searchable(staff, r, restricted.has(r.id), 'read'),
      );
      const ids = records.map((r) => r.id);
      const [notes, sources] = await Promise.all([store.notes(ids), store.sources(ids)]);
      type NewItem = Omit<
        RightsReviewItemTable,
        'id' | 'decision' | 'ground' | 'reason' | 'decided_by' | 'decided_at' | 'position'
      >;
      const items: NewItem[] = [];
      const key = (...parts: string[]) =>
        createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
      for (const record of records) {
        const name = categoryNameOf(organisation.slug, record.category);
        items.push({
          request_id: request.id,
          kind: 'record',
          source_id: record.id,
          record_id: record.id,
          item_date: record.opened_on,
          title: `${name} record`,
          body:
            `${name} record, opened ${formatDate(record.opened_on)}` +
            (record.closed_on ? `, closed ${formatDate(record.closed_on)}` : ', still open') +
            `. Your part in it: ${humanise(record.partyRole)}.`,
        });
        for (const document of await store.documents(record.id)) {
          items.push({
            request_id: request.id,
            kind: 'document',
            source_id: document.id,
            record_id: record.id,
            item_date: document.uploaded_at.toISOString().slice(0, 10),
            title: `Document: ${document.filename}`,
            body:
              `${document.filename} (${documentTypeName(document.media_type)}, ` +
              `${Math.max(1, Math.ceil(document.size_bytes / 1024))} KB), ` +
              `added to the ${name.toLowerCase()} record by ${document.uploadedBy}.`,
          });
        }
        if (isCategorySlug(record.category)) {
          for (const e of detailEvents(record.category, record.detail)) {
            items.push({
              request_id: request.id,
              kind: 'chronology',
              source_id: key(record.id, 'event', e.date, e.text),
              record_id: record.id,
              item_date: e.date,
              title: `${name}: ${formatDate(e.date)}`,
              body: e.text,
            });
          }
        }
      }
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const note of notes) {
        const record = byId.get(note.record_id);
        if (!record) continue;
        const name = categoryNameOf(organisation.slug, record.category);
        items.push({
          request_id: request.id,
          kind: 'note',
          source_id: note.id,
          record_id: record.id,
          item_date: note.occurred_on,
          title: `${humanise(note.kind)} recorded by ${note.author} (${name.toLowerCase()} record)`,
          body: note.text,
        });
      }
      for (const source of sources) {
        const record = byId.get(source.record_id);
        if (!record) continue;
        const name = categoryNameOf(organisation.slug, record.category);
        items.push({
          request_id: request.id,
          kind: 'chronology',
          source_id: source.id,
          record_id: record.id,
          item_date: source.received_on,
          title: `${humanise(source.kind)} from ${source.provider} (${name.toLowerCase()} record)`,
          body: source.summary,
        });
      }
      // Notes in other records that name the person: their data too.
      const subjectName = await trx
        .selectFrom('person')
        .select(['given_name', 'family_name'])
        .where('id', '=', personId)
        .executeTakeFirst();
      const names = [
        ...(subjectName ? [`${subjectName.given_name} ${subjectName.family_name}`] : []),
        ...criteriaOf(request).names,
      ];
      // A restricted subject's data elsewhere is theirs too (Art 18(2)): only
      // their own request gathers it.
      const subjectRestricted =
        request.requester_role !== 'self' &&
        (await restrictedPersonIds(trx, [personId])).has(personId);
      const mentions = subjectRestricted
        ? []
        : await this.mentions(trx, staff, organisation, names, request);
      for (const mention of mentions) {
        if (byId.has(mention.recordId)) continue;
        const note = await trx
          .selectFrom('case_note as n')
          .innerJoin('account as a', 'a.id', 'n.author_account_id')
          .select(['n.text', 'n.kind', 'n.occurred_on', 'a.display_name as author'])
          .where('n.id', '=', mention.noteId)
          .executeTakeFirstOrThrow();
        items.push({
          request_id: request.id,
          kind: 'note',
          source_id: mention.noteId,
          record_id: mention.recordId,
          item_date: note.occurred_on,
          title: `${humanise(note.kind)} recorded by ${note.author} on another person’s ${mention.categoryName.toLowerCase()} record, naming you`,
          body: note.text,
        });
      }
      items.sort(
        (a, b) =>
          (a.item_date ?? '').localeCompare(b.item_date ?? '') ||
          a.kind.localeCompare(b.kind) ||
          a.source_id.localeCompare(b.source_id),
      );
      const existing = await trx
        .selectFrom('rights_review_item')
        .select((eb) => eb.fn.max('position').as('max'))
        .where('request_id', '=', request.id)
        .executeTakeFirst();
      let position = Number(existing?.max ?? 0);
      let added = 0;
      for (const item of items) {
        const inserted = await trx
          .insertInto('rights_review_item')
          .values({ ...item, position: ++position })
          .onConflict((oc) => oc.columns(['request_id', 'kind', 'source_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) added += 1;
      }
      await this.event(trx, staff, request.id, 'review-prepared', [personId, ...ids]);
      return added;
    });
  }

  /** The review page: every item with its redactions, suggested spans and the grounds on offer. */
  async review(staff: StaffContext, requestId: string) {
    const organisation = this.organisationOf(staff, 'rights.view');
    return this.db.transaction().execute(async (trx) => {
      const request = await this.request(trx, organisation.id, requestId);
      const { items, redactions, restricted } = await this.itemsOf(trx, request);
      const recordIds = [...new Set(items.flatMap((i) => (i.record_id ? [i.record_id] : [])))];
      const [categories, parties] = await Promise.all([
        recordIds.length
          ? trx
              .selectFrom('case_record')
              .select(['id', 'category'])
              .where('id', 'in', recordIds)
              .execute()
          : [],
        recordIds.length
          ? trx
              .selectFrom('record_party as rp')
              .innerJoin('person as p', 'p.id', 'rp.person_id')
              .select(['rp.record_id', 'rp.person_id', 'rp.role', 'p.given_name', 'p.family_name'])
              .where('rp.record_id', 'in', recordIds)
              .execute()
          : [],
      ]);
      const categoryOf = new Map(categories.map((c) => [c.id, c.category]));
      const subjectNames = [request.subject_given_name, request.subject_family_name];
      const subject = request.subject_person_id;
      if (subject) {
        const p = parties.find((x) => x.person_id === subject);
        if (p) subjectNames.push(p.given_name, p.family_name);
      }
      const view: ReviewItem[] = items.map((item) => {
        if (item.record_id && restricted.has(item.record_id)) {
          return {
            ...item,
            body: '',
            category: categoryOf.get(item.record_id) ?? null,
            restricted: true,
            redactions: [],
            suggestions: [],
            preview:
              'Restricted (UK GDPR Article 18): left out of the response while the restriction is in force.',
          };
        }
        const spans = redactions.filter((r) => r.item_id === item.id);
        const known: KnownPerson[] = parties
          .filter((p) => p.record_id === item.record_id && p.person_id !== subject)
          .map((p) => ({
            name: `${p.given_name} ${p.family_name}`,
            givenName: p.given_name,
            familyName: p.family_name,
            role: p.role,
          }));
        const suggestions =
          item.kind === 'note' || item.kind === 'chronology'
            ? suggestSpans(item.body, known, subjectNames).filter(
                (s) => !spans.some((r) => s.start < r.end_offset && s.end > r.start_offset),
              )
            : [];
        return {
          ...item,
          category: item.record_id ? (categoryOf.get(item.record_id) ?? null) : null,
          restricted: false,
          redactions: spans,
          suggestions,
          preview: redactedText(item.body, spans.map(toSpan)),
        };
      });
      await recordAudit(trx, {
        action: 'rights.review.view',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-request',
        objectIds: [request.id],
        purpose: PURPOSE,
      });
      const ncnd = await this.ncndOf(trx, request.id);
      return {
        request,
        items: view,
        ncnd,
        ncndGrounds: groundsFor(request.requester_role).filter((g) => g.neitherConfirmNorDeny),
        grounds: groundsFor(request.requester_role),
        editable: editableStates.includes(request.state),
        undecided: view.filter((i) => i.decision === null && !i.restricted).length,
      };
    });
  }

  private async itemsOf(trx: Transaction<Database>, request: RequestRow) {
    const items = await trx
      .selectFrom('rights_review_item')
      .selectAll()
      .where('request_id', '=', request.id)
      .orderBy('position')
      .execute();
    // A restriction placed after the items were gathered still keeps them out.
    const restricted = await restrictedFor(trx, request, [
      ...new Set(items.flatMap((i) => (i.record_id ? [i.record_id] : []))),
    ]);
    const redactions = items.length
      ? await trx
          .selectFrom('rights_redaction')
          .selectAll()
          .where(
            'item_id',
            'in',
            items.map((i) => i.id),
          )
          .orderBy('start_offset')
          .orderBy('id')
          .execute()
      : [];
    return { items, redactions, restricted };
  }

  /** Loads an item of an editable request, locked, with the context a ground is checked in. */
  private async editableItem(
    trx: Transaction<Database>,
    organisationId: string,
    requestId: string,
    itemId: string,
  ) {
    const request = await this.request(trx, organisationId, requestId, true);
    if (!editableStates.includes(request.state)) {
      throw new ConflictError(
        'Decisions can change only while the request is in progress: send it back from review first',
      );
    }
    if (!UUID.test(itemId)) throw new NotFoundError('Item not found');
    const item = await trx
      .selectFrom('rights_review_item')
      .selectAll()
      .where('id', '=', itemId)
      .where('request_id', '=', request.id)
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw new NotFoundError('Item not found');
    const category = item.record_id
      ? ((
          await trx
            .selectFrom('case_record')
            .select('category')
            .where('id', '=', item.record_id)
            .executeTakeFirst()
        )?.category ?? null)
      : null;
    return { request, item, context: { requesterRole: request.requester_role, category } };
  }

  /** Records the decision on an item: disclose, redact (needs spans) or withhold (needs a ground). */
  async decide(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    input: DecisionInput,
  ): Promise<void> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const { request, item, context } = await this.editableItem(
        trx,
        organisation.id,
        requestId,
        itemId,
      );
      const spans = await trx
        .selectFrom('rights_redaction')
        .select('id')
        .where('item_id', '=', item.id)
        .execute();
      let ground: Ground | null = null;
      if (input.decision === 'withhold') {
        if (!input.ground) {
          throw new ValidationError([
            { field: 'ground', message: 'Select the legal ground for withholding the item' },
          ]);
        }
        const check = checkGround(input.ground, context);
        if (!check.ok) throw new ValidationError([{ field: 'ground', message: check.reason }]);
        ground = check.ground;
      }
      if (input.decision === 'redact' && spans.length === 0) {
        throw new ValidationError([
          {
            field: 'decision',
            message: 'Mark the words to redact first; the item is then redacted',
          },
        ]);
      }
      if (input.decision === 'disclose' && spans.length > 0) {
        throw new ValidationError([
          {
            field: 'decision',
            message: 'The item has redactions: remove them to disclose it in full',
          },
        ]);
      }
      await trx
        .updateTable('rights_review_item')
        .set({
          decision: input.decision,
          ground: ground?.code ?? null,
          reason: input.reason?.trim() || null,
          decided_by: staff.accountId,
          decided_at: new Date(),
        })
        .where('id', '=', item.id)
        .execute();
      await recordAudit(trx, {
        action: `rights.review.${input.decision}`,
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-review-item',
        objectIds: [request.id, item.id],
        purpose: PURPOSE,
      });
    });
  }

  /**
   * Redacts a span of an item's text on a ground. Third parties (Sch 2 paras
   * 16-17) say who they are; a professional acting in their role is
   * normally disclosed, so redacting one needs the reason written down.
   */
  async redact(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    input: RedactionInput,
  ): Promise<string> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const { request, item, context } = await this.editableItem(
        trx,
        organisation.id,
        requestId,
        itemId,
      );
      if (item.kind === 'document' || item.kind === 'record') {
        throw new ConflictError(
          'Only the text of notes and chronology entries is redacted in spans; disclose or withhold this item',
        );
      }
      const span =
        input.phrase !== undefined && input.phrase.trim() !== ''
          ? findPhrase(item.body, input.phrase, input.occurrence ?? 1)
          : input.start !== undefined && input.end !== undefined
            ? { start: input.start, end: input.end }
            : undefined;
      if (!span) {
        throw new ValidationError([
          {
            field: 'phrase',
            message: input.phrase
              ? 'Those words are not in the text: copy them exactly as they appear'
              : 'Enter the words to redact',
          },
        ]);
      }
      const spanCheck = checkSpan(item.body, span);
      if (!spanCheck.ok)
        throw new ValidationError([{ field: 'phrase', message: spanCheck.reason }]);
      const check = checkGround(input.ground, context);
      if (!check.ok) throw new ValidationError([{ field: 'ground', message: check.reason }]);
      if ((await this.ncndOf(trx, request.id))?.ground === check.ground.code) {
        throw new ConflictError(NCND_SPAN_REFUSAL);
      }
      const note = input.note?.trim() || null;
      if (check.ground.code === 'sch2-para16-third-party') {
        if (!input.thirdParty) {
          throw new ValidationError([
            { field: 'thirdParty', message: 'Say who the third party is' },
          ]);
        }
        if (input.thirdParty === 'professional' && (note?.length ?? 0) < 10) {
          throw new ValidationError([
            {
              field: 'note',
              message:
                'Professionals acting in their role are normally disclosed: write down why this one is not (at least 10 characters)',
            },
          ]);
        }
      }
      const { id } = await trx
        .insertInto('rights_redaction')
        .values({
          item_id: item.id,
          start_offset: span.start,
          end_offset: span.end,
          ground: check.ground.code,
          third_party:
            check.ground.code === 'sch2-para16-third-party' ? (input.thirdParty ?? null) : null,
          note,
          added_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('rights_review_item')
        .set({
          decision: 'redact',
          ground: null,
          decided_by: staff.accountId,
          decided_at: new Date(),
        })
        .where('id', '=', item.id)
        .execute();
      await recordAudit(trx, {
        action: 'rights.review.redact-span',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-review-item',
        objectIds: [request.id, item.id, id],
        purpose: PURPOSE,
      });
      return id;
    });
  }

  /** Removes a redaction; an item left with none goes back to undecided. */
  async unredact(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    redactionId: string,
  ): Promise<void> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const { request, item } = await this.editableItem(trx, organisation.id, requestId, itemId);
      if (!UUID.test(redactionId)) throw new NotFoundError('Redaction not found');
      const removed = await trx
        .deleteFrom('rights_redaction')
        .where('id', '=', redactionId)
        .where('item_id', '=', item.id)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) throw new NotFoundError('Redaction not found');
      const left = await trx
        .selectFrom('rights_redaction')
        .select('id')
        .where('item_id', '=', item.id)
        .executeTakeFirst();
      if (!left) {
        await trx
          .updateTable('rights_review_item')
          .set({ decision: null, ground: null, decided_by: null, decided_at: null })
          .where('id', '=', item.id)
          .execute();
      }
      await recordAudit(trx, {
        action: 'rights.review.unredact-span',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-review-item',
        objectIds: [request.id, item.id, redactionId],
        purpose: PURPOSE,
      });
    });
  }

  // -------------------------------------------------------------------------
  // Neither confirm nor deny

  private async ncndOf(trx: Transaction<Database>, requestId: string) {
    return (
      (await trx
        .selectFrom('rights_ncnd')
        .selectAll()
        .where('request_id', '=', requestId)
        .executeTakeFirst()) ?? null
    );
  }

  /**
   * Answers the request "neither confirm nor deny" on a ground that allows
   * it and that this requester's request may claim, with the reason written
   * down. Items then withheld on that ground leave no trace in the bundle —
   * no count, no placeholder — and the bundle carries NCND_STATEMENT. The
   * second person approves it with the rest of the response.
   */
  async neitherConfirmNorDeny(
    staff: StaffContext,
    requestId: string,
    input: NcndInput,
  ): Promise<void> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const request = await this.request(trx, organisation.id, requestId, true);
      if (request.type !== 'access') {
        throw new ConflictError('Only an access request is answered neither confirm nor deny');
      }
      if (!editableStates.includes(request.state)) {
        throw new ConflictError(
          'The response can change only while the request is in progress: send it back from review first',
        );
      }
      const check = checkGround(input.ground, {
        requesterRole: request.requester_role,
        category: null,
      });
      if (!check.ok) throw new ValidationError([{ field: 'ncndGround', message: check.reason }]);
      if (!check.ground.neitherConfirmNorDeny) {
        throw new ValidationError([
          {
            field: 'ncndGround',
            message: `${check.ground.reference} does not allow neither confirm nor deny: withhold the items instead`,
          },
        ]);
      }
      const reason = input.reason.trim();
      if (reason.length < 10 || reason.length > 2000) {
        throw new ValidationError([
          {
            field: 'ncndReason',
            message:
              'Write down why confirming or denying would itself prejudice what the exemption protects (10 to 2,000 characters)',
          },
        ]);
      }
      const spans = await trx
        .selectFrom('rights_redaction as x')
        .innerJoin('rights_review_item as i', 'i.id', 'x.item_id')
        .select('x.id')
        .where('i.request_id', '=', request.id)
        .where('x.ground', '=', check.ground.code)
        .execute();
      if (spans.length > 0) throw new ConflictError(NCND_SPAN_REFUSAL);
      // A new choice replaces the last, with its own time and decider.
      await trx.deleteFrom('rights_ncnd').where('request_id', '=', request.id).execute();
      await trx
        .insertInto('rights_ncnd')
        .values({
          request_id: request.id,
          ground: check.ground.code,
          reason,
          decided_by: staff.accountId,
        })
        .execute();
      await this.event(trx, staff, request.id, 'ncnd-chosen', [], check.ground.code);
    });
  }

  /** Goes back to an ordinary response. */
  async withdrawNeitherConfirmNorDeny(staff: StaffContext, requestId: string): Promise<void> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const request = await this.request(trx, organisation.id, requestId, true);
      if (!editableStates.includes(request.state)) {
        throw new ConflictError(
          'The response can change only while the request is in progress: send it back from review first',
        );
      }
      const removed = await trx
        .deleteFrom('rights_ncnd')
        .where('request_id', '=', request.id)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) {
        throw new ConflictError('The response is not neither confirm nor deny');
      }
      await this.event(trx, staff, request.id, 'ncnd-withdrawn');
    });
  }

  /**
   * Items and their redactions, for the bundle (bundle.ts), in the caller's
   * transaction: without the items of restricted records (Art 18(2)); and
   * the neither-confirm-nor-deny choice, if any, which the caller passes to
   * assembleBundle so items withheld on its ground are left out uncounted.
   */
  async bundleItems(trx: Transaction<Database>, requestId: string) {
    const request = await trx
      .selectFrom('rights_request')
      .selectAll()
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    const { items, redactions, restricted } = await this.itemsOf(trx, request);
    const ncnd = await this.ncndOf(trx, request.id);
    const kept = items.filter((i) => !i.record_id || !restricted.has(i.record_id));
    const keptIds = new Set(kept.map((i) => i.id));
    return {
      items: kept,
      redactions: redactions.filter((r) => keptIds.has(r.item_id)),
      ncnd: ncnd ? { ground: ncnd.ground } : null,
    };
  }
}

type RequestRow = Selectable<RightsRequestTable>;

/**
 * Of these records, those this request may not process (Art 18(2)): every
 * restricted one, except that the subject asking for their own data
 * consents to its use in the answer — so restrictions on them, or placed on
 * a request they made, do not keep their own data from them. A restriction
 * someone else asked for still does.
 */
export async function restrictedFor(
  trx: Transaction<Database>,
  request: Pick<RequestRow, 'requester_role' | 'subject_person_id'>,
  recordIds: readonly string[],
): Promise<Set<string>> {
  const restricted = await restrictedRecordIds(trx, recordIds);
  const subject = request.subject_person_id;
  if (restricted.size === 0 || request.requester_role !== 'self' || !subject) return restricted;
  const candidates = [...restricted];
  const rows = await trx
    .selectFrom('restriction as r')
    .leftJoin('rights_request as q', 'q.id', 'r.request_id')
    .leftJoin('record_party as rp', 'rp.person_id', 'r.person_id')
    .select([
      'r.record_id',
      'r.person_id',
      'rp.record_id as party_record_id',
      'q.subject_person_id',
    ])
    .where('r.lifted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('r.record_id', 'in', candidates), eb('rp.record_id', 'in', candidates)]),
    )
    .execute();
  const othersRestrict = new Set<string>();
  for (const row of rows) {
    const own = row.person_id ? row.person_id === subject : row.subject_person_id === subject;
    const recordId = row.record_id ?? row.party_record_id;
    if (!own && recordId && restricted.has(recordId)) othersRestrict.add(recordId);
  }
  return othersRestrict;
}

const NCND_SPAN_REFUSAL =
  'Under neither confirm nor deny, withhold whole items on its ground: a redaction box would show that something was removed';

export function toSpan(r: Pick<RedactionRow, 'start_offset' | 'end_offset' | 'ground'>) {
  return { start: r.start_offset, end: r.end_offset, ground: r.ground };
}

/**
 * For the state machine: an access request goes to review only when every
 * item of a prepared bundle has a decision.
 */
export async function undecidedItems(
  trx: Transaction<Database>,
  requestId: string,
): Promise<{ total: number; undecided: number }> {
  // Items of restricted records are left out of the bundle: they need no decision.
  const request = await trx
    .selectFrom('rights_request')
    .select(['requester_role', 'subject_person_id'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  const recordIds = await trx
    .selectFrom('rights_review_item')
    .select('record_id')
    .distinct()
    .where('request_id', '=', requestId)
    .where('decision', 'is', null)
    .execute();
  const restricted = [
    ...(await restrictedFor(
      trx,
      request,
      recordIds.flatMap((r) => (r.record_id ? [r.record_id] : [])),
    )),
  ];
  const row = await trx
    .selectFrom('rights_review_item')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('id').filterWhere('decision', 'is', null).as('undecided'),
    ])
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  const left = restricted.length
    ? await trx
        .selectFrom('rights_review_item')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('request_id', '=', requestId)
        .where('decision', 'is', null)
        .where('record_id', 'in', restricted)
        .executeTakeFirstOrThrow()
    : { n: '0' };
  return { total: Number(row.total), undecided: Number(row.undecided) - Number(left.n) };
}

/** "PDF", "Word document": a type in words, never a media type. */
function documentTypeName(mediaType: string): string {
  return allowedDocumentTypes[mediaType as keyof typeof allowedDocumentTypes] ?? 'file';
}
