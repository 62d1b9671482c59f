import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { humanise } from '../casework/categories.js';
import type { Database } from '../db/schema.js';
import { PeopleService } from '../people/service.js';
import { PeopleStore, type SearchHit, type Visibility } from '../people/store.js';
import { validateNhsNumber, validateUpn } from '../people/identifiers.js';
import { canRights, decideRecord, type RecordState } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { findCategory, isCategorySlug, isOrganisationSlug } from '../policy/index.js';
import { openStates } from './machine.js';
import { asGatherer, authoriseReviewWork } from './gathering.js';
import { loadRequest, reviewEvent, RIGHTS_PURPOSE } from './request-store.js';
import { restrictedFor, restrictedPersonIds } from './restriction.js';
import type { DiscoverySource, RightsRequestTable } from './tables.js';

/**
 * Discovery (issue 5): finding the request's subject across everything the
 * organisation holds, with why each candidate matched, for a human to
 * confirm. Reads go through the one access function (decideRecord) per
 * record and are audited with ids only; the search terms are kept on the
 * request's discovery run, never in the audit log.
 */

const CANDIDATE_LIMIT = 25;
const MENTION_LIMIT = 200;

type RequestRow = Selectable<RightsRequestTable>;

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

export function categoryNameOf(organisation: string, category: string): string {
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

export class RightsDiscovery {
  private readonly people: PeopleService;

  constructor(private readonly db: Kysely<Database>) {
    this.people = new PeopleService(db);
  }

  /** People visible for discovery; information governance sees every record of the organisation. */
  private async visibility(staff: StaffContext): Promise<Visibility> {
    try {
      const v = await this.people.visibilityFor(staff, 'person.list');
      return { ...v, restricted: 'include' };
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new ConflictError(
          'Only the designated safeguarding officer and deputies may search this organisation’s records: ask them to gather the request, from its page',
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
    // Cheap refusal first: nobody without a rights role reaches the search.
    if (!canRights(staff, 'rights.manage') && !canRights(staff, 'rights.gather')) {
      throw new NotFoundError();
    }
    const v = await this.visibility(staff);
    return this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
      const request = await loadRequest(trx, organisation.id, requestId, { lock: true });
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
          if (!searchable(staff, p, restrictedRecords.has(p.id))) continue;
          found.get(p.person_id)?.records.push({
            recordId: p.id,
            category: p.category,
            categoryName: categoryNameOf(organisation.slug, p.category),
            role: p.role,
          });
        }
      }

      sources.add('case-note-text');
      const mentions = await subjectMentions(trx, staff, organisation, criteria.names, request);

      const partnership = await partnershipMatches(trx, organisation.id, criteria, sources);
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
      await reviewEvent(
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

  /** The latest discovery run for the request, if any. */
  async latestDiscovery(staff: StaffContext, requestId: string) {
    return this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'read');
      const request = await loadRequest(trx, organisation.id, requestId, { lock: false });
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
        purpose: RIGHTS_PURPOSE,
      });
      return { request: asGatherer(staff, request), result };
    });
  }
}

export function searchable(
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

/** A LIKE pattern's wildcards and its escape character, taken literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Notes of the organisation whose text names the subject (any given full-name variant). */
export async function subjectMentions(
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
    // LIKE rather than strpos: the same match, and the trigram index on
    // lower(text) (migration 0079) serves it, instead of reading every note.
    .where((eb) =>
      eb.or(needles.map((needle) => eb(sql`lower(n.text)`, 'like', `%${escapeLike(needle)}%`))),
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
    .filter((r) => searchable(staff, r, restricted.has(r.record_id)))
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
async function partnershipMatches(
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
