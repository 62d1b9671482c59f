import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliDatabase } from '../test/support/cli.js';
import type { Config } from './config.js';
import { openDatabase } from './db/connection.js';

const run = promisify(execFile);

/**
 * The CLI as a newcomer runs it, in a child process, on a database of its
 * own: a PGlite folder, or a fresh database on the server in DATABASE_URL.
 */
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
let database: Config['database'];

beforeAll(async () => {
  ({ database, env, cleanup } = await cliDatabase('safekeep_cli'));
});
afterAll(() => cleanup());

function safekeep(...args: string[]) {
  return run(process.execPath, [cli, ...args], { env, timeout: 120_000 });
}

// Each step starts a Node process and opens a database: seconds each, more on a busy machine.
describe('npx safekeep', { timeout: 120_000 }, () => {
  it('migrates, loads demo data once, and verifies the audit chain', async () => {
    expect((await safekeep('migrate')).stdout).toContain('Applied: 0001-platform');
    expect((await safekeep('migrate')).stdout).toContain('Already up to date');
    expect((await safekeep('demo')).stdout).toContain('Demo data loaded');
    await expect(safekeep('demo')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already has staff accounts'),
    });
    // The partnerships' demo reviews stand at different stages of the workflow.
    const handle = await openDatabase(database);
    try {
      const stages = await handle.db
        .selectFrom('practice_review')
        .innerJoin('organisation', 'organisation.id', 'practice_review.organisation_id')
        .select(['organisation.slug', 'practice_review.stage'])
        .execute();
      for (const organisation of ['kscmp', 'sscp']) {
        expect(
          stages
            .filter((s) => s.slug === organisation)
            .map((s) => s.stage)
            .sort(),
        ).toEqual(['lcspr', 'published', 'referred']);
      }
    } finally {
      await handle.close();
    }
    const verified = await safekeep('audit', 'verify');
    expect(verified.stdout).toMatch(/Audit chain intact: \d+ events verified/);
  });

  it('fails verification, naming the first broken event, after a row is altered in SQL', async () => {
    const handle = await openDatabase(database);
    let tamperedSeq: number;
    try {
      const target = await handle.db
        .selectFrom('audit_event')
        .select(['seq', 'id'])
        .orderBy('seq')
        .offset(1)
        .limit(1)
        .executeTakeFirstOrThrow();
      tamperedSeq = target.seq;
      await handle.db.transaction().execute(async (trx) => {
        await sql`alter table audit_event disable trigger audit_event_append_only`.execute(trx);
        await sql`update audit_event set purpose = 'tampered' where seq = ${target.seq}`.execute(
          trx,
        );
        await sql`alter table audit_event enable trigger audit_event_append_only`.execute(trx);
      });
    } finally {
      await handle.close();
    }
    await expect(safekeep('audit', 'verify')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`Audit chain BROKEN at event ${tamperedSeq}`),
    });
  });

  it('refuses to start in production with default secrets, saying which', async () => {
    await expect(
      run(process.execPath, [cli, 'migrate'], { env: { ...env, NODE_ENV: 'production' } }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('SESSION_SECRET') });
  });
});
