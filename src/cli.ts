import { readFile } from 'node:fs/promises';
import { faker } from '@faker-js/faker';
import { Command, InvalidArgumentError } from 'commander';
import { buildApp } from './app.js';
import { formatLoadResults, runLoadBenchmark } from './bench/load.js';
import { formatMeasurements, runBenchmarks } from './bench/run.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type DatabaseHandle, type OpenOptions } from './db/connection.js';
import { DatabaseRoleError } from './db/roles.js';
import { openScratchDatabase } from './db/scratch.js';
import { migrateDatabase } from './db/setup.js';
import { databaseUnavailability } from './db/unavailable.js';
import { DEMO_PASSWORD, demoStaff, hasDemoData, loadDemoData } from './demo/demo-data.js';
import { createBulkDemoPeople } from './people/demo.js';
import { registerLinkCommands } from './people/linkage/cli.js';
import { registerImportCommand } from './intake/cli.js';
import { sealAuditEventsWith } from './platform/audit/audit-log.js';
import { verifyAuditLog } from './platform/audit/verify-log.js';
import { chainAndCheckpoint, scheduleAuditChainer } from './platform/audit/schedule.js';
import { registerServiceAccountCommands } from './platform/auth/cli.js';
import { registerOrganisationCommands, registerPolicyCommands } from './governance/policy/cli.js';
import { PolicyVersions } from './governance/policy/versions.js';
import { registerRetentionCommands } from './retention/cli.js';
import { registerRightsCommands } from './rights/cli.js';
import { registerPublicationCommands } from './publication/cli.js';
import { registerGovernanceCommands } from './governance/cli.js';
import { scheduleJobs } from './platform/jobs/scheduler.js';
import { createRetentionService, dailyJobs } from './services.js';
import { syncReferenceData } from './platform/reference-data.js';

/**
 * `safekeep <command>`: the one entry point for people and scripts.
 * Each command validates its input and exits non-zero, with a message that
 * says why, when it cannot do what was asked.
 */
async function prepare(
  config: Config,
  options: OpenOptions = {},
): Promise<{ handle: DatabaseHandle; applied: string[] }> {
  // Every event this process records is sealed with the checkpoint key.
  sealAuditEventsWith(config.audit.checkpointKey);
  const handle = await openDatabase(config.database, options);
  try {
    const applied = await migrateDatabase(config.database, handle);
    // Organisations added from a policy document join the registry before
    // the reference data is synchronised from it; shipped ones get version 1.
    const policyVersions = new PolicyVersions(handle.db);
    await policyVersions.registerVersionsInForce();
    await syncReferenceData(handle.db);
    await policyVersions.seedShippedVersions();
    return { handle, applied };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

const open = async (config: Config) => (await prepare(config)).handle;

function describeDatabase(config: Config): string {
  return config.database.kind === 'postgres'
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded PGlite in ${config.database.dataDir}`;
}

const program = new Command()
  .name('safekeep')
  .description('Safeguarding records with the privacy notices enforced')
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description('migrate, load demo data on first start, and serve the web app and API')
  .action(async () => {
    const started = performance.now();
    const config = loadConfig();
    // Told of each pooled connection PostgreSQL ends; the pool replaces it.
    let log: { warn(obj: object, msg: string): void } | null = null;
    const { handle } = await prepare(config, {
      onConnectionError: (error) =>
        log?.warn(
          { code: 'code' in error ? error.code : undefined, message: error.message },
          'database connection lost; a new one is opened when next needed',
        ),
    });
    if (config.database.kind === 'postgres' && !config.database.ownerUrl) {
      console.warn(
        'DATABASE_OWNER_URL is not set: the app connects as the owner of its tables, so its ' +
          'credentials could rewrite the audit log (README, "Security: database roles").',
      );
    }
    let seeded = false;
    if (config.demoData && !(await hasDemoData(handle.db))) {
      await loadDemoData(handle.db);
      seeded = true;
    }
    const app = await buildApp({ config, db: handle.db });
    log = app.log;
    const stopJobs = config.retentionSweep
      ? scheduleJobs(dailyJobs(handle.db, config, app.log), app.log)
      : () => undefined;
    const stopChainer = scheduleAuditChainer(handle.db, config.audit, app.log);
    const shutdown = async () => {
      stopJobs();
      await app.close();
      // After the last request: the final round links and signs its events too.
      await stopChainer();
      await handle.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host =
      config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host;
    console.log(`\nSafekeep is running on ${describeDatabase(config)}.`);
    console.log(
      `Ready in ${Math.round(performance.now() - started)} ms${seeded ? ' (demo data loaded)' : ''}.`,
    );
    console.log(`\n  Sign in at http://${host}:${port}/sign-in\n`);
    if (config.demoData) {
      console.log(`  Demo accounts (password for all: ${DEMO_PASSWORD}):`);
      for (const staff of demoStaff) {
        const where = staff.memberships.map((m) => `${m.role} at ${m.organisation}`).join('; ');
        console.log(`    ${staff.email.padEnd(34)} ${where}`);
      }
      console.log(
        '  Privileged roles (LADO, governance, DPO) set up two-factor authentication at first sign-in.\n',
      );
    }
  });

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const { handle, applied } = await prepare(loadConfig());
    await handle.close();
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
  });

program
  .command('demo')
  .description('load the synthetic demo data into an empty database')
  .option(
    '--people <n>',
    'also add N synthetic people (with records) across the organisations, in batches',
    (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
        throw new InvalidArgumentError('give a whole number of people from 0 to 1,000,000');
      }
      return n;
    },
  )
  .action(async (options: { people?: number }) => {
    const handle = await open(loadConfig());
    try {
      if (await hasDemoData(handle.db)) {
        console.error(
          'This database already has staff accounts; demo data is only loaded into an empty one.',
        );
        process.exitCode = 1;
        return;
      }
      await loadDemoData(handle.db);
      console.log('Demo data loaded.');
      if (options.people) {
        const started = performance.now();
        faker.seed(options.people);
        await createBulkDemoPeople(handle.db, faker, {
          count: options.people,
          onProgress: (done) => process.stdout.write(`\r  ${done} of ${options.people} people`),
        });
        const seconds = Math.round((performance.now() - started) / 100) / 10;
        console.log(`\n${options.people} more synthetic people added in ${seconds} s.`);
      }
    } finally {
      await handle.close();
    }
  });

program
  .command('bench')
  .description(
    'latency (median, p95) and throughput figures, and concurrent load on a real server on 127.0.0.1, on a scratch copy of the configured kind of database',
  )
  .option('--size <n>', 'people to measure at (filled with synthetic people if fewer)', '10000')
  .option('--iterations <n>', 'timed runs per measurement', '200')
  .option('--duration <seconds>', 'seconds each load scenario runs', '10')
  .option('--connections <n>', 'concurrent clients in the load scenarios', '50')
  .option('--only <names...>', 'only these benchmarks, e.g. people, or load')
  .option('--profile <dir>', "write the server's CPU profile of each load scenario to this folder")
  .action(
    async (options: {
      size: string;
      iterations: string;
      duration: string;
      connections: string;
      only?: string[];
      profile?: string;
    }) => {
      const [size, iterations, duration, connections] = [
        options.size,
        options.iterations,
        options.duration,
        options.connections,
      ].map(Number) as [number, number, number, number];
      if (![size, iterations, duration, connections].every((n) => Number.isInteger(n) && n >= 1)) {
        console.error(
          '--size, --iterations, --duration and --connections take whole numbers above 0',
        );
        process.exitCode = 1;
        return;
      }
      const config = loadConfig();
      // Benchmarks fill and destroy synthetic data, so never in anyone's real
      // database: an in-memory PGlite, or a scratch schema on the configured
      // PostgreSQL server, dropped afterwards.
      const handle = await openScratchDatabase(
        // Creating a schema takes the owner's rights, not the app's.
        config.database.kind === 'postgres'
          ? (config.database.ownerUrl ?? config.database.url)
          : undefined,
      );
      try {
        const where =
          config.database.kind === 'postgres'
            ? 'PostgreSQL (scratch schema)'
            : 'PGlite (in memory)';
        console.log(`Benchmarks on ${where}, ${size} people / records:`);
        const log = (line: string) => console.log(line);
        const only = options.only?.filter((o) => o !== 'load');
        if (!options.only || (only && only.length > 0)) {
          const results = await runBenchmarks(handle.db, {
            size,
            iterations,
            ...(only ? { only } : {}),
            log,
          });
          console.log(formatMeasurements(results));
        }
        if (!options.only || options.only.includes('load')) {
          const load = {
            size,
            duration,
            connections,
            log,
            databaseKind: handle.kind,
            ...(options.profile ? { profileDir: options.profile } : {}),
          };
          log('load: requests per second and latency under concurrent clients');
          console.log(formatLoadResults(await runLoadBenchmark(handle.db, load), load));
        }
      } finally {
        await handle.close();
      }
    },
  );

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description(
    'link waiting events, walk the hash chain and check it against signed checkpoints; exit 1 naming what is wrong',
  )
  .option(
    '--checkpoints <file>',
    'the JSON Lines file of signed checkpoints (AUDIT_CHECKPOINT_FILE), as shipped out of the database',
  )
  .option(
    '--grace-seconds <n>',
    'how long an event may wait to be linked, and the longest an audited transaction can run',
    '300',
  )
  .action(async (options: { checkpoints?: string; graceSeconds: string }) => {
    const graceSeconds = Number(options.graceSeconds);
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0) {
      console.error('--grace-seconds takes a whole number of seconds');
      process.exitCode = 1;
      return;
    }
    const config = loadConfig();
    let checkpointText: string | null = null;
    if (options.checkpoints) {
      if (!config.audit.checkpointPublicKey) {
        console.error(
          'Checking checkpoints needs the public key: set AUDIT_CHECKPOINT_PUBLIC_KEY_FILE (or AUDIT_CHECKPOINT_KEY_FILE).',
        );
        process.exitCode = 1;
        return;
      }
      try {
        checkpointText = await readFile(options.checkpoints, 'utf8');
      } catch {
        console.error(`Cannot read the checkpoints file ${options.checkpoints}.`);
        process.exitCode = 1;
        return;
      }
    }
    const handle = await open(config);
    try {
      const report = await verifyAuditLog(handle.db, {
        graceSeconds,
        publicKey: config.audit.checkpointPublicKey,
        checkpointText,
      });
      console.log(report.summary);
      if (report.findings.length > 0) {
        console.error(report.findings.join('\n'));
        process.exitCode = 1;
      }
    } finally {
      await handle.close();
    }
  });
audit
  .command('checkpoint')
  .description(
    'link waiting events and sign a checkpoint of the chain now (to the database, AUDIT_CHECKPOINT_FILE and stdout)',
  )
  .action(async () => {
    const config = loadConfig();
    if (!config.audit.checkpointKey) {
      console.error('Signing a checkpoint needs the key: set AUDIT_CHECKPOINT_KEY_FILE.');
      process.exitCode = 1;
      return;
    }
    const handle = await open(config);
    try {
      const checkpoint = await chainAndCheckpoint(handle.db, config.audit, {
        force: true,
        wait: true,
      });
      if (checkpoint) {
        console.log(JSON.stringify({ type: 'safekeep.audit.checkpoint', ...checkpoint }));
      } else {
        console.log('The latest checkpoint already covers the whole chain.');
      }
    } finally {
      await handle.close();
    }
  });

registerRetentionCommands(program, async () => {
  const handle = await open(loadConfig());
  return { handle, retention: createRetentionService(handle.db) };
});
registerRightsCommands(program);
registerPublicationCommands(program);
registerLinkCommands(program);
registerImportCommand(program, () => open(loadConfig()));
registerGovernanceCommands(program);
registerServiceAccountCommands(program, () => open(loadConfig()));
registerOrganisationCommands(program, () => open(loadConfig()));
registerPolicyCommands(program, () => open(loadConfig()));

/** sysexits.h: the database is down or refused us; try again later. */
const EX_UNAVAILABLE = 69;
const EX_TEMPFAIL = 75;

program.parseAsync(process.argv).catch((error: unknown) => {
  // What an operator can act on is one line; a stack trace is for a bug.
  if (error instanceof ConfigError || error instanceof DatabaseRoleError) {
    console.error(error.message);
    process.exit(1);
  }
  const unavailable = databaseUnavailability(error);
  if (unavailable === 'unreachable' || isFatalDatabaseError(error)) {
    console.error(`Cannot use the PostgreSQL database: ${reason(error)}.`);
    process.exit(EX_UNAVAILABLE);
  }
  if (unavailable === 'busy') {
    console.error(`The database did not answer in time (${reason(error)}); try again shortly.`);
    process.exit(EX_TEMPFAIL);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});

/** Refused at connection: a wrong password, a database that does not exist… */
function isFatalDatabaseError(error: unknown): error is Error {
  return error instanceof Error && 'severity' in error && error.severity === 'FATAL';
}

/** Why, in words, with the server's address but never the URL (it may hold a password). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const found = error instanceof AggregateError ? (error.errors[0] as Error) : error;
  const at =
    'address' in found && 'port' in found
      ? ` at ${String(found.address)}:${String(found.port)}`
      : '';
  if ('code' in found && found.code === 'ECONNREFUSED') {
    return `no PostgreSQL server answers${at} (connection refused; is it running, and is DATABASE_URL right?)`;
  }
  return `${found.message}${at}`;
}
