import { readFile } from 'node:fs/promises';

import type { Command } from 'commander';

import type { DatabaseHandle } from '../../db/connection.js';
import { formatLongDate, parseIsoDate } from '../../retention/calendar.js';
import { describeProblem } from '../../policy/schema.js';
import { PolicyVersions } from './versions.js';

/** "5 December 2026" for a stored YYYY-MM-DD. */
function inWords(isoDate: string): string {
  return formatLongDate(parseIsoDate(isoDate));
}

/**
 * `safekeep organisation …`: organisations run from their policy documents
 * (docs/decisions/0016-policy-as-documents.md; README "Policy documents").
 */
export function registerOrganisationCommands(
  program: Command,
  open: () => Promise<DatabaseHandle>,
  write: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  },
): void {
  const command = program
    .command('organisation')
    .description('organisations and the policy documents they run from');

  command
    .command('add <file>')
    .description(
      'add an organisation from its policy document (YAML): validated, refused whole if anything is wrong, then version 1 of its policy',
    )
    .action(async (file: string) => {
      let source: string;
      try {
        source = await readFile(file, 'utf8');
      } catch {
        write.err(`Cannot read ${file}: check the path and that the file exists.`);
        process.exitCode = 1;
        return;
      }
      const handle = await open();
      try {
        const result = await new PolicyVersions(handle.db).addOrganisation(source, file);
        if (!result.ok) {
          write.err(`${file} was not added; nothing was saved. Put right:`);
          for (const problem of result.problems) write.err(`  ${describeProblem(problem)}`);
          process.exitCode = 1;
          return;
        }
        const { policy } = result;
        write.out(
          `Added ${policy.name} (${policy.slug}) with policy version 1: ${policy.categories.length} categor${policy.categories.length === 1 ? 'y' : 'ies'} of record.`,
        );
        write.out(
          `Give its staff accounts with: safekeep service-account create --organisation ${policy.slug} …`,
        );
      } finally {
        await handle.close();
      }
    });

  command
    .command('list')
    .description('every organisation, with the version of its policy in force')
    .action(async () => {
      const handle = await open();
      try {
        const summaries = await new PolicyVersions(handle.db).list();
        for (const summary of summaries) {
          const inForce =
            summary.versionInForce === null || summary.effectiveFrom === null
              ? 'no policy version in force'
              : `policy version ${summary.versionInForce} in force since ${inWords(summary.effectiveFrom)}`;
          const origin = summary.shipped ? 'shipped' : 'added';
          write.out(
            `${summary.slug.padEnd(16)} ${summary.name} — ${inForce} (${summary.versions} version${summary.versions === 1 ? '' : 's'}, ${origin})`,
          );
        }
      } finally {
        await handle.close();
      }
    });
}
