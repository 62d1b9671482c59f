import { listKeys, annexALists, type ListKey } from './lists.js';
import type { AnnexA, AnnexARow, AnnexASource, Cell } from './build.js';

/**
 * Checks on the Annex A lists before they go to Ofsted: what an inspector
 * reads first and what a wrong value would mislead them about. Errors stop
 * the workbook; warnings are reported and allowed. Safekeep's own checks:
 * Ofsted publishes no validation rules for Annex A.
 */

export interface AnnexARule {
  id: string;
  kind: 'error' | 'warning';
  /** Plain English, for the person who fixes the record. */
  message: string;
}

export interface AnnexAFailure {
  rule: AnnexARule;
  personId: string;
  recordId: string;
}

const rule = (id: string, kind: AnnexARule['kind'], message: string): AnnexARule => ({
  id,
  kind,
  message,
});

export const annexARules = {
  cpPlanStart: rule(
    'cp-plan-start-present',
    'error',
    'The child protection plan record has no date the plan started (and no conference that made it), so the child is missing from List 7',
  ),
  cpCategory: rule(
    'cp-category-present',
    'error',
    'The child protection plan has no category of abuse Ofsted recognises',
  ),
  cicLegalStatus: rule(
    'cic-legal-status-present',
    'error',
    'The child in care has no legal status recorded',
  ),
  cicPlacement: rule(
    'cic-placement-present',
    'error',
    'The child in care has no placement recorded since they started to be looked after',
  ),
  datesNotAfterAsOf: rule(
    'dates-not-after-as-of',
    'error',
    'A date on the child’s row is after the date the lists are drawn up for (often the date of birth)',
  ),
  birthDate: rule(
    'birth-date-present',
    'warning',
    'The child’s date of birth is not recorded, so Ofsted will see no date of birth or age',
  ),
  allocated: rule(
    'allocated-worker',
    'warning',
    'The child is open to children’s social care but no worker is allocated to the record',
  ),
} as const;

export const annexARuleList: readonly AnnexARule[] = Object.values(annexARules);

const isDate = (cell: Cell): cell is { date: string } =>
  typeof cell === 'object' && cell !== null && 'date' in cell;

/**
 * The children a check covers: everyone in a list, and every child whose
 * child in need or plan records were read (a plan with no start date keeps
 * its child out of every list, and the check must still find them).
 */
export function annexAChildIds(annex: AnnexA, source: AnnexASource): string[] {
  return [
    ...new Set([
      ...listKeys.flatMap((k) => (annex.lists[k] as AnnexARow[]).map((r) => r.personId)),
      ...source.census.map((p) => p.id),
    ]),
  ].sort();
}

/**
 * Every failure, one per child and record per rule; with `only`, those of
 * these children alone (a job checks the children in slices to show its
 * progress: each child's failures depend on their own rows only).
 */
export function validateAnnexA(
  annex: AnnexA,
  source: AnnexASource,
  only?: ReadonlySet<string>,
): AnnexAFailure[] {
  const { asOf, sixMonthsFrom } = annex.periods;
  const failures: AnnexAFailure[] = [];
  const seen = new Set<string>();
  const fail = (r: AnnexARule, personId: string, recordId: string) => {
    if (only && !only.has(personId)) return;
    const key = `${r.id} ${personId} ${recordId}`;
    if (seen.has(key)) return;
    seen.add(key);
    failures.push({ rule: r, personId, recordId });
  };
  const rows = <K extends ListKey>(key: K) => annex.lists[key] as AnnexARow[];

  // A plan record open in the six months whose plan has no start date never
  // reaches List 7 (the census derivation needs the date): find it in the rows.
  const planned = new Set(
    annex.children.flatMap((c) => c.episodes.flatMap((e) => e.cpPlans.map((p) => p.recordId))),
  );
  for (const person of source.census) {
    for (const r of person.records) {
      if (r.category !== 'child-protection-plan') continue;
      if (r.openedOn > asOf || (r.closedOn !== null && r.closedOn < sixMonthsFrom)) continue;
      if (!planned.has(r.id)) fail(annexARules.cpPlanStart, person.id, r.id);
    }
  }
  for (const row of annex.lists.childProtection) {
    for (const category of [
      row.cells['Initial Category of Abuse'],
      row.cells['Latest Category of Abuse'],
    ]) {
      if (typeof category !== 'string' || !/^[a-e]\) /.test(category)) {
        fail(annexARules.cpCategory, row.personId, row.recordId);
      }
    }
  }
  for (const row of annex.lists.childrenInCare) {
    if (row.cells["Child's Legal Status"] === undefined) {
      fail(annexARules.cicLegalStatus, row.personId, row.recordId);
    }
    if (row.cells['Start Date of Most Recent Placement'] === undefined) {
      fail(annexARules.cicPlacement, row.personId, row.recordId);
    }
  }
  for (const key of listKeys) {
    for (const row of rows(key)) {
      const cells = Object.values(row.cells) as Cell[];
      if (cells.some((c) => isDate(c) && c.date > asOf)) {
        fail(annexARules.datesNotAfterAsOf, row.personId, row.recordId);
      }
      if (
        (annexALists[key].headings as readonly string[]).includes('Date of Birth') &&
        (row.cells as Record<string, Cell>)['Date of Birth'] === undefined
      ) {
        fail(annexARules.birthDate, row.personId, row.recordId);
      }
    }
  }
  for (const key of ['childrenInNeed', 'childProtection', 'childrenInCare'] as const) {
    for (const row of rows(key)) {
      const cells = row.cells as Record<string, Cell>;
      const current =
        cells['CIN Closure Date'] === undefined &&
        cells['Child Protection Plan End Date'] === undefined &&
        cells['Date Ceased to be Looked After'] === undefined;
      if (current && cells['Allocated Worker'] === undefined) {
        fail(annexARules.allocated, row.personId, row.recordId);
      }
    }
  }
  return failures;
}
