import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { policies, policyFor } from '../../policy/index.js';
import { describeRule } from '../../retention/wording.js';
import { recipientRefusal } from '../../sharing/recipient-check.js';
import { appropriatePolicyDocument, needsAppropriatePolicy } from './appropriate-policy.js';
import { recordOfProcessing, ropaColumns, ropaCsv } from './ropa.js';

describe('the record of processing (UK GDPR Art 30), from policy', () => {
  it('has one row per processing activity of every organisation, every column filled', () => {
    for (const policy of policies) {
      const rows = recordOfProcessing(policy);
      expect(rows.map((r) => r.activity)).toEqual(policy.categories.map((c) => c.name));
      for (const row of rows) {
        for (const { key } of ropaColumns) expect(row[key], `${policy.slug} ${key}`).not.toBe('');
      }
    }
  });

  it('states each activity’s purpose, bases, conditions and retention as the policy enforces them', () => {
    const policy = policyFor('maidstone-bc');
    const [row] = recordOfProcessing(policy);
    const category = policy.categories[0];
    if (!row || !category || category.retention.kind !== 'schedule') throw new Error('no row');
    expect(row.purpose).toBe(category.purpose);
    expect(row.lawfulBasis).toBe('Public task (Art 6(1)(e) UK GDPR)');
    expect(row.specialCategoryData).toContain('Art 9(2)(g) UK GDPR');
    expect(row.specialCategoryData).toContain('DPA 2018 Schedule 1 Part 2 para 18');
    expect(row.criminalOffenceData).toContain('Art 10 UK GDPR');
    expect(row.retention).toContain(describeRule(category.retention.rules[0]!));
    expect(row.dataProtectionOfficer).toContain('Angela Woodhouse');
    expect(row.transfers).toMatch(/^None/);
    expect(row.securityMeasures).toContain('At most 3 people may hold this access');
    expect(row.privacyNotice).toBe('/privacy/maidstone-bc');
  });

  it('lists as recipients exactly those sharing accepts', () => {
    for (const policy of policies) {
      const listed = recordOfProcessing(policy)[0]?.recipients.split('; ') ?? [];
      const accepted = policy.recipients
        .filter((r) => recipientRefusal(policy, r.id) === null)
        .map((r) => r.name);
      expect(listed).toEqual(accepted);
    }
  });

  it('lists each partner’s imported files as a source of the activity they feed, counts only', () => {
    const policy = policyFor('kent-scs');
    const plain = recordOfProcessing(policy);
    const rows = recordOfProcessing(policy, {
      imports: [
        {
          category: 'child-in-need',
          kindName: 'Police missing-from-home notifications',
          partner: 'Kent Police',
          files: 2,
          rows: 50_000,
          lastImportedAt: new Date('2026-12-07T05:00:00Z'),
        },
      ],
    });
    const fed = rows.find(
      (r) => r.activity === policy.categories.find((c) => c.slug === 'child-in-need')?.name,
    );
    expect(fed?.source).toBe(
      `${plain.find((r) => r.activity === fed?.activity)?.source}. Imported from partners’ files: ` +
        'Police missing-from-home notifications from Kent Police: 2 files, 50,000 rows, the last on 7 December 2026',
    );
    // Every other activity's sources are as the policy gives them.
    const others = rows.filter((r) => r.activity !== fed?.activity);
    expect(others.length).toBeGreaterThan(0);
    for (const row of others) {
      expect(row.source).toBe(plain.find((r) => r.activity === row.activity)?.source);
    }
  });

  it('names Kent’s DPO by email', () => {
    expect(recordOfProcessing(policyFor('kent-scs'))[0]?.dataProtectionOfficer).toContain(
      'dpo@kent.gov.uk',
    );
  });

  it('as CSV: the ICO template’s headers, then one record per activity that parses back', () => {
    const policy = policyFor('kscmp');
    const rows = recordOfProcessing(policy, { siteUrl: 'https://safekeep.example' });
    const csv = ropaCsv(rows);
    const parsed = parse(csv, { relax_column_count: false }) as string[][];
    expect(parsed[0]).toEqual(ropaColumns.map((c) => c.header));
    expect(parsed).toHaveLength(rows.length + 1);
    expect(parsed[1]?.at(-1)).toBe('https://safekeep.example/privacy/kscmp');
    expect(csv).toContain('\r\n');
  });
});

describe('the appropriate policy document (DPA 2018 Sch 1 Part 4)', () => {
  it('is needed for Part 2 conditions and Part 1 para 1, not for Part 1 paras 2 to 4', () => {
    expect(needsAppropriatePolicy({ paragraph: 'Part 2 para 18' })).toBe(true);
    expect(needsAppropriatePolicy({ paragraph: 'Part 1 para 1' })).toBe(true);
    expect(needsAppropriatePolicy({ paragraph: 'Part 1 para 2' })).toBe(false);
    expect(needsAppropriatePolicy({ paragraph: 'Part 1 para 4' })).toBe(false);
  });

  it('names each condition with the activities relying on it, and every principle', () => {
    const document = appropriatePolicyDocument(policyFor('maidstone-bc'));
    expect(document).not.toBeNull();
    expect(document?.conditions.map((c) => c.paragraph)).toEqual(['Part 2 para 18']);
    expect(document?.conditions[0]?.activities).toEqual(['Safeguarding concern log']);
    expect(document?.principles.map((p) => p.principle)).toHaveLength(7);
    expect(document?.retention[0]?.sentences[0]).toMatch(/^Kept for 7 years/);
  });

  it('exists for every organisation that relies on a condition needing one', () => {
    for (const policy of policies) {
      const relies = policy.categories.some(
        (c) =>
          (c.specialCategory !== false &&
            c.specialCategory.conditions.some((x) => x.schedule1.some(needsAppropriatePolicy))) ||
          (c.criminalOffence !== false && c.criminalOffence.schedule1.some(needsAppropriatePolicy)),
      );
      expect(appropriatePolicyDocument(policy) !== null, policy.slug).toBe(relies);
    }
  });
});
