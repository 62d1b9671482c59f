import { execFile, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tamper } from '../test/support/audit.js';
import { cli, cliDatabase } from '../test/support/cli.js';
import type { Config } from './config.js';
import { openDatabase } from './db/connection.js';
import { TEST_APP_ROLE } from './db/scratch.js';
import { writeCheckpoint } from './platform/audit/checkpoints.js';

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
    if (database.kind === 'postgres') {
      // Migrated as the owner; the app's role owns nothing and may only
      // read and append to the audit log (db/roles.ts).
      const owner = await openDatabase(database);
      try {
        const { rows } = await sql<{ owned: number; update: boolean; insert: boolean }>`
          select
            (select count(*)::int from pg_tables
              where schemaname = 'public' and tableowner = ${TEST_APP_ROLE}) as owned,
            has_table_privilege(${TEST_APP_ROLE}, 'audit_event', 'UPDATE') as update,
            has_table_privilege(${TEST_APP_ROLE}, 'audit_event', 'INSERT') as insert`.execute(
          owner.db,
        );
        expect(rows[0]).toEqual({ owned: 0, update: false, insert: true });
      } finally {
        await owner.close();
      }
    }
  });

  it('signs checkpoints out of the database, and verify holds the chain to them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'safekeep-checkpoints-'));
    try {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const keyFile = path.join(dir, 'checkpoint-key.pem');
      const publicKeyFile = path.join(dir, 'checkpoint-public.pem');
      const checkpoints = path.join(dir, 'checkpoints.jsonl');
      await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
      const signer = {
        ...env,
        AUDIT_CHECKPOINT_KEY_FILE: keyFile,
        AUDIT_CHECKPOINT_FILE: checkpoints,
      };
      const verifier = { ...env, AUDIT_CHECKPOINT_PUBLIC_KEY_FILE: publicKeyFile };
      const opts = { timeout: 120_000 };

      const signed = await run(process.execPath, [cli, 'audit', 'checkpoint'], {
        env: signer,
        ...opts,
      });
      expect(signed.stdout).toContain('"type":"safekeep.audit.checkpoint"');
      expect((await readFile(checkpoints, 'utf8')).trim().split('\n')).toHaveLength(1);

      await expect(safekeep('audit', 'verify', '--checkpoints', checkpoints)).rejects.toMatchObject(
        {
          code: 1,
          stderr: expect.stringContaining('needs the public key'),
        },
      );
      const verified = await run(
        process.execPath,
        [cli, 'audit', 'verify', '--full', '--checkpoints', checkpoints],
        { env: verifier, ...opts },
      );
      expect(verified.stdout).toMatch(
        /Audit chain intact: \d+ events verified, 2 signed checkpoints match it/,
      );

      // An insider removes the newest events, their links and the database's checkpoints.
      const handle = await openDatabase(database);
      try {
        await tamper(
          handle.db,
          sql`delete from audit_chain_link where seq > (select max(seq) - 2 from audit_chain_link)`,
          sql`delete from audit_event e where not exists (select 1 from audit_chain_link l where l.event_seq = e.seq)`,
          sql`delete from audit_checkpoint`,
        );
      } finally {
        await handle.close();
      }
      // The chain alone cannot tell; the shipped checkpoints can.
      expect((await safekeep('audit', 'verify')).stdout).toMatch(/Audit chain intact/);
      await expect(
        run(process.execPath, [cli, 'audit', 'verify', '--full', '--checkpoints', checkpoints], {
          env: verifier,
          ...opts,
        }),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('the newest events were removed'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('verifies from the newest signed checkpoint by default when the public key is set (issue 16)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'safekeep-checkpoints-'));
    try {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const publicKeyFile = path.join(dir, 'checkpoint-public.pem');
      const checkpoints = path.join(dir, 'checkpoints.jsonl');
      await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
      const opts = { timeout: 120_000 };
      // Signed whether or not the chain grew since the last (`audit
      // checkpoint` signs only a grown chain).
      const handle = await openDatabase(database);
      try {
        await writeCheckpoint(handle.db, privateKey, { file: checkpoints });
      } finally {
        await handle.close();
      }
      const verified = await run(
        process.execPath,
        [cli, 'audit', 'verify', '--checkpoints', checkpoints],
        { env: { ...env, AUDIT_CHECKPOINT_PUBLIC_KEY_FILE: publicKeyFile }, ...opts },
      );
      expect(verified.stdout).toMatch(
        /Audit chain intact since the checkpoint signed .* \(link \d+\): \d+ events verified, 2 signed checkpoints match it/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('issues a SCIM token for an organisation’s provider: shown once, stored as a hash, replacing the one before (issue 16)', async () => {
    await expect(safekeep('sso', 'scim-token', '--organisation', 'kent-scs')).rejects.toMatchObject(
      {
        code: 1,
        stderr: expect.stringContaining('has no single sign-on provider'),
      },
    );
    // The database is opened only between the CLI's runs: an embedded PGlite
    // folder has one process at a time.
    const handle = await openDatabase(database);
    try {
      const kent = await handle.db
        .selectFrom('organisation')
        .select('id')
        .where('slug', '=', 'kent-scs')
        .executeTakeFirstOrThrow();
      await handle.db
        .insertInto('sso_provider')
        .values({
          organisation_id: kent.id,
          issuer: 'https://login.kent-scs.example/tenant/v2.0',
          client_id: 'safekeep-kent-scs',
          redirect_uri: 'https://safekeep.example/sign-in/single-sign-on/callback',
          subject_claim: 'oid',
        })
        .execute();
    } finally {
      await handle.close();
    }
    const tokenOf = async () => {
      const { stdout } = await safekeep('sso', 'scim-token', '--organisation', 'kent-scs');
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toContain('shown once');
      return lines[1] ?? '';
    };
    const first = await tokenOf();
    const second = await tokenOf();
    expect(first).toMatch(/^\S{32,}$/);
    expect(second).not.toBe(first);
    const after = await openDatabase(database);
    try {
      const stored = await after.db.selectFrom('sso_scim_token').select('token_hash').execute();
      expect(stored.map((r) => r.token_hash)).toEqual([
        createHash('sha256').update(second).digest('hex'),
      ]);
      expect(JSON.stringify(stored)).not.toContain(second);
    } finally {
      await after.close();
    }
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

  it('says in one line, with no stack trace, when PostgreSQL cannot be reached, and exits 69', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const unreachable: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: `postgres://safekeep@127.0.0.1:${port}/safekeep`,
    };
    delete unreachable.DATABASE_OWNER_URL;
    for (const command of [['serve'], ['migrate'], ['audit', 'verify'], ['retention', 'sweep']]) {
      const failed = await run(process.execPath, [cli, ...command], {
        env: { ...unreachable, PORT: '0' },
        timeout: 60_000,
      }).then(
        () => null,
        (error: unknown) => error as { code: number; stderr: string },
      );
      expect(failed, command.join(' ')).not.toBeNull();
      expect(failed!.code, command.join(' ')).toBe(69);
      expect(failed!.stderr.trim().split('\n'), command.join(' ')).toEqual([
        `Cannot use the PostgreSQL database: no PostgreSQL server answers at 127.0.0.1:${port} (connection refused; is it running, and is DATABASE_URL right?).`,
      ]);
    }
  });

  // A server's connections ended under it (a failover, an administrator):
  // it stays up and answers from new ones.
  (process.env.DATABASE_URL ? it : it.skip)(
    'keeps serving when PostgreSQL ends its connections',
    async () => {
      const server = spawn(process.execPath, [cli, 'serve'], {
        env: { ...env, PORT: '0', DEMO_DATA: 'false', RETENTION_SWEEP: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          let out = '';
          server.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const found = /localhost:(\d+)\/sign-in/.exec(out);
            if (found) resolve(Number(found[1]));
          });
          server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
        });
        const health = () => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status);
        expect(await health()).toBe(200);
        expect(await fetch(`http://127.0.0.1:${port}/sign-in`).then((r) => r.status)).toBe(200);

        const admin = new pg.Client({
          connectionString: database.kind === 'postgres' ? database.url : '',
        });
        await admin.connect();
        try {
          const ended = await admin.query(
            `select pg_terminate_backend(pid) from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid() and application_name = 'safekeep'`,
          );
          expect(ended.rowCount).toBeGreaterThan(0);
        } finally {
          await admin.end();
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(server.exitCode).toBeNull();
        expect(await health()).toBe(200);
        expect(await fetch(`http://127.0.0.1:${port}/sign-in`).then((r) => r.status)).toBe(200);
      } finally {
        server.kill('SIGTERM');
      }
    },
  );
});
