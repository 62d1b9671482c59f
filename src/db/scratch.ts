import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { DatabaseTimeouts } from '../config.js';
import { syncReferenceData } from '../platform/reference-data.js';
import { openDatabase, type DatabaseHandle } from './connection.js';
import { migrateToLatest } from './migrate.js';
import { grantAppRole } from './roles.js';
import type { Database } from './schema.js';
import { MIGRATION_TIMEOUTS } from './setup.js';

/**
 * On PostgreSQL a scratch database's app connects as this role, never the
 * tables' owner, exactly as the app does in production (db/roles.ts): so
 * every test on PostgreSQL runs with the app's real privileges. Created
 * (LOGIN, no password: the test server trusts loopback) when missing.
 */
export const TEST_APP_ROLE = 'safekeep_app_test';

export interface ScratchOptions {
  /** On PostgreSQL: other limits than the defaults, for a test that runs into one. */
  timeouts?: Partial<DatabaseTimeouts>;
  /** On PGlite: start from this migrated data directory (OpenOptions.pgliteSnapshot). */
  pgliteSnapshot?: Blob;
  /**
   * On PostgreSQL: a database of its own, cloned from this one
   * (createPostgresTemplate) instead of a fresh schema migrated from nothing.
   * Advisory locks and the catalogue are per database, so tests in cloned
   * databases can run side by side; and a clone is far quicker than
   * fifty-odd migrations.
   */
  postgresTemplate?: string;
  /**
   * On PostgreSQL: a database of this name, made and migrated if missing and
   * kept on close, so a filled database serves later runs (the county-scale
   * benchmarks, whose fill takes minutes). Dropped by hand when done.
   */
  keep?: string;
}

export interface ScratchDatabase extends DatabaseHandle {
  /**
   * The same database as the tables' owner, for what the app itself may not
   * do: a test that tampers with the audit log as an insider with the
   * owner's credentials would. On PGlite (one embedded process, no roles)
   * the same connection as `db`.
   */
  owner: Kysely<Database>;
  /**
   * On PostgreSQL: how the app's own connections reach it, for another
   * process to open the same scratch database as the app (the load
   * benchmark's server processes). Undefined on PGlite, which lives only in
   * this process.
   */
  appConnection?: { url: string; schema: string; applicationName: string };
  /**
   * On PostgreSQL: the same as the tables' owner, for another session of a
   * test's own (one that holds a lock, a backup with pg_dump).
   */
  ownerConnection?: { url: string; schema: string };
}

/**
 * A throw-away database with the schema and reference data and nothing
 * else: an in-memory PGlite, or — given a PostgreSQL URL — a fresh schema on
 * that server, dropped on close, migrated by the URL's role and used by the
 * app through TEST_APP_ROLE. Tests and benchmarks use it so they never
 * touch anyone's records.
 */
export async function openScratchDatabase(
  postgresUrl?: string,
  options: ScratchOptions = {},
): Promise<ScratchDatabase> {
  if (!postgresUrl) {
    const handle = await openDatabase(
      { kind: 'pglite', dataDir: null },
      options.pgliteSnapshot ? { pgliteSnapshot: options.pgliteSnapshot } : {},
    );
    // Cheap on a snapshot that is already migrated and synchronised.
    await migrateToLatest(handle.db);
    await syncReferenceData(handle.db);
    return { ...handle, owner: handle.db };
  }
  const scratch = options.keep
    ? await keptDatabase(postgresUrl, options.keep)
    : options.postgresTemplate
      ? await scratchDatabase(postgresUrl, options.postgresTemplate)
      : await scratchSchema(postgresUrl);
  try {
    if (!options.postgresTemplate) {
      await migrateToLatest(scratch.owner.db);
      await grantAppRole(scratch.owner.db, TEST_APP_ROLE);
    }
    const url = new URL(scratch.ownerUrl);
    url.username = TEST_APP_ROLE;
    url.password = '';
    const appConnection = {
      url: url.toString(),
      schema: scratch.schema,
      applicationName: `safekeep ${scratch.label}`,
    };
    const app = await openDatabase(
      { kind: 'postgres', url: appConnection.url },
      {
        schema: appConnection.schema,
        applicationName: appConnection.applicationName,
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      },
    );
    await syncReferenceData(app.db);
    return {
      db: app.db,
      kind: 'postgres',
      owner: scratch.owner.db,
      appConnection,
      ownerConnection: { url: scratch.ownerUrl, schema: scratch.schema },
      ...(app.poolStats ? { poolStats: app.poolStats } : {}),
      async close() {
        await app.close();
        await scratch.close();
      },
    };
  } catch (error) {
    await scratch.close();
    throw error;
  }
}

/**
 * An in-memory PGlite, migrated and holding the reference data, dumped as a
 * tarball: openScratchDatabase starts from it far faster than from initdb.
 */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const scratch = await openScratchDatabase();
  try {
    if (!scratch.dumpDataDir) throw new Error('an embedded database can be dumped');
    return await scratch.dumpDataDir();
  } finally {
    await scratch.close();
  }
}

/**
 * The same throw-away database with nothing in it, not even the schema: for
 * a test that applies migrations one by one over data of an older shape.
 * Its `db` is the owner's connection, since the test migrates through it.
 */
export async function openEmptyScratchDatabase(postgresUrl?: string): Promise<ScratchDatabase> {
  if (!postgresUrl) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: null });
    return { ...handle, owner: handle.db };
  }
  const scratch = await scratchSchema(postgresUrl);
  return {
    db: scratch.owner.db,
    kind: 'postgres',
    owner: scratch.owner.db,
    ownerConnection: { url: scratch.ownerUrl, schema: scratch.schema },
    close: scratch.close,
  };
}

interface Scratch {
  schema: string;
  /** The schema's or database's name: unique on the server, so connections can be told apart. */
  label: string;
  /** The URL's role, connected to the scratch's database. */
  ownerUrl: string;
  owner: DatabaseHandle;
  close(): Promise<void>;
}

/** A fresh schema on the server, owned by the URL's role; dropped by close(). */
async function scratchSchema(postgresUrl: string): Promise<Scratch> {
  const schema = `scratch_${randomBytes(6).toString('hex')}`;
  await asAdmin(postgresUrl, async (admin) => {
    await admin.query(`create schema ${schema}`);
    await ensureTestAppRole(admin);
  });
  const owner = await openOwner(postgresUrl, schema, schema);
  return {
    schema,
    label: schema,
    ownerUrl: postgresUrl,
    owner,
    async close() {
      await owner.close();
      await asAdmin(postgresUrl, (admin) => admin.query(`drop schema ${schema} cascade`));
    },
  };
}

/** The schema a template database (and so every clone of it) is migrated in. */
const TEMPLATE_SCHEMA = 'scratch';

/**
 * A database on the server, migrated in TEMPLATE_SCHEMA with the app role's
 * grants and the reference data, for openScratchDatabase to clone with
 * `postgresTemplate`. The caller drops it (dropPostgresDatabase) when done.
 * The URL's role needs CREATEDB.
 */
export async function createPostgresTemplate(postgresUrl: string): Promise<string> {
  const name = `${databaseName(postgresUrl)}_template_${randomBytes(4).toString('hex')}`;
  await asAdmin(postgresUrl, async (admin) => {
    await admin.query(`create database ${name}`);
    await ensureTestAppRole(admin);
  });
  const url = withDatabase(postgresUrl, name);
  try {
    await asAdmin(url, (admin) => admin.query(`create schema ${TEMPLATE_SCHEMA}`));
    const owner = await openOwner(url, TEMPLATE_SCHEMA, name);
    try {
      await migrateToLatest(owner.db);
      await grantAppRole(owner.db, TEST_APP_ROLE);
      await syncReferenceData(owner.db);
    } finally {
      await owner.close();
    }
  } catch (error) {
    await dropPostgresDatabase(postgresUrl, name);
    throw error;
  }
  return name;
}

/** Drops a database on the server, ending any session still in it. */
export async function dropPostgresDatabase(postgresUrl: string, name: string): Promise<void> {
  await asAdmin(postgresUrl, (admin) =>
    admin.query(`drop database if exists ${name} with (force)`),
  );
}

/** A clone of a template database; dropped by close(). */
async function scratchDatabase(postgresUrl: string, template: string): Promise<Scratch> {
  const name = `${databaseName(postgresUrl)}_${randomBytes(6).toString('hex')}`;
  await asAdmin(postgresUrl, (admin) =>
    admin.query(`create database ${name} template ${template}`),
  );
  const ownerUrl = withDatabase(postgresUrl, name);
  const owner = await openOwner(ownerUrl, TEMPLATE_SCHEMA, name).catch(async (error: unknown) => {
    await dropPostgresDatabase(postgresUrl, name);
    throw error;
  });
  return {
    schema: TEMPLATE_SCHEMA,
    label: name,
    ownerUrl,
    owner,
    async close() {
      await owner.close();
      await dropPostgresDatabase(postgresUrl, name);
    },
  };
}

/**
 * Marks a database the bench made itself. A table, not a comment on the
 * database, so a copy made with `create database … template` carries it.
 */
const KEPT_MARKER = 'public.safekeep_bench_made';

/**
 * A database of the given name, made when missing and never dropped by
 * close(). An existing database is used only when the bench made it: named
 * after a live database by mistake, the bench would fill it with a million
 * synthetic people.
 */
async function keptDatabase(postgresUrl: string, name: string): Promise<Scratch> {
  // Interpolated into CREATE DATABASE: only plain identifiers.
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`A kept database needs a plain name (a–z, 0–9, _), not "${name}".`);
  }
  const made = await asAdmin(postgresUrl, async (admin) => {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`create database ${name}`);
    await ensureTestAppRole(admin);
    return !exists.rowCount;
  });
  const ownerUrl = withDatabase(postgresUrl, name);
  await asAdmin(ownerUrl, async (admin) => {
    if (made) {
      await admin.query(`create table ${KEPT_MARKER} (made_at timestamptz not null default now())`);
      await admin.query(`insert into ${KEPT_MARKER} default values`);
      return;
    }
    const { rows } = await admin.query<{ marked: boolean }>(
      `select to_regclass('${KEPT_MARKER}') is not null as marked`,
    );
    if (!rows[0]?.marked) {
      throw new Error(
        `The database "${name}" was not made by the bench, so it is left alone: it may hold real records. Give --keep-database a new name, and the bench makes and fills that database.`,
      );
    }
  });
  await asAdmin(ownerUrl, (admin) => admin.query(`create schema if not exists ${TEMPLATE_SCHEMA}`));
  const owner = await openOwner(ownerUrl, TEMPLATE_SCHEMA, name);
  return { schema: TEMPLATE_SCHEMA, label: name, ownerUrl, owner, close: () => owner.close() };
}

function openOwner(url: string, schema: string, label: string): Promise<DatabaseHandle> {
  return openDatabase(
    { kind: 'postgres', url },
    {
      schema,
      applicationName: `safekeep ${label} owner`,
      timeouts: MIGRATION_TIMEOUTS,
      maxConnections: 2,
      // It migrates, then reads tables whose shape has just changed.
      prepareRepeatedStatements: false,
    },
  );
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // Interpolated into CREATE DATABASE: only plain identifiers are cloned.
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(
      `A scratch database is made beside a database with a plain name, not "${name}".`,
    );
  }
  return name;
}

function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

async function asAdmin<T>(url: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Creates TEST_APP_ROLE on the server when it is missing (safe to call from parallel tests). */
export async function ensureTestAppRole(admin: pg.Client): Promise<void> {
  const exists = async () =>
    (await admin.query('select 1 from pg_roles where rolname = $1', [TEST_APP_ROLE])).rowCount;
  if (await exists()) return;
  // Test files start in parallel: one creates the role, the others wait.
  await admin.query('begin');
  try {
    await admin.query('select pg_advisory_xact_lock(7261016)');
    if (!(await exists())) {
      await admin.query(
        `create role ${TEST_APP_ROLE} login nosuperuser nocreatedb nocreaterole noinherit`,
      );
    }
    await admin.query('commit');
  } catch (error) {
    await admin.query('rollback');
    throw error;
  }
}
