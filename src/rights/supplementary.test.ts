import { describe, expect, it } from 'vitest';
import { policies, policyFor } from '../policy/index.js';
import {
  erasureFor,
  objectionNotReachingReasoning,
  portabilityFor,
  retentionWording,
} from './decisions.js';
import { supplementaryInformation } from './supplementary.js';

describe('Art 15 supplementary information is built from policy data', () => {
  it.each(policies.map((p) => [p.slug, p] as const))('%s', (_slug, policy) => {
    const info = supplementaryInformation(policy);
    expect(info.controller).toBe(policy.name);
    expect(info.purposes.map((p) => p.purpose)).toEqual(policy.categories.map((c) => c.purpose));
    expect(info.categories.map((c) => c.category)).toEqual(policy.categories.map((c) => c.slug));
    for (const [i, category] of policy.categories.entries()) {
      expect(info.purposes[i]?.lawfulBases).toHaveLength(category.lawfulBases.length);
      expect(info.categories[i]?.specialCategory).toBe(category.specialCategory !== false);
      expect(info.retention[i]?.period).toBe(retentionWording(category));
    }
    expect(info.rights.map((r) => r.article)).toEqual(
      expect.arrayContaining(['Art 16', 'Art 17', 'Art 18', 'Art 21']),
    );
    expect(info.complaint.body).toMatch(/Information Commissioner/);
    expect(info.automatedDecisions).toMatch(/solely by automated means/);
  });

  it('names the DPO and how to use rights and complain, from the policy’s contacts (issue 11)', () => {
    const kent = supplementaryInformation(policyFor('kent-scs')).contacts;
    expect(kent.dataProtectionOfficer).toContain('dpo@kent.gov.uk');
    expect(kent.exercisingRights).toContain('data.protection@kent.gov.uk');
    const maidstone = supplementaryInformation(policyFor('maidstone-bc')).contacts;
    expect(maidstone.dataProtectionOfficer).toContain('Angela Woodhouse');
    expect(maidstone.complaints).toContain('01622 602000');
  });

  it('says when the notice was last updated as precisely as the notice does, or not at all', () => {
    expect(supplementaryInformation(policyFor('kent-lado')).noticeLastUpdated).toBe('October 2021');
    expect(supplementaryInformation(policyFor('kscmp')).noticeLastUpdated).toBe('7 April 2025');
    expect(supplementaryInformation(policyFor('kent-scs')).noticeLastUpdated).toBeNull();
  });

  it('covers only the categories named, with the notice’s own period wording', () => {
    const info = supplementaryInformation(policyFor('kent-scs'), ['adoption']);
    expect(info.purposes.map((p) => p.category)).toEqual(['adoption']);
    expect(info.retention[0]?.period).toMatch(/100/);
    expect(info.purposes[0]?.lawfulBases.join(' ')).toMatch(/Public task \(Art 6\(1\)\(e\)/);
  });
});

describe('decisions from policy', () => {
  const category = (org: Parameters<typeof policyFor>[0], slug: string) =>
    policyFor(org).categories.find((c) => c.slug === slug)!;

  it('portability: applies on consent, Art 20(3) for public task', () => {
    expect(portabilityFor(category('kscmp', 'newsletter-subscription')).outcome).toBe('applies');
    expect(portabilityFor(category('kscmp', 'survey')).outcome).toBe('applies');
    const lac = portabilityFor(category('kent-scs', 'looked-after'));
    expect(lac).toMatchObject({ outcome: 'does-not-apply', ground: 'Art 20(3) UK GDPR' });
    expect(lac.reasoning).toMatch(/subject access request/);
    // SSCP's policy holds training on public task, so portability does not reach it there.
    expect(portabilityFor(category('sscp', 'training')).outcome).toBe('does-not-apply');
  });

  it('objection: where it does not reach, says the basis really relied on', () => {
    const survey = objectionNotReachingReasoning(category('kscmp', 'survey'));
    expect(survey).toMatch(/because you consented \(Consent \(Art 6\(1\)\(a\)\)/);
    expect(survey).toMatch(/withdraw your consent/);
    expect(survey).not.toMatch(/legal obligation/i);
  });

  it('erasure: consent erased; statutory refused naming the law that keeps it', () => {
    expect(erasureFor(category('sscp', 'newsletter-subscription'))).toMatchObject({
      outcome: 'erase',
      ground: 'Art 17(1)(b) UK GDPR',
    });
    const lac = erasureFor(category('kent-scs', 'looked-after'));
    expect(lac).toMatchObject({ outcome: 'refuse', ground: 'Art 17(3)(b) UK GDPR' });
    expect(lac.reasoning).toMatch(/Regulations/);
    const lado = erasureFor(category('kent-lado', 'lado-allegation'));
    expect(lado.outcome).toBe('refuse');
    expect(lado.reasoning).toMatch(/retention schedule/);
    expect(
      erasureFor(category('kscmp', 'training'), [{ holdType: 'police-investigation' }]),
    ).toMatchObject({ outcome: 'refuse', ground: 'Art 17(3)(b) UK GDPR' });
  });
});
