import type { Command } from 'commander';
import type { ResearchKeys } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';

/**
 * `safekeep publication …`: `redact` needs no database, and opens none;
 * `rotate-research-keys` opens it with `open` (given by cli.ts).
 */
export function registerPublicationCommands(
  program: Command,
  open?: () => Promise<{ handle: DatabaseHandle; keys: ResearchKeys }>,
): void {
  const publication = program
    .command('publication')
    .description('anonymising practice reviews for publication');
  publication
    .command('redact')
    .description(
      'read JSON Lines ({"id","text","people":[{"label","names","dateOfBirth","addresses",' +
        '"identifiers","schools"}]}) on stdin; write {"id","text","spans"} per line, or ' +
        '{"id","error"}; exit 1 if any line failed. Needs no database.',
    )
    .action(async () => {
      // Loaded on use, so other commands do not read the name lists.
      const { redactLines } = await import('./lines.js');
      const { failed } = await redactLines(process.stdin, process.stdout);
      if (failed > 0) process.exitCode = 1;
    });
  if (!open) return;
  publication
    .command('rotate-research-keys')
    .description(
      'seal every research extract key again under RESEARCH_KEY_SECRET, opening those sealed ' +
        'under RESEARCH_KEY_SECRET_PREVIOUS; then the previous secret can be retired (decision 0040)',
    )
    .action(async () => {
      const { handle, keys } = await open();
      try {
        const { ResearchExtracts } = await import('./research/extracts.js');
        const { SealedKeyError } = await import('./research/key-seal.js');
        try {
          const resealed = await new ResearchExtracts(handle.db, { keys }).resealKeys();
          console.log(
            `${resealed} research extract key(s) sealed again under the current secret; none is left under another.`,
          );
        } catch (error) {
          if (!(error instanceof SealedKeyError)) throw error;
          // One transaction: a key that does not open leaves every key as it was.
          console.error(`Nothing was re-sealed: a research extract key is ${error.message}.`);
          process.exitCode = 1;
        }
      } finally {
        await handle.close();
      }
    });
}
