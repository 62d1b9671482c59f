import { describe, expect, it } from 'vitest';
import { syntheticUpn } from '../people/identifiers.js';
import { censusChild, censusPeriod, type CensusChild, type CensusPersonRow } from './census.js';
import { censusRules, validateCensus } from './rules.js';

/**
 * Each census rule against a child who breaks it and nothing else: the
 * child below passes every rule; each case changes one thing and expects
 * exactly its rule to fail, on the record to fix. A rule with no case here
 * fails the last test.
 */
const period = censusPeriod(2026);
const CIN = '00000000-0000-4000-8000-000000000001';
const PLAN = '00000000-0000-4000-8000-000000000002';

function valid(): CensusChild {
  return {
    personId: '11111111-1111-4111-8111-111111111111',
    laChildId: '1111111111',
    upn: syntheticUpn(7),
    birthDate: '2014-05-02',
    gender: 'F',
    ethnicity: 'NOBT',
    disabilities: ['NONE'],
    episodes: [
      {
        recordId: CIN,
        referralDate: '2025-05-01',
        referralSource: '2A',
        primaryNeed: 'N1',
        closureDate: '2026-02-27',
        reasonForClosure: 'RC7',
        referralNfa: false,
        dateOfInitialCpc: '2025-05-20',
        assessments: [
          {
            recordId: CIN,
            startDate: '2025-05-01',
            authorisationDate: '2025-06-10',
            factors: ['3B'],
          },
        ],
        cinPlans: [{ recordId: CIN, startDate: '2025-06-12', endDate: '2026-02-27' }],
        section47s: [
          {
            recordId: PLAN,
            startDate: '2025-05-06',
            icpcDate: '2025-05-20',
            icpcNotRequired: false,
          },
        ],
        cpPlans: [
          {
            recordId: PLAN,
            startDate: '2025-05-20',
            endDate: '2025-11-20',
            initialCategory: 'NEG',
            latestCategory: 'NEG',
            previousPlans: 0,
            reviewDates: ['2025-08-20'],
          },
        ],
      },
    ],
  };
}

type Change = (child: CensusChild) => void;
const episode = (c: CensusChild) => {
  const e = c.episodes[0];
  if (!e) throw new Error('no episode');
  return e;
};
const plan = (c: CensusChild) => {
  const p = episode(c).cpPlans[0];
  if (!p) throw new Error('no plan');
  return p;
};
const assessment = (c: CensusChild) => {
  const a = episode(c).assessments[0];
  if (!a) throw new Error('no assessment');
  return a;
};

const cases: [ruleId: string, change: Change, recordId: string][] = [
  ['upn-valid', (c) => (c.upn = 'A801200005001'), CIN],
  ['upn-or-reason', (c) => (c.upn = undefined), CIN],
  ['birth-date-present', (c) => (c.birthDate = undefined), CIN],
  ['gender-valid', (c) => (c.gender = undefined), CIN],
  ['death-date-in-year', (c) => (c.deathDate = '2026-06-01'), CIN],
  [
    'no-activity-after-death',
    (c) => {
      // The assessment was completed on 10 June, after the death.
      c.deathDate = '2025-06-05';
      plan(c).reviewDates = [];
      plan(c).endDate = '2025-06-01';
      episode(c).cinPlans = [];
      episode(c).closureDate = '2025-06-05';
    },
    CIN,
  ],
  ['referral-source-valid', (c) => (episode(c).referralSource = 'school'), CIN],
  ['primary-need-present', (c) => (episode(c).primaryNeed = undefined), CIN],
  ['primary-need-valid', (c) => (episode(c).primaryNeed = 'N9'), CIN],
  [
    'closure-after-referral',
    (c) => {
      episode(c).referralDate = '2026-03-01';
      episode(c).assessments = [];
      episode(c).cinPlans = [];
      episode(c).section47s = [];
      episode(c).cpPlans = [];
    },
    CIN,
  ],
  ['closure-in-year', (c) => (episode(c).closureDate = '2026-04-02'), CIN],
  [
    'closure-reason-with-date',
    (c) => {
      episode(c).closureDate = undefined;
      episode(c).cinPlans = [{ recordId: CIN, startDate: '2025-06-12' }];
    },
    CIN,
  ],
  ['closure-reason-present', (c) => (episode(c).reasonForClosure = undefined), CIN],
  ['closure-reason-valid', (c) => (episode(c).reasonForClosure = 'RC0'), CIN],
  [
    'episodes-do-not-overlap',
    (c) => {
      const second = structuredClone(episode(c));
      second.recordId = PLAN;
      second.referralDate = '2025-10-01';
      second.assessments = [];
      second.cinPlans = [];
      second.section47s = [];
      second.cpPlans = [];
      c.episodes.push(second);
    },
    PLAN,
  ],
  ['assessment-start-present', (c) => (assessment(c).startDate = undefined), CIN],
  ['assessment-after-referral', (c) => (assessment(c).startDate = '2025-04-20'), CIN],
  [
    'assessment-authorised-after-start',
    (c) => (assessment(c).authorisationDate = '2025-04-30'),
    CIN,
  ],
  ['assessment-factors-recorded', (c) => (assessment(c).factors = []), CIN],
  ['assessment-factors-valid', (c) => (assessment(c).factors = ['99Z']), CIN],
  [
    'cin-plan-not-same-day',
    (c) =>
      (episode(c).cinPlans = [{ recordId: CIN, startDate: '2025-07-01', endDate: '2025-07-01' }]),
    CIN,
  ],
  [
    'cin-plan-ends-after-start',
    (c) =>
      (episode(c).cinPlans = [{ recordId: CIN, startDate: '2025-07-01', endDate: '2025-06-30' }]),
    CIN,
  ],
  [
    's47-after-referral',
    (c) => {
      const s47 = episode(c).section47s[0];
      if (s47) s47.startDate = '2025-04-30';
    },
    PLAN,
  ],
  [
    'icpc-in-year',
    (c) => {
      const s47 = episode(c).section47s[0];
      if (s47) s47.icpcDate = '2026-04-10';
    },
    PLAN,
  ],
  ['cp-plan-start-present', (c) => (plan(c).startDate = undefined), PLAN],
  [
    'cp-plan-ends-after-start',
    (c) => {
      plan(c).endDate = '2025-05-19';
      plan(c).reviewDates = [];
    },
    PLAN,
  ],
  ['cp-category-valid', (c) => (plan(c).latestCategory = 'neglect'), PLAN],
  [
    'cp-plans-do-not-overlap',
    (c) => {
      episode(c).cpPlans.push({
        recordId: CIN,
        startDate: '2025-09-01',
        initialCategory: 'EMO',
        latestCategory: 'EMO',
        previousPlans: 1,
        reviewDates: [],
      });
    },
    CIN,
  ],
  ['cp-review-within-plan', (c) => (plan(c).reviewDates = ['2025-12-01']), PLAN],
];

describe('Children in Need census rules', () => {
  it('pass a child whose records are complete and consistent', () => {
    expect(validateCensus([valid()], period)).toEqual([]);
  });

  it.each(cases)(
    '%s fails a child who breaks it, pointing at the record to fix',
    (ruleId, change, recordId) => {
      const child = valid();
      change(child);
      const failures = validateCensus([child], period);
      expect(failures.map((f) => [f.rule.id, f.recordId])).toEqual([[ruleId, recordId]]);
    },
  );

  it('child-id-unique fails two children with the same local authority child id', () => {
    const a = valid();
    const b = { ...valid(), personId: '22222222-2222-4222-8222-222222222222' };
    const failures = validateCensus([a, b], period);
    expect(failures.map((f) => [f.rule.id, f.child.personId])).toEqual([
      ['child-id-unique', a.personId],
      ['child-id-unique', b.personId],
    ]);
  });

  it('has a case for every rule', () => {
    const tested = new Set([...cases.map(([id]) => id), 'child-id-unique']);
    expect(censusRules.map((r) => r.id).filter((id) => !tested.has(id))).toEqual([]);
  });
});

describe('the census read off records', () => {
  const person = (records: CensusPersonRow['records']): CensusPersonRow => ({
    id: '33333333-3333-4333-8333-333333333333',
    dateOfBirth: '2022-01-15',
    dateOfDeath: null,
    gender: 'male',
    upn: null,
    ethnicity: null,
    records,
  });

  it('puts a plan inside the episode of need open when it began, and leaves out what follows the reference date', () => {
    const child = censusChild(
      person([
        {
          id: CIN,
          category: 'child-in-need',
          openedOn: '2025-04-10',
          closedOn: '2026-05-01',
          detail: {
            primaryNeed: 'abuse-or-neglect',
            referralSource: 'police',
            assessmentStartedOn: '2025-04-10',
            assessmentCompletedOn: '2025-05-01',
            assessmentFactors: ['domestic-abuse-parent'],
            disabilities: ['hearing'],
            reasonForClosure: 'services-ceased',
          },
        },
        {
          id: PLAN,
          category: 'child-protection-plan',
          openedOn: '2025-06-01',
          closedOn: null,
          detail: {
            categoryOfAbuse: 'emotional-abuse',
            section47Enquiries: [
              { startedOn: '2025-06-01', outcome: 'concerns-substantiated-conference' },
            ],
            conferences: [
              { kind: 'initial', heldOn: '2025-06-15', decision: 'plan-made' },
              { kind: 'review', heldOn: '2026-04-15', decision: 'plan-continued' },
            ],
          },
        },
      ]),
      period,
    );
    expect(child).not.toBeNull();
    if (!child) return;
    expect(child.gender).toBe('M');
    expect(child.upnUnknown).toBe('UN1');
    expect(child.disabilities).toEqual(['HEAR']);
    expect(child.episodes).toHaveLength(1);
    const e = child.episodes[0];
    // Closed after the reference date: open, in this census.
    expect(e?.closureDate).toBeUndefined();
    expect(e?.reasonForClosure).toBeUndefined();
    expect(e?.referralSource).toBe('6');
    expect(e?.assessments[0]?.factors).toEqual(['3B']);
    expect(e?.section47s[0]?.icpcDate).toBe('2025-06-15');
    expect(e?.cpPlans[0]).toMatchObject({
      recordId: PLAN,
      startDate: '2025-06-15',
      latestCategory: 'EMO',
      reviewDates: [],
    });
    expect(validateCensus([child], period)).toEqual([]);
  });

  it('leaves out a child whose need closed before the census year', () => {
    const child = censusChild(
      person([
        {
          id: CIN,
          category: 'child-in-need',
          openedOn: '2024-01-10',
          closedOn: '2025-03-01',
          detail: { primaryNeed: 'low-income' },
        },
      ]),
      period,
    );
    expect(child).toBeNull();
  });

  it('writes the codes the published lists give, where they were once wrong', () => {
    const child = censusChild(
      person([
        {
          id: CIN,
          category: 'child-in-need',
          openedOn: '2025-04-10',
          closedOn: null,
          detail: {
            primaryNeed: 'abuse-or-neglect',
            referralSource: 'individual-family',
            assessmentStartedOn: '2025-04-10',
            assessmentCompletedOn: '2025-05-01',
            assessmentFactors: ['physical-abuse-by-adult', 'sexual-abuse-by-child', 'fgm'],
          },
        },
      ]),
      period,
    );
    const e = child?.episodes[0];
    // 1A is a family member (1B an acquaintance); C is abuse by an adult, B by
    // another child; female genital mutilation is 22A (20 is "other").
    expect(e?.referralSource).toBe('1A');
    expect(e?.assessments[0]?.factors).toEqual(['18C', '19B', '22A']);
  });
});
