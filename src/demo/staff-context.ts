import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RoleSlug } from '../platform/access/roles.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { OrganisationSlug } from '../policy/index.js';

/**
 * A demo account in one organisation as a completed sign-in (two factors
 * included) would give it, so demo data can be made through the services
 * the pages use; undefined when the account has no role there.
 */
export async function demoStaffContext(
  trx: Transaction<Database>,
  organisation: OrganisationSlug,
  email: string,
): Promise<StaffContext | undefined> {
  const rows = await trx
    .selectFrom('account')
    .innerJoin('membership', 'membership.account_id', 'account.id')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .select([
      'account.id as accountId',
      'account.display_name as displayName',
      'organisation.id as organisationId',
      'organisation.short_name as shortName',
      'membership.role_slug as role',
    ])
    .where('account.email', '=', email)
    .where('organisation.slug', '=', organisation)
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  return {
    accountId: first.accountId,
    // No session: the demo acts directly; audit events name the account.
    sessionId: randomUUID(),
    displayName: first.displayName,
    organisation: { id: first.organisationId, slug: organisation, shortName: first.shortName },
    roles: rows.map((r) => r.role as RoleSlug),
    teams: [],
    organisationCount: 1,
    stage: 'complete',
  };
}
