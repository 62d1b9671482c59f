import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config.js';
import { ensureTestAppRole, TEST_APP_ROLE } from '../../src/db/scratch.js';

/** The `safekeep` command as a newcomer runs it. */
export const cli = path.resolve(import.meta.dirname, '../../bin/safekeep.js');

/**
 * A database for CLI child processes, of the test's own: a PGlite folder, or
 * a fresh database on the server in DATABASE_URL. Gives the config to open it
 * in-process too — on PostgreSQL as the tables' owner, for set-up and for
 * tampering as an insider would — and the environment for the child, which
 * runs as the app role (TEST_APP_ROLE) and migrates as the owner.
 */
export async function cliDatabase(prefix: string): Promise<{
  database: Config['database'];
  env: NodeJS.ProcessEnv;
  cleanup: () => Promise<void>;
}> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `${prefix}_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await ensureTestAppRole(admin);
    await admin.end();
    // As in production: the CLI migrates as the owner, and runs as the app role.
    const ownerUrl = new URL(serverUrl);
    ownerUrl.pathname = `/${name}`;
    const appUrl = new URL(ownerUrl);
    appUrl.username = TEST_APP_ROLE;
    appUrl.password = '';
    return {
      database: { kind: 'postgres', url: ownerUrl.toString() },
      env: {
        ...process.env,
        DATABASE_URL: appUrl.toString(),
        DATABASE_OWNER_URL: ownerUrl.toString(),
        LOG_LEVEL: 'silent',
      },
      cleanup: async () => {
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), `${prefix}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return {
    database: { kind: 'pglite', dataDir: path.join(dir, 'pglite') },
    env,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs a JSON Lines what-if tool (no database: none is configured) with the
 * given input; returns its exit code and parsed output lines.
 */
export function runJsonLinesCli(
  args: string[],
  input: string,
): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: '/nonexistent/safekeep' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [cli, ...args], { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        lines: out
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    );
    child.stdin.end(input);
  });
}
