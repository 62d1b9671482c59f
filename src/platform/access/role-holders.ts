import type { Kysely, Transaction } from 'kysely';
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
    const holders = (await currentHolders(trx, grant.organisation.id, limit.roles)).filter(
      (h) => h.accountId !== grant.accountId,
    );
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

export interface RoleHolder {
  accountId: string;
  displayName: string;
  kind: HolderKind;
  roles: RoleSlug[];
}

/**
 * Who holds any of `roleSlugs` in an organisation now: every person, and
 * every service account that can still act (one whose tokens are all
 * revoked holds nothing). The one definition both the limit and the
 * governance page count by.
 */
export async function currentHolders(
  db: Kysely<Database> | Transaction<Database>,
  organisationId: string,
  roleSlugs: readonly RoleSlug[],
): Promise<RoleHolder[]> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('account', 'account.id', 'membership.account_id')
    .select(['account.id', 'account.display_name', 'account.kind', 'membership.role_slug'])
    .where('membership.organisation_id', '=', organisationId)
    .where('membership.role_slug', 'in', [...roleSlugs])
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
    .orderBy('account.display_name')
    .orderBy('account.id')
    .execute();
  const byAccount = new Map<string, RoleHolder>();
  for (const row of rows) {
    const holder = byAccount.get(row.id) ?? {
      accountId: row.id,
      displayName: row.display_name,
      kind: row.kind,
      roles: [],
    };
    holder.roles.push(row.role_slug as RoleSlug);
    byAccount.set(row.id, holder);
  }
  return [...byAccount.values()];
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
