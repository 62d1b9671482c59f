import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

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
 * who takes part in it is (their data in it is restricted too). For the
 * access path in casework (read for display, write, export).
 */
export async function isRecordRestricted(
  db: Kysely<Database> | Transaction<Database>,
  recordId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('restriction')
    .select('id')
    .where('lifted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('record_id', '=', recordId),
        eb(
          'person_id',
          'in',
          eb.selectFrom('record_party').select('person_id').where('record_id', '=', recordId),
        ),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The refusal every processing path gives a restricted record (Art 18(2)). */
export const RESTRICTED_MESSAGE = 'restricted: may only be stored';
