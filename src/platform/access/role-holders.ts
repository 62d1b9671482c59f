import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { policyFor, type OrganisationSlug } from '../../policy/index.js';
import { ConflictError } from '../errors/errors.js';
import { integrationRoleSlugs, roles, type RoleSlug } from './roles.js';

/**
 * Who may hold a role: service accounts only roles marked for integrations
 * (access/roles.ts), and nobody past a limit the organisation's notice sets
 * (policy `roleHolderLimits`). Checked here, with a message a person can act
 * on, before anything is written; the database checks the same rules again
 * (migration 0017), so a concurrent second grant or any other path is
 * refused too.
 */
export class RoleHolderRuleError extends ConflictError {}

export type HolderKind = 'staff' | 'service';

const roleName = (slug: RoleSlug) => roles.find((r) => r.slug === slug)?.name ?? slug;

/**
 * Gives an account roles in an organisation, in the caller's transaction,
 * or refuses with RoleHolderRuleError (and the caller's transaction rolls back).
 */
export async function grantRoles(
  trx: Transaction<Database>,
  grant: {
    accountId: string;
    holderKind: HolderKind;
    organisation: { id: string; slug: OrganisationSlug };
    roles: readonly RoleSlug[];
    teamId?: string | null;
  },
): Promise<void> {
  if (grant.holderKind === 'service') {
    const refused = grant.roles.filter((r) => !integrationRoleSlugs.includes(r));
    if (refused.length > 0) {
      throw new RoleHolderRuleError(
        `A service account cannot hold the role ${refused.map((r) => `"${roleName(r)}"`).join(' or ')}: ` +
          `integrations may hold only ${integrationRoleSlugs.join(', ')}. ` +
          'Privileged roles need a person who passes two-factor authentication.',
      );
    }
  }
  const policy = policyFor(grant.organisation.slug);
  for (const limit of policy.roleHolderLimits) {
    if (!grant.roles.some((r) => limit.roles.includes(r))) continue;
    const holders = await trx
      .selectFrom('membership')
      .innerJoin('account', 'account.id', 'membership.account_id')
      .select('membership.account_id')
      .distinct()
      .where('membership.organisation_id', '=', grant.organisation.id)
      .where('membership.role_slug', 'in', [...limit.roles])
      .where('membership.account_id', '!=', grant.accountId)
      .where((eb) =>
        eb.or([
          eb('account.kind', '=', 'staff'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('api_token')
                .select('api_token.id')
                .whereRef('api_token.account_id', '=', 'account.id'),
            ),
          ),
          eb.exists(
            eb
              .selectFrom('api_token')
              .select('api_token.id')
              .whereRef('api_token.account_id', '=', 'account.id')
              .where('api_token.revoked_at', 'is', null),
          ),
        ]),
      )
      .execute();
    if (holders.length + 1 > limit.max) {
      throw new RoleHolderRuleError(roleHolderLimitMessage(policy.name, limit, holders.length));
    }
  }
  try {
    for (const role of grant.roles) {
      await trx
        .insertInto('membership')
        .values({
          account_id: grant.accountId,
          organisation_id: grant.organisation.id,
          role_slug: role,
          team_id: grant.teamId ?? null,
        })
        .execute();
    }
  } catch (error) {
    // Another grant committed between the count above and this insert: the
    // database's own check refused it. Say so in the same words.
    if (isRoleHolderRuleViolation(error)) {
      const limit = policy.roleHolderLimits.find((l) =>
        grant.roles.some((r) => l.roles.includes(r)),
      );
      throw new RoleHolderRuleError(
        limit
          ? roleHolderLimitMessage(policy.name, limit, limit.max)
          : 'The database refused this role for this account.',
      );
    }
    throw error;
  }
}

function roleHolderLimitMessage(
  organisationName: string,
  limit: { roles: readonly RoleSlug[]; max: number; source: string },
  holders: number,
): string {
  const names = limit.roles.map((r) => `"${roleName(r)}"`).join(' or ');
  return (
    `${organisationName} allows at most ${limit.max} holders of the role ${names}, ` +
    `and ${holders} already hold it. Its privacy notice says: "${limit.source}" ` +
    'Take the role from someone, or revoke a service account that holds it, first.'
  );
}

export function isRoleHolderRuleViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '23514' &&
    String((error as { message?: unknown }).message).startsWith('role holder rule')
  );
}
