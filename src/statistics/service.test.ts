import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp, testConfig } from '../../test/support/app.js';
import {
  caseworkStaff,
  organisationId,
  signInFully,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { PartnershipService } from '../partnership/service.js';
import { isSmall, type Published } from '../partnership/statistics.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { revealedPositions } from '../publication/statistics/table-suppression.js';
import { quartersOf } from './periods.js';
import { StatisticsService, type StatisticsTable } from './service.js';

/**
 * Issue 14: statistics that identify no one. The reporting year is April
 * 2025 to March 2026; the data are made so that small counts sit beside
 * large ones, in the page, the CSV and the annual report.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let manager: CaseworkStaff;
let practitioner: CaseworkStaff;
let business: CaseworkStaff;
const statistics = () => new StatisticsService(database.db);

async function records(
  organisation: 'kent-scs' | 'kent-lado',
  category: string,
  n: number,
  values: { opened_on: string; closed_on?: string; outcome?: string; detail?: object },
) {
  const org = await organisationId(database.db, organisation);
  await database.db
    .insertInto('case_record')
    .values(
      Array.from({ length: n }, () => ({
        organisation_id: org,
        category,
        opened_on: values.opened_on,
        closed_on: values.closed_on ?? null,
        outcome: values.outcome ?? null,
        detail: JSON.stringify(values.detail ?? {}),
      })),
    )
    .execute();
}

async function reviews(n: number, referred: string, rapid: string | null = null) {
  const kscmp = await organisationId(database.db, 'kscmp');
  for (let i = 0; i < n; i++) {
    const record = await database.db
      .insertInto('case_record')
      .values({ organisation_id: kscmp, category: 'practice-review', opened_on: referred })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('practice_review')
      .values({
        record_id: record.id,
        organisation_id: kscmp,
        stage: rapid ? 'rapid-review' : 'referred',
        referral_received_on: referred,
        referred_by: 'Synthetic referrer',
        aware_on: referred,
        rapid_review_sent_on: rapid,
        started_by: business.accountId,
        updated_at: new Date(),
      })
      .execute();
  }
}

async function rightsRequests(n: number, responded: string, due: string) {
  const org = await organisationId(database.db, 'kent-scs');
  for (let i = 0; i < n; i++) {
    await database.db
      .insertInto('rights_request')
      .values({
        organisation_id: org,
        type: 'access',
        state: 'responded-in-full',
        channel: 'email',
        received_on: '2025-04-01',
        description: 'Synthetic request',
        requester_role: 'self',
        requester_name: 'Synthetic Requester',
        requester_contact: 'synthetic@example.invalid',
        identity_check: 'known-to-us',
        subject_given_name: 'Synthetic',
        subject_family_name: 'Subject',
        subject_identifiers: '[]',
        categories: [],
        clock_status: 'running',
        clock_paused_days: 0,
        clock_due: due,
        responded_on: responded,
        created_by: manager.accountId,
      })
      .execute();
  }
}

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const db = database.db;
  manager = await caseworkStaff(db, 'kent-scs', ['team-manager']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner']);
  business = await caseworkStaff(db, 'kscmp', ['partnership-business']);
  // Plans: neglect 12 and physical 3 in the first quarter, emotional 9 in
  // the second, sexual 1 in the third; one before the year and one after.
  const plan = (categoryOfAbuse: string, planStartedOn: string) => ({
    opened_on: planStartedOn,
    detail: { categoryOfAbuse, planStartedOn, section47Enquiries: [], conferences: [] },
  });
  await records('kent-scs', 'child-protection-plan', 12, plan('neglect', '2025-05-02'));
  await records('kent-scs', 'child-protection-plan', 3, plan('physical-abuse', '2025-06-30'));
  await records('kent-scs', 'child-protection-plan', 9, plan('emotional-abuse', '2025-07-01'));
  await records('kent-scs', 'child-protection-plan', 1, plan('sexual-abuse', '2025-11-11'));
  await records('kent-scs', 'child-protection-plan', 1, plan('neglect', '2025-03-31'));
  await records('kent-scs', 'child-protection-plan', 1, plan('neglect', '2026-04-01'));
  // Children in need: 10 referred in May, their assessments 8 on time, 2 late.
  await records('kent-scs', 'child-in-need', 8, {
    opened_on: '2025-05-01',
    detail: { primaryNeed: 'abuse-or-neglect', assessmentCompletedOn: '2025-06-02' },
  });
  await records('kent-scs', 'child-in-need', 2, {
    opened_on: '2025-05-01',
    detail: { primaryNeed: 'abuse-or-neglect', assessmentCompletedOn: '2025-09-30' },
  });
  // LADO: 10 unfounded and 2 substantiated, concluded in the year.
  await records('kent-lado', 'lado-allegation', 10, {
    opened_on: '2025-01-10',
    closed_on: '2025-08-01',
    outcome: 'unfounded',
  });
  await records('kent-lado', 'lado-allegation', 2, {
    opened_on: '2025-01-10',
    closed_on: '2025-08-01',
    outcome: 'substantiated',
  });
  await rightsRequests(9, '2025-05-01', '2025-05-01');
  await rightsRequests(1, '2025-05-03', '2025-05-01');
  // Reviews: 3 referred in the first quarter and 9 in the second; 2 went to rapid review.
  await reviews(3, '2025-05-01');
  await reviews(7, '2025-08-01');
  await reviews(2, '2025-08-01', '2025-08-20');
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** Every number a table publishes, in one list. */
function published(table: StatisticsTable): Published[] {
  return [
    ...table.rows.flatMap((r) => [...r.cells, r.total]),
    ...table.totals.cells,
    table.totals.total,
  ];
}

describe('the statistics', () => {
  it('count by quarter and hide every count from 1 to 7, beside large ones too', async () => {
    const figures = await statistics().view(manager.context, 2025);
    expect(figures.tables.map((t) => t.id)).toEqual([
      'referrals',
      'assessments',
      'section-47',
      'protection-plans',
      'looked-after',
      'rights-requests',
    ]);
    for (const table of figures.tables) {
      for (const n of published(table)) if (n !== null) expect(isSmall(n), table.id).toBe(false);
    }
    const plans = figures.tables.find((t) => t.id === 'protection-plans');
    expect(plans?.columns).toEqual([
      'Neglect',
      'Physical abuse',
      'Sexual abuse',
      'Emotional abuse',
      'More than one category',
    ]);
    expect(plans?.rows.map((r) => r.label)).toEqual([
      'April to June 2025',
      'July to September 2025',
      'October to December 2025',
      'January to March 2026',
    ]);
    // Neglect's 12 is shown; the 3 and the 1 are not, nor anything that gives them away.
    expect(plans?.rows[0]?.cells[1]).toBeNull();
    expect(plans?.rows[2]?.cells[2]).toBeNull();
    const raw = [
      [12, 3, 0, 0, 0],
      [0, 0, 0, 9, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 0, 0],
    ];
    expect(attack(raw, plans!)).toEqual([]);
    const rights = figures.tables.find((t) => t.id === 'rights-requests');
    expect(rights?.rows[0]?.cells[1]).toBeNull();
    expect(
      attack(
        [
          [9, 1],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        rights!,
      ),
    ).toEqual([]);
  });

  it('show each organisation its area: the partnership sees the LADO and its reviews', async () => {
    const figures = await statistics().view(business.context, 2025);
    const lado = figures.tables.find((t) => t.id === 'lado-allegations');
    expect(lado?.columns).toContain('No further action');
    expect(lado?.rows[1]?.cells[lado.columns.indexOf('Substantiated')]).toBeNull();
    const row = [0, 10, 0, 0, 0, 2, 0];
    const zero = row.map(() => 0);
    expect(attack([zero, row, zero, zero], lado!)).toEqual([]);
    const reviewTable = figures.tables.find((t) => t.id === 'practice-reviews');
    expect(reviewTable?.partition).toBe(false);
    expect(reviewTable?.totals.cells[0]).toBe(12);
    expect(reviewTable?.rows.map((r) => r.cells[0])).toEqual([null, null, 0, 0]);
  });

  it('are refused, as not found, to a practitioner, and every view is audited', async () => {
    await expect(statistics().view(practitioner.context, 2025)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const events = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_type', 'object_ids'])
      .where('action', 'like', 'statistics.%')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.object_type === 'statistics' && e.object_ids.length === 0)).toBe(
      true,
    );
  });
});

/** Which small hidden counts the published table's equations fix. */
function attack(raw: number[][], table: StatisticsTable): number[] {
  const grid = raw.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  grid.push(
    Array.from({ length: (raw[0]?.length ?? 0) + 1 }, (_, c) =>
      grid.reduce((s, row) => s + (row[c] ?? 0), 0),
    ),
  );
  const shown = [
    ...table.rows.map((r) => [...r.cells, r.total]),
    [...table.totals.cells, table.totals.total],
  ];
  const hidden = shown.map((row) => row.map((v) => v === null));
  return revealedPositions(grid, hidden)
    .map(([r, c]) => grid[r]?.[c] ?? 0)
    .filter((n) => isSmall(n));
}

/**
 * The annual report against the statistics page: everything either shows,
 * as one set of equations (each review step: its quarters add up to its
 * year). A count hidden in both must stay unknown.
 */
function crossAttack(
  quarters: number[],
  page: { cells: Published[]; total: Published },
  report: Published,
): number[] {
  const row = [...quarters, quarters.reduce((a, b) => a + b, 0)];
  // The year total is known if either view shows it.
  const mask = [...page.cells.map((n) => n === null), page.total === null && report === null];
  // Two copies of the one equation, so the grid has the shape the solver takes.
  return revealedPositions([row, row], [mask, mask])
    .filter(([r, c]) => r === 0 && c < quarters.length)
    .map(([, c]) => row[c] ?? 0)
    .filter((n) => isSmall(n));
}

describe('the annual report and the statistics, side by side', () => {
  it('the attack finds a count given away by a year total one view shows and the other hides', () => {
    // The attack itself can fail: quarters 3 and 9, the page hiding both
    // and the total, the report showing the total and the 9 shown elsewhere.
    expect(crossAttack([3, 9, 0, 0], { cells: [null, 9, 0, 0], total: null }, 12)).toEqual([3]);
  });

  it('publish the same review figures, so no hidden count can be worked out from the two', async () => {
    const partnership = new PartnershipService(database.db, {
      sessionSecret: testConfig().sessionSecret,
      today: () => '2026-12-05',
    });
    const report = await partnership.annualReport(business.context, 2025);
    const figures = await statistics().view(business.context, 2025);
    const reviewTable = figures.tables.find((t) => t.id === 'practice-reviews');
    expect(report.reviews.map((r) => r.measure)).toEqual(reviewTable?.columns);
    const raw: Record<string, number[]> = {
      'Referrals of serious incidents received': [3, 9, 0, 0],
      'Rapid reviews sent to the national panel': [0, 2, 0, 0],
    };
    report.reviews.forEach((r, i) => {
      expect(r.count, r.measure).toBe(reviewTable?.totals.cells[i]);
      const page = {
        cells: reviewTable?.rows.map((row) => row.cells[i] ?? null) ?? [],
        total: reviewTable?.totals.cells[i] ?? null,
      };
      expect(crossAttack(raw[r.measure] ?? [0, 0, 0, 0], page, r.count), r.measure).toEqual([]);
    });
    expect(quartersOf(2025)).toHaveLength(4);
  });
});

describe('the statistics page and its CSV', () => {
  it('show charts with text alternatives and tables in words, the CSV the same figures; audited', async () => {
    const agent = new Agent(app);
    await signInFully(agent, business);
    const page = await agent.get('/statistics?year=2025');
    expect(page.statusCode, page.body.slice(0, 2000)).toBe(200);
    expect(page.body).toContain('1 April 2025 to 31 March 2026');
    expect(page.body).toContain('Child protection plans started, by category of abuse');
    expect(page.body).toMatch(
      /<svg[^>]+role="img"[^>]+aria-labelledby="chart-protection-plans-title/,
    );
    expect(page.body).toContain('Physical abuse: hidden, a small number');
    expect(page.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(page.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
    expect(page.body).not.toContain('abuse-or-neglect');

    const csv = await agent.get('/statistics.csv?year=2025');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    for (const row of rows) {
      expect(row.Count).toMatch(/^(c|0|[1-9]\d*)$/);
      if (row.Count !== 'c') expect(isSmall(Number(row.Count)), JSON.stringify(row)).toBe(false);
    }
    expect(rows).toContainEqual({
      Measure: 'Reviews of serious incidents, by step',
      Period: '1 April 2025 to 31 March 2026',
      Breakdown: 'Referrals of serious incidents received',
      Count: '12',
    });
    const downloads = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'statistics.download')
      .where('actor_account_id', '=', business.accountId)
      .execute();
    expect(downloads).toHaveLength(1);

    for (const year of ['1999', 'next', '2025-04-01']) {
      const refused = await agent.get(`/statistics?year=${encodeURIComponent(year)}`);
      expect(refused.statusCode, year).toBe(400);
      expect(refused.body).toContain('Select a reporting year from the list');
    }
    const outsider = new Agent(app);
    await signInFully(outsider, practitioner);
    expect((await outsider.get('/statistics')).statusCode).toBe(404);
    expect((await outsider.get('/statistics.csv?year=2025')).statusCode).toBe(404);
  });
});
