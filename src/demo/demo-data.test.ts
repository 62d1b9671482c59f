import type { FastifyInstance } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { signInFully } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { ladoStagePlans } from '../casework/demo.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { RoleSlug } from '../platform/access/roles.js';
import type { StaffContext } from '../platform/auth/service.js';
import { formatDate } from '../platform/http/views.js';
import { RetentionService } from '../retention/service.js';
import { recordDisposal } from '../services.js';
import { RightsService } from '../rights/service.js';
import { DEMO_PASSWORD, loadDemoData } from './demo-data.js';

/**
 * The demo holds what the README's tour promises (issue 13, item 13): each
 * promise read back through the services and pages that show it.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
const today = Temporal.Now.plainDateISO('Europe/London').toString();

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db);
  app = await testApp(database);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A demo account's context in one organisation, as the pages build it. */
async function staffOf(email: string, organisation: string): Promise<StaffContext> {
  const rows = await database.db
    .selectFrom('account')
    .innerJoin('membership', 'membership.account_id', 'account.id')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .select([
      'account.id as accountId',
      'organisation.id as organisationId',
      'organisation.short_name as shortName',
      'membership.role_slug as role',
    ])
    .where('account.email', '=', email)
    .where('organisation.slug', '=', organisation)
    .execute();
  const first = rows[0];
  if (!first) throw new Error(`no demo account ${email} in ${organisation}`);
  return {
    accountId: first.accountId,
    sessionId: '00000000-0000-4000-8000-000000000001',
    displayName: 'Demo',
    organisation: { id: first.organisationId, slug: organisation, shortName: first.shortName },
    roles: rows.map((r) => r.role as RoleSlug),
    teams: [],
    organisationCount: 1,
    stage: 'complete',
  } as StaffContext;
}

async function signedIn(email: string): Promise<Agent> {
  const agent = new Agent(app);
  await signInFully(agent, { accountId: '', email, password: DEMO_PASSWORD });
  return agent;
}

describe('the demo data', { timeout: 120_000 }, () => {
  it('holds a few hundred people, across all five organisations', async () => {
    const perOrganisation = await database.db
      .selectFrom('person')
      .innerJoin('organisation', 'organisation.id', 'person.organisation_id')
      .select(['organisation.slug', (eb) => eb.fn.countAll<string>().as('people')])
      .groupBy('organisation.slug')
      .execute();
    expect(perOrganisation).toHaveLength(5);
    for (const row of perOrganisation) expect(Number(row.people)).toBeGreaterThanOrEqual(150);
    const total = perOrganisation.reduce((sum, row) => sum + Number(row.people), 0);
    expect(total).toBeGreaterThanOrEqual(750);
  });

  it('holds rights requests at every step, for Kent SCS and Maidstone', async () => {
    const rights = new RightsService(database.db, () => today);
    for (const [email, organisation, expected] of [
      [
        'ig.officer@kent-scs.example',
        'kent-scs',
        [
          'approved',
          'awaiting-clarification',
          'awaiting-id',
          'extended',
          'in-progress',
          'received',
          'review',
        ],
      ],
      ['ig@maidstone-bc.example', 'maidstone-bc', ['in-progress', 'received', 'review']],
    ] as const) {
      const staff = await staffOf(email, organisation);
      const open = await rights.dashboard(staff);
      expect([...new Set(open.map((r) => r.state))].sort()).toEqual(expected);
      const closed = await database.db
        .selectFrom('rights_request')
        .select(['state', 'prepared_by', 'approved_by', 'responded_on'])
        .where('organisation_id', '=', staff.organisation?.id ?? '')
        .where('state', '=', 'closed')
        .execute();
      expect(closed).toHaveLength(1);
      expect(closed[0]?.responded_on).not.toBeNull();
      // Two people: whoever approved did not prepare.
      const approvedOnes = await database.db
        .selectFrom('rights_request')
        .select(['prepared_by', 'approved_by'])
        .where('organisation_id', '=', staff.organisation?.id ?? '')
        .where('approved_by', 'is not', null)
        .execute();
      expect(approvedOnes.length).toBeGreaterThan(0);
      for (const r of approvedOnes) expect(r.approved_by).not.toBe(r.prepared_by);
    }
    // At Kent SCS one request is overdue and one falls due within a week.
    const kent = await rights.dashboard(await staffOf('ig.officer@kent-scs.example', 'kent-scs'));
    const dues = kent.flatMap((r) => (r.state === 'in-progress' ? [r.clock.due] : []));
    const inAWeek = Temporal.PlainDate.from(today).add({ days: 7 }).toString();
    expect(dues.some((d) => d !== null && String(d) < today)).toBe(true);
    expect(dues.some((d) => d !== null && String(d) >= today && String(d) <= inAWeek)).toBe(true);
  });

  it('holds a LADO allegation at each stage: open with no outcome, closed with each outcome', async () => {
    const rows = await database.db
      .selectFrom('case_record')
      .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
      .select(['case_record.id', 'outcome', 'closed_on', 'detail'])
      .where('organisation.slug', '=', 'kent-lado')
      .where('category', '=', 'lado-allegation')
      .execute();
    const open = rows.filter((r) => r.closed_on === null);
    expect(open.some((r) => r.outcome === null)).toBe(true);
    const closedOutcomes = new Set(rows.filter((r) => r.closed_on !== null).map((r) => r.outcome));
    for (const outcome of [
      'no-further-action',
      'unfounded',
      'false',
      'malicious',
      'unsubstantiated',
      'substantiated',
    ]) {
      expect(closedOutcomes).toContain(outcome);
    }
    // One still at initial consideration: a consideration meeting and no strategy meeting.
    const meetings = (detail: unknown) =>
      ((detail as { meetings?: { kind: string }[] }).meetings ?? []).map((m) => m.kind);
    expect(
      open.some((r) => {
        const kinds = meetings(r.detail);
        return kinds.includes('initial-consideration') && !kinds.includes('strategy');
      }),
    ).toBe(true);
    // Closed over ten years ago with no further action: its retention review is due now.
    const retention = new RetentionService(database.db, recordDisposal());
    const queue = await retention.reviewQueue(
      await staffOf('lado@kent-lado.example', 'kent-lado'),
      today,
      500,
    );
    const nfa = rows.find(
      (r) =>
        r.outcome === 'no-further-action' &&
        r.closed_on !== null &&
        String(r.closed_on) < Temporal.PlainDate.from(today).subtract({ years: 10 }).toString(),
    );
    expect(nfa).toBeDefined();
    expect(queue.map((i) => i.id)).toContain(nfa?.id);
  });

  it('holds a looked-after child with reviews recorded, and visits both due and overdue', async () => {
    const kent = await staffOf('care.worker@kent-scs.example', 'kent-scs');
    const reviews = await database.db
      .selectFrom('statutory_review')
      .innerJoin('case_record', 'case_record.id', 'statutory_review.record_id')
      .select('case_record.id')
      .where('case_record.organisation_id', '=', kent.organisation?.id ?? '')
      .where('case_record.category', '=', 'looked-after')
      .execute();
    expect(reviews.length).toBeGreaterThan(0);
    const visits = await database.db
      .selectFrom('statutory_visit')
      .innerJoin('case_record', 'case_record.id', 'statutory_visit.record_id')
      .select('statutory_visit.next_due_on')
      .where('case_record.organisation_id', '=', kent.organisation?.id ?? '')
      .where('case_record.closed_on', 'is', null)
      .execute();
    expect(visits.some((v) => String(v.next_due_on) < today)).toBe(true);
    expect(visits.some((v) => String(v.next_due_on) >= today)).toBe(true);
  });

  it('has records at Kent SCS due for a retention review and due for destruction', async () => {
    const retention = new RetentionService(database.db, recordDisposal());
    const dashboard = await retention.dashboard(
      await staffOf('ig.officer@kent-scs.example', 'kent-scs'),
      today,
    );
    expect(dashboard.needsReview).toBeGreaterThan(0);
    expect(dashboard.overdue).toBeGreaterThan(0);
    // And one that stays due after the daily sweep: destruction within 90 days.
    const in90 = Temporal.PlainDate.from(today).add({ days: 90 }).toString();
    const soon = await database.db
      .selectFrom('case_record')
      .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
      .select('case_record.id')
      .where('organisation.slug', '=', 'kent-scs')
      .where('retention_status', '=', 'scheduled')
      .where('retention_action', '=', 'destroy')
      .where('retention_due', '>=', today)
      .where('retention_due', '<=', in90)
      .execute();
    expect(soon.length).toBeGreaterThan(0);
  });

  it('shows the information governance officer the rights requests and their deadlines on My work', async () => {
    const agent = await signedIn('ig.officer@kent-scs.example');
    const home = await agent.get('/');
    expect(home.statusCode).toBe(200);
    const requests = await database.db
      .selectFrom('rights_request')
      .innerJoin('organisation', 'organisation.id', 'rights_request.organisation_id')
      .select(['rights_request.id', 'received_on', 'state', 'clock_due'])
      .where('organisation.slug', '=', 'kent-scs')
      .where('state', 'in', ['in-progress', 'extended', 'approved', 'review'])
      .execute();
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const r of requests) {
      expect(home.body).toContain(`href="/rights/${r.id}"`);
      if (r.clock_due) expect(home.body).toContain(formatDate(String(r.clock_due)));
    }
    expect(home.body).toContain('Response waiting for your approval');
    expect(home.body).toContain('Overdue');
  });

  it('shows the LADO the open allegations on My work', async () => {
    const agent = await signedIn('lado@kent-lado.example');
    const home = await agent.get('/');
    expect(home.statusCode).toBe(200);
    const open = ladoStagePlans.filter((p) => p.closedAgo === undefined);
    expect(open.length).toBe(3);
    const rows = await database.db
      .selectFrom('case_record')
      .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
      .select('case_record.id')
      .where('organisation.slug', '=', 'kent-lado')
      .where('category', '=', 'lado-allegation')
      .where('closed_on', 'is', null)
      .where('opened_on', '>=', Temporal.PlainDate.from(today).subtract({ days: 31 }).toString())
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(open.length);
    for (const r of rows) expect(home.body).toContain(`href="/records/${r.id}"`);
    // The allegation closed with no further action over ten years ago: its retention review.
    const nfa = await database.db
      .selectFrom('case_record')
      .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
      .select('case_record.id')
      .where('organisation.slug', '=', 'kent-lado')
      .where('outcome', '=', 'no-further-action')
      .where('closed_on', '<', Temporal.PlainDate.from(today).subtract({ years: 10 }).toString())
      .executeTakeFirstOrThrow();
    expect(home.body).toContain(`href="/retention/records/${nfa.id}"`);
  });
});
