import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import {
  APPEND_ONLY_TABLES,
  currentRole,
  DatabaseRoleError,
  grantAppRole,
  READ_ONLY_TABLES,
} from './roles.js';
import type { ScratchDatabase } from './scratch.js';
import type { Database } from './schema.js';

/**
 * The app's database role cannot rewrite what must only be appended to
 * (issue #10 item 12, decision record 0015). On PostgreSQL the tests' app
 * connects as a role that owns nothing (db/scratch.ts); on PGlite there is
 * one embedded process and no roles, so none of this can hold there.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

/** Tables no one may change, delete from or truncate; the app may append to the first only. */
const GUARDED = [...APPEND_ONLY_TABLES, ...READ_ONLY_TABLES];

onPostgres('the app’s database role', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await testDatabase();
    await database.db
      .transaction()
      .execute((trx) =>
        recordAudit(trx, { action: 'test.event', actorAccountId: null, organisationId: null }),
      );
  });
  afterAll(() => database.close());

  const app = () => database.db as unknown as Kysely<unknown>;

  it('is not the role that owns the tables, and owns none of them', async () => {
    expect(await currentRole(database.db)).not.toBe(await currentRole(database.owner));
    const { rows } = await sql<{ table: string }>`
      select tablename as table from pg_tables
      where schemaname = current_schema() and tableowner = current_user`.execute(app());
    expect(rows).toEqual([]);
  });

  it('appends to and reads the audit log', async () => {
    await database.db
      .transaction()
      .execute((trx) =>
        recordAudit(trx, { action: 'test.second', actorAccountId: null, organisationId: null }),
      );
    const actions = await database.db.selectFrom('audit_event').select('action').execute();
    expect(actions.map((a) => a.action)).toEqual(['test.event', 'test.second']);
  });

  describe.each(GUARDED.map((table) => [table]))('on %s', (table) => {
    const name = sql.id(table);
    let column: ReturnType<typeof sql.id>;
    let triggers: string[];
    let rowsBefore: number;
    const countRows = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from ${name}`.execute(database.owner))
        .rows[0]?.n;
    beforeAll(async () => {
      rowsBefore = (await countRows()) ?? -1;
      const columns = await sql<{ column: string }>`
        select column_name as column from information_schema.columns
        where table_schema = current_schema() and table_name = ${table}
          and is_identity = 'NO' and is_generated = 'NEVER'
        order by ordinal_position limit 1`.execute(database.owner);
      column = sql.id(columns.rows[0]!.column);
      const found = await sql<{ trigger: string }>`
        select tgname as trigger from pg_trigger
        where tgrelid = ${table}::regclass and not tgisinternal`.execute(database.owner);
      triggers = found.rows.map((t) => t.trigger);
    });

    it('cannot UPDATE, DELETE or TRUNCATE', async () => {
      const refused = /permission denied/;
      await expect(sql`update ${name} set ${column} = ${column}`.execute(app())).rejects.toThrow(
        refused,
      );
      await expect(sql`delete from ${name}`.execute(app())).rejects.toThrow(refused);
      await expect(sql`truncate ${name}`.execute(app())).rejects.toThrow(refused);
    });

    it('cannot switch off, drop or replace its triggers, alter or drop it', async () => {
      const notOwner = /must be owner/;
      await expect(sql`alter table ${name} disable trigger all`.execute(app())).rejects.toThrow(
        notOwner,
      );
      for (const trigger of triggers) {
        await expect(
          sql`alter table ${name} disable trigger ${sql.id(trigger)}`.execute(app()),
        ).rejects.toThrow(notOwner);
        await expect(
          sql`drop trigger ${sql.id(trigger)} on ${name}`.execute(app()),
        ).rejects.toThrow(notOwner);
      }
      await expect(sql`alter table ${name} add column forged text`.execute(app())).rejects.toThrow(
        notOwner,
      );
      await expect(sql`drop table ${name}`.execute(app())).rejects.toThrow(notOwner);
      await expect(
        sql`alter table ${name} owner to ${sql.id(await currentRole(app()))}`.execute(app()),
      ).rejects.toThrow(notOwner);
    });

    it('leaves what was appended as it was', async () => {
      expect(await countRows()).toBe(rowsBefore);
    });
  });

  it.each(READ_ONLY_TABLES.map((table) => [table]))(
    'reads %s but cannot append to it: only the owner’s function writes it',
    async (table) => {
      const { rows } = await sql<{ insert: boolean; select: boolean }>`
        select has_table_privilege(current_user, ${table}, 'INSERT') as insert,
               has_table_privilege(current_user, ${table}, 'SELECT') as select`.execute(app());
      expect(rows[0]).toEqual({ insert: false, select: true });
      await expect(
        sql`select count(*) from ${sql.id(table)}`.execute(app()),
      ).resolves.toBeDefined();
      await expect(sql`insert into ${sql.id(table)} default values`.execute(app())).rejects.toThrow(
        /permission denied/,
      );
    },
  );

  it('cannot reach the audit log’s months directly, only through the log, and keeps them coming', async () => {
    const months = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'audit_event'::regclass`.execute(database.owner);
    expect(months.rows.length).toBeGreaterThan(12);
    const refused = /permission denied/;
    for (const { name } of months.rows.slice(0, 2)) {
      const month = sql.id(name);
      await expect(sql`select count(*) from ${month}`.execute(app())).rejects.toThrow(refused);
      await expect(sql`update ${month} set purpose = null`.execute(app())).rejects.toThrow(refused);
      await expect(sql`delete from ${month}`.execute(app())).rejects.toThrow(refused);
      await expect(sql`truncate ${month}`.execute(app())).rejects.toThrow(refused);
    }
    // The daily job, as the app, makes the next months; they belong to the
    // owner and are as closed to the app as the rest.
    const made = await sql<{ made: number }>`
      select audit_event_make_partitions(15) as made`.execute(app());
    expect(made.rows[0]?.made).toBeGreaterThan(0);
    const newest = await sql<{ name: string; owner: string }>`
      select c.relname as name, pg_get_userbyid(c.relowner) as owner
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'audit_event'::regclass order by c.relname desc limit 1`.execute(
      database.owner,
    );
    expect(newest.rows[0]?.owner).toBe(await currentRole(database.owner));
    await expect(sql`delete from ${sql.id(newest.rows[0]!.name)}`.execute(app())).rejects.toThrow(
      refused,
    );
  });

  it('cannot touch the migrations’ bookkeeping', async () => {
    await expect(sql`delete from kysely_migration`.execute(app())).rejects.toThrow(
      /permission denied/,
    );
  });

  it('refuses to grant a role that owns the tables or is a superuser', async () => {
    const owner = database.owner as unknown as Kysely<Database>;
    await expect(grantAppRole(owner, await currentRole(owner))).rejects.toThrow(DatabaseRoleError);
  });
});
