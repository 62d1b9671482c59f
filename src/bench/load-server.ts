import { createPrivateKey } from 'node:crypto';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { sealAuditEventsWith } from '../platform/audit/audit-log.js';
import { registerCeiling } from './ceiling.js';
import type { ServerJob } from './load-servers.js';

/**
 * One server process of the load benchmark run with several (load-servers.ts
 * starts it through node:cluster, so every one listens on the same port):
 * the app on the benchmark's scratch PostgreSQL schema, sealing audit events
 * with the run's throw-away key, until SIGTERM.
 */
const job = JSON.parse(process.env.SAFEKEEP_BENCH_SERVER ?? '{}') as ServerJob;
sealAuditEventsWith(createPrivateKey(job.checkpointKeyPem));
const handle = await openDatabase(
  { kind: 'postgres', url: job.url },
  { schema: job.schema, applicationName: job.applicationName },
);
const app = await buildApp({
  config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
  db: handle.db,
});
registerCeiling(app, handle.db);
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => handle.close())
    .finally(() => process.exit(0));
});
await app.listen({ host: '127.0.0.1', port: 0 });
