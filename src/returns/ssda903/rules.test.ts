import { describe, expect, it } from 'vitest';
import { syntheticUpn } from '../../people/identifiers.js';
import { censusPeriod } from '../census.js';
import type { Ad1Row, Oc3Row, Ssda903Child } from './child.js';
import { participationOf } from './codes.js';
import type { EpisodeRow } from './episodes.js';
import { ssda903Rules, validateSsda903 } from './rules.js';

/**
 * Each SSDA903 rule against a child who breaks it and nothing else: the
 * child below passes every rule; each case changes one thing and expects
 * exactly its rule to fail, on the record to fix. A rule with no case here
 * fails the last test.
 */
const period = censusPeriod(2026);
const LAC = '00000000-0000-4000-8000-00000000000a';
const ADO = '00000000-0000-4000-8000-00000000000b';

function episode(change: Partial<EpisodeRow>): EpisodeRow {
  return {
    recordId: LAC,
    decom: '2024-01-10',
    rne: 'S',
    ls: 'C2',
    cin: 'N1',
    place: 'U6',
    placeProvider: 'PR1',
    homePost: 'ME14 1XX',
    plPost: 'ME15 6AA',
    urn: 'XXXXXXX',
    ...change,
  };
}

function valid(): Ssda903Child {
  const first = episode({
    dec: '2025-06-01',
    rec: 'X1',
    placementChanges: true,
    reasonPlaceChange: 'CARPL',
  });
  const second = episode({ decom: '2025-06-01', rne: 'P', place: 'U4' });
  return {
    personId: '11111111-1111-4111-8111-111111111111',
    childId: '1111111111',
    recordId: LAC,
    sex: '2',
    dob: '2012-05-02',
    ethnic: 'WBRI',
    upn: syntheticUpn(7),
    mother: '0',
    allEpisodes: [first, second],
    episodes: [first, second],
    reviews: [{ recordId: LAC, date: '2025-07-01', code: 'PN1' }],
    oc2: {
      recordId: LAC,
      sdqScore: 14,
      convicted: '0',
      immunisations: '1',
      teethCheck: '1',
      healthAssessment: '1',
      substanceMisuse: '0',
      recorded: true,
    },
    placedAdoption: [],
    prevPerm: [],
    missing: [{ recordId: LAC, missing: 'M', start: '2025-08-01', end: '2025-08-02' }],
    swEpisodes: [{ recordId: LAC, swId: 'SW123456', start: '2024-01-10' }],
  };
}

const validOc3 = (): Oc3Row => ({
  recordId: LAC,
  birthday: '2025-10-01',
  inTouch: 'YES',
  activity: 'F2',
  accommodation: 'U1',
  contactOn: '2025-09-20',
});
const validAd1 = (): Ad1Row => ({
  recordId: ADO,
  adoptedOn: '2026-01-10',
  dateInt: '2025-03-01',
  dateMatch: '2025-09-01',
  fosterCare: '0',
  numberOfAdopters: '2',
  sexAdopters: 'MF',
  lsAdopters: 'L11',
});

type Change = (child: Ssda903Child) => void;
const ep = (c: Ssda903Child, i: number) => {
  const e = c.episodes[i];
  if (!e) throw new Error('no episode');
  return e;
};
const oc2 = (c: Ssda903Child) => {
  if (!c.oc2) throw new Error('no OC2');
  return c.oc2;
};
const sw = (c: Ssda903Child) => {
  const w = c.swEpisodes[0];
  if (!w) throw new Error('no social worker');
  return w;
};
const missing = (c: Ssda903Child) => {
  const m = c.missing[0];
  if (!m) throw new Error('no missing episode');
  return m;
};

/**
 * The valid child with a temporary placement of `days` days from 1 June
 * 2025 between two episodes of the usual placement, as episodes.ts writes
 * one: no provider, no reason for a placement change either side.
 */
function withTemporary(c: Ssda903Child, place = 'T1', days = 10): EpisodeRow[] {
  const usual = episode({ dec: '2025-06-01', rec: 'X1' });
  const away = episode({
    decom: '2025-06-01',
    rne: 'P',
    place,
    placeProvider: undefined,
    plPost: undefined,
    dec: addDaysIso('2025-06-01', days),
    rec: 'X1',
  });
  const returned = episode({ decom: away.dec, rne: 'P' });
  c.episodes = [usual, away, returned];
  c.allEpisodes = [...c.episodes];
  return c.episodes;
}
/**
 * The valid child away with other carers for ten days from each date while
 * the usual foster carers are on holiday (T3), back on the usual placement
 * between, as episodes.ts writes it.
 */
function withCarerHolidays(c: Ssda903Child, starts: string[]): void {
  const rows: EpisodeRow[] = [];
  let from = '2024-01-10';
  for (const [i, start] of starts.entries()) {
    rows.push(episode({ decom: from, rne: i === 0 ? 'S' : 'P', dec: start, rec: 'X1' }));
    from = addDaysIso(start, 10);
    rows.push(
      episode({
        decom: start,
        rne: 'P',
        place: 'T3',
        placeProvider: undefined,
        plPost: undefined,
        dec: from,
        rec: 'X1',
      }),
    );
  }
  rows.push(episode({ decom: from, rne: 'P' }));
  c.allEpisodes = rows;
  c.episodes = rows.filter((e) => e.dec === undefined || e.dec >= period.start);
}
const addDaysIso = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const temp = (c: Ssda903Child) => ep(c, 1);

const cases: [ruleId: string, change: Change, recordId: string][] = [
  ['dob-present', (c) => (c.dob = undefined), LAC],
  ['sex-valid', (c) => (c.sex = undefined), LAC],
  ['upn-valid', (c) => (c.upn = 'A801200005001'), LAC],
  ['upn-present', (c) => (c.upn = undefined), LAC],
  [
    'mother-child-dob',
    (c) => {
      c.mother = '1';
      c.motherChildDob = undefined;
    },
    LAC,
  ],
  ['decom-after-birth', (c) => (c.dob = '2024-02-01'), LAC],
  // 18 on 1 May 2025: the placement change of 1 June is after it.
  ['episode-before-18', (c) => (c.dob = '2007-05-01'), LAC],
  ['period-ends-after-start', (c) => (ep(c, 0).dec = '2024-01-01'), LAC],
  [
    'periods-do-not-overlap',
    (c) => {
      const third = episode({ decom: '2025-09-01' });
      c.episodes.push(third);
      c.allEpisodes.push(third);
    },
    LAC,
  ],
  ['legal-status-valid', (c) => (ep(c, 1).ls = undefined), LAC],
  ['category-of-need-valid', (c) => (ep(c, 1).cin = 'N0'), LAC],
  ['placement-valid', (c) => (ep(c, 1).place = undefined), LAC],
  ['provider-valid', (c) => (ep(c, 1).placeProvider = undefined), LAC],
  ['provider-for-parents', (c) => (ep(c, 1).place = 'P1'), LAC],
  ['adoption-placement-order', (c) => (ep(c, 1).place = 'A5'), LAC],
  [
    'reason-ceased-valid',
    (c) => {
      ep(c, 1).dec = '2026-02-01';
      ep(c, 1).rec = undefined;
    },
    LAC,
  ],
  ['placement-change-reason', (c) => (ep(c, 0).reasonPlaceChange = undefined), LAC],
  ['postcodes-valid', (c) => (ep(c, 1).homePost = 'NOT A CODE'), LAC],
  ['childrens-home-urn', (c) => (ep(c, 1).place = 'K2'), LAC],
  [
    'review-while-looked-after',
    (c) => (c.reviews = [{ recordId: LAC, date: '2023-12-01', code: 'PN1' }]),
    LAC,
  ],
  [
    'uasc-ceased-at-18',
    (c) => {
      c.dob = '2007-07-01';
      c.uasc = { recordId: LAC };
    },
    LAC,
  ],
  [
    'uasc-ceased-by-18',
    (c) => {
      c.dob = '2008-01-01';
      c.uasc = { recordId: LAC, duc: '2026-02-01' };
    },
    LAC,
  ],
  ['oc2-recorded', (c) => (oc2(c).recorded = false), LAC],
  ['oc2-sdq', (c) => (oc2(c).sdqScore = undefined), LAC],
  ['oc2-substance-help', (c) => (oc2(c).substanceMisuse = '1'), LAC],
  ['oc2-health-assessment', (c) => (oc2(c).healthAssessment = '0'), LAC],
  ['oc3-in-touch', (c) => (c.oc3 = { ...validOc3(), inTouch: undefined }), LAC],
  ['oc3-activity-accommodation', (c) => (c.oc3 = { ...validOc3(), accommodation: 'U' }), LAC],
  ['oc3-contact-near-birthday', (c) => (c.oc3 = { ...validOc3(), contactOn: '2025-01-01' }), LAC],
  ['ad1-dates', (c) => (c.ad1 = { ...validAd1(), dateMatch: undefined }), ADO],
  ['ad1-adopters', (c) => (c.ad1 = { ...validAd1(), fosterCare: undefined }), ADO],
  ['ad1-adopters-consistent', (c) => (c.ad1 = { ...validAd1(), lsAdopters: 'L0' }), ADO],
  [
    'adopted-from-adoption-placement',
    (c) => {
      c.ad1 = validAd1();
      ep(c, 1).dec = '2026-01-10';
      ep(c, 1).rec = 'E11';
    },
    LAC,
  ],
  [
    'placed-ceased-reason',
    (c) =>
      (c.placedAdoption = [{ recordId: ADO, datePlaced: '2025-03-01', dateCeased: '2025-12-01' }]),
    ADO,
  ],
  ['previous-permanence-recorded', (c) => (c.prevPerm = [{ recordId: LAC }]), LAC],
  ['previous-permanence-details', (c) => (c.prevPerm = [{ recordId: LAC, prevPerm: 'P2' }]), LAC],
  ['missing-ends-after-start', (c) => (missing(c).end = '2025-07-01'), LAC],
  [
    'missing-while-looked-after',
    (c) => {
      missing(c).start = '2023-06-01';
      missing(c).end = '2023-06-02';
    },
    LAC,
  ],
  ['social-worker-recorded', (c) => (c.swEpisodes = []), LAC],
  ['social-worker-id', (c) => (sw(c).swId = '12345'), LAC],
  ['social-worker-change-reason', (c) => (sw(c).end = '2025-09-01'), LAC],
  [
    'temporary-not-first',
    (c) => {
      withTemporary(c);
      temp(c).rne = 'L';
    },
    LAC,
  ],
  [
    'temporary-not-last',
    (c) => {
      // T0 has no longest; four months, past the review and the time missing.
      withTemporary(c, 'T0', 120);
      c.episodes.pop();
      c.allEpisodes.pop();
      temp(c).rec = 'E4A';
    },
    LAC,
  ],
  [
    'temporary-returns',
    (c) => {
      withTemporary(c);
      ep(c, 2).place = 'U4';
    },
    LAC,
  ],
  ['temporary-hospital-six-weeks', (c) => withTemporary(c, 'T1', 43), LAC],
  ['temporary-carer-holiday-three-weeks', (c) => withTemporary(c, 'T3', 22), LAC],
  ['temporary-short-seven-days', (c) => withTemporary(c, 'T4', 8), LAC],
  [
    'temporary-carer-holiday-twice-a-year',
    (c) => withCarerHolidays(c, ['2025-04-20', '2025-08-10', '2026-01-05']),
    LAC,
  ],
];

describe('the SSDA903 rules', () => {
  it('pass a child whose return is right, and one with a complete OC3 and AD1', () => {
    expect(validateSsda903([valid()], period)).toEqual([]);
    const more = valid();
    more.oc3 = validOc3();
    more.ad1 = validAd1();
    more.uasc = { recordId: LAC };
    more.prevPerm = [{ recordId: LAC, prevPerm: 'P2', laPerm: '886', datePerm: '2020-01-01' }];
    more.placedAdoption = [
      { recordId: ADO, datePlaced: '2025-03-01', dateCeased: '2025-12-01', reasonCeased: 'RD3' },
    ];
    expect(validateSsda903([more], period)).toEqual([]);
  });

  it('pass a child with a temporary placement of each kind, up to its longest', () => {
    for (const [place, days] of [
      ['T0', 20],
      ['T1', 42],
      ['T2', 14],
      ['T3', 21],
      ['T4', 7],
    ] as const) {
      const child = valid();
      withTemporary(child, place, days);
      expect(validateSsda903([child], period).map((f) => f.rule.id)).toEqual([]);
    }
  });

  it('allow two stays while the carers are on holiday in twelve months, and a third a year after the first', () => {
    for (const starts of [
      ['2025-08-10', '2026-01-05'],
      ['2025-01-20', '2025-08-10', '2026-01-20'],
    ]) {
      const child = valid();
      withCarerHolidays(child, starts);
      expect(validateSsda903([child], period).map((f) => f.rule.id)).toEqual([]);
    }
  });

  it.each(cases)(
    '%s fails for a child who breaks it, and no other rule does',
    (id, change, recordId) => {
      const child = valid();
      change(child);
      const failures = validateSsda903([child], period);
      expect(failures.map((f) => [f.rule.id, f.recordId])).toEqual([[id, recordId]]);
    },
  );

  it('finds two children with the same child id', () => {
    const other = { ...valid(), personId: '22222222-2222-4222-8222-222222222222' };
    const failures = validateSsda903([valid(), other], period);
    expect(failures.map((f) => [f.rule.id, f.child.personId])).toEqual([
      ['child-id-unique', valid().personId],
      ['child-id-unique', other.personId],
    ]);
  });

  it('each has a case, an id of its own and a message in plain words', () => {
    const tested = new Set([...cases.map(([id]) => id), 'child-id-unique']);
    expect(ssda903Rules.filter((r) => !tested.has(r.id)).map((r) => r.id)).toEqual([]);
    expect(new Set(ssda903Rules.map((r) => r.id)).size).toBe(ssda903Rules.length);
    for (const rule of ssda903Rules) expect(rule.message).not.toMatch(/\b[A-Z]{2,}_[A-Z]+\b/);
    expect(ssda903Rules.length).toBeGreaterThanOrEqual(20);
  });
});

describe('REVIEW_CODE for a review', () => {
  it('is PN0 under 4, else the recorded participation, else the old yes or no as PN1 or PN7', () => {
    const of = (participation: string | null, childParticipated: boolean, childUnderFour = false) =>
      participationOf({ participation, childParticipated, childUnderFour });
    expect(of('attended-advocate', true, true)).toBe('PN0');
    expect(of('attended-advocate', true)).toBe('PN2');
    expect(of('absent-views-sent', true)).toBe('PN6');
    expect(of('attended-no-contribution', false)).toBe('PN4');
    expect(of(null, true)).toBe('PN1');
    expect(of(null, false)).toBe('PN7');
  });
});
