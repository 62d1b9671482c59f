import { describe, expect, it } from 'vitest';
import { candidatePairs, sharesABlock } from './blocking.js';
import { comparisons } from './comparisons.js';
import { truePairCount } from './evaluate.js';
import { linkPeople } from './link.js';
import {
  expectationMaximisation,
  levelsOf,
  seededRandom,
  startingM,
  trainModel,
  type Pattern,
} from './model.js';
import { exactAgreement } from './exact-agreement.js';
import { preparePerson } from './record.js';
import { createScorer } from './score.js';
import { twoSources } from './synthetic.js';

describe('expectation-maximisation', () => {
  it('recovers the m probabilities and the share of matches planted in a set of pairs', () => {
    // A planted model: 30% of pairs are matches; m and u per level are known.
    const random = seededRandom(1);
    const draw = (probabilities: number[]) => {
      let r = random();
      for (let l = 0; l < probabilities.length; l += 1) {
        r -= probabilities[l]!;
        if (r < 0) return l;
      }
      return probabilities.length - 1;
    };
    const trueM = comparisons.map((c) =>
      c.levels.map((_, l) => (l === 0 ? 0.8 : 0.2 / (c.levels.length - 1))),
    );
    const trueU = comparisons.map((c) =>
      c.levels.map((_, l) => (l === c.levels.length - 1 ? 0.9 : 0.1 / (c.levels.length - 1))),
    );
    const byKey = new Map<string, Pattern>();
    for (let k = 0; k < 40_000; k += 1) {
      const match = random() < 0.3;
      const levels = Int8Array.from(comparisons, (_, c) => draw((match ? trueM : trueU)[c]!));
      const key = levels.join();
      const found = byKey.get(key);
      if (found) found.count += 1;
      else byKey.set(key, { levels, count: 1 });
    }
    const result = expectationMaximisation(
      [...byKey.values()],
      { m: startingM(), u: trueU, lambda: 0.1 },
      comparisons.map(() => true),
    );
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeCloseTo(0.3, 1.5);
    result.m.forEach((levels, c) =>
      levels.forEach((m, l) => expect(Math.abs(m - trueM[c]![l]!)).toBeLessThan(0.02)),
    );
  });
});

describe('blocking', () => {
  const { records, truth } = twoSources(1000, 3);
  const people = records.map((r, i) => preparePerson(r, i));

  it('keeps nearly every true pair while comparing a tiny share of all pairs', () => {
    const pairs = candidatePairs(people, true);
    let kept = 0;
    const truePairs = truePairCount(records, truth);
    const a = people.filter((p) => p.source === 'a');
    const b = people.filter((p) => p.source === 'b');
    const personOf = (p: (typeof people)[number]) => truth.personOf.get(String(p.id));
    const inA = new Map(a.map((p) => [personOf(p), p]));
    for (const p of b) {
      const other = inA.get(personOf(p));
      if (other && sharesABlock(other, p)) kept += 1;
    }
    expect(kept / truePairs).toBeGreaterThan(0.995);
    expect(pairs.count).toBeLessThan(0.01 * a.length * b.length);
    // Each pair once, and never two records of one source.
    const seen = new Set<string>();
    for (let k = 0; k < pairs.count; k += 1) {
      const key = `${pairs.left[k]}|${pairs.right[k]}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      expect(people[pairs.left[k]!]!.source).not.toBe(people[pairs.right[k]!]!.source);
    }
  });

  it("each pair's waterfall adds up to its log-odds and probability", () => {
    const pairs = candidatePairs(people, true);
    const levels = levelsOf(people, pairs);
    const model = trainModel(people, pairs, levels, true, { uSamplePairs: 50_000, seed: 1 });
    expect(model.sessions.every((s) => s.converged)).toBe(true);
    const scorer = createScorer(model);
    const width = comparisons.length;
    for (let k = 0; k < Math.min(pairs.count, 500); k += 1) {
      const a = people[pairs.left[k]!]!;
      const b = people[pairs.right[k]!]!;
      const weight = scorer.weight(levels, k * width, a, b);
      const waterfall = scorer.waterfall(levels, k * width, a, b);
      expect(waterfall.steps).toHaveLength(comparisons.length + 1);
      const sum = waterfall.steps.reduce((s, step) => s + Math.log2(step.bayesFactor), 0);
      expect(sum).toBeCloseTo(weight, 9);
      expect(waterfall.weight).toBeCloseTo(weight, 9);
      expect(waterfall.probability).toBeCloseTo(1 / (1 + 2 ** -weight), 12);
      for (const step of waterfall.steps) expect(step.text).toMatch(/^[A-Z].*\.$/);
    }
  });
});

describe('term frequency', () => {
  it('counts an agreeing rare family name for more than an agreeing common one', () => {
    const { records } = twoSources(400, 8);
    const extra = [
      { id: 'x1', source: 'a', givenName: 'Ava', familyName: 'Smith', dateOfBirth: '2012-01-05' },
      { id: 'x2', source: 'b', givenName: 'Ava', familyName: 'Smith', dateOfBirth: '2012-01-05' },
      {
        id: 'y1',
        source: 'a',
        givenName: 'Ava',
        familyName: 'Przybyszewska',
        dateOfBirth: '2012-01-06',
      },
      {
        id: 'y2',
        source: 'b',
        givenName: 'Ava',
        familyName: 'PRZYBYSZEWSKA',
        dateOfBirth: '2012-01-06',
      },
    ];
    const result = linkPeople([...records, ...extra], { threshold: 0, explain: true });
    const step = (a: string) =>
      result.pairs.find((p) => p.a === a)!.waterfall!.steps.find((s) => s.field === 'Family name')!;
    expect(step('y1').finding).toContain('(an uncommon name)');
    expect(step('x1').finding).toContain('(a common name)');
    expect(step('y1').bayesFactor).toBeGreaterThan(5 * step('x1').bayesFactor);
  });
});

describe('a short list', () => {
  it('links two records of one girl on their own, and does not link her twin', () => {
    const result = linkPeople(
      [
        {
          id: 'a-17',
          source: 'a',
          givenName: 'Jade',
          familyName: 'Szczepański',
          dateOfBirth: '2014-03-07',
          address: { postcode: 'CT1 3RX' },
        },
        {
          id: 'b-902',
          source: 'b',
          givenName: 'Jadey',
          familyName: 'SZCZEPANSKI',
          dateOfBirth: '03/07/2014',
          address: { postcode: 'ct13rx' },
        },
        {
          id: 'b-903',
          source: 'b',
          givenName: 'Oskar',
          familyName: 'Szczepański',
          dateOfBirth: '2014-03-07',
          address: { postcode: 'CT1 3RX' },
        },
      ],
      { threshold: 0 },
    );
    expect(result.pairs.find((p) => p.b === 'b-902')).toMatchObject({ a: 'a-17', match: true });
    expect(result.pairs.find((p) => p.b === 'b-903')).toMatchObject({ a: 'a-17', match: false });
  });
});

describe('exact agreement counted from value frequencies', () => {
  const at = (id: string, source: string, postcode: string) =>
    preparePerson({ id, source, address: { postcode } }, 0);

  it('counts pairs sharing a value within one list, and across sources only when linking', () => {
    const people = [
      at('1', 'a', 'CT1 3RX'),
      at('2', 'a', 'ct13rx'),
      at('3', 'b', 'CT1 3RX'),
      at('4', 'b', 'ME4 4AA'),
    ];
    const postcode = comparisons.findIndex((c) => c.key === 'address');
    // One list: 6 pairs, of which 3 share CT1 3RX.
    expect(exactAgreement(people, false)[postcode]).toEqual({ agreeing: 3, compared: 6 });
    // Across a and b: 4 pairs, of which 2 (1-3, 2-3) share it.
    expect(exactAgreement(people, true)[postcode]).toEqual({ agreeing: 2, compared: 4 });
  });
});

describe('placeholders', () => {
  it('does not link different people who share a placeholder NHS number, date of birth and "NFA"', () => {
    const { records } = twoSources(300, 4);
    const given = [
      'Ava',
      'Ben',
      'Cara',
      'Dev',
      'Ema',
      'Finn',
      'Gus',
      'Hana',
      'Ivo',
      'Jo',
      'Kai',
      'Lia',
    ];
    const family = ['Hughes', 'Patel', 'Morrison', 'Kowalski', 'Ndiaye', 'Fletcher'];
    const placeholders = given.map((name, i) => ({
      id: `p${i}`,
      source: i % 2 === 0 ? 'a' : 'b',
      givenName: name,
      familyName: family[i % family.length],
      dateOfBirth: '01/01/1900',
      address: { postcode: 'NFA' },
      identifiers: { nhsNumber: '0000000000' },
    }));
    const result = linkPeople([...records, ...placeholders], { threshold: 0, explain: true });
    const among = result.pairs.filter(
      (p) => String(p.a).startsWith('p') && String(p.b).startsWith('p'),
    );
    expect(among.length).toBeGreaterThan(0);
    expect(among.filter((p) => p.probability >= 0.5)).toEqual([]);
    const steps = among[0]!.waterfall!.steps;
    expect(steps.find((s) => s.field === 'NHS number')?.finding).toMatch(/missing/);
    const birth = steps.find((s) => s.field === 'Date of birth')!;
    expect(birth.finding).toMatch(/many records share/);
    // Worth a few bits, not the 13 or so an ordinary shared birthday is.
    expect(birth.weight).toBeLessThan(8);
  });
});
