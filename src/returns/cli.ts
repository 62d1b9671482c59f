import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import type { RoleSlug } from '../platform/access/roles.js';
import type { StaffContext } from '../platform/auth/service.js';
import { registerAnnexACommand } from './annex-a/cli.js';
import { ReturnRefusedError, ReturnsService, reportLines, type ReturnsActor } from './service.js';

const options = z.object({
  organisation: z.string().min(1),
  year: z.coerce
    .number({ error: '--year must be the census year, such as 2026' })
    .int('--year must be the census year, such as 2026')
    .min(2010, '--year must be the census year, such as 2026')
    .max(2100, '--year must be the census year, such as 2026'),
  out: z.string().min(1),
  as: z.string().email('--as must be your account’s email address').optional(),
});

/**
 * Who runs the command, as the access decision sees them once signed in to
 * the organisation: the operator names their own account, which must hold a
 * returns role there (the service decides) and not be disabled.
 */
export async function staffByEmail(
  db: Kysely<Database>,
  email: string,
  organisationSlug: string,
): Promise<StaffContext> {
  const refused = new ReturnRefusedError(
    `${email} cannot produce returns for ${organisationSlug}: only an account with the performance or information governance role there can.`,
  );
  const organisation = await db
    .selectFrom('organisation')
    .select(['id', 'slug', 'short_name'])
    .where('slug', '=', organisationSlug)
    .executeTakeFirst();
  const account = await db
    .selectFrom('account')
    .select(['id', 'display_name'])
    .where('email', '=', email.toLowerCase())
    .where('disabled_at', 'is', null)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
  if (!organisation || !account) throw refused;
  const memberships = await db
    .selectFrom('membership as m')
    .leftJoin('team as t', 't.id', 'm.team_id')
    .select(['m.role_slug', 't.id as team_id', 't.slug as team_slug'])
    .where('m.account_id', '=', account.id)
    .where('m.organisation_id', '=', organisation.id)
    .execute();
  if (memberships.length === 0) throw refused;
  return {
    accountId: account.id,
    sessionId: randomUUID(),
    displayName: account.display_name,
    organisation: {
      id: organisation.id,
      slug: organisation.slug,
      shortName: organisation.short_name,
    },
    roles: [...new Set(memberships.map((m) => m.role_slug as RoleSlug))],
    teams: memberships.flatMap((m) =>
      m.team_id && m.team_slug ? [{ id: m.team_id, slug: m.team_slug }] : [],
    ),
    organisationCount: 1,
    stage: 'complete',
  };
}

/**
 * Who a `safekeep returns` run is by: the account `--as` names, or, without
 * it, the operator acting for the organisation (issue 17's contract has no
 * account option; see ReturnsOperator).
 */
export async function returnsActor(
  db: Kysely<Database>,
  as: string | undefined,
  organisationSlug: string,
): Promise<ReturnsActor> {
  if (as !== undefined) return staffByEmail(db, as, organisationSlug);
  const organisation = await db
    .selectFrom('organisation')
    .select(['id', 'slug', 'short_name'])
    .where('slug', '=', organisationSlug)
    .executeTakeFirst();
  if (!organisation)
    throw new ReturnRefusedError(`There is no organisation "${organisationSlug}".`);
  return {
    kind: 'operator',
    organisation: {
      id: organisation.id,
      slug: organisation.slug,
      shortName: organisation.short_name,
    },
  };
}

/** `safekeep returns …`: statutory returns (issue 17; docs/returns.md). */
export function registerReturnsCommands(
  program: Command,
  open: () => Promise<DatabaseHandle>,
  write: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  },
): void {
  const returns = program
    .command('returns')
    .description('statutory returns to the DfE and the lists for an Ofsted inspection');
  registerAnnexACommand(returns, open, write);
  returns
    .command('cin-census')
    .description(
      'validate the Children in Need census for a collection year and, if no error remains, write its XML file; exits 1 with the validation report while errors remain (queries are allowed)',
    )
    .requiredOption('--organisation <slug>', 'the local authority, such as kent-scs')
    .requiredOption('--year <year>', 'the census year: 2026 is the census of 31 March 2026')
    .requiredOption('--out <file>', 'where to write the XML file')
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
      const { organisation, year, out, as } = parsed.data;
      const handle = await open();
      try {
        const staff = await returnsActor(handle.db, as, organisation);
        const run = await new ReturnsService(handle.db).cinCensus(staff, { year, produce: true });
        for (const line of reportLines(run)) write.err(line);
        if (!run.xml) {
          write.err(
            `The census for ${year} has ${run.errors} error${run.errors === 1 ? '' : 's'}: put the records right and run it again. No file was written.`,
          );
          process.exitCode = 1;
          return;
        }
        await writeFile(out, run.xml, 'utf8');
        write.out(
          `Wrote the Children in Need census ${year} to ${out}: ${run.children.length} children, ${run.queries} ${run.queries === 1 ? 'query' : 'queries'} to check, no errors.`,
        );
      } catch (error) {
        if (!(error instanceof ReturnRefusedError)) throw error;
        write.err(error.message);
        process.exitCode = 1;
      } finally {
        await handle.close();
      }
    });
  returns
    .command('ssda903')
    .description(
      'validate the SSDA903 looked-after children return for a collection year and, if no error remains, write its CSV files (one per table) into a folder; exits 1 with the validation report while errors remain (queries are allowed)',
    )
    .requiredOption('--organisation <slug>', 'the local authority, such as kent-scs')
    .requiredOption('--year <year>', 'the collection year: 2026 is 1 April 2025 to 31 March 2026')
    .requiredOption('--out <dir>', 'the folder to write the CSV files into (made if need be)')
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
      const { organisation, year, out, as } = parsed.data;
      const handle = await open();
      try {
        const staff = await returnsActor(handle.db, as, organisation);
        const run = await new ReturnsService(handle.db).ssda903(staff, { year, produce: true });
        for (const line of reportLines(run)) write.err(line);
        if (!run.files) {
          write.err(
            `The SSDA903 return for ${year} has ${run.errors} error${run.errors === 1 ? '' : 's'}: put the records right and run it again. No file was written.`,
          );
          process.exitCode = 1;
          return;
        }
        await mkdir(out, { recursive: true });
        for (const file of run.files) {
          await writeFile(path.join(out, file.name), file.csv, 'utf8');
        }
        write.out(
          `Wrote the SSDA903 return ${year} to ${out}: ${run.files.length} files, ${run.children.length} children, ${run.queries} ${run.queries === 1 ? 'query' : 'queries'} to check, no errors.`,
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
