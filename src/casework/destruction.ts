/**
 * Destroying records everywhere they live, for retention's sweep
 * (src/retention/disposal.ts) and the replay of disposals after a restore.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { CaseworkStore } from './store.js';

/**
 * Destroys a record everywhere it lives — the row, its parties, notes,
 * sources, documents (bytes included), change history and break-glass
 * reasons — in the caller's transaction, with an audit event of ids only.
 * Matches retention's `RecordDisposal.destroyRecord` (src/retention/disposal.ts):
 * the sweep writes its disposal certificate in the same transaction, and
 * removes the people it returns once they are in no record. Idempotent: a
 * record already gone gives zero counts.
 */
export async function destroyRecord(
  trx: Transaction<Database>,
  recordId: string,
  actor: { accountId: string | null; purpose: string } = { accountId: null, purpose: 'retention' },
) {
  const store = new CaseworkStore(trx);
  const record = await store.record(recordId, { lock: true });
  if (!record) {
    return { notes: 0, documents: 0, parties: 0, sources: 0, changes: 0, personIds: [] };
  }
  const personIds = [...new Set((await store.parties(recordId)).map((p) => p.personId))];
  const counts = await store.destroyRecord(recordId);
  await recordAudit(trx, {
    action: 'record.destroy',
    actorAccountId: actor.accountId,
    organisationId: record.organisation_id,
    objectType: 'case-record',
    objectIds: [recordId],
    purpose: actor.purpose,
  });
  return {
    notes: counts.notes,
    documents: counts.documents,
    parties: counts.parties,
    sources: counts.sources,
    changes: counts.changes,
    personIds,
  };
}

/**
 * Destroys many records everywhere they live, as one set — retention's
 * `RecordDisposal.destroyRecords` (src/retention/disposal.ts). The sweep
 * writes its own audit events and disposal certificate in the same
 * transaction; this returns what went and the people who were in the
 * records, for the people capability to remove those left in none.
 */
export async function destroyRecords(trx: Transaction<Database>, recordIds: readonly string[]) {
  if (recordIds.length === 0)
    return {
      notes: 0,
      documents: 0,
      parties: 0,
      sources: 0,
      changes: 0,
      records: 0,
      personIds: [],
    };
  const people: string[] = [];
  for (let i = 0; i < recordIds.length; i += 1000) {
    const rows = await trx
      .selectFrom('record_party')
      .select('person_id')
      .distinct()
      .where('record_id', 'in', recordIds.slice(i, i + 1000))
      .execute();
    people.push(...rows.map((r) => r.person_id));
  }
  const totals = await new CaseworkStore(trx).destroyRecords(recordIds);
  return {
    notes: totals.notes,
    documents: totals.documents,
    parties: totals.parties,
    sources: totals.sources,
    changes: totals.changes,
    records: totals.records,
    personIds: [...new Set(people)],
  };
}
