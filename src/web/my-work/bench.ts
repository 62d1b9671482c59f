import { buildApp } from '../../app.js';
import type { Benchmark } from '../../bench/run.js';
import { measure } from '../../bench/run.js';
import { caseload, fillTo } from '../../casework/bench-fixtures.js';
import { loadConfig } from '../../config.js';
import { AuthService } from '../../platform/auth/service.js';

/**
 * The home page with "My work" (issue 13 item 1) at the requested
 * population, for a practitioner with a caseload of 200 open records
 * (casework/bench-fixtures.ts): session, caseload statement and its audit
 * event, the clocks the role works, and rendering, through the app.
 */
export const myWorkBenchmarks: Benchmark[] = [
  {
    name: 'web.my-work',
    description: 'home page with My work (a practitioner with 200 records allocated)',
    async run(db, options) {
      await fillTo(db, options.size, options.log);
      const { email, password, ids } = await caseload(db);
      if (ids.length === 0) return [];
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
      const signedIn = await new AuthService(db, config).signIn(email, password);
      if (signedIn.outcome !== 'signed-in') throw new Error('benchmark sign-in failed');
      const app = await buildApp({ config, db });
      try {
        const cookie = `safekeep_session=${signedIn.token}`;
        return [
          await measure(
            `GET / with My work (practitioner, ${ids.length} records)`,
            options.iterations,
            async () => {
              const response = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
              if (response.statusCode !== 200) {
                throw new Error(`home page answered ${response.statusCode}`);
              }
            },
          ),
        ];
      } finally {
        await app.close();
      }
    },
  },
];
