import type { Command } from 'commander';
import { z } from 'zod';
import { singleLineText } from '../validation/text.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { organisationSlugSchema, organisationSlugs } from '../../policy/index.js';
import { RoleHolderRuleError } from '../access/role-holders.js';
import { roleSlugs } from '../access/roles.js';
import { ServiceAccounts } from './service-accounts.js';

const createOptions = z.object({
  name: singleLineText('--name').min(3, '--name must be at least 3 characters').max(100),
  organisation: organisationSlugSchema(
    () => `--organisation must be one of ${organisationSlugs.join(', ')}`,
  ),
  role: z
    .array(z.enum(roleSlugs, { error: `--role must be one of ${roleSlugs.join(', ')}` }))
    .min(1, 'give at least one --role'),
  days: z.coerce.number().int().min(1).max(397, '--days can be at most 397 (13 months)'),
});

/** `safekeep service-account …`: API access for integrations. */
export function registerServiceAccountCommands(
  program: Command,
  open: () => Promise<DatabaseHandle>,
): void {
  const command = program
    .command('service-account')
    .description('accounts for integrations calling /api/v1 with a bearer token');

  command
    .command('create')
    .description('create a service account and print its token (shown once)')
    .requiredOption('--name <name>', 'what the integration is, e.g. "MASH referrals feed"')
    .requiredOption('--organisation <slug>', 'the organisation it acts for')
    .requiredOption('--role <role...>', 'its roles there')
    .option('--days <days>', 'days until the token expires', '90')
    .action(async (raw: unknown) => {
      // Opened first: an organisation added from its policy document is
      // known once the database has been read (governance/policy/versions.ts).
      const handle = await open();
      try {
        const parsed = createOptions.safeParse(raw);
        if (!parsed.success) {
          console.error(parsed.error.issues.map((i) => i.message).join('\n'));
          process.exitCode = 1;
          return;
        }
        const created = await new ServiceAccounts(handle.db)
          .create({
            name: parsed.data.name,
            organisationSlug: parsed.data.organisation,
            roles: parsed.data.role,
            validDays: parsed.data.days,
          })
          .catch((error: unknown) => {
            if (!(error instanceof RoleHolderRuleError)) throw error;
            console.error(error.message);
            process.exitCode = 1;
            return null;
          });
        if (!created) return;
        console.log(`Service account ${created.accountId}`);
        console.log(
          `Token (shown once; send as "Authorization: Bearer <token>"):\n${created.token}`,
        );
        console.log(`Expires ${created.expiresAt.toISOString()}`);
      } finally {
        await handle.close();
      }
    });

  command
    .command('revoke <accountId>')
    .description('revoke every token of a service account')
    .action(async (accountId: string) => {
      if (!z.uuid().safeParse(accountId).success) {
        console.error('accountId must be the UUID printed when the account was created');
        process.exitCode = 1;
        return;
      }
      const handle = await open();
      try {
        const count = await new ServiceAccounts(handle.db).revokeAll(accountId);
        console.log(`Revoked ${count} token(s).`);
      } finally {
        await handle.close();
      }
    });
}
