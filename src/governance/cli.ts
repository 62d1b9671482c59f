import { Option, type Command } from 'commander';
import { isOrganisationSlug, organisationSlugs, policyFor } from '../policy/index.js';
import type { OrganisationPolicy } from '../policy/index.js';
import { differencesText } from './notice/differences.js';
import { recordOfProcessing, ropaCsv } from './ropa/ropa.js';

/** The organisation a command names, or a one-line error an operator can act on (exit 1). */
function policyNamed(slug: string): OrganisationPolicy | null {
  if (isOrganisationSlug(slug)) return policyFor(slug);
  console.error(
    `There is no organisation "${slug}". Choose one of: ${organisationSlugs.join(', ')}.`,
  );
  process.exitCode = 1;
  return null;
}

/**
 * `safekeep governance …`: the record of processing and the notice's
 * differences from the policy, generated from policy. Need no database.
 */
export function registerGovernanceCommands(program: Command): void {
  const governance = program
    .command('governance')
    .description('record of processing and privacy notice, from policy');

  governance
    .command('ropa')
    .description(
      'the record of processing activities (UK GDPR Art 30), one row per processing activity, to stdout',
    )
    .requiredOption('--organisation <organisation>', 'the organisation, e.g. kent-scs')
    .addOption(
      new Option('--format <format>', 'csv or json').choices(['csv', 'json']).makeOptionMandatory(),
    )
    .action((options: { organisation: string; format: 'csv' | 'json' }) => {
      const policy = policyNamed(options.organisation);
      if (!policy) return;
      const rows = recordOfProcessing(policy);
      process.stdout.write(
        options.format === 'csv'
          ? ropaCsv(rows)
          : `${JSON.stringify({ organisation: policy.slug, controller: policy.name, activities: rows }, null, 2)}\n`,
      );
    });

  governance
    .command('notice-diff')
    .description(
      'the differences between the published privacy notice (docs/notices) and the enforced policy, for the DPO',
    )
    .argument('<organisation>', 'the organisation, e.g. maidstone-bc')
    .action((organisation: string) => {
      const policy = policyNamed(organisation);
      if (policy) process.stdout.write(differencesText(policy));
    });
}
