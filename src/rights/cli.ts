import type { Command } from 'commander';
import { runJsonLinesTool } from '../platform/cli/json-lines.js';
import { deadlineRequest } from './deadline-lines.js';

/** `safekeep rights …` */
export function registerRightsCommands(program: Command): void {
  const rights = program.command('rights').description('data subject rights requests');
  rights
    .command('deadline')
    .description(
      'what-if: read JSON Lines ({"id","received","extended","pauses":[{"from","to"}]}) on stdin, ' +
        'write {"id","due"} per line; exit 1 if any line failed. Needs no database.',
    )
    .action(() => runJsonLinesTool(deadlineRequest));
}
