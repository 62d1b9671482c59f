import { sql, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTestDatabase, testDatabase } from '../../../test/support/database.js';
import * as platform from '../../db/migrations/0001-platform.js';
import * as people from '../../db/migrations/0002-people.js';
import * as casework from '../../db/migrations/0003-casework.js';
import * as chainLinks from '../../db/migrations/0019-audit-chain-links.js';
import * as auditPartitionsMigration from '../../db/migrations/0070-audit-partitions.js';
import * as auditRetentionMigration from '../../db/migrations/0074-audit-retention.js';
import * as sealsCheckedAtLinkingMigration from '../../db/migrations/0078-seals-checked-at-linking.js';
import type { Database } from '../../db/schema.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { recordAudit } from './audit-log.js';
import { GENESIS_HASH, hashLink, selectStoredEvents, storedEvent } from './audit-chain.js';
import { chainAuditEvents } from './chainer.js';
import { verifyAuditChain } from './verify.js';
import {
  AUDIT_PARTITION_MONTHS_AHEAD,
  auditPartitions,
  makeAuditPartitions,
} from './partitions.js';

/**
 * The audit log partitioned by month (issue 16; migration 0070): every
 * event lands in its month, the months are kept a year ahead, and a log
 * written before the migration comes across whole — same seq, same chain.
 */

const thisMonth = () => Temporal.Now.plainDateISO('UTC').with({ day: 1 });
const partitionName = (month: Temporal.PlainDate) =>
  `audit_event_y${month.year}m${String(month.month).padStart(2, '0')}`;

describe('the partitioned audit log', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(() => database?.close());

  it('has a partition for every month from last month to a year ahead', async () => {
    const names = (await auditPartitions(database.owner)).map((p) => p.name);
    for (let n = -1; n <= AUDIT_PARTITION_MONTHS_AHEAD; n += 1) {
      expect(names).toContain(partitionName(thisMonth().add({ months: n })));
    }
  });

  it('puts each event in the partition of its month', async () => {
    await database.db.transaction().execute((trx) =>
      recordAudit(trx, {
        action: 'test.partitioned',
        actorAccountId: null,
        organisationId: null,
      }),
    );
    const { rows } = await sql<{ partition: string }>`
      select tableoid::regclass::text as partition from audit_event
      where action = 'test.partitioned'`.execute(database.owner);
    expect(rows).toEqual([{ partition: partitionName(thisMonth()) }]);
  });

  it('makes the months still missing, and only those, when asked for more', async () => {
    const before = (await auditPartitions(database.owner)).length;
    expect(await makeAuditPartitions(database.db, AUDIT_PARTITION_MONTHS_AHEAD + 2)).toBe(2);
    expect(await makeAuditPartitions(database.db, AUDIT_PARTITION_MONTHS_AHEAD + 2)).toBe(0);
    expect((await auditPartitions(database.owner)).length).toBe(before + 2);
  });

  it('keeps every month append-only, truncation included', async () => {
    await database.db
      .transaction()
      .execute((trx) =>
        recordAudit(trx, { action: 'test.guarded', actorAccountId: null, organisationId: null }),
      );
    const month = sql.id(partitionName(thisMonth()));
    await expect(
      sql`update ${month} set purpose = 'forged'`.execute(database.owner),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from ${month}`.execute(database.owner)).rejects.toThrow(/append-only/);
    // The chain's foreign key refuses first; each month's own trigger stands
    // behind it, on the months made later too.
    await expect(sql`truncate ${month}`.execute(database.owner)).rejects.toThrow(
      /append-only|referenced in a foreign key/,
    );
    const { rows } = await sql<{ partitions: number; guarded: number }>`
      select count(*)::int as partitions,
        count(*) filter (where exists (
          select 1 from pg_trigger t where t.tgrelid = i.inhrelid
            and t.tgname = 'audit_event_no_truncate'))::int as guarded
      from pg_inherits i where i.inhparent = 'audit_event'::regclass`.execute(database.owner);
    expect(rows[0]?.partitions).toBeGreaterThan(12);
    expect(rows[0]?.guarded).toBe(rows[0]?.partitions);
  });

  it('refuses an event for a month with no partition, so nothing happens unaudited', async () => {
    await expect(
      sql`insert into audit_event (id, occurred_at, action, outcome)
        values (gen_random_uuid(), now() + interval '5 years', 'test.future', 'success')`.execute(
        database.owner,
      ),
    ).rejects.toThrow(/no partition/);
  });
});

/** The chainer as it was before migration 0070: links with no event_occurred_at. */
async function chainAsBefore(db: Kysely<Database>): Promise<void> {
  const events = await selectStoredEvents(db).orderBy('e.seq').execute();
  const { rows } = await sql<{
    horizon: string;
  }>`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`.execute(db);
  const horizon = rows[0]!.horizon;
  let prevHash = GENESIS_HASH;
  for (const [i, row] of events.entries()) {
    const hash = hashLink(storedEvent(row), { seq: i + 1, prevHash, horizon });
    await sql`insert into audit_chain_link (seq, event_seq, event_id, prev_hash, hash, horizon)
      values (${i + 1}, ${row.seq}, ${row.id}, ${prevHash}, ${hash}, ${horizon}::xid8)`.execute(db);
    prevHash = hash;
  }
}

describe('migration 0070 over a log written before it', () => {
  let database: ScratchDatabase;
  let db: Kysely<unknown>;
  beforeAll(async () => {
    database = await emptyTestDatabase();
    db = database.db as unknown as Kysely<unknown>;
    for (const m of [platform, people, casework, chainLinks]) await m.up(db);
  });
  afterAll(() => database?.close());

  it('copies every event into its month, keeps seq and the chain, and carries on numbering', async () => {
    // Three events from months long past and one from now, chained as the
    // chainer did before the migration.
    await sql`
      insert into audit_event (id, occurred_at, action, object_ids, outcome)
      values
        (gen_random_uuid(), '2025-03-15T10:00:00.123456Z', 'test.old', '{a}', 'success'),
        (gen_random_uuid(), '2025-03-31T23:59:59.999999Z', 'test.old', '{b}', 'success'),
        (gen_random_uuid(), '2025-04-01T00:00:00Z', 'test.old', '{c}', 'success'),
        (gen_random_uuid(), clock_timestamp(), 'test.now', '{d}', 'success');
    `.execute(db);
    const typed = database.db;
    await chainAsBefore(typed);
    const before = await sql<{ seq: string; occurred_at: string; month: string }>`
      select seq::text, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as occurred_at,
        to_char(occurred_at at time zone 'UTC', '"audit_event_y"YYYY"m"MM') as month
      from audit_event order by seq`.execute(db);

    await auditPartitionsMigration.up(db);

    const after = await sql<{ seq: string; occurred_at: string; month: string }>`
      select seq::text, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as occurred_at,
        tableoid::regclass::text as month
      from audit_event order by seq`.execute(db);
    expect(after.rows).toEqual(before.rows);
    const names = (await auditPartitions(typed)).map((p) => p.name);
    expect(names[0]).toBe('audit_event_y2025m03');
    expect(names).toContain(
      partitionName(thisMonth().add({ months: AUDIT_PARTITION_MONTHS_AHEAD })),
    );

    // The chain still verifies (by today's verify and chainer, which read the
    // table of retention cuts migration 0074 adds and the refusals and
    // attestations of 0078), and new events follow on from the highest seq.
    await auditRetentionMigration.up(db);
    await sealsCheckedAtLinkingMigration.up(db);
    expect(await verifyAuditChain(typed, { graceSeconds: 0 })).toMatchObject({ ok: true });
    await database.db
      .transaction()
      .execute((trx) =>
        recordAudit(trx, { action: 'test.after', actorAccountId: null, organisationId: null }),
      );
    expect(await chainAuditEvents(typed, { wait: true })).toBe(1);
    const last = await sql<{ seq: string }>`
      select seq::text from audit_event where action = 'test.after'`.execute(db);
    expect(Number(last.rows[0]?.seq)).toBe(Number(before.rows.at(-1)?.seq) + 1);
    expect(await verifyAuditChain(typed, { graceSeconds: 0 })).toMatchObject({ ok: true });
    // A link must still name an event that is there.
    await expect(
      sql`insert into audit_chain_link (seq, event_seq, event_occurred_at, event_id, prev_hash, hash, horizon)
        values (99, 12345, now(), gen_random_uuid(), repeat('0', 64), repeat('0', 64), '0')`.execute(
        db,
      ),
    ).rejects.toThrow(/foreign key/);
  });
});
