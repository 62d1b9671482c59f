import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { CaseworkService } from '../../casework/service.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { laChildIdOf } from '../census.js';
import { annexALists, type ListKey } from './lists.js';
import { annexAChildIds } from './rules.js';
import { AnnexAService, type AnnexARun } from './service.js';
import { loadAnnexASource } from './store.js';

/**
 * The columns Annex A takes from what Safekeep records, each shown with a
 * child whose records hold it (synthetic children, records made through
 * the casework service so the forms' own checks apply): a child in need
 * whose episode closed after assessment with its reason; a child on a plan
 * who had an emergency protection order and was not seen alone at the last
 * visit; a child in their second period of care with a placement's
 * postcode, URN and provider, missing and absent episodes and health
 * checks; a care leaver in touch; an adoption decision that ceased, after
 * fostering for adoption. And the check reports its progress in children.
 */

const AS_OF = '2026-10-01';
let database: ScratchDatabase;
let service: AnnexAService;
let worker: CaseworkStaff;
let performance: CaseworkStaff;
let run: AnnexARun;
let sheets: { sheet: string; data: unknown[][] }[];
const child: Record<string, string> = {};

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

async function record(
  name: string,
  category: Parameters<CaseworkService['create']>[1]['category'],
  openedOn: string,
  detail: Record<string, unknown>,
  closedOn?: string,
): Promise<string> {
  child[name] ??= await createPerson(database.db, 'kent-scs', { dateOfBirth: '2012-03-04' });
  return new CaseworkService(database.db).create(worker.context, {
    category,
    subjectPersonId: child[name],
    openedOn,
    ...(closedOn ? { closedOn } : {}),
    detail,
  });
}

async function visit(recordId: string, on: string, seen: boolean, alone: boolean | null) {
  await database.db
    .insertInto('statutory_visit')
    .values({
      record_id: recordId,
      visited_on: on,
      child_seen: seen,
      seen_alone: alone,
      present: 'Carer',
      wishes_and_feelings: 'Synthetic test visit',
      recorded_by: worker.accountId,
    })
    .execute();
}

async function outcome(recordId: string, kind: string, on: string) {
  await database.db
    .insertInto('looked_after_outcome')
    .values({
      record_id: recordId,
      kind,
      occurred_on: on,
      note: '',
      recorded_by: worker.accountId,
    })
    .execute();
}

/** The child's rows on a list's sheet, as heading → cell. */
function rowsOf(key: ListKey, name: string) {
  const sheet = sheets.find((s) => s.sheet === annexALists[key].sheet);
  if (!sheet) throw new Error(`no sheet for ${key}`);
  const [head, ...rows] = sheet.data;
  const headings = head as string[];
  return rows
    .map((r) => Object.fromEntries(headings.map((h, i) => [h, r[i] ?? null])))
    .filter((r) => r['Child Unique ID'] === laChildIdOf(child[name] ?? ''));
}

beforeAll(async () => {
  database = await testDatabase();
  service = new AnnexAService(database.db);
  performance = await caseworkStaff(database.db, 'kent-scs', ['performance']);
  // In the teams that write each kind of record here.
  worker = await caseworkStaff(
    database.db,
    'kent-scs',
    ['practitioner'],
    ['assessment', 'children-in-care', 'adoption'],
  );

  // Closed after assessment with no further action (RC8), seen on a visit.
  const closed = await record(
    'closed',
    'child-in-need',
    '2026-05-01',
    {
      primaryNeed: 'family-in-acute-stress',
      referralSource: 'individual-family',
      assessmentStartedOn: '2026-05-02',
      assessmentCompletedOn: '2026-05-20',
      reasonForClosure: 'closed-after-assessment-no-further-action',
    },
    '2026-05-25',
  );
  await visit(closed, '2026-05-10', true, true);
  // Assessed and still open: assessed as needing support.
  await record('supported', 'child-in-need', '2026-06-01', {
    primaryNeed: 'abuse-or-neglect',
    referralSource: 'individual-family',
    assessmentStartedOn: '2026-06-02',
    assessmentCompletedOn: '2026-06-30',
  });

  // An emergency protection order for a week, then home, then a plan.
  await record(
    'protected',
    'looked-after',
    '2026-04-05',
    {
      legalStatus: 'emergency-protection-order',
      episodes: [
        { startedOn: '2026-04-05', endedOn: '2026-04-12', reasonCeased: 'returned-home-planned' },
      ],
      placements: [
        {
          type: 'foster-care',
          dfeType: 'foster-other',
          startedOn: '2026-04-05',
          endedOn: '2026-04-12',
        },
      ],
    },
    '2026-04-12',
  );
  const plan = await record('protected', 'child-protection-plan', '2026-04-15', {
    categoryOfAbuse: 'neglect',
    primaryNeed: 'abuse-or-neglect',
    referralSource: 'individual-family',
    planStartedOn: '2026-04-20',
  });
  await visit(plan, '2026-05-01', true, true);
  await visit(plan, '2026-06-01', true, false);
  // A plan and nothing else: no order, no visit.
  await record('planOnly', 'child-protection-plan', '2026-05-15', {
    categoryOfAbuse: 'emotional-abuse',
    primaryNeed: 'abuse-or-neglect',
    referralSource: 'individual-family',
    planStartedOn: '2026-05-20',
  });

  // A second period of care in the year, now in a children's home after foster care.
  const care = await record('inCare', 'looked-after', '2025-11-01', {
    legalStatus: 'interim-care-order',
    legalStatusChanges: [
      { status: 'section-20', from: '2025-11-01' },
      { status: 'interim-care-order', from: '2026-05-10' },
    ],
    episodes: [
      { startedOn: '2025-11-01', endedOn: '2025-12-15', reasonCeased: 'returned-home-unplanned' },
      { startedOn: '2026-02-01', categoryOfNeed: 'family-dysfunction' },
    ],
    placements: [
      {
        type: 'foster-care',
        dfeType: 'foster-other',
        startedOn: '2026-02-01',
        endedOn: '2026-06-01',
        providedBy: 'own-provision',
        postcode: 'ME14 1XX',
      },
      {
        type: 'residential',
        dfeType: 'childrens-home',
        startedOn: '2026-06-01',
        providedBy: 'private-provision',
        postcode: 'CT1 2ZZ',
        urn: 'SC999001',
      },
    ],
    missingEpisodes: [
      { kind: 'missing', startedOn: '2025-09-01', endedOn: '2025-09-02' },
      { kind: 'missing', startedOn: '2026-07-01', endedOn: '2026-07-02' },
      { kind: 'missing', startedOn: '2026-08-10', endedOn: '2026-08-10' },
      { kind: 'away', startedOn: '2026-08-01', endedOn: '2026-08-01' },
    ],
  });
  await outcome(care, 'health-assessment', '2026-03-01');
  await outcome(care, 'health-assessment', '2026-08-15');
  await outcome(care, 'health-assessment', '2026-11-01');
  await outcome(care, 'dental-check', '2026-07-20');
  await visit(care, '2026-09-10', true, true);

  // A care leaver the council is in touch with, in unsuitable accommodation.
  await record('leaver', 'looked-after', '2023-01-01', {
    legalStatus: 'care-order',
    episodes: [
      {
        startedOn: '2023-01-01',
        endedOn: '2026-01-01',
        reasonCeased: 'moved-to-independent-living',
      },
    ],
    careLeaver: {
      education: 'none',
      employment: 'full-time',
      accommodation: 'independent',
      inTouch: 'in-touch',
      activity: 'employment-full-time',
      accommodationSuitable: 'no',
    },
  });

  // Fostered for adoption, then the decision to place ceased (no adopters found).
  await record('adoption', 'adoption', '2025-11-01', {
    courtOrders: [
      { kind: 'placement-order', court: 'Family Court (synthetic)', madeOn: '2026-01-10' },
    ],
    decisionToPlaceOn: '2025-11-10',
    matchedOn: '2026-03-01',
    decisionCeasedOn: '2026-08-01',
    decisionCeasedReason: 'no-adopters-found',
  });

  await record('adoption', 'looked-after', '2025-06-01', {
    legalStatus: 'care-order',
    episodes: [{ startedOn: '2025-06-01' }],
    placements: [
      {
        type: 'foster-care',
        dfeType: 'foster-other',
        startedOn: '2025-06-01',
        endedOn: '2026-02-01',
      },
      { type: 'foster-care', dfeType: 'foster-for-adoption', startedOn: '2026-02-01' },
    ],
  });
  run = await service.annexA(performance.context, { asOf: AS_OF, produce: true });
  sheets = (await readXlsxFile(run.workbook ?? Buffer.alloc(0))) as typeof sheets;
});

afterAll(async () => {
  await database?.close();
});

describe('List 4 and List 6, from the child in need records', () => {
  it('lists an episode closed in the six months with its closure date and census reason', () => {
    expect(run.errors).toBe(0);
    expect(rowsOf('childrenInNeed', 'closed')).toEqual([
      expect.objectContaining({
        'CIN Start Date': day('2026-05-01'),
        'Primary Need Code': 'N4',
        'Date Child Was Last Seen': day('2026-05-10'),
        'CIN Closure Date': day('2026-05-25'),
        'Reason for Closure': 'RC8',
        'Case Status': 'Closed',
      }),
    ]);
    expect(rowsOf('childrenInNeed', 'supported')).toEqual([
      expect.objectContaining({
        'CIN Closure Date': null,
        'Reason for Closure': null,
        'Case Status': 'Child in need',
      }),
    ]);
  });

  it('says whether the assessment found the child needed support', () => {
    expect(rowsOf('assessments', 'closed')).toEqual([
      expect.objectContaining({
        'Continuous Assessment Start Date': day('2026-05-02'),
        'Child Seen During Continuous Assessment': 'a) Yes',
        'Continuous Assessment Date of Authorisation': day('2026-05-20'),
        "Was the child assessed as requiring LA children's social care support?": 'b) No',
      }),
    ]);
    expect(rowsOf('assessments', 'supported')).toEqual([
      expect.objectContaining({
        'Child Seen During Continuous Assessment': 'b) No',
        "Was the child assessed as requiring LA children's social care support?": 'a) Yes',
      }),
    ]);
  });
});

describe('List 7, from the plan and the child’s care records', () => {
  it('has the last visit, whether the child was seen alone, and an emergency protection order', () => {
    expect(rowsOf('childProtection', 'protected')).toEqual([
      expect.objectContaining({
        'Child Protection Plan Start Date': day('2026-04-20'),
        'Date of the Last Statutory Visit': day('2026-06-01'),
        'Was the Child Seen Alone?': 'b) No',
        'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)':
          'Y',
      }),
    ]);
    expect(rowsOf('childProtection', 'planOnly')).toEqual([
      expect.objectContaining({
        'Date of the Last Statutory Visit': null,
        'Was the Child Seen Alone?': null,
        'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)':
          'N',
      }),
    ]);
  });
});

describe('List 8, from the looked-after record', () => {
  it('has the period’s need, the legal status and when it began, and a second period in the year', () => {
    expect(rowsOf('childrenInCare', 'inCare')).toEqual([
      expect.objectContaining({
        'Date Started to be Looked After': day('2026-02-01'),
        "Child's Category of Need": 'N5',
        'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)':
          'Y',
        'Start date of current legal status': day('2026-05-10'),
        "Child's Legal Status": 'C1',
        'Date of Last Social Work Visit': day('2026-09-10'),
        'Date Ceased to be Looked After': null,
        'Reason Ceased to be Looked After': null,
      }),
    ]);
  });

  it('has the latest placement’s type, provider, postcode and URN, and the placements in the year', () => {
    expect(rowsOf('childrenInCare', 'inCare')[0]).toMatchObject({
      'Start Date of Most Recent Placement': day('2026-06-01'),
      'Placement Type': 'K2',
      'Placement Provider': 'PR4',
      'Placement postcode': 'CT1 2ZZ',
      'URN of Placement': 'SC999001',
      'Number of Placements in the Last 12 months': 2,
      // Not recorded by Safekeep: left empty.
      'Placement Location': null,
      'LA of Placement': null,
      'What is the permanence plan for this child?': null,
    });
  });

  it('counts missing and absent episodes begun in the twelve months, and the latest health checks to the date', () => {
    expect(rowsOf('childrenInCare', 'inCare')[0]).toMatchObject({
      "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months": 2,
      "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months": 1,
      'Date of Last Health Assessment': day('2026-08-15'),
      'Date of Last Dental Check': day('2026-07-20'),
    });
  });

  it('lists a period ended in the six months with its reason ceased and legal status', () => {
    expect(rowsOf('childrenInCare', 'protected')).toEqual([
      expect.objectContaining({
        'Date Started to be Looked After': day('2026-04-05'),
        'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)':
          'N',
        "Child's Legal Status": 'L2',
        'Start date of current legal status': day('2026-04-05'),
        'Date Ceased to be Looked After': day('2026-04-12'),
        'Reason Ceased to be Looked After': 'E4A',
        'Placement Type': 'U6',
      }),
    ]);
  });
});

describe('List 9 and List 10', () => {
  it('lists the care leaver with the council in touch, accommodation, its suitability and activity', () => {
    expect(rowsOf('careLeavers', 'leaver')).toEqual([
      expect.objectContaining({
        'Eligibility Category': null,
        'LA in Touch': 'YES',
        'Type of Accommodation': 'U',
        'Suitability of Accommodation': 'b) Unsuitable',
        'Activity Status': 'F5',
      }),
    ]);
  });

  it('lists the adoption decisions, matching, the decision ceasing with its reason, and fostering for adoption', () => {
    expect(rowsOf('adoption', 'adoption')).toEqual([
      expect.objectContaining({
        'Family identifier': null,
        'Date the Child Entered Care': day('2025-06-01'),
        'Date of Decision that Child Should be Placed for Adoption': day('2025-11-10'),
        'Date of Placement Order': day('2026-01-10'),
        'Date of Matching Child and Prospective Adopters': day('2026-03-01'),
        'Date Placed for Adoption': null,
        'Date of Decision that Child Should No Longer be Placed for Adoption': day('2026-08-01'),
        'Reason Why Child No Longer Placed for Adoption': 'RD3',
        'Date the child was placed for fostering in FFA or concurrent planning placement':
          day('2026-02-01'),
      }),
    ]);
  });
});

describe('progress in children', () => {
  it('is reported as the check goes, from none to every child read', async () => {
    const seen: { checked: number; total: number }[] = [];
    const checked = await service.annexA(performance.context, {
      asOf: AS_OF,
      produce: false,
      onProgress: (p) => seen.push(p),
    });
    const source = await loadAnnexASource(
      database.db,
      (
        await database.db
          .selectFrom('organisation')
          .select('id')
          .where('slug', '=', 'kent-scs')
          .executeTakeFirstOrThrow()
      ).id,
      AS_OF,
    );
    const total = annexAChildIds(checked.annex, source).length;
    // Every synthetic child here is read (the care leaver and adoption
    // children from their care records, the rest from their census records).
    expect(total).toBe(Object.keys(child).length);
    expect(seen[0]).toEqual({ checked: 0, total });
    expect(seen.at(-1)).toEqual({ checked: total, total });
    // Checking in slices finds what checking in one go does.
    const keys = (r: AnnexARun) =>
      r.failures.map((f) => `${f.rule.id} ${f.personId} ${f.recordId}`).sort();
    expect(keys(checked)).toEqual(keys(run));
  });
});
