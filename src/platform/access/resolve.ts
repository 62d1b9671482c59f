import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { NotFoundError } from '../errors/errors.js';
import type { StaffContext } from '../auth/service.js';
import { canGovernRecords } from './access.js';

/**
 * Ids that arrive in a request (body, form, query, path) are resolved here,
 * through the access decision, before anything is written that names them.
 * An id the staff member may not act on answers exactly as an id that does
 * not exist, so a request cannot learn what another organisation holds
 * (docs/decisions/0014-refusals-answer-as-not-found.md).
 */

/** The one answer for a person or record id that is missing, malformed or not the caller's. */
export const NO_SUCH_PERSON_OR_RECORD = 'No such person or record';

export function noSuchPersonOrRecord(): NotFoundError {
  return new NotFoundError(NO_SUCH_PERSON_OR_RECORD);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A well-formed id: anything else names nothing, and is not sent to the database. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A record the staff member governs (information governance or the DPO of
 * the record's organisation): restrictions and legal holds name records this
 * way. Locked for the rest of the caller's transaction, so it cannot be
 * destroyed under the row that names it.
 */
export async function governedRecord(db: Db, staff: StaffContext, recordId: string) {
  const record = isUuid(recordId)
    ? await db
        .selectFrom('case_record')
        .select(['id', 'organisation_id'])
        .where('id', '=', recordId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!record || !canGovernRecords(staff, record.organisation_id)) throw noSuchPersonOrRecord();
  return record;
}

/**
 * A person the staff member may act on for governance (restrictions, legal
 * holds): one of their own organisation's people, not merged away, for
 * information governance or the DPO there.
 */
export async function governedPerson(db: Db, staff: StaffContext, personId: string) {
  const person = isUuid(personId)
    ? await db
        .selectFrom('person')
        .select(['id', 'organisation_id'])
        .where('id', '=', personId)
        .where('merged_into_id', 'is', null)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!person || !canGovernRecords(staff, person.organisation_id)) throw noSuchPersonOrRecord();
  return person;
}
