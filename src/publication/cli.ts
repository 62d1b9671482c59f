import type { Command } from 'commander';

/** `safekeep publication …`: needs no database, and opens none. */
export function registerPublicationCommands(program: Command): void {
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
}
