import { execFile } from 'node:child_process';
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
