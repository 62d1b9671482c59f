import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isOrganisationSlug, policyFor } from '../../policy/index.js';
import type { StaffContext } from '../auth/service.js';
import { recordAudit } from '../audit/audit-log.js';
import { NotFoundError } from '../errors/errors.js';
import { canGovernRecords } from './access.js';
import { currentHolders, type RoleHolder } from './role-holders.js';
import { roles, type RoleSlug } from './roles.js';

export interface RoleHoldersReport {
  organisationName: string;
  /** Each limit the notice sets, with who holds the roles now. */
  limits: {
    roleNames: string[];
    max: number;
    source: string;
    holders: RoleHolder[];
    /** No one more may be given the roles until someone gives one up. */
    full: boolean;
  }[];
  /** Every role held in the organisation, with its holders. */
  roles: { slug: RoleSlug; name: string; privileged: boolean; holders: RoleHolder[] }[];
}

const roleName = (slug: RoleSlug) => roles.find((r) => r.slug === slug)?.name ?? slug;

/**
 * Who holds which role in the signed-in organisation, beside the limits its
 * privacy notice sets (Maidstone: "the Designated Safeguarding Officer and
 * two deputy…"): for information governance and the DPO, who answer for
 * need-to-know access. Viewing it is audited like any governance read.
 */
export async function roleHoldersReport(
  db: Kysely<Database>,
  staff: StaffContext,
): Promise<RoleHoldersReport> {
  const organisation = staff.organisation;
  if (
    staff.stage !== 'complete' ||
    !organisation ||
    !isOrganisationSlug(organisation.slug) ||
    !canGovernRecords(staff, organisation.id)
  ) {
    throw new NotFoundError();
  }
  const policy = policyFor(organisation.slug);
  return db.transaction().execute(async (trx) => {
    const everyone = await currentHolders(
      trx,
      organisation.id,
      roles.map((r) => r.slug),
    );
    await recordAudit(trx, {
      action: 'governance.role-holders.view',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      purpose: 'governance',
    });
    const holding = (slugs: readonly RoleSlug[]) =>
      everyone.filter((h) => h.roles.some((r) => slugs.includes(r)));
    return {
      organisationName: policy.name,
      limits: policy.roleHolderLimits.map((limit) => {
        const holders = holding(limit.roles);
        return {
          roleNames: limit.roles.map(roleName),
          max: limit.max,
          source: limit.source,
          holders,
          full: holders.length >= limit.max,
        };
      }),
      roles: roles
        .map((r) => ({
          slug: r.slug,
          name: r.name,
          privileged: r.privileged,
          holders: holding([r.slug]),
        }))
        .filter((r) => r.holders.length > 0),
    };
  });
}
