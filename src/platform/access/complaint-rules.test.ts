import { describe, expect, it } from 'vitest';
import type { StaffContext } from '../auth/service.js';
import { canComplaints, type ComplaintAction } from './complaint-rules.js';
import { roleSlugs, type RoleSlug } from './roles.js';

/** The whole role × action table against the answers decision record 0018 expects. */
const expected: Record<RoleSlug, boolean> = {
  practitioner: false,
  'team-manager': false,
  'lado-officer': false,
  'designated-safeguarding-officer': false,
  'partnership-business': false,
  'information-governance': true,
  'data-protection-officer': true,
  'partner-agency': false,
  performance: false,
};

const staff = (roles: RoleSlug[], over: Partial<StaffContext> = {}): StaffContext => ({
  accountId: 'a',
  sessionId: 's',
  displayName: 'Synthetic Staff',
  organisation: { id: 'org-1', slug: 'kent-scs', shortName: 'Kent SCS' },
  roles,
  teams: [],
  organisationCount: 1,
  stage: 'complete',
  ...over,
});

describe('who may see and handle data protection complaints', () => {
  const actions: ComplaintAction[] = ['complaint.view', 'complaint.manage'];
  it.each(roleSlugs.map((role) => [role]))('%s', (role) => {
    for (const action of actions) {
      expect(canComplaints(staff([role]), action, 'org-1')).toBe(expected[role]);
      expect(canComplaints(staff([role]), action)).toBe(expected[role]);
    }
  });

  it('never another organisation’s, and never before sign-in is complete', () => {
    const officer = staff(['information-governance', 'data-protection-officer']);
    expect(canComplaints(officer, 'complaint.view', 'org-2')).toBe(false);
    expect(canComplaints({ ...officer, stage: 'needs-mfa' }, 'complaint.view', 'org-1')).toBe(
      false,
    );
    expect(canComplaints({ ...officer, organisation: null }, 'complaint.manage')).toBe(false);
  });
});
