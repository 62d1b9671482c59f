import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { londonToday } from '../../casework/retention.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { returnsActor } from '../cli.js';
import { ReturnRefusedError } from '../service.js';
import { parseAsOfOption } from './as-of.js';
import { AnnexAService, annexAReportLines } from './service.js';

const options = z.object({
  organisation: z.string().min(1),
  asOf: z.string().min(1),
  out: z.string().min(1),
  as: z.string().email('--as must be your account’s email address').optional(),
});

/**
 * `safekeep returns annex-a --organisation kent-scs --as-of DATE --out FILE.xlsx`:
 * checks Ofsted's Annex A lists as of DATE and, if no error remains, writes
 * the workbook; exits 1 with the report while errors remain (warnings are
 * allowed), 2 for options it cannot read.
 */
export function registerAnnexACommand(
  returns: Command,
  open: () => Promise<DatabaseHandle>,
  write: { out: (line: string) => void; err: (line: string) => void },
  today: () => string = londonToday,
): void {
  returns
    .command('annex-a')
    .description(
      'check Ofsted’s Annex A lists as of a date and, if no error remains, write the Excel workbook; exits 1 with the report while errors remain (warnings are allowed)',
    )
    .requiredOption('--organisation <slug>', 'the local authority, such as kent-scs')
    .requiredOption('--as-of <date>', 'the date the lists are for, YYYY-MM-DD')
    .requiredOption('--out <file>', 'where to write the .xlsx workbook')
    .option(
      '--as <email>',
      'your account (performance or information governance there); without it, the run is audited as the operator’s',
    )
    .action(async (raw: Record<string, unknown>) => {
      const parsed = options.safeParse(raw);
      if (!parsed.success) {
        write.err(parsed.error.issues[0]?.message ?? 'Check the options.');
        process.exitCode = 2;
        return;
      }
      const { organisation, out, as } = parsed.data;
      const date = parseAsOfOption(parsed.data.asOf, today());
      if ('error' in date) {
        write.err(date.error);
        process.exitCode = 2;
        return;
      }
      const handle = await open();
      try {
        const actor = await returnsActor(handle.db, as, organisation);
        const run = await new AnnexAService(handle.db).annexA(actor, {
          asOf: date.asOf,
          produce: true,
        });
        for (const line of annexAReportLines(run)) write.err(line);
        if (!run.workbook) {
          write.err(
            `The Annex A lists as of ${date.asOf} have ${run.errors} error${run.errors === 1 ? '' : 's'}: put the records right and run it again. No file was written.`,
          );
          process.exitCode = 1;
          return;
        }
        await writeFile(out, run.workbook);
        write.out(
          `Wrote Ofsted’s Annex A lists as of ${date.asOf} to ${out}: ${run.children} children, ${run.warnings} warning${run.warnings === 1 ? '' : 's'} to check, no errors.`,
        );
      } catch (error) {
        if (!(error instanceof ReturnRefusedError)) throw error;
        write.err(error.message);
        process.exitCode = 1;
      } finally {
        await handle.close();
      }
    });
}
