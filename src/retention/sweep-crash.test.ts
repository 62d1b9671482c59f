import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliDatabase } from '../../test/support/cli.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { syncReferenceData } from '../platform/reference-data.js';
import { SWEEP_LOCK } from './sweep-runs.js';
import { insertDueRecords } from './synthetic-due-records.js';

/**
 * The sweep killed with SIGKILL part-way, as a crashed server or a pulled
 * plug would stop it, then run again: nothing half-destroyed, nothing
 * destroyed twice, everything due destroyed and certified exactly once.
 */
const RECORDS = 3000;

let database: Config['database'];
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ database, env, cleanup } = await cliDatabase('safekeep_crash'));
  const handle = await openDatabase(database);
  try {
    await migrateToLatest(handle.db);
    await syncReferenceData(handle.db);
    await insertDueRecords(handle.db, RECORDS, { notesPerRecord: 2 });
  } finally {
    await handle.close();
  }
}, 120_000);
afterAll(() => cleanup());

/**
 * Runs the CLI sweep; with `killMidway`, sends SIGKILL as soon as its
 * progress shows some records destroyed and some still to go.
 */
function sweep(killMidway = false): Promise<{
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'retention', 'sweep', '--as-of', '2026-11-25'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const progress = /Disposing: (\d+)\/(\d+)/.exec(chunk.toString());
      if (
        killMidway &&
        progress &&
        Number(progress[1]) > 0 &&
        Number(progress[1]) < Number(progress[2])
      ) {
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function state() {
  const handle = await openDatabase(database);
  try {
    const records = await handle.db.selectFrom('case_record').select('id').execute();
    const notes = await handle.db
      .selectFrom('case_note')
      .select((eb) => ['record_id', eb.fn.countAll<number>().as('n')])
      .groupBy('record_id')
      .execute();
    const certified = (
      await handle.db.selectFrom('disposal_certificate').select('record_ids').execute()
    ).flatMap((c) => c.record_ids);
    const people = await handle.db.selectFrom('person').select('id').execute();
    return { records: records.map((r) => r.id), notes, certified, people: people.length };
  } finally {
    await handle.close();
  }
}

describe('a retention sweep killed with SIGKILL', () => {
  it('leaves nothing half-destroyed, and a rerun finishes the job exactly once', async () => {
    const killed = await sweep(true);
    expect(killed.signal).toBe('SIGKILL');
    const after = await state();
    // It really stopped part-way.
    expect(after.certified.length).toBeGreaterThan(0);
    expect(after.records.length).toBeGreaterThan(0);
    // Every record still here is whole; every record gone is certified once.
    expect(after.notes.every((n) => Number(n.n) === 2)).toBe(true);
    expect(after.notes).toHaveLength(after.records.length);
    expect(new Set(after.certified).size).toBe(after.certified.length);
    expect(after.certified.length + after.records.length).toBe(RECORDS);
    expect(after.records.some((id) => after.certified.includes(id))).toBe(false);

    const rerun = await sweep();
    expect(rerun.code).toBe(0);
    // The killed sweep is not left "unfinished" for ever.
    expect(rerun.stdout).toContain(
      '1 earlier sweep(s) had stopped part-way and are now marked interrupted',
    );
    const runs = await promisify(execFile)(process.execPath, [cli, 'retention', 'runs'], { env });
    expect(runs.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^Started .*, as of 25 Nov 2026, sweep, finished, \d+ disposed of$/),
      expect.stringMatching(/^Started .*, as of 25 Nov 2026, sweep, interrupted, \d+ disposed of$/),
    ]);
    const end = await state();
    expect(end.records).toEqual([]);
    expect(end.notes).toEqual([]);
    expect(end.people).toBe(0);
    expect(end.certified).toHaveLength(RECORDS);
    expect(new Set(end.certified).size).toBe(RECORDS);
  }, 180_000);
});

(process.env.DATABASE_URL ? describe : describe.skip)('a second sweep while one runs', () => {
  it('is not started: one line, no stack trace, exit 75', async () => {
    const other = new pg.Client({
      connectionString: database.kind === 'postgres' ? database.url : '',
    });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [SWEEP_LOCK]);
      const second = await sweep();
      expect(second.code).toBe(75);
      expect(second.stderr.trim()).toBe(
        'Not started: a retention sweep is already running. Try again when it has finished.',
      );
    } finally {
      await other.end();
    }
  }, 60_000);
});
