import type { StaffContext } from '../auth/service.js';
import type { RoleSlug } from './roles.js';

/**
 * Who may change an organisation's policy from the pages (issue 11;
 * decisions 0016 and 0025), as a table like complaint-rules.ts: "in their
 * own organisation, a member with ROLE may do ACTION". The same rules the
 * policy change service enforces for the command line
 * (governance/policy/changes.ts checks them again, by account): information
 * governance proposes, the Data Protection Officer approves — never their
 * own proposal — and either applies an approved change. The DPO marks the
 * notice reviewed. Anyone else is answered "Page not found".
 */
export type PolicyAction =
  'policy.view' | 'policy.propose' | 'policy.approve' | 'policy.apply' | 'notice.review';

export const policyRules: Record<PolicyAction, readonly RoleSlug[]> = {
  'policy.view': ['information-governance', 'data-protection-officer'],
  'policy.propose': ['information-governance'],
  'policy.approve': ['data-protection-officer'],
  'policy.apply': ['information-governance', 'data-protection-officer'],
  'notice.review': ['data-protection-officer'],
};

/** Deny by default: a fully signed-in member of the organisation with a role the table lists. */
export function canPolicy(staff: StaffContext, action: PolicyAction): boolean {
  if (staff.stage !== 'complete' || !staff.organisation) return false;
  return staff.roles.some((role) => policyRules[action].includes(role));
}
