import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  organisationId,
  type CaseworkStaff,
} from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { loadDemoData } from '../../demo/demo-data.js';
import { laChildIdOf } from '../census.js';
import { registerReturnsCommands } from '../cli.js';
import { ReturnRefusedError } from '../service.js';
import { annexALists, listKeys, type ListKey } from './lists.js';
import { annexARules, type AnnexARule } from './rules.js';
import { AnnexAService, type AnnexARun } from './service.js';

/**
 * Ofsted's Annex A lists from the demo data, end to end over a real
 * database: the workbook read back with read-excel-file has every list's
 * sheet with its headings in order and the rows for children whose records
 * are known; each check fails for a child whose record breaks it; the
 * command writes the workbook only when no error remains; runs are audited
 * and a workbook made is a disclosure to Ofsted.
 */

const AS_OF = '2026-10-01';
/** The first day of the six and twelve months before it. */
const SIX_FROM = '2026-04-02';
const TWELVE_FROM = '2025-10-02';
let database: ScratchDatabase;
let service: AnnexAService;
let performance: CaseworkStaff;
let governance: CaseworkStaff;
let kent: string;
let run: AnnexARun;
let sheets: { sheet: string; data: unknown[][] }[];
let dir: string;
let leaverRecord: string;
let enquiryRecord: string;

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

async function detailOf(recordId: string): Promise<Record<string, unknown>> {
  const row = await database.db
    .selectFrom('case_record')
    .select('detail')
    .where('id', '=', recordId)
    .executeTakeFirstOrThrow();
  return { ...(row.detail as Record<string, unknown>) };
}

async function setDetail(recordId: string, detail: Record<string, unknown>) {
  await database.db
    .updateTable('case_record')
    .set({ detail: JSON.stringify(detail) })
    .where('id', '=', recordId)
    .execute();
}

/** The subject of a record. */
async function subjectOf(recordId: string): Promise<string> {
  const row = await database.db
    .selectFrom('record_party')
    .select('person_id')
    .where('record_id', '=', recordId)
    .where('role', '=', 'subject')
    .executeTakeFirstOrThrow();
  return row.person_id;
}

/** A record of the category open on the as-of date (its detail as the demo made it). */
async function openRecord(category: string) {
  return database.db
    .selectFrom('case_record')
    .select(['id', 'opened_on', 'detail'])
    .where('organisation_id', '=', kent)
    .where('category', '=', category)
    .where('opened_on', '<=', AS_OF)
    .where('closed_on', 'is', null)
    .orderBy('opened_on', 'desc')
    .orderBy('id')
    .executeTakeFirstOrThrow();
}

function sheetRows(key: ListKey) {
  const sheet = sheets.find((s) => s.sheet === annexALists[key].sheet);
  if (!sheet) throw new Error(`no sheet for ${key}`);
  const [head, ...rows] = sheet.data;
  const headings = head as string[];
  return rows.map((r) => Object.fromEntries(headings.map((h, i) => [h, r[i] ?? null])));
}

const failing = (r: AnnexARun, rule: AnnexARule) =>
  r.failures.filter((f) => f.rule === rule).map((f) => f.recordId);

beforeAll(async () => {
  database = await testDatabase();
  // Enough people that every list the records feed has a child in it as of AS_OF.
  await loadDemoData(database.db, { peoplePerOrganisation: 150 });
  kent = await organisationId(database.db, 'kent-scs');
  service = new AnnexAService(database.db);
  performance = await caseworkStaff(database.db, 'kent-scs', ['performance']);
  governance = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  // The demo records no care leaver: record one, as the personal adviser would.
  const looked = await openRecord('looked-after');
  leaverRecord = looked.id;
  await setDetail(leaverRecord, {
    ...(looked.detail as Record<string, unknown>),
    careLeaver: {
      education: 'further-education',
      employment: 'part-time',
      accommodation: 'supported-lodgings',
      pathwayPlanReviewedOn: '2026-04-15',
    },
  });
  // Nor a section 47 enquiry in the six months: record one on an open plan.
  const plan = await openRecord('child-protection-plan');
  enquiryRecord = plan.id;
  const planDetail = plan.detail as Record<string, unknown>;
  await setDetail(enquiryRecord, {
    ...planDetail,
    section47Enquiries: [
      ...(planDetail['section47Enquiries'] as unknown[]),
      { startedOn: '2026-07-01', completedOn: '2026-07-10', outcome: 'concerns-not-substantiated' },
    ],
  });
  run = await service.annexA(performance.context, { asOf: AS_OF, produce: true });
  sheets = (await readXlsxFile(run.workbook ?? Buffer.alloc(0))) as typeof sheets;
  dir = await mkdtemp(path.join(tmpdir(), 'safekeep-annex-a-'));
});

afterAll(async () => {
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the demo data', () => {
  it('passes every check that stops the workbook, and the workbook is made', () => {
    expect(run.failures.filter((f) => f.rule.kind === 'error')).toEqual([]);
    expect(run.workbook).toBeDefined();
    expect(run.children).toBeGreaterThan(5);
  });

  it('has rows in every list Safekeep records something for', () => {
    for (const key of [
      'referrals',
      'assessments',
      'section47',
      'childrenInNeed',
      'childProtection',
      'childrenInCare',
      'careLeavers',
      'adoption',
    ] as const) {
      expect(run.annex.lists[key].length, key).toBeGreaterThan(0);
    }
  });
});

describe('the workbook', () => {
  it('has one sheet per list, in Annex A’s order, each with its headings in order', () => {
    expect(sheets.map((s) => s.sheet)).toEqual([
      'List 1 - Contacts',
      'List 2 - Early help',
      'List 3 - Referrals',
      'List 4 - Assessments',
      'List 5 - Section 47 and ICPC',
      'List 6 - Children in need',
      'List 7 - Child protection',
      'List 8 - Children in care',
      'List 9 - Care leavers',
      'List 10 - Adoption',
      'List 11 - Adopters',
    ]);
    for (const key of listKeys) {
      const sheet = sheets.find((s) => s.sheet === annexALists[key].sheet);
      expect(sheet?.data[0], key).toEqual([...annexALists[key].headings]);
      expect(sheet?.data.length, key).toBe(run.annex.lists[key].length + 1);
    }
    expect(sheets[6]?.data[0]?.slice(0, 8)).toEqual([
      'Child Unique ID',
      'Gender',
      'Ethnicity',
      'Date of Birth',
      'Age of Child (Years)',
      'Does the Child have a Disability',
      'Child Protection Plan Start Date',
      'Initial Category of Abuse',
    ]);
  });

  it('keeps the sheets of lists Safekeep records nothing for, headings only', () => {
    for (const key of ['contacts', 'earlyHelp', 'adopters'] as const) {
      expect(sheets.find((s) => s.sheet === annexALists[key].sheet)?.data).toEqual([
        [...annexALists[key].headings],
      ]);
    }
  });

  it('lists a child in care with their legal status, placement and start as codes and Excel dates', async () => {
    const record = await openRecord('looked-after');
    const detail = record.detail as {
      legalStatus: string;
      episodes: { startedOn: string }[];
      placements: { type: string; startedOn: string }[];
    };
    const person = await subjectOf(record.id);
    const row = sheetRows('childrenInCare').find(
      (r) => r['Child Unique ID'] === laChildIdOf(person),
    );
    expect(row).toBeDefined();
    const legal: Record<string, string> = {
      'section-20': 'V2',
      'interim-care-order': 'C1',
      'care-order': 'C2',
    };
    expect(row?.["Child's Legal Status"]).toBe(legal[detail.legalStatus]);
    expect(row?.['Date Started to be Looked After']).toEqual(day(detail.episodes[0]!.startedOn));
    expect(row?.['Start Date of Most Recent Placement']).toEqual(
      day(detail.placements[0]!.startedOn),
    );
    expect(String(row?.['Placement Type'])).toMatch(/^[A-Z]\d$/);
    expect(row?.['Date Ceased to be Looked After']).toBeNull();
  });

  it('lists a child on a protection plan with its start, category and allocated team', async () => {
    const record = await openRecord('child-protection-plan');
    const detail = record.detail as { planStartedOn: string; categoryOfAbuse: string };
    const person = await subjectOf(record.id);
    const row = sheetRows('childProtection').find(
      (r) =>
        r['Child Unique ID'] === laChildIdOf(person) &&
        (r['Child Protection Plan Start Date'] as Date).getTime() ===
          day(detail.planStartedOn).getTime(),
    );
    expect(row).toBeDefined();
    const category: Record<string, string> = {
      neglect: 'a) Neglect',
      'physical-abuse': 'b) Physical abuse',
      'sexual-abuse': 'c) Sexual abuse',
      'emotional-abuse': 'd) Emotional abuse',
    };
    expect(row?.['Initial Category of Abuse']).toBe(category[detail.categoryOfAbuse]);
    expect(row?.['Child Protection Plan End Date']).toBeNull();
    const team = await database.db
      .selectFrom('case_record as r')
      .innerJoin('team as t', 't.id', 'r.allocated_team_id')
      .select('t.name')
      .where('r.id', '=', record.id)
      .executeTakeFirst();
    expect(row?.['Allocated Team']).toBe(team?.name ?? null);
    // The same child is in need on the date, with the plan as the case status.
    const inNeed = sheetRows('childrenInNeed').find(
      (r) => r['Child Unique ID'] === laChildIdOf(person) && r['CIN Closure Date'] === null,
    );
    expect(inNeed?.['Case Status']).toBe('Child protection plan');
  });

  it('lists a referral of the six months with its source code and date', async () => {
    const referral = await database.db
      .selectFrom('case_record')
      .select(['id', 'opened_on'])
      .where('organisation_id', '=', kent)
      .where('category', 'in', ['child-in-need', 'child-protection-plan'])
      .where('opened_on', '>=', SIX_FROM)
      .where('opened_on', '<=', AS_OF)
      .orderBy('opened_on')
      .executeTakeFirstOrThrow();
    const person = await subjectOf(referral.id);
    const row = sheetRows('referrals').find(
      (r) =>
        r['Child Unique ID'] === laChildIdOf(person) &&
        (r['Date of referral'] as Date).getTime() === day(referral.opened_on).getTime(),
    );
    expect(row).toBeDefined();
    // The demo's sources: school, health visitor, family member (1A), early help, police.
    expect(String(row?.['Referral Source'])).toMatch(/^(1A|2A|3B|5D|6)$/);
    expect(row?.['Referral NFA?']).toMatch(/^[ab]\) (Yes|No)$/);
    expect(row?.['Number of Referrals in Last 12 Months']).toBeGreaterThanOrEqual(1);
  });

  it('lists the care leaver with their activity and accommodation codes', async () => {
    const person = await subjectOf(leaverRecord);
    const row = sheetRows('careLeavers').find((r) => r['Child Unique ID'] === laChildIdOf(person));
    // No SSDA903 activity recorded: read from education and employment.
    expect(row).toMatchObject({ 'Activity Status': 'F2', 'Type of Accommodation': 'E' });
  });

  it('lists a section 47 enquiry of the six months, and that no conference was needed', async () => {
    const person = await subjectOf(enquiryRecord);
    const row = sheetRows('section47').find(
      (r) =>
        r['Child Unique ID'] === laChildIdOf(person) &&
        (r['Strategy discussion initiating Section 47 Enquiry Start Date'] as Date).getTime() ===
          day('2026-07-01').getTime(),
    );
    expect(row).toMatchObject({
      'Was an Initial Child Protection Conference deemed unnecessary?': 'a) Yes',
      'Date of Initial Child Protection Conference': null,
      'Number of Section 47 Enquiries in the last 12 months': 1,
    });
  });

  it('lists an adopted child with the dates of their court orders', async () => {
    const record = await database.db
      .selectFrom('case_record')
      .select(['id', 'detail'])
      .where('organisation_id', '=', kent)
      .where('category', '=', 'adoption')
      .where('opened_on', '<=', AS_OF)
      .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>=', TWELVE_FROM)]))
      .orderBy('opened_on')
      .executeTakeFirstOrThrow();
    const orders = (record.detail as { courtOrders: { kind: string; madeOn: string }[] })
      .courtOrders;
    const placement = orders.find((o) => o.kind === 'placement-order')?.madeOn;
    const person = await subjectOf(record.id);
    const row = sheetRows('adoption').find((r) => r['Child Unique ID'] === laChildIdOf(person));
    expect(row).toBeDefined();
    expect(row?.['Date of Placement Order']).toEqual(
      placement && placement <= AS_OF ? day(placement) : null,
    );
  });

  it('holds codes, numbers and dates, and no Safekeep words, names or ids', () => {
    const text = sheets.flatMap((s) => s.data.slice(1).flat()).filter((c) => typeof c === 'string');
    for (const cell of text) {
      expect(cell).not.toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect(cell).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(cell).not.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const names = sheets.flatMap((s) => s.data.slice(1).map((r) => r[0]));
    for (const id of names) expect(String(id)).toMatch(/^[0-9A-F]{10}$/);
  });

  it('is recorded as a disclosure to Ofsted with the records it was read from, and audited', async () => {
    const row = await database.db
      .selectFrom('statutory_return')
      .selectAll()
      .where('id', '=', run.returnId ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      organisation_id: kent,
      kind: 'annex-a',
      collection_year: 2026,
      reference_date: AS_OF,
      recipient_id: 'ofsted',
      purpose: 'inspection-or-statutory-return',
      produced_by: performance.accountId,
      children: run.children,
      errors: 0,
    });
    expect(row.lawful_basis).toContain('Education and Inspections Act 2006');
    const records = await database.db
      .selectFrom('statutory_return_record')
      .select('record_id')
      .where('return_id', '=', row.id)
      .execute();
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['object_ids'])
      .where('actor_account_id', '=', performance.accountId)
      .where('action', '=', 'returns.annex-a.produce')
      .execute();
    expect(audit).toHaveLength(1);
    expect([...(audit[0]?.object_ids ?? [])].sort()).toEqual(
      records.map((r) => r.record_id).sort(),
    );
    expect(records.length).toBeGreaterThan(run.annex.lists.childrenInCare.length);
  });

  it('is refused to staff without a returns role', async () => {
    const worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
    await expect(
      service.annexA(worker.context, { asOf: AS_OF, produce: false }),
    ).rejects.toBeInstanceOf(ReturnRefusedError);
  });
});

describe('each check, with a child who breaks it', () => {
  /** Breaks a record, runs the check, puts the record back. */
  async function broken(recordId: string, change: (d: Record<string, unknown>) => void) {
    const original = await detailOf(recordId);
    const detail = structuredClone(original);
    change(detail);
    await setDetail(recordId, detail);
    try {
      return await service.annexA(governance.context, { asOf: AS_OF, produce: true });
    } finally {
      await setDetail(recordId, original);
    }
  }

  it('a child protection plan with no start date: an error, named for governance, counted for performance', async () => {
    const plan = await openRecord('child-protection-plan');
    const original = await detailOf(plan.id);
    const detail = structuredClone(original);
    delete detail['planStartedOn'];
    detail['conferences'] = [];
    await setDetail(plan.id, detail);
    try {
      const seen = await service.annexA(governance.context, { asOf: AS_OF, produce: true });
      expect(failing(seen, annexARules.cpPlanStart)).toEqual([plan.id]);
      expect(seen.workbook).toBeUndefined();
      expect(seen.returnId).toBeUndefined();
      const report = seen.report.find((r) => r.rule === annexARules.cpPlanStart);
      expect(report?.visible).toEqual([
        expect.objectContaining({ recordId: plan.id, href: `/records/${plan.id}` }),
      ]);
      expect(report?.visible[0]?.childName).toMatch(/\S+ \S+/);
      const counted = await service.annexA(performance.context, { asOf: AS_OF, produce: false });
      expect(counted.report.find((r) => r.rule === annexARules.cpPlanStart)).toMatchObject({
        failures: 1,
        visible: [],
        hidden: 1,
      });
      expect(JSON.stringify(counted.report)).not.toContain(plan.id);
    } finally {
      await setDetail(plan.id, original);
    }
  });

  it('a child protection plan with no category of abuse: an error', async () => {
    const plan = await openRecord('child-protection-plan');
    const result = await broken(plan.id, (d) => {
      delete d['categoryOfAbuse'];
    });
    expect(failing(result, annexARules.cpCategory)).toEqual([plan.id]);
    expect(result.workbook).toBeUndefined();
  });

  it('a child in care with no legal status: an error', async () => {
    const care = await openRecord('looked-after');
    const result = await broken(care.id, (d) => {
      delete d['legalStatus'];
    });
    expect(failing(result, annexARules.cicLegalStatus)).toEqual([care.id]);
    expect(result.workbook).toBeUndefined();
  });

  it('a child in care with no placement: an error', async () => {
    const care = await openRecord('looked-after');
    const result = await broken(care.id, (d) => {
      d['placements'] = [];
    });
    expect(failing(result, annexARules.cicPlacement)).toEqual([care.id]);
    expect(result.workbook).toBeUndefined();
  });

  it('a child born after the as-of date: an error', async () => {
    const care = await openRecord('looked-after');
    const person = await subjectOf(care.id);
    const { date_of_birth } = await database.db
      .selectFrom('person')
      .select('date_of_birth')
      .where('id', '=', person)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('person')
      .set({ date_of_birth: '2026-12-01' })
      .where('id', '=', person)
      .execute();
    try {
      const result = await service.annexA(governance.context, { asOf: AS_OF, produce: true });
      expect(
        result.failures
          .filter((f) => f.rule === annexARules.datesNotAfterAsOf)
          .map((f) => f.personId),
      ).toContain(person);
      expect(result.workbook).toBeUndefined();
    } finally {
      await database.db
        .updateTable('person')
        .set({ date_of_birth: date_of_birth })
        .where('id', '=', person)
        .execute();
    }
  });

  it('a child with no date of birth: a warning, and the workbook is still made', async () => {
    const care = await openRecord('looked-after');
    const person = await subjectOf(care.id);
    const { date_of_birth, date_of_birth_precision } = await database.db
      .selectFrom('person')
      .select(['date_of_birth', 'date_of_birth_precision'])
      .where('id', '=', person)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('person')
      .set({ date_of_birth: null, date_of_birth_precision: null })
      .where('id', '=', person)
      .execute();
    try {
      const result = await service.annexA(governance.context, { asOf: AS_OF, produce: true });
      expect(
        result.failures.filter((f) => f.rule === annexARules.birthDate).map((f) => f.personId),
      ).toContain(person);
      expect(result.workbook).toBeDefined();
    } finally {
      await database.db
        .updateTable('person')
        .set({ date_of_birth, date_of_birth_precision })
        .where('id', '=', person)
        .execute();
    }
  });

  it('a child in care with no allocated worker: a warning', async () => {
    const care = await openRecord('looked-after');
    const { allocated_account_id } = await database.db
      .selectFrom('case_record')
      .select('allocated_account_id')
      .where('id', '=', care.id)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('case_record')
      .set({ allocated_account_id: null })
      .where('id', '=', care.id)
      .execute();
    try {
      const result = await service.annexA(governance.context, { asOf: AS_OF, produce: false });
      expect(failing(result, annexARules.allocated)).toContain(care.id);
      expect(result.errors).toBe(0);
    } finally {
      await database.db
        .updateTable('case_record')
        .set({ allocated_account_id })
        .where('id', '=', care.id)
        .execute();
    }
  });
});

describe('the command', () => {
  const command = (lines: string[]) => {
    const program = new Command().exitOverride();
    registerReturnsCommands(program, async () => ({ ...database, close: async () => undefined }), {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    return program;
  };
  const args = (asOf: string, out: string, ...more: string[]) => [
    'node',
    'safekeep',
    'returns',
    'annex-a',
    '--organisation',
    'kent-scs',
    '--as-of',
    asOf,
    '--out',
    out,
    ...more,
  ];

  it('refuses a date it cannot read, in one plain line, exit 2', async () => {
    for (const bad of ['31/03/2026', '2026-02-30', 'tomorrow']) {
      const lines: string[] = [];
      process.exitCode = undefined;
      await command(lines).parseAsync(args(bad, path.join(dir, 'bad.xlsx')));
      expect(process.exitCode, bad).toBe(2);
      expect(lines, bad).toHaveLength(1);
      expect(lines[0], bad).toMatch(/^--as-of/);
    }
    process.exitCode = undefined;
  });

  it('writes the workbook as the operator, audited and recorded with no account', async () => {
    const out = path.join(dir, 'annex-a.xlsx');
    const lines: string[] = [];
    process.exitCode = undefined;
    await command(lines).parseAsync(args(AS_OF, out));
    expect(process.exitCode).toBeUndefined();
    expect(lines.at(-1)).toMatch(
      /^Wrote Ofsted’s Annex A lists as of 2026-10-01 to .*: \d+ children/,
    );
    const written = await readXlsxFile(await readFile(out));
    expect(written.map((s) => s.sheet)).toHaveLength(11);
    expect(written[7]?.data[0]).toEqual([...annexALists.childrenInCare.headings]);
    const made = await database.db
      .selectFrom('statutory_return')
      .select(['produced_by', 'kind'])
      .orderBy('produced_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(made).toEqual({ produced_by: null, kind: 'annex-a' });
  });

  it('prints the report and writes nothing while an error remains, exit 1', async () => {
    const care = await openRecord('looked-after');
    const original = await detailOf(care.id);
    const detail = structuredClone(original);
    delete detail['legalStatus'];
    await setDetail(care.id, detail);
    const out = path.join(dir, 'annex-a-broken.xlsx');
    const lines: string[] = [];
    try {
      process.exitCode = undefined;
      await command(lines).parseAsync(args(AS_OF, out, '--as', governance.email));
      expect(process.exitCode).toBe(1);
      const text = lines.join('\n');
      expect(text).toContain('Error: The child in care has no legal status recorded');
      expect(text).toContain(`/records/${care.id}`);
      await expect(readFile(out)).rejects.toThrow();
    } finally {
      await setDetail(care.id, original);
      process.exitCode = undefined;
    }
  });
});
