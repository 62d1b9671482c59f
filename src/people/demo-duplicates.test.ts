import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { loadDemoData, type PlantedDuplicate } from '../demo/demo-data.js';
import { findDuplicatePeople } from './linkage/duplicates.js';
import { thresholdsFor } from './linkage/thresholds.js';

/**
 * Issue 15: "the duplicate job finds planted duplicates in the demo data".
 * The demo records a few children twice in every organisation, each second
 * entry with one everyday mistake (people/demo.ts); the duplicate-people
 * job, run as People → People who may be recorded twice runs it, must list
 * every one of them.
 */
let handle: DatabaseHandle;
let planted: PlantedDuplicate[];

beforeAll(async () => {
  handle = await testDatabase();
  ({ plantedDuplicates: planted } = await loadDemoData(handle.db));
}, 120_000);
afterAll(async () => {
  await handle?.close();
});

describe('the demo’s planted duplicates', () => {
  it('are a few in every organisation, each a second entry for a child', async () => {
    const organisations = await handle.db.selectFrom('organisation').select('slug').execute();
    for (const { slug } of organisations) {
      const here = planted.filter((p) => p.organisation === slug);
      expect(here.length, slug).toBeGreaterThanOrEqual(2);
      expect(here.length, slug).toBeLessThanOrEqual(3);
    }
    const ids = planted.flatMap((p) => p.pair);
    const people = await handle.db
      .selectFrom('person')
      .select(['id', 'given_name', 'family_name', 'date_of_birth'])
      .where('id', 'in', ids)
      .execute();
    expect(people).toHaveLength(ids.length);
    for (const { pair } of planted) {
      const [first, second] = pair.map((id) => people.find((p) => p.id === id));
      // One mistake each: exactly one of the three differs.
      const differs = (['given_name', 'family_name', 'date_of_birth'] as const).filter(
        (k) => first?.[k] !== second?.[k],
      );
      expect(differs).toHaveLength(1);
    }
  });

  it('are every one found by the duplicate-people job', async () => {
    const organisations = await handle.db
      .selectFrom('organisation')
      .select(['id', 'slug'])
      .execute();
    for (const organisation of organisations) {
      const thresholds = thresholdsFor(organisation.slug);
      const report = await findDuplicatePeople(handle.db, organisation.id, {
        threshold: thresholds.review,
        matchThreshold: thresholds.autoLink,
      });
      const found = new Set(report.pairs.map((p) => [p.a, p.b].sort().join('|')));
      for (const { pair } of planted.filter((p) => p.organisation === organisation.slug)) {
        expect(
          found.has([...pair].sort().join('|')),
          `${organisation.slug} ${pair.join(' ')}`,
        ).toBe(true);
      }
    }
  });
});
