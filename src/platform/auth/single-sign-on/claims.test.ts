import { describe, expect, it } from 'vitest';
import { grantedRoles, readClaims, type ClaimSettings } from './claims.js';

const entra: ClaimSettings = {
  subjectClaim: 'oid',
  groupsClaim: 'groups',
  nameClaim: 'name',
  emailClaim: 'preferred_username',
  mfaAmrValues: ['mfa'],
  mfaAcrValues: ['urn:council:mfa'],
};

describe('reading a provider’s claims through an organisation’s settings', () => {
  it('matches by the configured subject claim, not sub nor the email address', () => {
    const claims = readClaims(
      { sub: 'pairwise-1', oid: 'object-1', preferred_username: 'A.Person@Council.example' },
      entra,
    );
    expect(claims).toMatchObject({ subject: 'object-1', email: 'a.person@council.example' });
  });

  it('refuses a token without the subject claim', () => {
    expect(readClaims({ sub: 'x' }, entra)).toBeNull();
    expect(readClaims({ oid: 42 }, entra)).toBeNull();
  });

  it('counts multi-factor from amr or from an acr the organisation names, and nothing else', () => {
    expect(readClaims({ oid: 'a', amr: ['pwd', 'mfa'] }, entra)?.multiFactor).toBe(true);
    expect(readClaims({ oid: 'a', amr: 'mfa' }, entra)?.multiFactor).toBe(true);
    expect(readClaims({ oid: 'a', acr: 'urn:council:mfa' }, entra)?.multiFactor).toBe(true);
    expect(readClaims({ oid: 'a', amr: ['pwd'], acr: '1' }, entra)?.multiFactor).toBe(false);
    expect(readClaims({ oid: 'a' }, entra)?.multiFactor).toBe(false);
  });

  it('grants only the roles whose group is held exactly', () => {
    const mappings = [
      { group: 'SG-Practitioners', roleSlug: 'practitioner', teamId: null },
      { group: 'SG-Governance', roleSlug: 'information-governance', teamId: null },
    ];
    const read = readClaims({ oid: 'a', groups: ['SG-Practitioners', 'sg-governance'] }, entra);
    expect(grantedRoles(read!.groups, mappings).map((m) => m.roleSlug)).toEqual(['practitioner']);
    expect(grantedRoles([], mappings)).toEqual([]);
  });
});
