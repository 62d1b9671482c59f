import { kentLado } from './organisations/kent-lado.js';
import { kentScs } from './organisations/kent-scs.js';
import { kscmp } from './organisations/kscmp.js';
import { maidstoneBc } from './organisations/maidstone-bc.js';
import { sscp } from './organisations/sscp.js';
import type { RoleSlug } from '../platform/access/roles.js';
import { categorySlugs, organisationSlugs } from './types.js';
import type { CategorySlug, DataCategory, OrganisationPolicy, OrganisationSlug } from './types.js';

export type * from './types.js';
export type * from './notice-facts.js';
export {
  article9NeedsSchedule1,
  categorySlugs,
  dateFactNames,
  ladoOutcomes,
  organisationSlugs,
  retentionActions,
} from './types.js';

/** Every organisation's policy, in the order of the seeds. */
export const policies: readonly OrganisationPolicy[] = [
  kscmp,
  kentScs,
  sscp,
  maidstoneBc,
  kentLado,
];

export function policyFor(slug: OrganisationSlug): OrganisationPolicy {
  const policy = policies.find((p) => p.slug === slug);
  if (!policy) throw new Error(`No policy for organisation ${slug}`);
  return policy;
}

/** The organisation's limits on holders that cover this role (usually none). */
export function roleHolderLimitsFor(
  organisation: OrganisationSlug,
  role: RoleSlug,
): OrganisationPolicy['roleHolderLimits'] {
  return policyFor(organisation).roleHolderLimits.filter((limit) => limit.roles.includes(role));
}

export function isOrganisationSlug(value: string): value is OrganisationSlug {
  return (organisationSlugs as readonly string[]).includes(value);
}

export function isCategorySlug(value: string): value is CategorySlug {
  return (categorySlugs as readonly string[]).includes(value);
}

/** The organisation's category, or undefined if it holds no records of that category. */
export function findCategory(
  organisation: OrganisationSlug,
  category: CategorySlug,
): DataCategory | undefined {
  return policyFor(organisation).categories.find((c) => c.slug === category);
}
