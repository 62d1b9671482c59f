import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { CaseworkService } from '../../casework/service.js';
import { detailListFormsFor, humanise } from '../../casework/categories.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ReturnsService, type Ssda903Run } from '../service.js';

/**
 * A temporary placement (T0–T4) recorded on the looked-after record's
 * placement form, as a practitioner would, beside the usual placement,
 * which stays open: the SSDA903 Episodes run usual, temporary, usual again;
 * one in hospital too long fails its rule, on the record to fix.
 */
let handle: DatabaseHandle;
let performance: CaseworkStaff;
let run: Ssda903Run;
let shortStay: { person: string; record: string };
let longStay: { person: string; record: string };
let threeHolidays: { person: string; record: string };

beforeAll(async () => {
  handle = await testDatabase();
  const { db } = handle;
  performance = await caseworkStaff(db, 'kent-scs', ['performance']);
  const worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  const casework = new CaseworkService(db);
  const lookedAfter = async (hospitalDays: number, carerHolidays: string[] = []) => {
    const person = await createPerson(db, 'kent-scs', { dateOfBirth: '2014-03-03' });
    const ended = new Date(Date.parse('2025-08-01T00:00:00Z') + hospitalDays * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const record = await casework.create(worker.context, {
      category: 'looked-after',
      subjectPersonId: person,
      openedOn: '2025-05-01',
      detail: {
        legalStatus: 'care-order',
        episodes: [
          { startedOn: '2025-05-01', categoryOfNeed: 'abuse-or-neglect', homePostcode: 'ME14 1XX' },
        ],
        placements: [
          {
            type: 'foster-care',
            dfeType: 'foster-other',
            providedBy: 'own-provision',
            startedOn: '2025-05-01',
            postcode: 'ME15 6AA',
          },
          {
            type: 'other',
            dfeType: 'temporary-hospital',
            startedOn: '2025-08-01',
            endedOn: ended,
          },
          ...carerHolidays.map((startedOn) => ({
            type: 'foster-care',
            dfeType: 'temporary-carer-holiday',
            startedOn,
            endedOn: new Date(Date.parse(`${startedOn}T00:00:00Z`) + 7 * 86_400_000)
              .toISOString()
              .slice(0, 10),
          })),
        ],
      },
    });
    return { person, record };
  };
  shortStay = await lookedAfter(10);
  longStay = await lookedAfter(50);
  threeHolidays = await lookedAfter(10, ['2025-09-01', '2025-11-01', '2026-01-05']);
  run = await new ReturnsService(db).ssda903(performance.context, { year: 2026, produce: false });
});

afterAll(async () => {
  await handle?.close();
});

describe('a temporary placement on the placement form', () => {
  it('is offered as a type the Department for Education counts, in words', () => {
    const placements = detailListFormsFor('looked-after').find((f) => f.name === 'placements');
    const dfeType = placements?.fields.find((f) => f.name === 'dfeType');
    expect(dfeType?.options).toEqual(
      expect.arrayContaining([
        'temporary-other',
        'temporary-hospital',
        'temporary-holiday',
        'temporary-carer-holiday',
        'temporary-short',
      ]),
    );
    expect(humanise('temporary-hospital')).toBe('Temporary placement: a period in hospital');
  });

  it('makes an episode between two of the usual placement, with no provider or reason to change', () => {
    const child = run.children.find((c) => c.personId === shortStay.person);
    expect(child?.episodes.map((e) => [e.decom, e.rne, e.place, e.placeProvider])).toEqual([
      ['2025-05-01', 'S', 'U6', 'PR1'],
      ['2025-08-01', 'P', 'T1', undefined],
      ['2025-08-11', 'P', 'U6', 'PR1'],
    ]);
    const mine = run.failures.filter((f) => f.child.personId === shortStay.person);
    expect(mine.filter((f) => f.rule.table === 'Episodes').map((f) => f.rule.id)).toEqual([]);
  });

  it('fails the six weeks rule when the stay in hospital is longer, on the record to fix', () => {
    const failing = run.failures.filter((f) => f.rule.id === 'temporary-hospital-six-weeks');
    expect(failing.map((f) => [f.child.personId, f.recordId])).toEqual([
      [longStay.person, longStay.record],
    ]);
    expect(failing[0]?.rule.dfeCode).toBe('375');
  });

  it('fails rule 377 on the third stay in a year while the carers are on holiday, and no other Episodes rule', () => {
    const mine = run.failures.filter(
      (f) => f.child.personId === threeHolidays.person && f.rule.table === 'Episodes',
    );
    expect(mine.map((f) => [f.rule.id, f.rule.dfeCode, f.recordId])).toEqual([
      ['temporary-carer-holiday-twice-a-year', '377', threeHolidays.record],
    ]);
    const child = run.children.find((c) => c.personId === threeHolidays.person);
    expect(child?.episodes.filter((e) => e.place === 'T3').map((e) => e.decom)).toEqual([
      '2025-09-01',
      '2025-11-01',
      '2026-01-05',
    ]);
  });
});
