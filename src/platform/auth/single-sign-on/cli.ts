import type { Command } from 'commander';
import type { DatabaseHandle } from '../../../db/connection.js';
import { ScimService } from './scim.js';

/** `safekeep sso …`: single sign-on through each organisation's provider (decision record 0037). */
export function registerSingleSignOnCommands(
  program: Command,
  open: () => Promise<DatabaseHandle>,
): void {
  const command = program
    .command('sso')
    .description('single sign-on through an organisation’s identity provider');

  command
    .command('scim-token')
    .description(
      'issue the bearer token the organisation’s provider sends to /scim/v2 (shown once; replaces the old one)',
    )
    .requiredOption('--organisation <slug>', 'the organisation whose provider it is for')
    .action(async (options: { organisation: string }) => {
      const handle = await open();
      try {
        const token = await new ScimService(handle.db).issueToken(options.organisation);
        if (!token) {
          console.error(
            `Organisation ${options.organisation} has no single sign-on provider: set one up first.`,
          );
          process.exitCode = 1;
          return;
        }
        console.log(
          'SCIM token (shown once; the one before it no longer works). In the provider, enter it as the secret token:',
        );
        console.log(token);
      } finally {
        await handle.close();
      }
    });
}
