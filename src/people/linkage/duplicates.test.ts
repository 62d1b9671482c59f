import { faker } from '@faker-js/faker/locale/en';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationId } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { createBulkDemoPeople } from '../demo.js';
import { PeopleStore } from '../store.js';
import type { Gender } from '../tables.js';
import { findDuplicatePeople, peopleAsRecords } from './duplicates.js';

let handle: DatabaseHandle;
let store: PeopleStore;
let kent: string;
let maidstone: string;

beforeAll(async () => {
  handle = await testDatabase();
  store = new PeopleStore(handle.db);
  kent = await organisationId(handle.db, 'kent-scs');
  maidstone = await organisationId(handle.db, 'maidstone-bc');
  // Synthetic people around the planted ones, so the model has a population to learn from.
  faker.seed(27);
  await createBulkDemoPeople(handle.db, faker, { count: 400 });
});
afterAll(async () => {
  await handle?.close();
});

async function plant(
  organisation: string,
  p: {
    given: string;
    family: string;
    dob: string;
    gender: Gender;
    postcode: string;
    nhs?: string;
    previous?: [string, string];
  },
): Promise<string> {
  const id = await store.create({
    organisationId: organisation,
    givenName: p.given,
    familyName: p.family,
    dateOfBirth: p.dob,
    dateOfBirthPrecision: 'exact',
    dateOfDeath: null,
    gender: p.gender,
  });
  await store.addAddress(id, {
    line1: '14 Wincheap',
    line2: null,
    town: 'Canterbury',
    postcode: p.postcode,
    fromDate: '2020-01-01',
    toDate: null,
  });
  if (p.nhs) await store.addIdentifier(id, organisation, 'nhs-number', p.nhs);
  if (p.previous) {
    await store.addName(id, organisation, {
      kind: 'previous',
      givenName: p.previous[0],
      familyName: p.previous[1],
      fromDate: null,
      toDate: null,
    });
  }
  return id;
}

describe('the duplicate-people job', () => {
  it('finds a planted duplicate with its waterfall, not the twin, and only in the organisation', async () => {
    const jade = await plant(kent, {
      given: 'Jade',
      family: 'Szczepański',
      dob: '2014-03-07',
      gender: 'female',
      postcode: 'CT1 3RX',
      nhs: '9434765919',
    });
    // The same girl added again by another team: known as Jadey, day and month swapped.
    const jadey = await plant(kent, {
      given: 'Jadey',
      family: 'Szczepanski',
      dob: '2014-07-03',
      gender: 'female',
      postcode: 'CT1 3RX',
    });
    const twin = await plant(kent, {
      given: 'Oskar',
      family: 'Szczepański',
      dob: '2014-03-07',
      gender: 'male',
      postcode: 'CT1 3RX',
    });
    // A woman who married: her old name is kept as a previous name.
    const married = await plant(kent, {
      given: 'Kerry-Ann',
      family: 'Adeyemi',
      dob: '1991-11-23',
      gender: 'female',
      postcode: 'ME4 4AA',
      previous: ['Kerry-Ann', 'Walsh'],
    });
    const maiden = await plant(kent, {
      given: 'Kerry-Ann',
      family: 'Walsh',
      dob: '1991-11-23',
      gender: 'female',
      postcode: 'CT9 1XY',
    });
    // The same girl in another organisation is none of Kent's business here.
    const elsewhere = await plant(maidstone, {
      given: 'Jade',
      family: 'Szczepanski',
      dob: '2014-03-07',
      gender: 'female',
      postcode: 'CT1 3RX',
    });

    const report = await findDuplicatePeople(handle.db, kent);
    const records = await peopleAsRecords(handle.db, kent);
    expect(report.people).toBe(records.length);
    expect(records.some((r) => r.id === elsewhere)).toBe(false);
    const pairOf = (x: string, y: string) =>
      report.pairs.find((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x));

    const found = pairOf(jade, jadey);
    expect(found).toMatchObject({ match: true });
    expect(found?.waterfall.steps.find((s) => s.field === 'Date of birth')?.finding).toBe(
      'day and month swapped',
    );
    expect(
      pairOf(married, maiden)?.waterfall.steps.find((s) => s.field === 'Family name')?.finding,
    ).toMatch(/changed surname/);
    expect(pairOf(married, maiden)?.probability).toBeGreaterThan(0.5);
    expect(pairOf(jade, twin)).toBeUndefined();
    expect(pairOf(jadey, twin)).toBeUndefined();
    // Highest first, for review.
    const probabilities = report.pairs.map((p) => p.probability);
    expect(probabilities).toEqual([...probabilities].sort((x, y) => y - x));

    // Once merged away, a person is no longer a candidate.
    await handle.db
      .updateTable('person')
      .set({ merged_into_id: jade })
      .where('id', '=', jadey)
      .execute();
    const after = await findDuplicatePeople(handle.db, kent);
    expect(after.people).toBe(report.people - 1);
    expect(after.pairs.some((p) => p.a === jadey || p.b === jadey)).toBe(false);
  });
});
