import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GENESIS_HASH, hashEvent } from './audit-chain.js';

export type VerifyResult =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAt: { seq: number; id: string; reason: string } };

const PAGE = 2000;

/**
 * Walks the whole chain in order and names the first event whose content no
 * longer matches its hash, or whose link to its predecessor is broken (a row
 * altered, inserted or removed). Sequence gaps alone are not tampering: an
 * identity value is spent by a rolled-back transaction too.
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let afterSeq = 0;
  let events = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      events += 1;
      const broken = (reason: string): VerifyResult => ({
        ok: false,
        events,
        brokenAt: { seq: row.seq, id: row.id, reason },
      });
      if (row.prev_hash !== prevHash) {
        return broken(
          'its link to the previous event is broken (an event before it was removed or altered)',
        );
      }
      const expected = hashEvent(
        {
          id: row.id,
          occurredAt: row.occurred_at,
          actorAccountId: row.actor_account_id,
          organisationId: row.organisation_id,
          action: row.action,
          objectType: row.object_type,
          objectIds: row.object_ids,
          purpose: row.purpose,
          outcome: row.outcome,
          requestId: row.request_id,
        },
        row.prev_hash,
      );
      if (row.hash !== expected)
        return broken('its content does not match its hash (it was altered)');
      prevHash = row.hash;
      afterSeq = row.seq;
    }
    if (rows.length < PAGE) return { ok: true, events };
  }
}
