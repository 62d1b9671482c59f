import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isUuid } from '../../platform/access/resolve.js';
import { eventsBy } from '../../platform/audit/queries.js';
import { madeDisclosureStatuses } from '../../sharing/disclosure-log.js';
import { sharingPurposes, type SharingPurpose } from '../../sharing/tables.js';

/**
 * Who a breach affected, found from what Safekeep already knows
 * (issue 11; docs/decisions/0017-breach-register.md):
 *
 * (a) a disclosure — a package or grant that went to the wrong recipient:
 *     everyone who is a party to a record any of its items came from;
 * (b) a staff account — lost, shared or misused: every person its audit
 *     events name between two moments, directly or through a record, a
 *     disclosure or a rights request they name;
 * (c) people picked by hand, found by name.
 *
 * Every id comes from a request, so each finder looks only inside the
 * breach's own organisation and answers null for an id that names nothing
 * there: the caller turns that into the same "not found" as any other.
 * People merged into another are followed to the one they became.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** The organisation's disclosures that were made (approved, or revoked later), newest first. */
export async function disclosureChoices(db: Db, organisationId: string) {
  const rows = await db
    .selectFrom('disclosure as d')
    .select((eb) => [
      'd.id',
      'd.recipient_name',
      'd.purpose',
      'd.requested_at',
      'd.approved_at',
      eb
        .selectFrom('disclosure_item as i')
        .select((s) => s.fn.count<number>('i.record_id').distinct().as('n'))
        .whereRef('i.disclosure_id', '=', 'd.id')
        .as('records'),
    ])
    .where('d.organisation_id', '=', organisationId)
    .where('d.status', 'in', [...madeDisclosureStatuses])
    .orderBy('d.requested_at', 'desc')
    .orderBy('d.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    recipient: r.recipient_name,
    purpose: sharingPurposes[r.purpose as SharingPurpose] ?? r.purpose,
    on: r.approved_at ?? r.requested_at,
    records: Number(r.records ?? 0),
  }));
}

/** Parties to these records of the organisation, merged people followed. */
async function partiesOf(db: Db, organisationId: string, recordIds: readonly string[]) {
  if (recordIds.length === 0) return [];
  const rows = await db
    .selectFrom('record_party as rp')
    .innerJoin('case_record as c', 'c.id', 'rp.record_id')
    .innerJoin('person as p', 'p.id', 'rp.person_id')
    .select(['p.id', 'p.merged_into_id'])
    .where('c.organisation_id', '=', organisationId)
    .where('p.organisation_id', '=', organisationId)
    .where('rp.record_id', 'in', [...recordIds])
    .execute();
  return rows.map((r) => r.merged_into_id ?? r.id);
}

/** (a) Everyone in the records a made disclosure of the organisation took items from; null if there is no such disclosure. */
export async function peopleInDisclosure(
  db: Db,
  organisationId: string,
  disclosureId: string,
): Promise<string[] | null> {
  if (!isUuid(disclosureId)) return null;
  const disclosure = await db
    .selectFrom('disclosure')
    .select('id')
    .where('id', '=', disclosureId)
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', [...madeDisclosureStatuses])
    .executeTakeFirst();
  if (!disclosure) return null;
  const items = await db
    .selectFrom('disclosure_item')
    .select('record_id')
    .distinct()
    .where('disclosure_id', '=', disclosureId)
    .execute();
  return unique(
    await partiesOf(
      db,
      organisationId,
      items.map((i) => i.record_id),
    ),
  );
}

/** The organisation's staff accounts (people, not integrations), by name. */
export async function staffChoices(db: Db, organisationId: string) {
  return db
    .selectFrom('account as a')
    .select(['a.id', 'a.display_name', 'a.email'])
    .where('a.kind', '=', 'staff')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('membership as m')
          .select('m.id')
          .whereRef('m.account_id', '=', 'a.id')
          .where('m.organisation_id', '=', organisationId),
      ),
    )
    .orderBy('a.display_name')
    .orderBy('a.id')
    .execute();
}

/** Whether the account is one of the organisation's staff (an id from a request). */
export async function isStaffOf(db: Db, organisationId: string, accountId: string) {
  if (!isUuid(accountId)) return false;
  const row = await db
    .selectFrom('membership')
    .select('id')
    .where('account_id', '=', accountId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * (b) Everyone a staff account's successful audit events in the
 * organisation name between `from` (inclusive) and `to` (exclusive).
 * Every action counts, not only reads: whatever the account opened,
 * listed, searched, changed or shared, its holder (or whoever had the
 * account) saw. An event names people directly (a person read, a search's
 * results), through a record (its parties), a disclosure (its records'
 * parties) or a rights request (its confirmed subject).
 */
export async function peopleViewedBy(
  db: Db,
  organisationId: string,
  accountId: string,
  from: Date,
  to: Date,
): Promise<string[]> {
  const events = await eventsBy(db, { organisationId, accountId, from, to }).execute();
  const ids = unique(events.flatMap((e) => e.object_ids).filter(isUuid));
  if (ids.length === 0) return [];
  const found: string[] = [];
  for (const batch of batches(ids, 1000)) {
    const people = await db
      .selectFrom('person')
      .select(['id', 'merged_into_id'])
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', batch)
      .execute();
    found.push(...people.map((p) => p.merged_into_id ?? p.id));
    found.push(...(await partiesOf(db, organisationId, batch)));
    const disclosed = await db
      .selectFrom('disclosure_item as i')
      .innerJoin('disclosure as d', 'd.id', 'i.disclosure_id')
      .select('i.record_id')
      .distinct()
      .where('d.organisation_id', '=', organisationId)
      .where('i.disclosure_id', 'in', batch)
      .execute();
    found.push(
      ...(await partiesOf(
        db,
        organisationId,
        disclosed.map((d) => d.record_id),
      )),
    );
    const requests = await db
      .selectFrom('rights_request')
      .select('subject_person_id')
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', batch)
      .where('subject_person_id', 'is not', null)
      .execute();
    for (const r of requests) if (r.subject_person_id) found.push(r.subject_person_id);
  }
  return unique(found);
}

/**
 * (c) People picked by hand: each must be one of the organisation's people
 * (a merged one stands for whoever it was merged into). Null if any id
 * names no one there — the whole pick is refused, nothing added.
 */
export async function pickedPeople(
  db: Db,
  organisationId: string,
  personIds: readonly string[],
): Promise<string[] | null> {
  const wanted = unique(personIds);
  if (wanted.length === 0 || !wanted.every(isUuid)) return null;
  const rows = await db
    .selectFrom('person')
    .select(['id', 'merged_into_id'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', wanted)
    .execute();
  if (rows.length !== wanted.length) return null;
  return unique(rows.map((r) => r.merged_into_id ?? r.id));
}

/** The organisation's people whose current or earlier name contains `text`, to pick from. */
export async function searchPeople(db: Db, organisationId: string, text: string) {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 4);
  if (words.length === 0) return [];
  let query = db
    .selectFrom('person as p')
    .select([
      'p.id',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.date_of_birth_precision',
    ])
    .where('p.organisation_id', '=', organisationId)
    .where('p.merged_into_id', 'is', null);
  for (const word of words) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_name as n')
          .select('n.id')
          .whereRef('n.person_id', '=', 'p.id')
          .where((w) =>
            w.or([
              w(w.fn('lower', ['n.given_name']), 'like', pattern),
              w(w.fn('lower', ['n.family_name']), 'like', pattern),
            ]),
          ),
      ),
    );
  }
  return query.orderBy('p.family_name').orderBy('p.given_name').orderBy('p.id').limit(50).execute();
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function batches<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
