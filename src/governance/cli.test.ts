import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/support/cli.js';
import { policyFor } from '../policy/index.js';

const run = promisify(execFile);
// These commands read policy only: no database is opened, so none is needed.
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: '/nonexistent/safekeep' };
delete env.DATABASE_URL;
const safekeep = (...args: string[]) => run(process.execPath, [cli, ...args], { env });

describe('safekeep governance', { timeout: 120_000 }, () => {
  it('ropa --format csv: the ICO template’s columns, one row per processing activity', async () => {
    const { stdout } = await safekeep(
      'governance',
      'ropa',
      '--organisation',
      'kscmp',
      '--format',
      'csv',
    );
    const rows = parse(stdout) as string[][];
    expect(rows[0]?.slice(0, 4)).toEqual([
      'Controller',
      'Data protection officer',
      'Processing activity',
      'Purpose of processing',
    ]);
    expect(rows).toHaveLength(policyFor('kscmp').categories.length + 1);
  });

  it('ropa --format json: the organisation and its activities', async () => {
    const { stdout } = await safekeep(
      'governance',
      'ropa',
      '--organisation',
      'maidstone-bc',
      '--format',
      'json',
    );
    const json = JSON.parse(stdout) as {
      organisation: string;
      activities: { activity: string; retention: string }[];
    };
    expect(json.organisation).toBe('maidstone-bc');
    expect(json.activities.map((a) => a.activity)).toEqual(['Safeguarding concern log']);
    expect(json.activities[0]?.retention).toMatch(/^Kept for 7 years/);
  });

  it('refuses an unknown organisation or format with a line that says why, and exits 1', async () => {
    await expect(
      safekeep('governance', 'ropa', '--organisation', 'no-such-council', '--format', 'csv'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no organisation "no-such-council"'),
    });
    await expect(
      safekeep('governance', 'ropa', '--organisation', 'kscmp', '--format', 'xml'),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('csv, json') });
  });

  it('notice-diff lists Maidstone’s portability promise first', async () => {
    const { stdout } = await safekeep('governance', 'notice-diff', 'maidstone-bc');
    expect(stdout).toContain('1. Safeguarding concern log: the right to data portability');
  });
});
