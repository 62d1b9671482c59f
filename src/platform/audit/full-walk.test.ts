import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tamper } from '../../../test/support/audit.js';
import { testDatabase } from '../../../test/support/database.js';
import { openDatabase } from '../../db/connection.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { hashLink, LINK_HASH_SQL, selectStoredEvents, storedEvent } from './audit-chain.js';
import { chainAuditEvents } from './chainer.js';
import { verifyAuditChain } from './verify.js';

/**
 * The full walk re-hashes each event in the database (LINK_HASH_SQL,
 * decision 0051) where the chainer hashed it in Node (hashLink). The two
 * must give the same bytes for anything a column can hold, or an untouched
 * log would read as altered; and the walk must still find one edited event
 * among thousands, in the middle of a range and a page.
 */
vi.setConfig({ testTimeout: 120_000 });

let database: ScratchDatabase;
const db = () => database.db;
const owner = () => database.owner;

beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** Text JSON escapes, or might: quotes, backslashes, controls, line separators, emoji. */
const AWKWARD = [
  'plain',
  'a "quoted" word',
  'back\\slash',
  'tab\there, new\nline, return\r, form\f, backspace\b',
  'bell\u0007 escape\u001b unit\u001f delete\u007f',
  'line\u2028separator and paragraph\u2029separator',
  'é, ß, ł, ĳ, 漢字, 🙂, 𝄞',
  "</script><!-- & ' ",
  '',
];

describe('the database hashes a link as hashLink does', () => {
  it('over every awkward value a text column can hold, byte for byte', async () => {
    for (const [i, text] of AWKWARD.entries()) {
      await sql`
        insert into audit_event (id, actor_account_id, organisation_id, action, object_type,
          object_ids, purpose, outcome, request_id, seal)
        values (gen_random_uuid(), ${i % 2 ? null : sql`gen_random_uuid()`},
          ${i % 3 ? sql`gen_random_uuid()` : null}, 'test.awkward',
          ${i % 2 ? 'case-record' : null}, ${[text, `${i}`, text]}::text[],
          ${i % 2 ? null : 'safeguarding-assessment'}, 'success', ${text}, ${text || null})`.execute(
        owner(),
      );
    }
    // Arrays JSON must render exactly: empty, a null element, two dimensions.
    for (const ids of [
      sql`'{}'::text[]`,
      sql`array['a', null]`,
      sql`'{{a,b},{"c\\"",d}}'::text[]`,
    ]) {
      await sql`
        insert into audit_event (id, action, object_ids, outcome)
        values (gen_random_uuid(), 'test.awkward', ${ids}, 'denied')`.execute(owner());
    }
    await chainAuditEvents(db(), { wait: true });

    const rows = await db()
      .selectFrom('audit_chain_link as l')
      .innerJoin('audit_event as e', 'e.seq', 'l.event_seq')
      .select([
        'l.seq as link_seq',
        'l.prev_hash as link_prev_hash',
        sql<string>`l.horizon::text`.as('link_horizon'),
        'l.hash as link_hash',
        LINK_HASH_SQL.as('database_hash'),
      ])
      .orderBy('l.seq')
      .execute();
    const events = await selectStoredEvents(db()).orderBy('e.seq').execute();
    expect(rows).toHaveLength(AWKWARD.length + 3);
    for (const [i, row] of rows.entries()) {
      const event = storedEvent(events[i]!);
      const node = hashLink(event, {
        seq: row.link_seq,
        prevHash: row.link_prev_hash,
        horizon: row.link_horizon,
      });
      expect(row.link_hash, `link ${row.link_seq}`).toBe(node);
      expect(row.database_hash, `link ${row.link_seq}: ${JSON.stringify(event)}`).toBe(node);
    }
    expect(await verifyAuditChain(db(), { graceSeconds: 3600 })).toEqual({
      ok: true,
      events: rows.length,
    });
  });
});

describe('a full walk of thousands of events', () => {
  const EVENTS = 6000;

  it('finds one event edited in the middle of a range and of a page, and nothing else', async () => {
    const before = Number(
      (await sql<{ n: string }>`select count(*)::text as n from audit_chain_link`.execute(owner()))
        .rows[0]?.n,
    );
    await sql`
      insert into audit_event (id, actor_account_id, action, object_type, object_ids, purpose, outcome)
      select gen_random_uuid(), md5('account' || (g % 50))::uuid, 'record.read', 'case-record',
        array[md5('record' || g)::uuid::text], 'safeguarding-assessment', 'success'
      from generate_series(1, ${EVENTS}) g`.execute(owner());
    await chainAuditEvents(db(), { wait: true });
    const total = before + EVENTS;
    // Two ranges of 3,000-odd links, pages of 1,000: the edit sits inside both.
    const options = { graceSeconds: 3600, pageSize: 1000, ranges: 2 };
    expect(await verifyAuditChain(db(), options)).toEqual({ ok: true, events: total });

    const middle = await db()
      .selectFrom('audit_chain_link')
      .select(['seq', 'event_seq'])
      .where('seq', '=', before + Math.floor(EVENTS / 4) + 500)
      .executeTakeFirstOrThrow();
    await tamper(
      owner(),
      sql`update audit_event set request_id = 'moved' where seq = ${middle.event_seq}`,
    );
    const result = await verifyAuditChain(db(), options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.events).toBe(total);
    expect(result.findings.map((f) => [f.seq, f.linkSeq, f.reason])).toEqual([
      [middle.event_seq, middle.seq, 'its content does not match its hash (it was altered)'],
    ]);
    // Walked in one piece, with the default page, it names the same.
    const whole = await verifyAuditChain(db(), { graceSeconds: 3600, ranges: 1 });
    expect(whole.ok ? [] : whole.findings).toEqual(result.findings);
  });
});

describe('a page whose links name events far apart', () => {
  it('finds its events by their seqs, and still finds what was edited', async () => {
    const fresh = await testDatabase();
    try {
      const insert = (count: number) =>
        sql`
          insert into audit_event (id, action, object_ids, outcome)
          select gen_random_uuid(), 'record.read', array['record-' || g], 'success'
          from generate_series(1, ${count}) g`.execute(fresh.owner);
      await insert(1200);
      // An event given a seq of its own choosing, far above the rest, then more.
      await sql`
        insert into audit_event (seq, id, action, object_ids, outcome) overriding system value
        values (900000, gen_random_uuid(), 'record.read', '{record-far}', 'success')`.execute(
        fresh.owner,
      );
      await chainAuditEvents(fresh.db, { wait: true });
      await insert(20);
      await chainAuditEvents(fresh.db, { wait: true });
      const far = await fresh.db
        .selectFrom('audit_chain_link')
        .select('seq')
        .where('event_seq', '=', 900000)
        .executeTakeFirstOrThrow();
      // Pages of 30: the far event's page spans seqs about 900,000 wide.
      const options = { graceSeconds: 3600, pageSize: 30 };
      expect(await verifyAuditChain(fresh.db, options)).toEqual({ ok: true, events: 1221 });

      const near = await fresh.db
        .selectFrom('audit_chain_link')
        .select(['seq', 'event_seq'])
        .where('seq', '=', far.seq + 1)
        .executeTakeFirstOrThrow();
      expect(Math.floor((near.seq - 1) / 30)).toBe(Math.floor((far.seq - 1) / 30));
      await tamper(
        fresh.owner,
        sql`update audit_event set outcome = 'denied' where seq in (900000, ${near.event_seq})`,
      );
      const result = await verifyAuditChain(fresh.db, options);
      expect(result.ok ? [] : result.findings.map((f) => [f.seq, f.linkSeq, f.reason])).toEqual([
        [900000, far.seq, 'its content does not match its hash (it was altered)'],
        [near.event_seq, near.seq, 'its content does not match its hash (it was altered)'],
      ]);
    } finally {
      await fresh.close();
    }
  });
});

describe('the walk trusts only PostgreSQL’s own functions and operators', () => {
  // The database re-hashes each event for the walk (decision 0051), so the
  // walk must not be talked round by the database it checks: an owner who
  // puts a schema with an "=" that always agrees ahead of pg_catalog on the
  // path (ALTER DATABASE … SET search_path) must not hide an edited event.
  it.skipIf(!process.env.DATABASE_URL)(
    'finds an edited event though an "=" that always agrees stands ahead of pg_catalog',
    async () => {
      const fresh = await testDatabase();
      const connection = fresh.ownerConnection;
      if (!connection) throw new Error('a PostgreSQL scratch database has an owner connection');
      const schema = connection.schema;
      const misled = await openDatabase(
        { kind: 'postgres', url: connection.url },
        { schema: `${schema},pg_catalog` },
      );
      try {
        await sql`
          insert into audit_event (id, action, object_ids, outcome)
          select gen_random_uuid(), 'record.read', array['record-' || g], 'success'
          from generate_series(1, 50) g`.execute(fresh.owner);
        await chainAuditEvents(fresh.db, { wait: true });
        await sql`
          create function ${sql.id(schema, 'always_agrees')}(text, text) returns boolean
          language sql immutable as 'select true'`.execute(fresh.owner);
        await sql`
          create operator ${sql.id(schema)}.= (
            leftarg = text, rightarg = text, function = ${sql.id(schema, 'always_agrees')})`.execute(
          fresh.owner,
        );
        // The operator does mislead a query that does not guard against it.
        const fooled = await sql<{
          agrees: boolean;
        }>`select 'a'::text = 'b'::text as agrees`.execute(misled.db);
        expect(fooled.rows[0]?.agrees).toBe(true);

        const edited = await fresh.db
          .selectFrom('audit_chain_link')
          .select(['seq', 'event_seq'])
          .where('seq', '=', 25)
          .executeTakeFirstOrThrow();
        await tamper(
          fresh.owner,
          sql`update audit_event set outcome = 'denied' where seq = ${edited.event_seq}`,
        );
        const result = await verifyAuditChain(misled.db, { graceSeconds: 3600, pageSize: 20 });
        expect(result.ok ? [] : result.findings.map((f) => [f.seq, f.linkSeq, f.reason])).toEqual([
          [edited.event_seq, edited.seq, 'its content does not match its hash (it was altered)'],
        ]);
      } finally {
        await misled.close();
        await fresh.close();
      }
    },
  );
});
