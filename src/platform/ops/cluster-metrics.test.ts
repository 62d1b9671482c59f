import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliDatabase } from '../../../test/support/cli.js';
import type { Config } from '../../config.js';

/**
 * `safekeep serve` scraped as Prometheus would: on PostgreSQL with
 * WORKERS=2, one scrape sees the primary and both workers (the primary
 * aggregates their registries); on PGlite, one process.
 */
const TOKEN = 'cluster-metrics-token-0123456789abcdef';
let env: NodeJS.ProcessEnv;
let database: Config['database'];
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ env, database, cleanup } = await cliDatabase('safekeep_metrics'));
}, 120_000);
afterAll(() => cleanup());

const sampleValue = (text: string, line: RegExp) =>
  text
    .split('\n')
    .filter((l) => line.test(l))
    .map((l) => Number(l.split(' ').at(-1)));

describe('metrics across server processes', { timeout: 180_000 }, () => {
  it('answers one scrape with every process counted', async () => {
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: {
        ...env,
        PORT: '0',
        DEMO_DATA: 'false',
        RETENTION_SWEEP: 'false',
        WORKERS: '2',
        METRICS_TOKEN: TOKEN,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let banner = '';
        child.stdout.on('data', (chunk: Buffer) => {
          banner += chunk.toString();
          const found = /localhost:(\d+)\/sign-in/.exec(banner);
          if (found) resolve(Number(found[1]));
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${errors}`)));
      });
      const requests = 12;
      for (let i = 0; i < requests; i += 1) {
        // A new connection each time, so node:cluster spreads them over the workers.
        const r = await fetch(`http://127.0.0.1:${port}/health/live`, {
          headers: { connection: 'close' },
        });
        expect(r.status).toBe(200);
      }
      const scrape = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}`, connection: 'close' },
      });
      expect(scrape.status, errors).toBe(200);
      const text = await scrape.text();
      const live = sampleValue(
        text,
        /^safekeep_http_request_duration_seconds_count\{.*route="\/health\/live".*\}/,
      );
      // Counted once each, in whichever worker answered: summed over processes.
      expect(live.reduce((a, b) => a + b, 0)).toBe(requests);
      // Each process's pool (primary and two workers of 10 each; PGlite's one).
      expect(sampleValue(text, /^safekeep_db_pool_max /)).toEqual([
        database.kind === 'pglite' ? 1 : 30,
      ]);
      // The database's figures, read once (by the primary), not once per process.
      expect(sampleValue(text, /^safekeep_audit_checkpoint_age_seconds /)).toHaveLength(1);
      expect(text).toContain('safekeep_process_resident_memory_bytes');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
