import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/support/cli.js';

const run = promisify(execFile);

// The option is refused before any database is opened, so none is needed.
describe('safekeep retention sweep --as-of', { timeout: 60_000 }, () => {
  it('refuses year 0000 and 9999 with the range in words, and exits 1 (issue 10 item 10)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: '/nonexistent/safekeep' };
    delete env.DATABASE_URL;
    for (const asOf of ['0000-01-01', '9999-12-31']) {
      await expect(
        run(process.execPath, [cli, 'retention', 'sweep', '--as-of', asOf], { env }),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Enter a --as-of date between 1900 and 2200'),
      });
    }
  });
});

// Refused before any database is opened, so none is needed.
describe('safekeep retention replay-disposals --journal', { timeout: 60_000 }, () => {
  it('says so and exits 1 when the journal cannot be read or holds other lines', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: '/nonexistent/safekeep' };
    delete env.DATABASE_URL;
    await expect(
      run(
        process.execPath,
        [cli, 'retention', 'replay-disposals', '--journal', '/nonexistent/journal.jsonl'],
        { env },
      ),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot read the journal file /nonexistent/journal.jsonl'),
    });
    const folder = await mkdtemp(path.join(tmpdir(), 'safekeep-journal-'));
    try {
      const file = path.join(folder, 'journal.jsonl');
      await writeFile(file, '{"type":"safekeep.audit.checkpoint"}\nnot json\n');
      await expect(
        run(process.execPath, [cli, 'retention', 'replay-disposals', '--journal', file], { env }),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('line 2 is not JSON'),
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
