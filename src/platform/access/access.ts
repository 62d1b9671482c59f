import type { StaffContext } from '../auth/service.js';
import type { RoleSlug } from './roles.js';

/**
 * The one access decision (design.md principle 1). Every page, API call,
 * search and export asks here; nothing else decides who sees personal data.
 * Deny by default: an action not listed is refused to everyone.
 */
export type Action = 'person.list' | 'person.read';

export interface ResourceScope {
  /** The organisation (controller) that holds the data. */
  organisationId: string;
}

const caseworkRoles: readonly RoleSlug[] = [
  'practitioner',
  'team-manager',
  'lado-officer',
  'designated-safeguarding-officer',
  'partnership-business',
  'information-governance',
  'data-protection-officer',
];

/**
 * A district council's concern log is open only to its Designated
 * Safeguarding Officer and two deputies (Maidstone BC notice, "Who has
 * access"), whatever other roles exist there.
 */
const restrictedOrganisations: Record<string, readonly RoleSlug[]> = {
  'maidstone-bc': ['designated-safeguarding-officer', 'data-protection-officer'],
};

const allowedRoles: Record<Action, readonly RoleSlug[]> = {
  'person.list': caseworkRoles,
  'person.read': caseworkRoles,
};

export function isAllowed(staff: StaffContext, action: Action, scope: ResourceScope): boolean {
  if (staff.stage !== 'complete' || !staff.organisation) return false;
  // Each body is its own controller: never across organisations (sharing grants come later).
  if (scope.organisationId !== staff.organisation.id) return false;
  const restricted = restrictedOrganisations[staff.organisation.slug];
  const roles = restricted
    ? allowedRoles[action].filter((r) => restricted.includes(r))
    : allowedRoles[action];
  return staff.roles.some((role) => roles.includes(role));
}
