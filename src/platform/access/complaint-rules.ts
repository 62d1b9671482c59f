import type { StaffContext } from '../auth/service.js';
import type { RoleSlug } from './roles.js';

/**
 * Who may see and handle data protection complaints (DPA 2018 s.164A;
 * decision record 0018), as a table like record-rules.ts: read it as "in
 * the complaint's own organisation, a member with ROLE may do ACTION".
 * Anything not listed is refused, and a refusal answers as a complaint that
 * does not exist (decision record 0014).
 *
 * Only information governance and the DPO: a complaint is often about
 * something a colleague did with someone's data, so the colleagues whose
 * work is complained about must not read it, nor learn who complained.
 * The public form needs no rule: anyone may complain, and nothing is shown
 * back but the reference.
 */
export type ComplaintAction = 'complaint.view' | 'complaint.manage';

export const complaintRules: Record<ComplaintAction, readonly RoleSlug[]> = {
  // The list, a complaint, its letter and the counts per period.
  'complaint.view': ['information-governance', 'data-protection-officer'],
  // Recording one for a caller, acknowledging, notes, updates, links, the outcome.
  'complaint.manage': ['information-governance', 'data-protection-officer'],
};

/**
 * Deny by default: only a fully signed-in member of `organisationId` (when
 * given; otherwise the staff member's current organisation) with a role the
 * table lists for the action.
 */
export function canComplaints(
  staff: StaffContext,
  action: ComplaintAction,
  organisationId?: string,
): boolean {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return false;
  if (organisationId !== undefined && organisationId !== organisation.id) return false;
  return staff.roles.some((role) => complaintRules[action].includes(role));
}
