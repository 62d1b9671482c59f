import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { peopleStaff, recordWith, type PeopleTestStaff } from '../../test/support/people.js';
import type { DatabaseHandle } from '../db/connection.js';
import { createPersonSchema, searchSchema } from './schemas.js';
import { PeopleService, SEARCH_LIMIT } from './service.js';
import { PeopleStore } from './store.js';

/**
 * Person search ranks its candidates first and checks who may see them in
 * that order, until a page is full (decision 0054). These tests hold the
 * results to what checking every candidate first would give: hidden people
 * ranked ahead never take a visible person's place, nobody hidden is shown,
 * and the order is the ranking's.
 */

let database: DatabaseHandle;
let people: PeopleService;
let worker: PeopleTestStaff; // kent-scs practitioner, assessment team
let governance: PeopleTestStaff;

/** Family names that sort the same under any collation: one case, letters only. */
const familyName = (i: number) =>
  `Qorder${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`;

const DATE = '2009-11-23';

interface Made {
  id: string;
  familyName: string;
  visibleToWorker: boolean;
}

const made: Made[] = [];

beforeAll(async () => {
  database = await testDatabase();
  people = new PeopleService(database.db);
  worker = await peopleStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  governance = await peopleStaff(database.db, 'kent-scs', ['information-governance']);
  const teamId = worker.context.teams[0]!.id;
  // 40 people born on one day. Of every three, alphabetically: one only in an
  // adoption record (sealed to the adoption team: hidden from both), one in
  // a child-in-need record allocated to the worker's team, one in such a
  // record allocated to nobody (governance sees it, the worker does not).
  // The hidden come first in each three, so a check made after the page
  // was cut would leave it short.
  for (let i = 0; i < 40; i += 1) {
    const id = await people.create(
      worker.context,
      createPersonSchema.parse({
        confirmedNotDuplicate: true,
        givenName: 'Ottoline',
        familyName: familyName(i),
        dateOfBirth: DATE,
      }),
    );
    const kind = i % 3;
    await recordWith(database.db, {
      organisation: 'kent-scs',
      category: kind === 0 ? 'adoption' : 'child-in-need',
      personIds: [id],
      allocatedTeamId: kind === 1 ? teamId : null,
    });
    made.push({ id, familyName: familyName(i), visibleToWorker: kind === 1 });
  }
  // Born only "in 2009" (held to the year) and in no record at all: it
  // matches the day, and anyone who may search people finds it.
  const yearOnly = await people.create(
    worker.context,
    createPersonSchema.parse({
      confirmedNotDuplicate: true,
      givenName: 'Ottoline',
      familyName: 'Qorderzz',
      dateOfBirth: '2009-01-01',
      dateOfBirthPrecision: 'year',
    }),
  );
  made.push({ id: yearOnly, familyName: 'Qorderzz', visibleToWorker: true });
});
afterAll(() => database.close());

const search = (staff: PeopleTestStaff, query: Record<string, string>) =>
  people.search(staff.context, searchSchema.parse(query));

describe('search past people the searcher may not see', () => {
  it('fills the page with the first visible people by date of birth, in name order', async () => {
    const expected = made
      .filter((m) => m.visibleToWorker)
      .sort((a, b) => (a.familyName < b.familyName ? -1 : 1))
      .map((m) => m.id);
    expect(expected.length).toBeLessThan(SEARCH_LIMIT);
    expect((await search(worker, { dateOfBirth: DATE })).map((h) => h.id)).toEqual(expected);
  });

  it('cuts a long list at the page size after leaving out the hidden', async () => {
    // Governance sees two in three (every allocation, never adoption): 27 of 41.
    const visible = made
      .filter((m, i) => m.visibleToWorker || (i < 40 && i % 3 === 2))
      .sort((a, b) => (a.familyName < b.familyName ? -1 : 1))
      .map((m) => m.id);
    expect(visible.length).toBeGreaterThan(SEARCH_LIMIT);
    const hits = await search(governance, { dateOfBirth: DATE });
    expect(hits.map((h) => h.id)).toEqual(visible.slice(0, SEARCH_LIMIT));
  });

  it('ranks by name likeness first, and never lets the hidden take a place', async () => {
    const hits = await search(governance, { name: 'Ottolime Qorderaa' });
    const hidden = new Set(made.filter((m, i) => i < 40 && i % 3 === 0).map((m) => m.id));
    expect(hits).toHaveLength(SEARCH_LIMIT);
    expect(hits.filter((h) => hidden.has(h.id))).toEqual([]);
    // "Qorderaa" itself is in an adoption record; the best visible are next.
    expect(hits.some((h) => h.familyName === 'Qorderaa')).toBe(false);
    for (const [i, hit] of hits.entries()) {
      const next = hits[i + 1];
      if (!next) break;
      expect(
        hit.score > next.score || (hit.score === next.score && hit.familyName <= next.familyName),
      ).toBe(true);
    }
    // The same people and order, however many are asked for: the page is
    // the head of the whole ranking, not a ranking of whoever came first.
    const v = await people.visibilityFor(governance.context, 'person.list');
    const longer = await new PeopleStore(database.db).search(
      v,
      { name: 'Ottolime Qorderaa' },
      SEARCH_LIMIT * 4,
    );
    expect(longer).toHaveLength(27);
    expect(longer.slice(0, SEARCH_LIMIT).map((h) => h.id)).toEqual(hits.map((h) => h.id));
  });

  it('keeps the search indexes free of a pending list (migration 0080)', async () => {
    const { rows } = await sql<{ relname: string; reloptions: string[] | null }>`
      select c.relname, c.reloptions from pg_class c
      where c.relname in ('person_name_trgm', 'person_name_family_trgm', 'case_note_text_trgm')
        and c.relnamespace = current_schema()::regnamespace
      order by c.relname`.execute(database.db);
    expect(rows).toEqual([
      { relname: 'case_note_text_trgm', reloptions: ['fastupdate=off'] },
      { relname: 'person_name_family_trgm', reloptions: ['fastupdate=off'] },
      { relname: 'person_name_trgm', reloptions: ['fastupdate=off'] },
    ]);
  });
});
