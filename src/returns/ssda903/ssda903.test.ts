import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  organisationId,
  type CaseworkStaff,
} from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { loadDemoData } from '../../demo/demo-data.js';
import { registerReturnsCommands } from '../cli.js';
import { CaseworkService } from '../../casework/service.js';
import { ReviewService } from '../../casework/entries/review-service.js';
import { ReturnRefusedError, ReturnsService, type Ssda903Run } from '../service.js';
import { ssda903Columns, ssda903Tables } from './files.js';

/**
 * The SSDA903 return from the demo data, end to end over a real database:
 * every collection year the demo covers passes every rule, and across them
 * every table has rows; the files have the DfE's columns; a record broken on
 * purpose fails its rule and is named only to staff who may open it; the
 * command writes the files only when no error remains; each run is audited
 * and a produced return is recorded as a disclosure.
 */
let database: ScratchDatabase;
let service: ReturnsService;
let performance: CaseworkStaff;
let governance: CaseworkStaff;
let kent: string;
let runs: Map<number, Ssda903Run>;
let run2026: Ssda903Run;
let undatedChildren: Set<string>;
const YEARS = [2020, 2021, 2022, 2023, 2024, 2025, 2026];
let dir: string;

beforeAll(async () => {
  database = await testDatabase();
  // The demo as a newcomer gets it (150 people per organisation).
  await loadDemoData(database.db);
  kent = await organisationId(database.db, 'kent-scs');
  service = new ReturnsService(database.db);
  performance = await caseworkStaff(database.db, 'kent-scs', ['performance']);
  governance = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  runs = new Map();
  for (const year of YEARS) {
    runs.set(year, await service.ssda903(performance.context, { year, produce: false }));
  }
  // The demo leaves one child in ten without a date of birth, on purpose
  // (retention sends unknown dates to a person). The return needs one: as a
  // practitioner would from the report, record it (three years before the
  // child's first looked-after record opened), then produce the files.
  const undated = await database.db
    .selectFrom('person')
    .select('id')
    .where('organisation_id', '=', kent)
    .where('date_of_birth', 'is', null)
    .execute();
  undatedChildren = new Set(undated.map((p) => p.id));
  const inReturn = [
    ...new Set([...runs.values()].flatMap((r) => r.children.map((c) => c.personId))),
  ].filter((id) => undatedChildren.has(id));
  for (const personId of inReturn) {
    const first = await database.db
      .selectFrom('case_record as r')
      .innerJoin('record_party as rp', 'rp.record_id', 'r.id')
      .select('r.opened_on')
      .where('rp.person_id', '=', personId)
      .where('rp.role', '=', 'subject')
      .where('r.category', '=', 'looked-after')
      .orderBy('r.opened_on')
      .executeTakeFirstOrThrow();
    const year = Number(String(first.opened_on).slice(0, 4)) - 3;
    await database.db
      .updateTable('person')
      .set({ date_of_birth: `${year}-02-14`, date_of_birth_precision: 'exact' })
      .where('id', '=', personId)
      .execute();
  }
  run2026 = await service.ssda903(performance.context, { year: 2026, produce: true });
  dir = await mkdtemp(path.join(tmpdir(), 'safekeep-ssda903-'));
});

afterAll(async () => {
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the demo data', () => {
  it('passes every SSDA903 rule in every collection year it covers, but the dates of birth it leaves unknown', () => {
    for (const year of YEARS) {
      const run = runs.get(year);
      if (!run) throw new Error(`no run for ${year}`);
      const errors = run.failures
        .filter((f) => f.rule.kind === 'error')
        .filter((f) => !(f.rule.id === 'dob-present' && undatedChildren.has(f.child.personId)))
        .map((f) => `${year} ${f.rule.id} ${f.recordId}`);
      expect(errors).toEqual([]);
    }
  });

  it('has rows in every table across the years: looked after, adopted, care leavers, UASC, missing', () => {
    const empty = ssda903Tables.filter((table) =>
      [...runs.values()].every((run) => run.tables[table] === 0),
    );
    expect(empty).toEqual([]);
    const episodes = [...runs.values()].flatMap((r) => r.children.flatMap((c) => c.episodes));
    expect(episodes.some((e) => e.rne === 'L')).toBe(true);
    expect(episodes.some((e) => e.rne === 'P')).toBe(true);
    expect(episodes.some((e) => e.rec === 'E11')).toBe(true);
  });

  it('gives the Reviews a spread of the DfE’s participation codes, old yes-or-no answers read as PN1 or PN7', () => {
    const codes = new Set(
      [...runs.values()].flatMap((r) => r.children.flatMap((c) => c.reviews.map((v) => v.code))),
    );
    // PN0 is the child's age, not an answer: the demo's reviews are of children of 4 or more.
    expect([...codes].sort()).toEqual(['PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7']);
  });

  it('passes every rule once those dates are recorded, and the files are produced', () => {
    expect(run2026.failures.filter((f) => f.rule.kind === 'error')).toEqual([]);
    expect(run2026.children.length).toBeGreaterThan(3);
    expect(run2026.files?.map((f) => f.name)).toEqual(ssda903Tables.map((t) => `${t}.csv`));
  });
});

describe('the SSDA903 files', () => {
  it('have the DfE’s columns, a Header row per child and dd/mm/yyyy dates, and no names', () => {
    const files = run2026.files ?? [];
    for (const table of ssda903Tables) {
      const file = files.find((f) => f.name === `${table}.csv`);
      const rows = parse(file?.csv ?? '', { columns: false }) as string[][];
      expect(rows[0]).toEqual(ssda903Columns[table]);
      expect(rows.length - 1).toBe(run2026.tables[table]);
    }
    const header = parse(files[0]?.csv ?? '', { columns: true }) as Record<string, string>[];
    expect(header).toHaveLength(run2026.children.length);
    for (const row of header) expect(row.DOB).toMatch(/^\d\d\/\d\d\/\d{4}$/);
    expect(files.map((f) => f.csv).join('')).not.toMatch(/Synthetic/);
  });

  it('are recorded as a disclosure to the DfE with the records read, and audited', async () => {
    const row = await database.db
      .selectFrom('statutory_return')
      .selectAll()
      .where('id', '=', run2026.returnId ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      organisation_id: kent,
      kind: 'ssda903',
      collection_year: 2026,
      recipient_id: 'government-departments',
      children: run2026.children.length,
      errors: 0,
      produced_by: performance.accountId,
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
      .where('action', '=', 'returns.ssda903.produce')
      .execute();
    expect(audit).toHaveLength(1);
    expect([...(audit[0]?.object_ids ?? [])].sort()).toEqual(
      records.map((r) => r.record_id).sort(),
    );
    const checks = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'returns.ssda903.validate')
      .execute();
    expect(checks.length).toBe(YEARS.length);
  });

  it('are refused to staff without a returns role', async () => {
    const worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
    await expect(
      service.ssda903(worker.context, { year: 2026, produce: true }),
    ).rejects.toBeInstanceOf(ReturnRefusedError);
  });
});

describe('a record that breaks a rule', () => {
  let broken: string;

  beforeAll(async () => {
    // A looked-after child in the 2026 return whose social workers are removed.
    const child = run2026.children.find((c) => c.episodes.length > 0 && c.swEpisodes.length > 0);
    if (!child) throw new Error('the demo has no looked-after child in 2026');
    broken = child.recordId;
    const { detail } = await database.db
      .selectFrom('case_record')
      .select('detail')
      .where('id', '=', broken)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('case_record')
      .set({
        detail: JSON.stringify({ ...(detail as Record<string, unknown>), socialWorkers: [] }),
      })
      .where('id', '=', broken)
      .execute();
  });

  it('fails its rule, named and linked for information governance, who may open the record', async () => {
    const run = await service.ssda903(governance.context, { year: 2026, produce: true });
    expect(run.files).toBeUndefined();
    expect(run.returnId).toBeUndefined();
    const report = run.report.find((r) => r.rule.id === 'social-worker-recorded');
    expect(report?.failures).toBe(1);
    expect(report?.visible).toEqual([
      expect.objectContaining({ recordId: broken, href: `/records/${broken}` }),
    ]);
    expect(report?.visible[0]?.childName).toMatch(/\S+ \S+/);
    expect(report?.hidden).toBe(0);
  });

  it('is only counted for the performance officer, who may not open records', async () => {
    const run = await service.ssda903(performance.context, { year: 2026, produce: false });
    const report = run.report.find((r) => r.rule.id === 'social-worker-recorded');
    expect(report).toMatchObject({ failures: 1, visible: [], hidden: 1 });
    expect(JSON.stringify(run.report)).not.toContain(broken);
  });

  it('stops the command, which prints the report and writes no file; put right, the files are written', async () => {
    const out = path.join(dir, 'ssda903-2026');
    const lines: string[] = [];
    const command = (as?: string) => {
      const program = new Command().exitOverride();
      registerReturnsCommands(
        program,
        async () => ({ ...database, close: async () => undefined }),
        { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      );
      const args = [
        'node',
        'safekeep',
        'returns',
        'ssda903',
        '--organisation',
        'kent-scs',
        '--year',
        '2026',
        '--out',
        out,
        ...(as ? ['--as', as] : []),
      ];
      return program.parseAsync(args);
    };
    process.exitCode = undefined;
    await command(governance.email);
    expect(process.exitCode).toBe(1);
    expect(lines.join('\n')).toContain(
      'The child was looked after in the year but no social worker is recorded for that time',
    );
    expect(lines.join('\n')).toContain(`/records/${broken}`);
    await expect(readdir(out)).rejects.toThrow();

    await database.db
      .updateTable('case_record')
      .set((eb) => ({
        detail: eb.fn<string>('jsonb_set', [
          eb.ref('detail'),
          eb.val('{socialWorkers}'),
          eb.val('[{"registrationNumber":"SW200001","startedOn":"2015-01-01"}]'),
        ]),
      }))
      .where('id', '=', broken)
      .execute();
    process.exitCode = undefined;
    lines.length = 0;
    // The contract's options alone: the operator's run, audited with no account.
    await command();
    expect(process.exitCode).toBeUndefined();
    expect(lines.at(-1)).toMatch(/^Wrote the SSDA903 return 2026 to .*: 11 files, \d+ children/);
    expect((await readdir(out)).sort()).toEqual(ssda903Tables.map((t) => `${t}.csv`).sort());
    expect(await readFile(path.join(out, 'Episodes.csv'), 'utf8')).toMatch(
      /^CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n/,
    );
    const made = await database.db
      .selectFrom('statutory_return')
      .select(['produced_by', 'kind'])
      .orderBy('produced_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(made).toEqual({ produced_by: null, kind: 'ssda903' });
    const event = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_account_id'])
      .where('action', 'like', 'returns.ssda903.%')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ action: 'returns.ssda903.produce', actor_account_id: null });
  });
});

describe('a looked after review recorded on the form', () => {
  it('gives the way the child took part as its code in the Reviews file: through an advocate, PN2', async () => {
    // A child of 4 or more with a review in the year on a record allocated to
    // a team: a second review that day, recorded as a practitioner of that team would.
    const teams = new Map(
      (
        await database.db
          .selectFrom('case_record as r')
          .innerJoin('team as t', 't.id', 'r.allocated_team_id')
          .select(['r.id', 't.slug'])
          .where('r.category', '=', 'looked-after')
          .execute()
      ).map((r) => [r.id, r.slug]),
    );
    const candidates = run2026.children.flatMap((c) =>
      c.reviews
        .filter((v) => v.code !== 'PN0' && v.code !== 'PN2' && teams.has(v.recordId))
        .map((v) => ({ child: c, review: v })),
    );
    const { child, review } = candidates[0] ?? {};
    if (!child || !review) throw new Error('the demo has no review to add to');
    const slug = teams.get(review.recordId) ?? '';
    const worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], [slug]);
    const reviews = new ReviewService(new CaseworkService(database.db));
    const id = await reviews.record(worker.context, review.recordId, {
      kind: 'looked-after-review',
      heldOn: review.date,
      participation: 'attended-advocate',
      summary: 'Synthetic review: the advocate gave the child’s views.',
    });
    const saved = await database.db
      .selectFrom('statutory_review')
      .select(['participation', 'child_participated'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(saved).toEqual({ participation: 'attended-advocate', child_participated: true });

    const run = await service.ssda903(governance.context, { year: 2026, produce: true });
    expect(run.failures.filter((f) => f.rule.kind === 'error')).toEqual([]);
    const file = run.files?.find((f) => f.name === 'Reviews.csv');
    const rows = parse(file?.csv ?? '', { columns: true }) as Record<string, string>[];
    const theirs = rows.filter((r) => r.CHILD === child.childId && r.REVIEW === dmy(review.date));
    expect(theirs.map((r) => r.REVIEW_CODE).sort()).toEqual([review.code, 'PN2'].sort());
  });
});

function dmy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
