import { readFile } from 'node:fs/promises';

import type { Command } from 'commander';
import { z } from 'zod';

import type { DatabaseHandle } from '../../db/connection.js';
import { formatLongDate, parseIsoDate } from '../../retention/calendar.js';
import { describeProblem } from '../../policy/schema.js';
import { PolicyChangeError, PolicyChanges } from './changes.js';
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

const changeId = z.uuid({ error: 'the change id must be the one printed when it was proposed' });
const isoDate = z.iso.date({ error: '--effective must be a date written YYYY-MM-DD' });

/**
 * `safekeep policy …`: change an organisation's policy — propose (IG),
 * preview, approve (the DPO, another person), apply (resumable) — and read
 * every version (docs/decisions/0016-policy-as-documents.md).
 */
export function registerPolicyCommands(
  program: Command,
  open: () => Promise<DatabaseHandle>,
): void {
  const command = program
    .command('policy')
    .description('propose, preview, approve and apply changes to a policy; read its versions');

  /** Runs with the database open; a refusal is one line and exit code 1. */
  const withDatabase =
    <A extends unknown[]>(run: (db: DatabaseHandle, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const handle = await open();
      try {
        await run(handle, ...args);
      } catch (error) {
        if (!(error instanceof PolicyChangeError)) throw error;
        console.error(error.message);
        process.exitCode = 1;
      } finally {
        await handle.close();
      }
    };

  const parsedId = (raw: string): string | null => {
    const parsed = changeId.safeParse(raw);
    if (parsed.success) return parsed.data;
    console.error(parsed.error.issues[0]?.message);
    process.exitCode = 1;
    return null;
  };

  const printPreview = async (changes: PolicyChanges, id: string) => {
    const preview = await changes.preview(id);
    console.log(
      `${preview.changed} of ${preview.records} records would change due date or action:`,
    );
    for (const c of preview.categories) {
      console.log(
        `  ${c.category}: ${c.changed} of ${c.records} (${c.dueChanged} due date, ${c.actionChanged} action)`,
      );
    }
    console.log(
      preview.earliestNewDestruction
        ? `Earliest new destruction: ${formatLongDate(parseIsoDate(preview.earliestNewDestruction))}`
        : 'No new destruction date.',
    );
  };

  command
    .command('propose <organisation> <file>')
    .description('propose a new version of an organisation’s policy (information governance)')
    .requiredOption('--as <email>', 'your account: information governance in that organisation')
    .requiredOption('--effective <date>', 'the date it takes effect, YYYY-MM-DD')
    .action(
      withDatabase(
        async (
          handle,
          organisation: string,
          file: string,
          options: { as: string; effective: string },
        ) => {
          const effective = isoDate.safeParse(options.effective);
          if (!effective.success)
            throw new PolicyChangeError(
              effective.error.issues[0]?.message ?? '--effective must be a date written YYYY-MM-DD',
            );
          let source: string;
          try {
            source = await readFile(file, 'utf8');
          } catch {
            throw new PolicyChangeError(
              `Cannot read ${file}: check the path and that the file exists.`,
            );
          }
          const changes = new PolicyChanges(handle.db);
          const result = await changes.propose({
            organisation,
            source,
            file,
            effectiveFrom: effective.data,
            by: { email: options.as },
          });
          if (!result.ok) {
            console.error(`${file} was not proposed; nothing was saved. Put right:`);
            for (const problem of result.problems) console.error(`  ${describeProblem(problem)}`);
            process.exitCode = 1;
            return;
          }
          console.log(`Proposed as change ${result.changeId}.`);
          await printPreview(changes, result.changeId);
        },
      ),
    );

  command
    .command('preview <changeId>')
    .description(
      'what a proposed change would do to the organisation’s records, computed by the engine',
    )
    .action(
      withDatabase(async (handle, raw: string) => {
        const id = parsedId(raw);
        if (id) await printPreview(new PolicyChanges(handle.db), id);
      }),
    );

  command
    .command('approve <changeId>')
    .description('approve a proposed change (the Data Protection Officer; not its proposer)')
    .requiredOption(
      '--as <email>',
      'your account: the Data Protection Officer of that organisation',
    )
    .action(
      withDatabase(async (handle, raw: string, options: { as: string }) => {
        const id = parsedId(raw);
        if (!id) return;
        const { version } = await new PolicyChanges(handle.db).approve(id, { email: options.as });
        console.log(
          `Approved: policy version ${version}. Apply it with: safekeep policy apply ${id}`,
        );
      }),
    );

  command
    .command('apply <changeId>')
    .description(
      'put an approved change in force and assess every record again (run again to resume)',
    )
    .action(
      withDatabase(async (handle, raw: string) => {
        const id = parsedId(raw);
        if (!id) return;
        const result = await new PolicyChanges(handle.db).apply(id);
        console.log(`Applied: ${result.recomputed} records assessed again under the new version.`);
      }),
    );

  command
    .command('versions <organisation>')
    .description('every version of an organisation’s policy')
    .action(
      withDatabase(async (handle, organisation: string) => {
        const versions = await new PolicyVersions(handle.db).versionsOf(organisation);
        if (versions.length === 0)
          throw new PolicyChangeError(`No policy versions for "${organisation}".`);
        for (const v of versions) {
          const approval = v.approvedBy
            ? 'proposed and approved by two people'
            : 'from its document';
          console.log(
            `version ${v.version}: in force from ${formatLongDate(parseIsoDate(v.effectiveFrom))} (${approval})`,
          );
        }
      }),
    );

  command
    .command('show <organisation> <version>')
    .description('print one version of an organisation’s policy document, as written')
    .action(
      withDatabase(async (handle, organisation: string, version: string) => {
        const found = (await new PolicyVersions(handle.db).versionsOf(organisation)).find(
          (v) => String(v.version) === version,
        );
        if (!found) throw new PolicyChangeError(`No version ${version} of "${organisation}".`);
        process.stdout.write(found.documentText);
      }),
    );
}
