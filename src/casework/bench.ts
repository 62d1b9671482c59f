import { buildApp } from '../app.js';
import type { Benchmark, Measurement } from '../bench/run.js';
import { measure } from '../bench/run.js';
import { loadConfig } from '../config.js';
import { AuthService } from '../platform/auth/service.js';
import { caseload, fillTo } from './bench-fixtures.js';
import { CaseworkService } from './service.js';

/**
 * The record page at the requested population, as a practitioner opens a
 * record allocated to them: the data the page shows, loaded and authorised
 * through the casework service (audited, as in real use), and the whole
 * page — session, access, load, audit and rendering — through the app.
 */
export const caseworkBenchmarks: Benchmark[] = [
  {
    name: 'casework.record-page',
    description: 'record page latency (a practitioner opening records allocated to them)',
    async run(db, options) {
      await fillTo(db, options.size, options.log);
      const { email, password, ids } = await caseload(db);
      if (ids.length === 0) return [];
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
      const signedIn = await new AuthService(db, config).signIn(email, password);
      if (signedIn.outcome !== 'signed-in') throw new Error('benchmark sign-in failed');
      const staff = signedIn.staff;
      const casework = new CaseworkService(db);
      const results: Measurement[] = [];
      results.push(
        await measure('casework.open record (practitioner)', options.iterations, (i) =>
          casework.open(staff, ids[i % ids.length] ?? ''),
        ),
      );
      const app = await buildApp({ config, db });
      try {
        const cookie = `safekeep_session=${signedIn.token}`;
        results.push(
          await measure('GET /records/:id page (practitioner)', options.iterations, async (i) => {
            const response = await app.inject({
              method: 'GET',
              url: `/records/${ids[i % ids.length] ?? ''}`,
              headers: { cookie },
            });
            if (response.statusCode !== 200) {
              throw new Error(`record page answered ${response.statusCode}`);
            }
          }),
        );
      } finally {
        await app.close();
      }
      return results;
    },
  },
];
