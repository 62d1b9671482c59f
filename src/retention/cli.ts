import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { explainStream } from './explain-lines.js';

/** `safekeep retention …` */
export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description('the retention schedules');
  retention
    .command('explain')
    .description(
      'what-if: read JSON Lines ({"id","organisation","category","facts"}) on stdin, write one ' +
        'result line per input line ({"id","due","action","rule","needsReview","explanation"}); ' +
        'exit 1 if any line failed. Needs no database.',
    )
    .action(async () => {
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      const { failed } = await explainStream(lines, (output) =>
        process.stdout.write(`${output}\n`),
      );
      if (failed > 0) process.exitCode = 1;
    });
}
