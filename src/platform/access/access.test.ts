import { describe, expect, it } from 'vitest';
import { policies, type CategorySlug } from '../../policy/index.js';
import type { StaffContext } from '../auth/service.js';
import { canGovernRecords, canPeople, decideRecord, searchableCategories } from './access.js';
import type { RecordAction } from './record-rules.js';
import { roleSlugs, type RoleSlug } from './roles.js';

/**
 * The expected answers for every role × category × action, in one place.
 * Each line grants; everything not listed must be refused.
 *   own   = a record allocated to the staff member
 *   team  = a record allocated to one of their teams (not to them)
 *   other = a record allocated to someone else in another team
 * r = read, w = write, s = search
 */
const expectations = `
kent-scs      child-in-need                practitioner             own:rws team:rws
kent-scs      child-in-need                team-manager             own:rws team:rws
kent-scs      child-in-need                information-governance   own:rs  team:rs  other:rs
kent-scs      child-protection-plan        practitioner             own:rws team:rws
kent-scs      child-protection-plan        team-manager             own:rws team:rws
kent-scs      child-protection-plan        information-governance   own:rs  team:rs  other:rs
kent-scs      looked-after                 practitioner             own:rws team:rws
kent-scs      looked-after                 team-manager             own:rws team:rws
kent-scs      looked-after                 information-governance   own:rs  team:rs  other:rs
kent-scs      private-fostering            practitioner             own:rws team:rws
kent-scs      private-fostering            team-manager             own:rws team:rws
kent-scs      private-fostering            information-governance   own:rs  team:rs  other:rs
kent-scs      private-foster-parent        practitioner             own:rws team:rws
kent-scs      private-foster-parent        team-manager             own:rws team:rws
kent-scs      private-foster-parent        information-governance   own:rs  team:rs  other:rs
kent-scs      risk-register                practitioner             own:rws team:rws
kent-scs      risk-register                team-manager             own:rws team:rws
kent-scs      risk-register                information-governance   own:rs  team:rs  other:rs
kent-scs      adoption                     practitioner             own:rws team:rws
kent-scs      adoption                     team-manager             own:rws team:rws other:rws
kent-scs      adoption                     information-governance   own:rs  team:rs  other:rs
kent-lado     lado-allegation              lado-officer             own:rws team:rws other:rws
kent-lado     lado-allegation              team-manager             own:rws team:rws other:rws
kent-lado     lado-allegation              information-governance   own:rs  team:rs  other:rs
maidstone-bc  safeguarding-concern         designated-safeguarding-officer own:rws team:rws other:rws
`
  .trim()
  .split('\n')
  .map((line) => line.trim().split(/\s+/));

const partnershipCategories: Record<string, CategorySlug[]> = {
  kscmp: [
    'practice-review',
    'panel-referral-not-notified',
    'audit-qa',
    'meeting-admin',
    'training',
    'survey',
    'newsletter-subscription',
    'learning-system-record',
  ],
  sscp: [
    'practice-review',
    'audit-qa',
    'training',
    'training-booking-details',
    'survey',
    'newsletter-subscription',
  ],
};
for (const [org, categories] of Object.entries(partnershipCategories)) {
  for (const category of categories) {
    expectations.push([org, category, 'partnership-business', 'own:rws', 'team:rws', 'other:rws']);
    expectations.push([org, category, 'information-governance', 'own:rs', 'team:rs', 'other:rs']);
  }
}

type Scenario = 'own' | 'team' | 'other';
const letters: Record<RecordAction, string> = { read: 'r', write: 'w', search: 's' };

function expected(
  org: string,
  category: string,
  role: string,
  scenario: Scenario,
  action: RecordAction,
) {
  const line = expectations.find((l) => l[0] === org && l[1] === category && l[2] === role);
  const cell = line?.slice(3).find((c) => c.startsWith(`${scenario}:`));
  return cell ? cell.slice(scenario.length + 1).includes(letters[action]) : false;
}

const orgIds = Object.fromEntries(
  policies.map((p, i) => [p.slug, `00000000-0000-4000-8000-00000000000${i}`]),
);
const myTeam = { id: 'aaaaaaaa-0000-4000-8000-000000000001', slug: 'adoption' };
const otherTeam = 'bbbbbbbb-0000-4000-8000-000000000002';
const me = 'cccccccc-0000-4000-8000-000000000003';
const someoneElse = 'dddddddd-0000-4000-8000-000000000004';

function staffWith(org: string, role: RoleSlug, teams = [myTeam]): StaffContext {
  return {
    accountId: me,
    sessionId: 'eeeeeeee-0000-4000-8000-000000000005',
    displayName: 'Synthetic Staff',
    organisation: { id: orgIds[org]!, slug: org, shortName: org },
    roles: [role],
    teams,
    organisationCount: 1,
    stage: 'complete',
  };
}

const cases = policies.flatMap((policy) =>
  policy.categories.flatMap((category) =>
    roleSlugs.flatMap((role) =>
      (['own', 'team', 'other'] as const).flatMap((scenario) =>
        (['read', 'write', 'search'] as const).map(
          (action) => [policy.slug, category.slug, role, scenario, action] as const,
        ),
      ),
    ),
  ),
);

describe('the access matrix', () => {
  it(`answers every role × category × action as the table says (${cases.length} cases)`, () => {
    const wrong: string[] = [];
    for (const [org, category, role, scenario, action] of cases) {
      const decision = decideRecord(staffWith(org, role), action, {
        organisationId: orgIds[org]!,
        category,
        allocatedAccountId: scenario === 'own' ? me : someoneElse,
        allocatedTeamId: scenario === 'team' ? myTeam.id : otherTeam,
        restricted: false,
        state: 'active' as const,
      });
      if (decision.allowed !== expected(org, category, role, scenario, action)) {
        wrong.push(`${org} ${category} ${role} ${scenario} ${action}: got ${decision.allowed}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('never reads across organisations, whatever the role', () => {
    for (const role of roleSlugs) {
      const staff = staffWith('kent-scs', role);
      const lado = {
        organisationId: orgIds['kent-lado']!,
        category: 'lado-allegation' as const,
        allocatedAccountId: me,
        allocatedTeamId: myTeam.id,
        restricted: false,
        state: 'active' as const,
      };
      expect(decideRecord(staff, 'read', lado, { breakGlass: true }).allowed).toBe(false);
    }
  });

  it('keeps adoption records to the adoption team, allocation or not', () => {
    const outsider = staffWith('kent-scs', 'practitioner', [{ id: myTeam.id, slug: 'assessment' }]);
    const record = {
      organisationId: orgIds['kent-scs']!,
      category: 'adoption' as const,
      allocatedAccountId: me,
      allocatedTeamId: myTeam.id,
      restricted: false,
      state: 'active' as const,
    };
    expect(decideRecord(outsider, 'read', record)).toEqual({
      allowed: false,
      breakGlassPossible: false,
    });
    expect(searchableCategories(outsider).map((c) => c.category)).not.toContain('adoption');
  });

  it('lets a caseworker break glass to read, never to write, and only with the flag', () => {
    const staff = staffWith('kent-scs', 'practitioner');
    const record = {
      organisationId: orgIds['kent-scs']!,
      category: 'child-protection-plan' as const,
      allocatedAccountId: someoneElse,
      allocatedTeamId: otherTeam,
      restricted: false,
      state: 'active' as const,
    };
    expect(decideRecord(staff, 'read', record)).toEqual({
      allowed: false,
      breakGlassPossible: true,
    });
    expect(decideRecord(staff, 'read', record, { breakGlass: true })).toEqual({
      allowed: true,
      via: 'break-glass',
    });
    expect(decideRecord(staff, 'write', record, { breakGlass: true }).allowed).toBe(false);
    const lado = staffWith('kent-lado', 'information-governance');
    const allegation = {
      organisationId: orgIds['kent-lado']!,
      category: 'lado-allegation' as const,
      allocatedAccountId: someoneElse,
      allocatedTeamId: otherTeam,
      restricted: false,
      state: 'active' as const,
    };
    expect(decideRecord(lado, 'write', allegation, { breakGlass: true }).allowed).toBe(false);
  });

  it('refuses everything to a session that has not finished signing in', () => {
    const staff = { ...staffWith('kent-lado', 'lado-officer'), stage: 'needs-mfa' as const };
    const allegation = {
      organisationId: orgIds['kent-lado']!,
      category: 'lado-allegation' as const,
      allocatedAccountId: me,
      allocatedTeamId: myTeam.id,
      restricted: false,
      state: 'active' as const,
    };
    expect(decideRecord(staff, 'read', allegation).allowed).toBe(false);
    expect(searchableCategories(staff)).toEqual([]);
    expect(canPeople(staff, 'person.list', orgIds['kent-lado']!)).toBe(false);
  });

  it('lists people at Maidstone to the Designated Safeguarding Officer and deputies only', () => {
    const org = orgIds['maidstone-bc']!;
    expect(
      canPeople(staffWith('maidstone-bc', 'designated-safeguarding-officer'), 'person.list', org),
    ).toBe(true);
    for (const role of roleSlugs.filter((r) => r !== 'designated-safeguarding-officer')) {
      expect(canPeople(staffWith('maidstone-bc', role), 'person.list', org), role).toBe(false);
    }
  });

  it('shows record oversight (who has seen it, monitoring) to governance roles of the same organisation only', () => {
    const org = orgIds['kent-scs']!;
    for (const role of roleSlugs) {
      const expected = role === 'information-governance' || role === 'data-protection-officer';
      expect(canGovernRecords(staffWith('kent-scs', role), org), role).toBe(expected);
    }
    expect(canGovernRecords(staffWith('kent-lado', 'information-governance'), org)).toBe(false);
  });
});

describe('sharing grants (issue 6)', () => {
  const now = new Date('2026-11-25T10:00:00Z');
  const record = {
    organisationId: orgIds['kent-scs']!,
    category: 'child-protection-plan' as const,
    allocatedAccountId: someoneElse,
    allocatedTeamId: otherTeam,
    restricted: false,
    state: 'active' as const,
  };
  const grant = {
    disclosureId: 'ffffffff-0000-4000-8000-000000000006',
    recipientOrganisationId: orgIds['kent-lado']!,
    expiresAt: new Date('2026-12-01T00:00:00Z'),
    revokedAt: null,
  };
  const lado = staffWith('kent-lado', 'lado-officer');

  it('lets the recipient organisation’s staff read, and nothing else', () => {
    expect(decideRecord(lado, 'read', { ...record, grants: [grant] }, { now })).toEqual({
      allowed: true,
      via: 'grant',
      disclosureIds: [grant.disclosureId],
    });
    for (const action of ['write', 'search'] as const) {
      expect(decideRecord(lado, action, { ...record, grants: [grant] }, { now }).allowed).toBe(
        false,
      );
    }
  });

  it('refuses without a grant, after expiry, after revocation, or without the time', () => {
    expect(decideRecord(lado, 'read', record, { now }).allowed).toBe(false);
    expect(
      decideRecord(lado, 'read', { ...record, grants: [grant] }, { now: grant.expiresAt }).allowed,
    ).toBe(false);
    const revoked = { ...grant, revokedAt: new Date('2026-11-24T00:00:00Z') };
    expect(decideRecord(lado, 'read', { ...record, grants: [revoked] }, { now }).allowed).toBe(
      false,
    );
    expect(decideRecord(lado, 'read', { ...record, grants: [grant] }).allowed).toBe(false);
  });

  it('is for the named organisation only, and for its staff who work with records', () => {
    const dso = staffWith('maidstone-bc', 'designated-safeguarding-officer');
    expect(decideRecord(dso, 'read', { ...record, grants: [grant] }, { now }).allowed).toBe(false);
    const toMaidstone = { ...grant, recipientOrganisationId: orgIds['maidstone-bc']! };
    expect(decideRecord(dso, 'read', { ...record, grants: [toMaidstone] }, { now }).allowed).toBe(
      true,
    );
    // At Maidstone only the Designated Safeguarding Officer and deputies see shared concerns.
    const officer = staffWith('maidstone-bc', 'practitioner');
    expect(
      decideRecord(officer, 'read', { ...record, grants: [toMaidstone] }, { now }).allowed,
    ).toBe(false);
    const partner = staffWith('kent-lado', 'partner-agency');
    expect(decideRecord(partner, 'read', { ...record, grants: [grant] }, { now }).allowed).toBe(
      true,
    );
  });

  it('does not change what the holder’s own staff may do', () => {
    const practitioner = staffWith('kent-scs', 'practitioner');
    expect(decideRecord(practitioner, 'read', { ...record, grants: [grant] }, { now })).toEqual({
      allowed: false,
      breakGlassPossible: true,
    });
  });
});
