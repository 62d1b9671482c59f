import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ConflictError } from '../platform/errors/errors.js';
import { isRecordRestricted } from '../rights/restriction.js';

/** UK GDPR Art 18(2): a restricted record may only be stored, so it is never shared. */
export const RESTRICTED_SHARING_MESSAGE =
  'This record is restricted (UK GDPR Article 18): while the restriction lasts it may only be stored, so nothing in it can be shared';

/** Refuses, with the reason, when the record (or a person in it) is restricted. */
export async function refuseIfRestricted(
  db: Kysely<Database> | Transaction<Database>,
  recordId: string,
): Promise<void> {
  if (await isRecordRestricted(db, recordId)) throw new ConflictError(RESTRICTED_SHARING_MESSAGE);
}
