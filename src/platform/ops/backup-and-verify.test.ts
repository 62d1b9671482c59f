import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainAndVerify, tamper } from '../../../test/support/audit.js';
import { cliDatabase } from '../../../test/support/cli.js';
import type { Config } from '../../config.js';
import { openDatabase } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadDemoData } from '../../demo/demo-data.js';
import { syncReferenceData } from '../reference-data.js';

/**
 * `bin/backup-and-verify`, the README's backup procedure as a script: back
 * up with pg_dump, restore into a new database, verify the restored audit
 * chain, drop the copy. PostgreSQL only (on the laptop default the backup
 * is a copy of ./data, taken with the app stopped).
 */
const onPostgres = Boolean(process.env.DATABASE_URL);
const script = path.resolve(import.meta.dirname, '../../../bin/backup-and-verify');
const run = promisify(execFile);

let database: Config['database'];
let cleanup: () => Promise<void>;
let folder: string;

beforeAll(async () => {
  if (!onPostgres) return;
  ({ database, cleanup } = await cliDatabase('safekeep_backup'));
  folder = await mkdtemp(path.join(tmpdir(), 'safekeep-backup-check-'));
  const handle = await openDatabase(database);
  try {
    await migrateToLatest(handle.db);
    await syncReferenceData(handle.db);
    await loadDemoData(handle.db, { peoplePerOrganisation: 4 });
    expect((await chainAndVerify(handle.db)).ok).toBe(true);
  } finally {
    await handle.close();
  }
}, 120_000);
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  await cleanup?.();
});

/** The copies the script made and has not dropped. */
async function restoreCopies(): Promise<number> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      `select count(*)::int as n from pg_database where datname like 'safekeep_restore_check_%'`,
    );
    return rows[0]?.n ?? 0;
  } finally {
    await admin.end();
  }
}

function backUpAndVerify(file: string) {
  if (database.kind !== 'postgres') throw new Error('PostgreSQL only');
  const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_URL: database.url };
  delete env.DATABASE_URL;
  return run(script, [file], { env, timeout: 120_000 });
}

describe.skipIf(!onPostgres)('bin/backup-and-verify', { timeout: 120_000 }, () => {
  it('backs up, restores into a new database, verifies the chain there, and drops the copy', async () => {
    const before = await restoreCopies();
    const file = path.join(folder, 'safekeep.dump');
    const { stdout } = await backUpAndVerify(file);
    expect(stdout).toMatch(/Audit chain intact: \d+ events verified/);
    expect(stdout).toContain('restored into a new database and verified');
    expect((await stat(file)).size).toBeGreaterThan(10_000);
    expect(await restoreCopies()).toBe(before);
  });

  it('fails, naming the broken event, when the database it backs up was tampered with', async () => {
    if (database.kind !== 'postgres') throw new Error('PostgreSQL only');
    const handle = await openDatabase(database);
    let seq: number;
    try {
      const target = await handle.db
        .selectFrom('audit_event')
        .select('seq')
        .orderBy('seq')
        .offset(3)
        .limit(1)
        .executeTakeFirstOrThrow();
      seq = target.seq;
      await tamper(handle.db, sql`update audit_event set purpose = 'tampered' where seq = ${seq}`);
    } finally {
      await handle.close();
    }
    const before = await restoreCopies();
    await expect(backUpAndVerify(path.join(folder, 'tampered.dump'))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`Audit chain BROKEN at event ${seq}`),
    });
    expect(await restoreCopies()).toBe(before);
  });
});
