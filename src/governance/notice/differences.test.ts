import { describe, expect, it } from 'vitest';
import { policies, policyFor } from '../../policy/index.js';
import { differencesText, noticeDifferences } from './differences.js';

describe('differences between the published notice and the enforced policy', () => {
  it('Maidstone promises portability that Art 20(3) does not give for a public task', () => {
    const [first] = noticeDifferences(policyFor('maidstone-bc'));
    expect(first?.kind).toBe('contradiction');
    expect(first?.topic).toBe('Safeguarding concern log: the right to data portability');
    expect(first?.notice).toContain('Portability – you can ask us to transfer');
    expect(first?.safekeep).toContain('Art 20(3) UK GDPR');
  });

  it('the Somerset notice states no lawful basis: each inferred basis is listed with its note', () => {
    const sscp = policyFor('sscp');
    const notStated = noticeDifferences(sscp).filter((d) => d.kind === 'not-stated');
    const inferredBases = sscp.categories.flatMap((c) =>
      c.lawfulBases.filter((b) => b.source === 'inferred'),
    );
    expect(inferredBases.length).toBeGreaterThan(0);
    expect(notStated.filter((d) => /Art 6\(1\)/.test(d.topic))).toHaveLength(inferredBases.length);
    expect(notStated[0]?.safekeep).toContain('The SSCP notice states no lawful basis');
  });

  it('lists every inferred basis or condition of every organisation, and only those', () => {
    for (const policy of policies) {
      const inferred = policy.categories.flatMap((c) => [
        ...c.lawfulBases.filter((b) => b.source === 'inferred'),
        ...(c.specialCategory === false
          ? []
          : c.specialCategory.conditions.flatMap((x) => [
              ...(x.source === 'inferred' ? [x] : []),
              ...x.schedule1.filter((s) => s.source === 'inferred'),
            ])),
        ...(c.criminalOffence === false
          ? []
          : c.criminalOffence.source === 'inferred'
            ? [c.criminalOffence]
            : c.criminalOffence.schedule1.filter((s) => s.source === 'inferred')),
      ]);
      const listed = noticeDifferences(policy).filter((d) => d.kind === 'not-stated');
      expect(listed, policy.slug).toHaveLength(inferred.length);
    }
  });

  it('lists a notice’s missing contact details and unreviewed notice as gaps', () => {
    const gaps = noticeDifferences(policyFor('maidstone-bc')).filter((d) => d.kind === 'gap');
    expect(gaps.map((d) => d.topic)).toContain('How to use your rights');
    expect(gaps.map((d) => d.topic)).toContain('When the notice is reviewed');
  });

  it('as text: numbered, each with the notice’s words and what Safekeep does', () => {
    const text = differencesText(policyFor('maidstone-bc'));
    expect(text).toMatch(/^Maidstone Borough Council: \d+ differences/);
    expect(text).toContain('1. Safeguarding concern log: the right to data portability');
    expect(text).toContain('   Notice: Portability');
  });
});
