import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { convert } from 'xmlbuilder2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, organisationId, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { loadDemoData } from '../demo/demo-data.js';
import { registerReturnsCommands } from './cli.js';
import { ReturnRefusedError, ReturnsService, type CensusRun } from './service.js';

/**
 * The Children in Need census from the demo data, end to end over a real
 * database: every collection year the demo covers passes every rule; the
 * file has the header and each child's details; a record broken on purpose
 * fails its rule and is named only to staff who may open it; the command
 * writes the file only when no error remains; each run is audited.
 */
let database: ScratchDatabase;
let service: ReturnsService;
let performance: CaseworkStaff;
let governance: CaseworkStaff;
let kent: string;
let run2026: CensusRun;
let runs: Map<number, CensusRun>;
let undatedChildren: Set<string>;
const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027];
let dir: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 60 });
  kent = await organisationId(database.db, 'kent-scs');
  service = new ReturnsService(database.db);
  performance = await caseworkStaff(database.db, 'kent-scs', ['performance']);
  governance = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  runs = new Map();
  for (const year of YEARS) {
    runs.set(year, await service.cinCensus(performance.context, { year, produce: false }));
  }
  // The demo leaves one child in ten without a date of birth, on purpose
  // (retention sends unknown dates to a person). The census needs one: as a
  // practitioner would from the report, record it, then produce the file.
  const undated = await database.db
    .selectFrom('person')
    .select('id')
    .where('organisation_id', '=', kent)
    .where('date_of_birth', 'is', null)
    .execute();
  undatedChildren = new Set(undated.map((p) => p.id));
  const inCensus = [...runs.values()].flatMap((r) => r.children.map((c) => c.personId));
  const toDate = inCensus.filter((id) => undatedChildren.has(id));
  if (toDate.length) {
    await database.db
      .updateTable('person')
      .set({ date_of_birth: '2015-02-14', date_of_birth_precision: 'exact' })
      .where('id', 'in', toDate)
      .execute();
  }
  run2026 = await service.cinCensus(performance.context, { year: 2026, produce: true });
  dir = await mkdtemp(path.join(tmpdir(), 'safekeep-returns-'));
});

afterAll(async () => {
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the demo data', () => {
  it('passes every census rule in every collection year it covers, but the dates of birth it leaves unknown', () => {
    let children = 0;
    for (const year of YEARS) {
      const run = runs.get(year);
      if (!run) throw new Error(`no run for ${year}`);
      const errors = run.failures
        .filter((f) => f.rule.kind === 'error')
        .filter(
          (f) => !(f.rule.id === 'birth-date-present' && undatedChildren.has(f.child.personId)),
        )
        .map((f) => `${year} ${f.rule.id} ${f.recordId}`);
      expect(errors).toEqual([]);
      children += run.children.length;
    }
    // Content in every year, not an empty pass.
    expect(children).toBeGreaterThan(40);
  });

  it('passes every rule once those dates are recorded, and the file is produced', () => {
    expect(run2026.failures.filter((f) => f.rule.kind === 'error')).toEqual([]);
    expect(run2026.children.length).toBeGreaterThan(5);
    expect(run2026.xml).toBeDefined();
  });

  it('has plans, enquiries, assessments and closures across the years', () => {
    const episodes = [...runs.values()].flatMap((r) => r.children.flatMap((c) => c.episodes));
    expect(episodes.some((e) => e.cpPlans.length > 0)).toBe(true);
    expect(episodes.some((e) => e.section47s.length > 0)).toBe(true);
    expect(episodes.some((e) => e.assessments.length > 0)).toBe(true);
    expect(episodes.some((e) => e.closureDate !== undefined)).toBe(true);
  });
});

describe('the census file', () => {
  it('has the header for the year and one Child per child, with their episodes', () => {
    expect(run2026.xml).toBeDefined();
    const doc = convert(run2026.xml ?? '', { format: 'object' }) as {
      Message: {
        Header: {
          CollectionDetails: { Collection: string; Year: string; ReferenceDate: string };
          Source: { LEA: string; SourceLevel: string };
        };
        Children: { Child: unknown[] | unknown };
      };
    };
    const { Header, Children } = doc.Message;
    expect(Header.CollectionDetails).toEqual({
      Collection: 'CIN',
      Year: '2026',
      ReferenceDate: '2026-03-31',
    });
    expect(Header.Source.LEA).toBe('886');
    const children = [Children.Child].flat() as Record<string, unknown>[];
    expect(children).toHaveLength(run2026.children.length);
    for (const child of children) {
      expect(child).toHaveProperty('ChildIdentifiers.LAchildID');
      expect(child).toHaveProperty('ChildCharacteristics.Ethnicity');
      expect(child).toHaveProperty('CINdetails');
    }
    // No names in the file: identifiers and codes only.
    expect(run2026.xml).not.toMatch(/Synthetic/);
  });

  it('is recorded as a disclosure to the DfE with the records it was read from, and audited', async () => {
    const row = await database.db
      .selectFrom('statutory_return')
      .selectAll()
      .where('id', '=', run2026.returnId ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      organisation_id: kent,
      kind: 'cin-census',
      collection_year: 2026,
      recipient_id: 'government-departments',
      children: run2026.children.length,
      errors: 0,
    });
    const records = await database.db
      .selectFrom('statutory_return_record')
      .select('record_id')
      .where('return_id', '=', row.id)
      .execute();
    expect(records.length).toBeGreaterThanOrEqual(run2026.children.length);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_ids'])
      .where('actor_account_id', '=', performance.accountId)
      .where('action', '=', 'returns.cin-census.produce')
      .execute();
    expect(audit).toHaveLength(1);
    expect([...(audit[0]?.object_ids ?? [])].sort()).toEqual(
      records.map((r) => r.record_id).sort(),
    );
  });

  it('is refused to staff without a returns role', async () => {
    const worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
    await expect(
      service.cinCensus(worker.context, { year: 2026, produce: true }),
    ).rejects.toBeInstanceOf(ReturnRefusedError);
  });
});

describe('a record that breaks a rule', () => {
  let broken: string;

  beforeAll(async () => {
    // A closed child in need case in the 2026 census with no reason for closure.
    const child = run2026.children.find((c) =>
      c.episodes.some((e) => e.closureDate !== undefined && e.cpPlans.length === 0),
    );
    const episode = child?.episodes.find((e) => e.closureDate !== undefined);
    if (!episode) throw new Error('the demo has no closed case in 2026');
    broken = episode.recordId;
    const { detail } = await database.db
      .selectFrom('case_record')
      .select('detail')
      .where('id', '=', broken)
      .executeTakeFirstOrThrow();
    const rest = { ...(detail as Record<string, unknown>) };
    delete rest['reasonForClosure'];
    await database.db
      .updateTable('case_record')
      .set({ detail: JSON.stringify(rest) })
      .where('id', '=', broken)
      .execute();
  });

  it('fails its rule, named and linked for information governance, who may open the record', async () => {
    const run = await service.cinCensus(governance.context, { year: 2026, produce: true });
    expect(run.xml).toBeUndefined();
    expect(run.returnId).toBeUndefined();
    const report = run.report.find((r) => r.rule.id === 'closure-reason-present');
    expect(report?.failures).toBe(1);
    expect(report?.visible).toEqual([
      expect.objectContaining({ recordId: broken, href: `/records/${broken}` }),
    ]);
    expect(report?.visible[0]?.childName).toMatch(/\S+ \S+/);
    expect(report?.hidden).toBe(0);
  });

  it('is only counted for the performance officer, who may not open records', async () => {
    const run = await service.cinCensus(performance.context, { year: 2026, produce: false });
    const report = run.report.find((r) => r.rule.id === 'closure-reason-present');
    expect(report).toMatchObject({ failures: 1, visible: [], hidden: 1 });
    expect(JSON.stringify(run.report)).not.toContain(broken);
  });

  it('stops the command, which prints the report and writes no file; put right, the file is written', async () => {
    const out = path.join(dir, 'cin-2026.xml');
    const lines: string[] = [];
    const command = () => {
      const program = new Command().exitOverride();
      registerReturnsCommands(
        program,
        async () => ({ ...database, close: async () => undefined }),
        { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      );
      return program;
    };
    const args = [
      'node',
      'safekeep',
      'returns',
      'cin-census',
      '--organisation',
      'kent-scs',
      '--year',
      '2026',
      '--out',
      out,
      '--as',
      governance.email,
    ];
    process.exitCode = undefined;
    await command().parseAsync(args);
    expect(process.exitCode).toBe(1);
    expect(lines.join('\n')).toContain('The case is closed but why it closed is not recorded');
    expect(lines.join('\n')).toContain(`/records/${broken}`);
    await expect(readFile(out, 'utf8')).rejects.toThrow();

    await database.db
      .updateTable('case_record')
      .set((eb) => ({
        detail: eb.fn<string>('jsonb_set', [
          eb.ref('detail'),
          eb.val('{reasonForClosure}'),
          eb.val('"services-ceased"'),
        ]),
      }))
      .where('id', '=', broken)
      .execute();
    process.exitCode = undefined;
    lines.length = 0;
    await command().parseAsync(args);
    expect(process.exitCode).toBeUndefined();
    expect(lines.at(-1)).toMatch(/^Wrote the Children in Need census 2026 to .*: \d+ children/);
    expect(await readFile(out, 'utf8')).toContain('<Collection>CIN</Collection>');
  });

  it('runs with the contract’s options alone, as the operator: audited and recorded with no account', async () => {
    const out = path.join(dir, 'cin-2026-operator.xml');
    const lines: string[] = [];
    const program = new Command().exitOverride();
    registerReturnsCommands(program, async () => ({ ...database, close: async () => undefined }), {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    process.exitCode = undefined;
    await program.parseAsync([
      'node',
      'safekeep',
      'returns',
      'cin-census',
      '--organisation',
      'kent-scs',
      '--year',
      '2026',
      '--out',
      out,
    ]);
    expect(process.exitCode).toBeUndefined();
    expect(await readFile(out, 'utf8')).toContain('<Collection>CIN</Collection>');
    const made = await database.db
      .selectFrom('statutory_return')
      .select(['produced_by'])
      .orderBy('produced_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(made.produced_by).toBeNull();
    const event = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_account_id'])
      .where('action', 'like', 'returns.cin-census.%')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ action: 'returns.cin-census.produce', actor_account_id: null });
    const listed = await service.produced(governance.context);
    expect(listed[0]?.producedBy).toBe('The operator, at the command line');
  });
});
