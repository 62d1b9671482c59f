import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { chainAuditEvents } from '../../src/platform/audit/chainer.js';
import {
  verifyAuditChain,
  type VerifyOptions,
  type VerifyResult,
} from '../../src/platform/audit/verify.js';

/**
 * Links every committed audit event, as the server's chainer would within
 * seconds, then verifies the chain: what `safekeep audit verify` does.
 */
export async function chainAndVerify(
  db: Kysely<Database>,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  await chainAuditEvents(db, { wait: true });
  return verifyAuditChain(db, options);
}

/**
 * Runs SQL as an insider holding the tables' owner (or a superuser) would
 * to cover their tracks: with every trigger off, the append-only guards and
 * foreign keys included.
 */
export async function tamper(
  db: Kysely<Database>,
  ...statements: ReturnType<typeof sql>[]
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const statement of statements) await statement.execute(trx);
  });
}
