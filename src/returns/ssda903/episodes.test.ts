import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { censusPeriod } from '../census.js';
import { ssda903Child, type LacPersonRow } from './child.js';
import { episodeRows, type PeriodOfCare } from './episodes.js';
import { dfeDate, ssda903Columns, ssda903Files, ssda903Tables } from './files.js';

const year = censusPeriod(2026);
const REC = '00000000-0000-4000-8000-00000000000a';

function period(change: Partial<PeriodOfCare> = {}): PeriodOfCare {
  return {
    recordId: REC,
    startedOn: '2025-05-01',
    endedOn: '2026-02-01',
    reasonCeased: 'E4A',
    categoryOfNeed: 'abuse-or-neglect',
    homePostcode: 'ME14 1XX',
    legalStatusChanges: [
      { status: 'section-20', from: '2025-05-01' },
      { status: 'interim-care-order', from: '2025-07-01' },
      { status: 'care-order', from: '2025-11-01' },
    ],
    placements: [
      {
        type: 'foster-care',
        dfeType: 'foster-other',
        providedBy: 'own-provision',
        startedOn: '2025-05-01',
        endedOn: '2025-09-01',
        reasonChanged: 'care-plan',
        postcode: 'ME15 6AA',
      },
      {
        type: 'foster-care',
        dfeType: 'foster-long-term',
        providedBy: 'private-provision',
        startedOn: '2025-09-01',
        endedOn: '2025-11-01',
        reasonChanged: 'carer-request-other',
        postcode: 'CT1 2AA',
        urn: 'SC123456',
      },
      {
        type: 'placed-with-parents',
        providedBy: 'parent-provider',
        startedOn: '2025-11-01',
        postcode: 'ME14 1XX',
      },
    ],
    ...change,
  };
}

describe('SSDA903 episodes, derived from a period of care', () => {
  it('start a new episode at each change of legal status or placement, with why', () => {
    const rows = episodeRows(period(), year);
    expect(rows.map((r) => [r.decom, r.rne, r.ls, r.place, r.placeProvider, r.dec, r.rec])).toEqual(
      [
        ['2025-05-01', 'S', 'V2', 'U6', 'PR1', '2025-07-01', 'X1'],
        ['2025-07-01', 'L', 'C1', 'U6', 'PR1', '2025-09-01', 'X1'],
        ['2025-09-01', 'P', 'C1', 'U4', 'PR4', '2025-11-01', 'X1'],
        ['2025-11-01', 'B', 'C2', 'P1', 'PR0', '2026-02-01', 'E4A'],
      ],
    );
    expect(rows.map((r) => r.reasonPlaceChange)).toEqual([undefined, 'CARPL', 'CREQO', undefined]);
    expect(rows.map((r) => r.urn)).toEqual(['XXXXXXX', 'XXXXXXX', 'SC123456', 'XXXXXXX']);
    expect(rows.every((r) => r.cin === 'N1' && r.homePost === 'ME14 1XX')).toBe(true);
  });

  it('leave out what happens after 31 March: the episode is still open in this return', () => {
    const rows = episodeRows(period({ endedOn: '2026-05-01' }), year);
    const last = rows.at(-1);
    expect(last?.decom).toBe('2025-11-01');
    expect(last?.dec).toBeUndefined();
    expect(last?.rec).toBeUndefined();
  });

  it('use the record’s legal status throughout when no change is recorded', () => {
    const rows = episodeRows(
      period({ legalStatusChanges: [], legalStatus: 'care-order', placements: [] }),
      year,
    );
    expect(rows).toEqual([
      expect.objectContaining({ rne: 'S', ls: 'C2', place: undefined, dec: '2026-02-01' }),
    ]);
  });
});

describe('a temporary placement', () => {
  it('is an episode between two of the usual placement, which stays open: no provider, no reason to change', () => {
    const usual = {
      type: 'foster-care',
      dfeType: 'foster-other',
      providedBy: 'own-provision',
      startedOn: '2025-05-01',
      postcode: 'ME15 6AA',
    };
    const rows = episodeRows(
      period({
        endedOn: undefined,
        reasonCeased: undefined,
        legalStatusChanges: [],
        legalStatus: 'care-order',
        placements: [
          usual,
          // Ten days in hospital; the usual placement is not ended.
          {
            type: 'other',
            dfeType: 'temporary-hospital',
            startedOn: '2025-08-01',
            endedOn: '2025-08-11',
          },
        ],
      }),
      year,
    );
    expect(
      rows.map((r) => [r.decom, r.rne, r.place, r.placeProvider, r.plPost, r.dec, r.rec]),
    ).toEqual([
      ['2025-05-01', 'S', 'U6', 'PR1', 'ME15 6AA', '2025-08-01', 'X1'],
      ['2025-08-01', 'P', 'T1', undefined, undefined, '2025-08-11', 'X1'],
      ['2025-08-11', 'P', 'U6', 'PR1', 'ME15 6AA', undefined, undefined],
    ]);
    expect(rows.map((r) => r.placementChanges ?? false)).toEqual([false, false, false]);
    expect(rows.map((r) => r.reasonPlaceChange)).toEqual([undefined, undefined, undefined]);
  });
});

describe('the SSDA903 files', () => {
  it('have the DfE’s columns, dd/mm/yyyy dates and a row per episode', () => {
    const person: LacPersonRow = {
      id: '11111111-1111-4111-8111-111111111111',
      dateOfBirth: '2012-05-02',
      gender: 'female',
      upn: null,
      ethnicity: 'WBRI',
      lookedAfter: [
        {
          id: REC,
          openedOn: '2025-05-01',
          closedOn: null,
          detail: {
            episodes: [
              {
                startedOn: '2025-05-01',
                endedOn: '2026-02-01',
                reasonCeased: 'returned-home-planned',
                categoryOfNeed: 'abuse-or-neglect',
                homePostcode: 'ME14 1XX',
                previousPermanence: 'no-previous-permanence',
              },
            ],
            legalStatus: 'care-order',
            placements: period().placements,
            missingEpisodes: [{ kind: 'away', startedOn: '2025-06-01', endedOn: '2025-06-02' }],
            socialWorkers: [{ registrationNumber: 'SW100', startedOn: '2025-05-01' }],
          },
        },
      ],
      adoption: [],
      reviews: [{ recordId: REC, heldOn: '2025-05-20', childParticipated: true }],
      outcomes: [],
    };
    const child = ssda903Child(person, year);
    if (!child) throw new Error('not in the return');
    const files = ssda903Files([child]);
    expect(files.map((f) => f.name)).toEqual(ssda903Tables.map((t) => `${t}.csv`));
    const table = (name: string) =>
      parse(files.find((f) => f.name === `${name}.csv`)?.csv ?? '', { columns: true }) as Record<
        string,
        string
      >[];
    for (const name of ssda903Tables) {
      const csv = files.find((f) => f.name === `${name}.csv`)?.csv ?? '';
      expect(csv.split('\r\n')[0]).toBe(ssda903Columns[name].join(','));
    }
    expect(table('Header')).toEqual([
      {
        CHILD: '1111111111',
        SEX: '2',
        DOB: '02/05/2012',
        ETHNIC: 'WBRI',
        UPN: '',
        MOTHER: '0',
        MC_DOB: '',
      },
    ]);
    expect(table('Episodes').map((r) => [r.DECOM, r.RNE, r.LS, r.PLACE, r.DEC, r.REC])).toEqual([
      ['01/05/2025', 'S', 'C2', 'U6', '01/09/2025', 'X1'],
      ['01/09/2025', 'P', 'C2', 'U4', '01/11/2025', 'X1'],
      ['01/11/2025', 'P', 'C2', 'P1', '01/02/2026', 'E4A'],
    ]);
    expect(table('Reviews')).toEqual([
      { CHILD: '1111111111', DOB: '02/05/2012', REVIEW: '20/05/2025', REVIEW_CODE: 'PN1' },
    ]);
    expect(table('Missing')).toEqual([
      {
        CHILD: '1111111111',
        DOB: '02/05/2012',
        MISSING: 'A',
        MIS_START: '01/06/2025',
        MIS_END: '02/06/2025',
      },
    ]);
    expect(table('PrevPerm')).toEqual([
      { CHILD: '1111111111', DOB: '02/05/2012', PREV_PERM: 'Z1', LA_PERM: '', DATE_PERM: '' },
    ]);
    expect(table('SWEpisodes')).toEqual([
      { CHILD: '1111111111', SW_ID: 'SW100', SW_DECOM: '01/05/2025', SW_DEC: '', SW_REASON: '' },
    ]);
    expect(table('OC2')).toEqual([]);
    expect(dfeDate('2026-03-31')).toBe('31/03/2026');
  });
});
