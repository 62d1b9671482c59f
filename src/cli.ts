import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { sql } from 'kysely';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DatabaseRoleError } from './db/roles.js';
import { databaseUnavailability } from './db/unavailable.js';
import { registerLinkCommands } from './people/linkage/cli.js';
import { registerImportCommand } from './intake/cli.js';
import { registerServiceAccountCommands } from './platform/auth/cli.js';
import { registerSingleSignOnCommands } from './platform/auth/single-sign-on/cli.js';
import { registerOrganisationCommands, registerPolicyCommands } from './governance/policy/cli.js';
import { registerRetentionCommands } from './retention/cli.js';
import { registerRightsCommands } from './rights/cli.js';
import { registerReturnsCommands } from './returns/cli.js';
import { registerPublicationCommands } from './publication/cli.js';
import { registerGovernanceCommands } from './governance/cli.js';
import { prepareDatabase } from './platform/serve/prepare.js';

/**
 * `safekeep <command>`: the one entry point for people and scripts.
 * Each command validates its input and exits non-zero, with a message that
 * says why, when it cannot do what was asked.
 *
 * A command loads what it needs when it runs (the `await import`s below):
 * `safekeep people link` or `safekeep rights deadline` need neither the web
 * app nor the benchmarks, and a process that loaded everything took seconds
 * to start whatever it was asked to do.
 */
const prepare = prepareDatabase;

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
    const { serve } = await import('./platform/serve/serve.js');
    const serving = await serve(config);
    // A worker process of a server with several (platform/serve) prints nothing.
    if (!serving) return;
    const { port } = serving;
    const host =
      config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host;
    const seeded = serving.demoDataLoaded;
    console.log(
      `\nSafekeep is running on ${describeDatabase(config)}` +
        (serving.processes > 1 ? `, in ${serving.processes} server processes.` : '.'),
    );
    console.log(
      `Ready in ${Math.round(performance.now() - started)} ms${seeded ? ' (demo data loaded)' : ''}.`,
    );
    console.log(`\n  Sign in at http://${host}:${port}/sign-in\n`);
    if (config.demoData) {
      const { DEMO_PASSWORD, demoStaff } = await import('./demo/demo-data.js');
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
    const { hasDemoData, loadDemoData } = await import('./demo/demo-data.js');
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
        const { faker } = await import('@faker-js/faker/locale/en');
        const { createBulkDemoPeople } = await import('./people/demo.js');
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
  .option('--duration <seconds>', 'seconds each load scenario runs (10; with --soak, 600)')
  .option('--connections <n>', 'concurrent clients in the load scenarios', '50')
  .option('--only <names...>', 'only these benchmarks, e.g. people, or load')
  .option('--rows <n>', "rows in the import benchmark's file (import.*)", '50000')
  .option(
    '--children <n>',
    'children in the statutory returns benchmark (returns.*); 20000 on PostgreSQL, 2000 on PGlite when not given',
  )
  .option(
    '--due <n>',
    'due records the retention sweep benchmark destroys (retention.sweep); --size when not given',
  )
  .option(
    '--audit-events <n>',
    'events in the year of audit the audit-year.queries benchmark fills set-based and asks "who saw" and "what did this account see" of (skipped when not given)',
  )
  .option(
    '--chain-events <n>',
    'events the audit-year.verify-full benchmark fills sealed, linked and attested, then walks in full (skipped when not given; not in a database the other was given)',
  )
  .option(
    '--keep-database <name>',
    'PostgreSQL: measure in a database of this name, made and filled on the first run and kept for the next (drop it by hand); a database the bench did not make is refused',
  )
  .option('--profile <dir>', "write the server's CPU profile of each load scenario to this folder")
  .option(
    '--soak',
    'load: one mix of reads and writes for --duration seconds, then verify the audit log (use with --only load --servers 2)',
  )
  .option(
    '--servers <n>',
    'server processes in the load scenarios, as safekeep serve runs with WORKERS (PostgreSQL only)',
    '1',
  )
  .action(
    async (options: {
      size: string;
      iterations: string;
      duration?: string;
      soak?: boolean;
      connections: string;
      only?: string[];
      profile?: string;
      servers: string;
      rows: string;
      children?: string;
      keepDatabase?: string;
      due?: string;
      auditEvents?: string;
      chainEvents?: string;
    }) => {
      const [size, iterations, duration, connections, servers, rows] = [
        options.size,
        options.iterations,
        options.duration ?? (options.soak ? '600' : '10'),
        options.connections,
        options.servers,
        options.rows,
      ].map(Number) as [number, number, number, number, number, number];
      if (
        ![size, iterations, duration, connections, servers, rows].every(
          (n) => Number.isInteger(n) && n >= 1,
        )
      ) {
        console.error(
          '--size, --iterations, --duration, --connections, --servers and --rows take whole numbers above 0',
        );
        process.exitCode = 1;
        return;
      }
      const config = loadConfig();
      // The county scale on a real server; PGlite, in one process's
      // memory, is measured at a tenth of it unless told otherwise.
      const children = Number(
        options.children ?? (config.database.kind === 'postgres' ? 20_000 : 2000),
      );
      if (!Number.isInteger(children) || children < 1) {
        console.error('--children takes a whole number above 0');
        process.exitCode = 1;
        return;
      }
      if (servers > 1 && config.database.kind !== 'postgres') {
        console.error(
          '--servers above 1 needs PostgreSQL (DATABASE_URL): the embedded PGlite belongs to one process',
        );
        process.exitCode = 1;
        return;
      }
      // Benchmarks fill and destroy synthetic data, so never in anyone's real
      // database: an in-memory PGlite, or a scratch schema on the configured
      // PostgreSQL server, dropped afterwards.
      const { openScratchDatabase } = await import('./db/scratch.js');
      const { COUNTY_FILL_FROM, countyFill } = await import('./bench/county-fill.js');
      const { formatMeasurements, runBenchmarks } = await import('./bench/run.js');
      const { formatLoadResults, runLoadBenchmark } = await import('./bench/load.js');
      const dueRecords = options.due === undefined ? undefined : Number(options.due);
      if (dueRecords !== undefined && !(Number.isInteger(dueRecords) && dueRecords >= 1)) {
        console.error('--due takes a whole number above 0');
        process.exitCode = 1;
        return;
      }
      const auditEvents =
        options.auditEvents === undefined ? undefined : Number(options.auditEvents);
      const chainEvents =
        options.chainEvents === undefined ? undefined : Number(options.chainEvents);
      if (
        [auditEvents, chainEvents].some((n) => n !== undefined && !(Number.isInteger(n) && n >= 1))
      ) {
        console.error('--audit-events and --chain-events take whole numbers above 0');
        process.exitCode = 1;
        return;
      }
      if (options.keepDatabase && config.database.kind !== 'postgres') {
        console.error('--keep-database needs PostgreSQL (DATABASE_URL)');
        process.exitCode = 1;
        return;
      }
      const handle = await openScratchDatabase(
        // Creating a schema takes the owner's rights, not the app's.
        config.database.kind === 'postgres'
          ? (config.database.ownerUrl ?? config.database.url)
          : undefined,
        options.keepDatabase ? { keep: options.keepDatabase } : {},
      );
      try {
        const where =
          config.database.kind === 'postgres'
            ? options.keepDatabase
              ? `PostgreSQL (kept database ${options.keepDatabase})`
              : 'PostgreSQL (scratch schema)'
            : 'PGlite (in memory)';
        console.log(`Benchmarks on ${where}, ${size} people / records:`);
        const log = (line: string) => console.log(line);
        // Filled once, up front, then ANALYZEd by the owner: the app's role
        // may not analyze tables it does not own (decision 0015), so the
        // filler's own ANALYZE is skipped there, and PostgreSQL would plan
        // every benchmark's queries with no statistics of 100,000 rows.
        // County scale on PostgreSQL: filled set-based by the owner (bench/county-fill.ts).
        if (handle.kind === 'postgres' && size >= COUNTY_FILL_FROM) {
          await countyFill(handle.owner, { people: size, log });
        }
        const { fillTo } = await import('./casework/bench-fixtures.js');
        await fillTo(handle.db, size, log);
        await sql`analyze`.execute(handle.owner);
        const only = options.only?.filter((o) => o !== 'load');
        if (!options.only || (only && only.length > 0)) {
          const results = await runBenchmarks(handle.db, {
            size,
            iterations,
            rows,
            children,
            ...(dueRecords !== undefined ? { dueRecords } : {}),
            ...(auditEvents !== undefined ? { auditEvents } : {}),
            ...(chainEvents !== undefined ? { chainEvents } : {}),
            owner: handle.owner,
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
            serverProcesses: servers,
            ...(options.soak ? { soak: true } : {}),
            ...(handle.appConnection ? { appConnection: handle.appConnection } : {}),
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
  .option(
    '--incremental',
    'walk only from the newest signed checkpoint that holds (seconds, however long the log): the default when the public key is set',
  )
  .option(
    '--full',
    'walk the whole chain (from the oldest kept checkpoint after retention) and hold it to every checkpoint; run it weekly',
  )
  .action(
    async (options: {
      checkpoints?: string;
      graceSeconds: string;
      incremental?: boolean;
      full?: boolean;
    }) => {
      const graceSeconds = Number(options.graceSeconds);
      if (!Number.isInteger(graceSeconds) || graceSeconds < 0) {
        console.error('--grace-seconds takes a whole number of seconds');
        process.exitCode = 1;
        return;
      }
      if (options.full && options.incremental) {
        console.error('Choose one of --full and --incremental.');
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
      const { verifyAuditLog } = await import('./platform/audit/verify-log.js');
      try {
        if (options.incremental && !config.audit.checkpointPublicKey) {
          console.error(
            'An incremental verify starts from a signed checkpoint: set AUDIT_CHECKPOINT_PUBLIC_KEY_FILE (or AUDIT_CHECKPOINT_KEY_FILE).',
          );
          process.exitCode = 1;
          return;
        }
        const report = await verifyAuditLog(handle.db, {
          graceSeconds,
          publicKey: config.audit.checkpointPublicKey,
          checkpointText,
          // Issue 16: from the last signed checkpoint unless told otherwise,
          // when there is a key to hold that checkpoint to.
          incremental:
            options.incremental === true ||
            (options.full !== true && config.audit.checkpointPublicKey !== null),
        });
        console.log(report.summary);
        if (report.findings.length > 0) {
          console.error(report.findings.join('\n'));
          process.exitCode = 1;
        }
      } finally {
        await handle.close();
      }
    },
  );
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
    const { chainAndCheckpoint } = await import('./platform/audit/schedule.js');
    const { shipDisposalJournal } = await import('./retention/disposal-journal.js');
    try {
      const checkpoint = await chainAndCheckpoint(handle.db, config.audit, {
        force: true,
        wait: true,
        ship: (sink) => shipDisposalJournal(handle.db, sink),
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
  const config = loadConfig();
  const handle = await open(config);
  const { createRetentionService } = await import('./services.js');
  return {
    handle,
    retention: createRetentionService(handle.db),
    journalFile: config.audit.checkpointFile,
  };
});
registerRightsCommands(program);
registerPublicationCommands(program, async () => {
  const config = loadConfig();
  return { handle: await open(config), keys: config.researchKeys };
});
registerLinkCommands(program);
registerImportCommand(program, () => open(loadConfig()));
registerGovernanceCommands(program);
registerServiceAccountCommands(program, () => open(loadConfig()));
registerSingleSignOnCommands(program, () => open(loadConfig()));
registerOrganisationCommands(program, () => open(loadConfig()));
registerPolicyCommands(program, () => open(loadConfig()));
registerReturnsCommands(program, () => open(loadConfig()));

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
