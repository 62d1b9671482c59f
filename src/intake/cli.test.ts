import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliDatabase } from '../../test/support/cli.js';
import { xlsxOf } from '../../test/support/xlsx.js';

/**
 * `safekeep import FILE --kind …` as an operator runs it: a Police
 * missing-from-home file in Excel, progress on standard error, the outcome
 * as one JSON line; the same file again changes nothing; a file whose
 * columns cannot be mapped is refused with what to put right.
 */
const run = promisify(execFile);
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
let dir: string;

const safekeep = (...args: string[]) =>
  run(process.execPath, [cli, ...args], { env, timeout: 240_000 });

beforeAll(async () => {
  ({ env, cleanup } = await cliDatabase('safekeep_import'));
  dir = await mkdtemp(path.join(tmpdir(), 'safekeep-import-'));
  await writeFile(
    path.join(dir, 'missing.xlsx'),
    await xlsxOf([
      ['Occurrence number', 'Forename', 'Surname', 'DOB', 'Sex', 'Missing from', 'Returned'],
      ['KP-26-0001', 'Roisin', 'Callaghan', new Date(Date.UTC(2011, 5, 3)), 'F', '2026-02-01', ''],
      [
        'KP-26-0002',
        'Roisin',
        'Callaghan',
        new Date(Date.UTC(2011, 5, 3)),
        'F',
        '2026-02-09',
        '10/02/2026',
      ],
      ['KP-26-0003', 'Dev', 'Lakhani', '31/13/2010', 'M', '2026-02-11', ''],
    ]),
  );
  await writeFile(path.join(dir, 'unmapped.csv'), 'Ref,Name\n1,Someone\n');
  await safekeep('migrate');
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await cleanup?.();
});

describe('safekeep import', () => {
  it('imports, makes one person of two rows, holds the bad row, and reports', async () => {
    const { stdout, stderr } = await safekeep(
      'import',
      path.join(dir, 'missing.xlsx'),
      '--kind',
      'police-missing',
      '--partner',
      'Kent Police',
      '--column',
      'reference=Occurrence number',
    );
    const outcome = JSON.parse(stdout.trim()) as Record<string, number>;
    expect(outcome).toMatchObject({ rows: 3, created: 1, linked: 1, invalid: 1, repeated: 0 });
    expect(stderr).toContain('Matched 3 of 3 rows');

    const again = await safekeep(
      'import',
      path.join(dir, 'missing.xlsx'),
      '--kind',
      'police-missing',
      '--partner',
      'Kent Police',
    );
    // The mapping was saved for Kent Police; every row is known by its reference.
    expect(JSON.parse(again.stdout.trim())).toMatchObject({
      rows: 3,
      created: 0,
      linked: 0,
      repeated: 3,
    });
  }, 240_000);

  it('refuses columns it cannot map, saying which', async () => {
    const refused = safekeep(
      'import',
      path.join(dir, 'unmapped.csv'),
      '--kind',
      'court-order',
      '--partner',
      'Family Court',
    );
    await expect(refused).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Choose the column that holds the date of birth'),
    });
  }, 120_000);
});
