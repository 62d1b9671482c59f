import { describe, expect, it } from 'vitest';
import { policies } from '../../policy/index.js';
import type { StaffContext } from '../auth/service.js';
import {
  decideRectification,
  mayRectifyRestrictedPerson,
  type RectificationAuthority,
  type RecordScope,
} from './access.js';
import { roleSlugs, type RoleSlug } from './roles.js';

/**
 * The one write information governance may make to a record: correcting its
 * facts for an open rectification request whose confirmed subject is in it.
 */

const orgIds = Object.fromEntries(
  policies.map((p, i) => [p.slug, `00000000-0000-4000-8000-00000000000${i}`]),
);
const subject = '11111111-0000-4000-8000-000000000001';
const someoneElse = '22222222-0000-4000-8000-000000000002';

function staffWith(org: string, roles: RoleSlug[], teamSlug = 'assessment'): StaffContext {
  return {
    accountId: 'cccccccc-0000-4000-8000-000000000003',
    sessionId: 'eeeeeeee-0000-4000-8000-000000000005',
    displayName: 'Synthetic Staff',
    organisation: { id: orgIds[org]!, slug: org, shortName: org },
    roles,
    teams: [{ id: 'aaaaaaaa-0000-4000-8000-000000000001', slug: teamSlug }],
    organisationCount: 1,
    stage: 'complete',
  };
}

const record: RecordScope = {
  organisationId: orgIds['kent-scs']!,
  category: 'risk-register',
  allocatedAccountId: null,
  allocatedTeamId: null,
  restricted: false,
  state: 'active' as const,
};

const authority: RectificationAuthority = {
  requestOrganisationId: orgIds['kent-scs']!,
  requestType: 'rectification',
  requestState: 'in-progress',
  subjectPersonId: subject,
  recordPartyIds: [subject, someoneElse],
  restrictions: 'none',
};

describe('decideRectification', () => {
  it('allows information governance only, for an open rectification request of the record’s organisation', () => {
    const ig = staffWith('kent-scs', ['information-governance']);
    expect(decideRectification(ig, record, authority)).toEqual({ allowed: true });
    expect(
      decideRectification(ig, record, { ...authority, requestState: 'extended' }).allowed,
    ).toBe(true);
    for (const state of ['received', 'awaiting-id', 'review', 'approved', 'closed']) {
      expect(decideRectification(ig, record, { ...authority, requestState: state }).allowed).toBe(
        false,
      );
    }
    expect(decideRectification(ig, record, { ...authority, requestType: 'erasure' }).allowed).toBe(
      false,
    );
    expect(
      decideRectification(ig, record, {
        ...authority,
        requestOrganisationId: orgIds['kent-lado']!,
      }).allowed,
    ).toBe(false);
    // Every other role, even one that may write the record, is not given this path.
    for (const role of roleSlugs.filter((r) => r !== 'information-governance')) {
      expect(decideRectification(staffWith('kent-scs', [role]), record, authority).allowed).toBe(
        false,
      );
    }
    // Another organisation's governance officer, with a request of their own.
    const lado = staffWith('kent-lado', ['information-governance']);
    expect(
      decideRectification(lado, record, {
        ...authority,
        requestOrganisationId: orgIds['kent-lado']!,
      }).allowed,
    ).toBe(false);
  });

  it('refuses a record the confirmed subject takes no part in, or before the subject is confirmed', () => {
    const ig = staffWith('kent-scs', ['information-governance']);
    expect(
      decideRectification(ig, record, { ...authority, recordPartyIds: [someoneElse] }),
    ).toEqual({ allowed: false, reason: 'not-in-subject-file' });
    expect(decideRectification(ig, record, { ...authority, subjectPersonId: null }).allowed).toBe(
      false,
    );
  });

  it('keeps the category rules: adoption records stay with the adoption team', () => {
    const ig = staffWith('kent-scs', ['information-governance']);
    expect(decideRectification(ig, { ...record, category: 'adoption' }, authority).allowed).toBe(
      false,
    );
  });

  it('passes the subject’s own accuracy restriction, refuses any other', () => {
    const ig = staffWith('kent-scs', ['information-governance']);
    expect(
      decideRectification(ig, record, {
        ...authority,
        restrictions: 'accuracy-contested-by-subject',
      }),
    ).toEqual({ allowed: true });
    expect(decideRectification(ig, record, { ...authority, restrictions: 'other' })).toEqual({
      allowed: false,
      restricted: true,
      reason: 'not-authorised',
    });
  });

  it('lets only the subject’s own accuracy restriction give way, for their own details', () => {
    const ig = staffWith('kent-scs', ['information-governance']);
    const person = { id: subject, organisationId: orgIds['kent-scs']! };
    const contested = { ...authority, restrictions: 'accuracy-contested-by-subject' as const };
    expect(mayRectifyRestrictedPerson(ig, person, contested)).toBe(true);
    expect(mayRectifyRestrictedPerson(ig, person, { ...contested, restrictions: 'other' })).toBe(
      false,
    );
    expect(mayRectifyRestrictedPerson(ig, { ...person, id: someoneElse }, contested)).toBe(false);
    expect(mayRectifyRestrictedPerson(ig, person, { ...contested, requestState: 'closed' })).toBe(
      false,
    );
    expect(
      mayRectifyRestrictedPerson(staffWith('kent-scs', ['practitioner']), person, contested),
    ).toBe(false);
  });
});
