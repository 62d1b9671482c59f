import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { calendarDate } from '../platform/validation/dates.js';
import type { DatabaseHandle } from '../db/connection.js';
import { runJsonLinesTool } from '../platform/cli/json-lines.js';
import { parseJournalLines, shipDisposalJournal } from './disposal-journal.js';
import { explainRequest } from './explain-lines.js';
import { progressBar } from './progress.js';
import { SweepAlreadyRunningError, type RetentionService } from './service.js';
import { latestSweepRuns } from './sweep-runs.js';

/** sysexits.h EX_TEMPFAIL: not done now, fine to try again later. */
const EX_TEMPFAIL = 75;

const sweepOptions = z.object({
  // The shared date rule: a real day, 1900–2200 (year 0000 or 9999 is a slip).
  asOf: calendarDate('--as-of date').optional(),
  dryRun: z.boolean().optional(),
});

/** `safekeep retention …` */
export function registerRetentionCommands(
  program: Command,
  open: () => Promise<{
    handle: DatabaseHandle;
    retention: RetentionService;
    /** Where the disposal journal ships (AUDIT_CHECKPOINT_FILE), if anywhere. */
    journalFile?: string | null;
  }>,
): void {
  const retention = program.command('retention').description('the retention schedules');
  retention
    .command('explain')
    .description(
      'what-if: read JSON Lines ({"id","organisation","category","facts"}) on stdin, write one ' +
        'result line per input line ({"id","due","action","rule","needsReview","explanation"}); ' +
        'exit 1 if any line failed. Needs no database.',
    )
    .action(() => runJsonLinesTool(explainRequest));

  retention
    .command('sweep')
    .description(
      'dispose of records due under the schedules (holds and review decisions respected)',
    )
    .option('--as-of <date>', 'the date to sweep as of (default: today)')
    .option('--dry-run', 'report what would be disposed of, change nothing')
    .action(async (raw: unknown) => {
      const parsed = sweepOptions.safeParse(raw);
      if (!parsed.success) {
        console.error(parsed.error.issues.map((i) => i.message).join('\n'));
        process.exitCode = 1;
        return;
      }
      const asOf = parsed.data.asOf ?? Temporal.Now.plainDateISO('Europe/London').toString();
      const { handle, retention, journalFile } = await open();
      try {
        const bar = progressBar(process.stderr, 'Disposing');
        let report;
        try {
          report = await retention.sweep({
            asOf,
            dryRun: parsed.data.dryRun ?? false,
            onProgress: ({ disposed, remaining }) => bar.update(disposed, disposed + remaining),
          });
        } catch (error) {
          if (!(error instanceof SweepAlreadyRunningError)) throw error;
          console.error(error.message);
          process.exitCode = EX_TEMPFAIL;
          return;
        }
        if (report.interruptedEarlier > 0) {
          console.log(
            `${report.interruptedEarlier} earlier sweep(s) had stopped part-way and are now marked interrupted; this sweep carried on where they left off.`,
          );
        }
        const total = report.groups.reduce((sum, g) => sum + g.records, 0);
        console.log(
          `${report.dryRun ? 'Dry run' : 'Sweep'} as of ${asOf}: ${total} record(s) due for destruction.`,
        );
        for (const g of report.groups) {
          console.log(
            `  ${g.organisation.padEnd(13)} ${g.category.padEnd(28)} ${String(g.records).padStart(7)}  ${g.rule ?? ''}`,
          );
        }
        if (!report.dryRun) {
          console.log(
            `Destroyed ${report.disposed} record(s); ${report.certificates} certificate(s) written.`,
          );
          // The journal goes out of the database now, not at the server's next round.
          await shipDisposalJournal(handle.db, { file: journalFile ?? null });
        }
      } finally {
        await handle.close();
      }
    });

  retention
    .command('replay-disposals')
    .description(
      'after restoring a backup: re-apply, certified and audited, every disposal in the shipped journal that the database does not know',
    )
    .requiredOption(
      '--journal <file>',
      'the JSON Lines shipped out of the database (AUDIT_CHECKPOINT_FILE: checkpoints and disposal journal)',
    )
    .action(async (options: { journal: string }) => {
      let text: string;
      try {
        text = await readFile(options.journal, 'utf8');
      } catch {
        console.error(`Cannot read the journal file ${options.journal}.`);
        process.exitCode = 1;
        return;
      }
      const { entries, problems } = parseJournalLines(text);
      if (problems.length > 0) {
        console.error(`The journal file has lines that are not disposals: ${problems.join('; ')}.`);
        process.exitCode = 1;
        return;
      }
      const { handle, retention, journalFile } = await open();
      try {
        const report = await retention.replayDisposals(entries);
        await shipDisposalJournal(handle.db, { file: journalFile ?? null });
        console.log(
          `${entries.length} disposal(s) in the journal: ${report.known} already known, ` +
            `${report.replayed} re-applied (${report.itemsDestroyed} item(s) destroyed again), ` +
            `${report.nothingLeft} with nothing left to destroy.`,
        );
        if (report.problems.length > 0) {
          console.error(report.problems.join('\n'));
          process.exitCode = 1;
        }
      } finally {
        await handle.close();
      }
    });

  retention
    .command('runs')
    .description('the latest sweeps: finished, interrupted (stopped part-way) or running')
    .action(async () => {
      const { handle } = await open();
      try {
        const runs = await latestSweepRuns(handle.db);
        if (runs.length === 0) console.log('No sweeps yet.');
        for (const run of runs) {
          console.log(
            [
              `Started ${dateTime.format(run.startedAt)}`,
              `as of ${day.format(new Date(`${run.asOf}T12:00:00Z`))}`,
              run.dryRun ? 'dry run' : 'sweep',
              run.status,
              `${run.recordsDisposed} disposed of`,
            ].join(', '),
          );
        }
      } finally {
        await handle.close();
      }
    });
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});
const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
