import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { DatabaseHandle } from '../db/connection.js';
import { ValidationError } from '../platform/errors/errors.js';
import { intakeKinds, intakeKindSlugs, isIntakeKind } from './kinds.js';
import { FileProblem } from './read-file.js';
import { IntakeService, type Actor } from './service.js';

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `safekeep import FILE --kind …` (issue 15): the same job as the upload
 * page, run by an operator. The columns are the partner's saved mapping,
 * else matched by name, with `--column field=Heading` to say the rest.
 * Progress goes to standard error; the outcome is one JSON line on
 * standard output. Jobs this organisation left half done are finished
 * first (a job is resumable), and a file imported again changes nothing.
 */
export function registerImportCommand(
  program: Command,
  open: () => Promise<DatabaseHandle>,
  write: Output = { out: (l) => console.log(l), err: (l) => console.error(l) },
): void {
  program
    .command('import <file>')
    .description('import a partner’s CSV or Excel (.xlsx) file, matching each row to a person')
    .addOption(
      new Option('--kind <kind>', 'what the file is')
        .choices([...intakeKindSlugs])
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--partner <name>',
      'who sent it (for the LADO, one of the agencies its notice names)',
    )
    .option(
      '--organisation <slug>',
      'the organisation importing it (default: the one whose notice names this kind)',
    )
    .option(
      '--column <field=heading>',
      'which column holds a field, when its heading does not say (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(
      async (
        file: string,
        options: { kind: string; partner: string; organisation?: string; column?: string[] },
      ) => {
        const started = performance.now();
        if (!isIntakeKind(options.kind)) return;
        const kind = intakeKinds[options.kind];
        let content: Buffer;
        try {
          content = await readFile(file);
        } catch {
          write.err(`Cannot read ${file}: check the path and that the file exists.`);
          process.exitCode = 1;
          return;
        }
        const handle = await open();
        try {
          const slug = options.organisation ?? kind.organisation;
          const organisation = await handle.db
            .selectFrom('organisation')
            .select('id')
            .where('slug', '=', slug)
            .executeTakeFirst();
          if (!organisation) {
            write.err(`There is no organisation "${slug}".`);
            process.exitCode = 1;
            return;
          }
          const actor: Actor = {
            accountId: null,
            organisationId: organisation.id,
            organisationSlug: slug,
          };
          const intake = new IntakeService(handle.db);
          intake.kindFor(actor, kind.slug);
          for (const unfinished of await intake.unfinishedJobs(actor)) {
            write.err(
              `Finishing an earlier import that stopped part way (${unfinished.fileName}).`,
            );
            await intake.run(actor, unfinished.id);
          }
          const jobId = await intake.upload(actor, {
            kind: kind.slug,
            partner: options.partner,
            fileName: path.basename(file),
            content,
          });
          const proposed = await intake.proposedMapping(actor, jobId);
          const mapping = { ...proposed.mapping };
          for (const pair of options.column ?? []) {
            const [field, ...heading] = pair.split('=');
            if (!field || heading.length === 0) {
              write.err(`--column ${pair}: write it as field=Column heading.`);
              process.exitCode = 1;
              return;
            }
            mapping[field.trim()] = heading.join('=').trim();
          }
          await intake.applyMapping(actor, jobId, mapping);
          await intake.run(actor, jobId, (done, total) =>
            write.err(
              `Matched ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows`,
            ),
          );
          const { job } = await intake.job(actor, jobId);
          const c = job.counts;
          write.err(
            `${c.linked} attached to people held, ${c.created} new people, ${c.review} to review, ` +
              `${c.invalid} with errors to correct, ${job.rowsRepeated} imported before.`,
          );
          write.out(
            JSON.stringify({
              job: job.id,
              rows: job.rowsTotal,
              linked: c.linked,
              created: c.created,
              review: c.review,
              invalid: c.invalid,
              repeated: job.rowsRepeated,
              seconds: Math.round((performance.now() - started) / 10) / 100,
            }),
          );
        } catch (error) {
          if (error instanceof ValidationError) {
            write.err('Nothing was imported yet. Put right:');
            for (const e of error.fieldErrors) write.err(`  ${e.field}: ${e.message}`);
            write.err(
              'Run again with --column field=Heading, or map the columns on the imports page.',
            );
            process.exitCode = 1;
            return;
          }
          if (error instanceof FileProblem) {
            write.err(`${error.message}.`);
            process.exitCode = 1;
            return;
          }
          throw error;
        } finally {
          await handle.close();
        }
      },
    );
}
