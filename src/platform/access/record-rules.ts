/**
 * Who may do what with records, as each organisation's policy document says
 * under `access.records` (src/policy/access-rules.ts explains the table;
 * design.md principle 1). Anything not listed is refused.
 */
import { isOrganisationSlug, policyFor } from '../../policy/index.js';
import type { CategoryAccess, CategorySlug, PolicyAccess } from '../../policy/index.js';
import type { RoleSlug } from './roles.js';

export type { CategoryAccess, Reach, RecordAction, RecordRule } from '../../policy/access-rules.js';

const noAccess: PolicyAccess = { records: {}, people: [] };

function accessOf(organisation: string): PolicyAccess {
  return isOrganisationSlug(organisation) ? policyFor(organisation).access : noAccess;
}

/** The organisation's record rules by category (none for an organisation the registry does not know). */
export function recordRulesFor(
  organisation: string,
): Partial<Record<CategorySlug, CategoryAccess>> {
  return accessOf(organisation).records;
}

/** Roles that list and open people in the organisation. */
export function peopleRolesFor(organisation: string): readonly RoleSlug[] {
  return accessOf(organisation).people;
}
