import {
  expressionBuilder,
  sql,
  type Expression,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type Transaction,
} from 'kysely';
import type { Database } from '../db/schema.js';
import type { RightsRequestTable } from './tables.js';

/**
 * Whether a person or a record is restricted (UK GDPR Art 18(2)): while it
 * is, the data may only be stored. A record is restricted if either it or
 * (when given) the person is. Kept apart from service.ts so casework can ask
 * without importing the rights service.
 */
export async function isRestricted(
  db: Kysely<Database> | Transaction<Database>,
  target: { personId?: string | undefined; recordId?: string | undefined },
): Promise<boolean> {
  if (!target.personId && !target.recordId) return false;
  const row = await db
    .selectFrom('restriction')
    .select('id')
    .where('lifted_at', 'is', null)
    // A restriction narrowed to one category (an upheld objection) leaves the
    // person as a whole, and their other records, free to process.
    .where('category', 'is', null)
    .where((eb) =>
      eb.or([
        ...(target.personId ? [eb('person_id', '=', target.personId)] : []),
        ...(target.recordId ? [eb('record_id', '=', target.recordId)] : []),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether a record may only be stored: it is restricted itself, or a person
 * who takes part in it is (their data in it is restricted too), wholly or
 * for the record's category (an upheld objection). For the access path in
 * casework (read for display, write, export).
 */
export async function isRecordRestricted(
  db: Kysely<Database> | Transaction<Database>,
  recordId: string,
): Promise<boolean> {
  const row = await db
    .selectNoFrom(recordRestricted(recordId).as('restricted'))
    .executeTakeFirstOrThrow();
  return Boolean(row.restricted);
}

/**
 * isRecordRestricted as an expression on the record's id, for a query that
 * loads the record and what its access decision needs in one statement
 * (casework's read path runs on every record page and API read).
 */
export function recordRestricted(recordId: string | Expression<string>) {
  const eb = expressionBuilder<Database, never>();
  return eb.exists(
    eb
      .selectFrom('restriction')
      .select('restriction.id')
      .where('restriction.lifted_at', 'is', null)
      .where((inner) =>
        inner.or([
          inner('restriction.record_id', '=', recordId),
          inner.and([
            inner(
              'restriction.person_id',
              'in',
              inner
                .selectFrom('record_party')
                .select('record_party.person_id')
                .where('record_party.record_id', '=', recordId),
            ),
            // Wholly, or for this record's category (an upheld objection).
            inner.or([
              inner('restriction.category', 'is', null),
              inner(
                'restriction.category',
                '=',
                // Aliased: the caller may pass the outer query's
                // case_record.id, which an unaliased case_record here would shadow.
                inner
                  .selectFrom('case_record as restricted_record')
                  .select('restricted_record.category')
                  .where('restricted_record.id', '=', recordId),
              ),
            ]),
          ]),
        ]),
      ),
  );
}

/**
 * Of these records, those that may only be stored (as isRecordRestricted),
 * in one query: for lists, chronologies and bundles that decide per record.
 */
export async function restrictedRecordIds(
  db: Kysely<Database> | Transaction<Database>,
  recordIds: readonly string[],
): Promise<Set<string>> {
  const restricted = new Set<string>();
  for (let i = 0; i < recordIds.length; i += 1000) {
    const chunk = recordIds.slice(i, i + 1000);
    const rows = await db
      .selectFrom('restriction as r')
      .leftJoin('record_party as rp', 'rp.person_id', 'r.person_id')
      .leftJoin('case_record as pr', 'pr.id', 'rp.record_id')
      .select(['r.record_id', 'rp.record_id as party_record_id'])
      .where('r.lifted_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('r.record_id', 'in', chunk),
          eb.and([
            eb('rp.record_id', 'in', chunk),
            eb.or([eb('r.category', 'is', null), eb('r.category', '=', eb.ref('pr.category'))]),
          ]),
        ]),
      )
      .execute();
    for (const row of rows) {
      if (row.record_id && chunk.includes(row.record_id)) restricted.add(row.record_id);
      if (row.party_record_id && chunk.includes(row.party_record_id)) {
        restricted.add(row.party_record_id);
      }
    }
  }
  return restricted;
}

/** Of these people, those under a restriction in force. */
export async function restrictedPersonIds(
  db: Kysely<Database> | Transaction<Database>,
  personIds: readonly string[],
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('restriction')
    .select('person_id')
    .where('lifted_at', 'is', null)
    .where('category', 'is', null)
    .where('person_id', 'in', [...personIds])
    .execute();
  return new Set(rows.flatMap((r) => (r.person_id ? [r.person_id] : [])));
}

/**
 * SQL: the person (a column reference) is not under a restriction in force —
 * for person lists and searches, which must neither show nor count them.
 */
export function personNotRestricted(personId: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`not exists (select 1 from restriction rs
    where rs.person_id = ${personId} and rs.lifted_at is null and rs.category is null)`;
}

/**
 * The restrictions in force on a record or anyone in it, as a correction
 * for a rectification request sees them (access.ts decideRectification):
 * none; only Art 18(1)(a) "accuracy contested" restrictions placed for this
 * subject (on them, or on a request about them); or any other.
 */
export async function restrictionsForRectification(
  db: Kysely<Database> | Transaction<Database>,
  recordId: string,
  subjectPersonId: string,
): Promise<'none' | 'accuracy-contested-by-subject' | 'other'> {
  const rows = await db
    .selectFrom('restriction as r')
    .leftJoin('rights_request as q', 'q.id', 'r.request_id')
    .select(['r.ground', 'r.person_id', 'q.subject_person_id'])
    .where('r.lifted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('r.record_id', '=', recordId),
        eb.and([
          eb(
            'r.person_id',
            'in',
            eb.selectFrom('record_party').select('person_id').where('record_id', '=', recordId),
          ),
          eb.or([
            eb('r.category', 'is', null),
            eb(
              'r.category',
              '=',
              eb.selectFrom('case_record').select('category').where('id', '=', recordId),
            ),
          ]),
        ]),
      ]),
    )
    .execute();
  if (rows.length === 0) return 'none';
  const contestedBySubject = rows.every(
    (r) =>
      r.ground === 'accuracy-contested' &&
      (r.person_id === subjectPersonId ||
        (r.person_id === null && r.subject_person_id === subjectPersonId)),
  );
  return contestedBySubject ? 'accuracy-contested-by-subject' : 'other';
}

/**
 * The restrictions in force on a person themselves, as a correction of their
 * own details for their rectification request sees them: none; only Art
 * 18(1)(a) "accuracy contested" ones; or any other.
 */
export async function personRestrictionsForRectification(
  db: Kysely<Database> | Transaction<Database>,
  personId: string,
): Promise<'none' | 'accuracy-contested-by-subject' | 'other'> {
  const rows = await db
    .selectFrom('restriction')
    .select('ground')
    .where('lifted_at', 'is', null)
    .where('category', 'is', null)
    .where('person_id', '=', personId)
    .execute();
  if (rows.length === 0) return 'none';
  return rows.every((r) => r.ground === 'accuracy-contested')
    ? 'accuracy-contested-by-subject'
    : 'other';
}

/** The refusal every processing path gives a restricted record (Art 18(2)). */
export const RESTRICTED_MESSAGE = 'restricted: may only be stored';

/**
 * Art 21(1): the upheld objection that stops processing this person's data
 * for this category (its restriction's id), if there is one in force. A
 * record of that category is not opened for them, nor are they added to one.
 */
export async function upheldObjectionFor(
  db: Kysely<Database> | Transaction<Database>,
  personId: string,
  category: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('restriction')
    .select('id')
    .where('lifted_at', 'is', null)
    .where('ground', '=', 'objection-upheld')
    .where('person_id', '=', personId)
    .where('category', '=', category)
    .executeTakeFirst();
  return row?.id;
}

/** The refusal for opening a record, or adding a party, against an upheld objection. */
export const OBJECTION_UPHELD_MESSAGE =
  'This person’s objection to processing for this purpose was upheld (Art 21(1) UK GDPR), so their information cannot be used in records of this kind';

/**
 * Of these records, those this request may not process (Art 18(2)): every
 * restricted one, except that the subject asking for their own data
 * consents to its use in the answer — so restrictions on them, or placed on
 * a request they made, do not keep their own data from them. A restriction
 * someone else asked for still does.
 */
export async function restrictedFor(
  trx: Transaction<Database>,
  request: Pick<Selectable<RightsRequestTable>, 'requester_role' | 'subject_person_id'>,
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
