import type { Finding } from '../rules.js';
import { TEMPORARY_PLACEMENTS } from './codes.js';
import { addDays, addYears, perEpisode } from './rule-helpers.js';
import type { Ssda903Rule } from './rules.js';

/**
 * The SSDA903 rules on temporary placements (T0–T4: docs/returns.md): a
 * short stay away from the usual placement, which stays open. Each carries
 * the DfE's rule number as the open-source validator quotes it (read for
 * understanding, not copied); the wording is Safekeep's.
 */
export const temporaryPlacementRules: readonly Ssda903Rule[] = [
  {
    id: 'temporary-not-first',
    dfeCode: '380',
    kind: 'error',
    table: 'Episodes',
    message:
      'A period of being looked after starts with a temporary placement: record the usual placement it interrupts',
    check: perEpisode(
      (e) => !!e.place && TEMPORARY_PLACEMENTS.has(e.place) && e.rne !== 'P' && e.rne !== 'B',
    ),
  },
  {
    id: 'temporary-not-last',
    dfeCode: '381',
    kind: 'error',
    table: 'Episodes',
    message:
      'A period of being looked after ends during a temporary placement: the child should be back in the usual placement first',
    check: perEpisode(
      (e) =>
        !!e.place && TEMPORARY_PLACEMENTS.has(e.place) && e.rec !== undefined && e.rec !== 'X1',
    ),
  },
  {
    id: 'temporary-returns',
    dfeCode: '383',
    kind: 'error',
    table: 'Episodes',
    message:
      'After a temporary placement the child does not go back to the placement before it: record the usual placement as still open, or the move as a placement of its own',
    check: (child) => {
      const found: Finding[] = [];
      const rows = [...child.allEpisodes].sort((a, b) => a.decom.localeCompare(b.decom));
      for (let i = 1; i < rows.length; i += 1) {
        const temporary = rows[i - 1];
        const before = rows[i - 2];
        const after = rows[i];
        if (!temporary?.place || !TEMPORARY_PLACEMENTS.has(temporary.place) || !after) continue;
        if (!child.episodes.includes(after) || after.recordId !== temporary.recordId) continue;
        const back =
          after.rne === 'P' &&
          before !== undefined &&
          before.recordId === temporary.recordId &&
          after.place === before.place &&
          after.plPost === before.plPost;
        if (!back) found.push({ recordId: after.recordId });
      }
      return found;
    },
  },
  {
    id: 'temporary-hospital-six-weeks',
    dfeCode: '375',
    kind: 'error',
    table: 'Episodes',
    message:
      'A temporary placement in hospital lasts more than six weeks: record it as a placement of its own',
    check: perEpisode((e) => e.place === 'T1' && !!e.dec && e.dec > addDays(e.decom, 42)),
  },
  {
    id: 'temporary-carer-holiday-three-weeks',
    dfeCode: '376',
    kind: 'error',
    table: 'Episodes',
    message:
      'A temporary placement while the usual foster carers are on holiday lasts more than three weeks',
    check: perEpisode((e) => e.place === 'T3' && !!e.dec && e.dec > addDays(e.decom, 21)),
  },
  {
    id: 'temporary-carer-holiday-twice-a-year',
    dfeCode: '377',
    kind: 'error',
    table: 'Episodes',
    message:
      'A third temporary placement within twelve months while the usual foster carers are on holiday: no more than two are allowed',
    check: (child) => {
      // A stay begins where the placement changes to T3; RNE L is the same
      // stay with a new legal status, so it is not counted again.
      const starts = [...child.allEpisodes]
        .filter((e) => e.place === 'T3' && e.rne !== 'L')
        .sort((a, b) => a.decom.localeCompare(b.decom));
      return starts
        .filter(
          (stay, i) =>
            child.episodes.includes(stay) &&
            starts.slice(0, i).filter((earlier) => earlier.decom > addYears(stay.decom, -1))
              .length >= 2,
        )
        .map((stay) => ({ recordId: stay.recordId }));
    },
  },
  {
    id: 'temporary-short-seven-days',
    dfeCode: '379',
    kind: 'error',
    table: 'Episodes',
    message:
      'A temporary placement for a reason not listed lasts more than seven days: record it as a placement of its own',
    check: perEpisode((e) => e.place === 'T4' && !!e.dec && e.dec > addDays(e.decom, 7)),
  },
];
