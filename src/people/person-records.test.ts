import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  signInFully,
  team,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { codesOnPage } from '../../test/support/human-words.js';
import { recordWith } from '../../test/support/people.js';
import type { DatabaseHandle } from '../db/connection.js';
import { familyPicture, MAX_DRAWN } from './family-picture.js';

/**
 * Issue 13 item 3: a person's page lists every record of theirs the viewer
 * may see (and nothing of those they may not), alerts, and a family and
 * network picture drawn on the server with a table of the same people.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let worker: CaseworkStaff;
let agent: Agent;
let child: string;
let mother: string;
let nurse: string;
const records: Record<string, string> = {};

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  app = await testApp(database);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['east'], 'Pat Worker');
  const east = await team(db, 'kent-scs', 'east');
  const west = await team(db, 'kent-scs', 'west');
  child = await createPerson(db, 'kent-scs', { givenName: 'Rowan', familyName: 'Picture' });
  mother = await createPerson(db, 'kent-scs', { givenName: 'Maya', familyName: 'Picture' });
  nurse = await createPerson(db, 'kent-scs', { givenName: 'Nell', familyName: 'Nurse' });
  records.plan = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-protection-plan',
    personIds: [child, mother],
    allocatedAccountId: worker.accountId,
    allocatedTeamId: east.id,
  });
  records.closedNeed = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [child],
    allocatedTeamId: east.id,
  });
  await db
    .updateTable('case_record')
    .set({ closed_on: '2025-03-31' })
    .where('id', '=', records.closedNeed)
    .execute();
  // Another team's record: the worker may not read it, so it adds nothing.
  records.hidden = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'looked-after',
    personIds: [child],
    allocatedTeamId: west.id,
  });
  await db
    .insertInto('record_source')
    .values({
      record_id: records.plan,
      kind: 'police-missing-report',
      provider: 'Synthetic Police',
      received_on: '2025-02-02',
      summary: 'Synthetic missing report',
      added_by: worker.accountId,
    })
    .execute();
  const orgId = worker.context.organisation!.id;
  for (const [related, type, description] of [
    [mother, 'family', 'Mother'],
    [nurse, 'professional', 'School nurse'],
  ] as const) {
    await db
      .insertInto('person_relationship')
      .values({
        organisation_id: orgId,
        person_id: child,
        related_person_id: related,
        type,
        description,
      })
      .execute();
  }
  agent = new Agent(app);
  await signInFully(agent, worker);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the person page', () => {
  it('lists the records the viewer may read, with status, worker and dates', async () => {
    const page = await agent.get(`/people/${child}`);
    expect(page.statusCode).toBe(200);
    const table = page.body.slice(page.body.indexOf('data-testid="person-records"'));
    expect(table).toContain(`/records/${records.plan}`);
    expect(table).toContain('Child protection plan');
    expect(table).toContain('Pat Worker');
    expect(table).toContain(`/records/${records.closedNeed}`);
    expect(table).toContain('1 January 2025 to 31 March 2025');
    expect(page.body).not.toContain(records.hidden);
    expect(codesOnPage(page.body)).toEqual([]);
  });

  it('shows alerts from the records the viewer may read only', async () => {
    const page = await agent.get(`/people/${child}`);
    expect(page.body).toContain('data-testid="alert-child-protection-plan"');
    expect(page.body).toContain('Missing from home or care: 1 police report');
    // Looked after only in the record the worker may not read.
    expect(page.body).not.toContain('data-testid="alert-looked-after"');
  });

  it('shows a legal hold', async () => {
    await database.db
      .insertInto('retention_hold')
      .values({
        organisation_id: worker.context.organisation!.id,
        scope: 'person',
        person_id: child,
        hold_type: 'litigation',
        reason: 'Synthetic proceedings',
        placed_by: worker.accountId,
        review_on: '2030-01-01',
      })
      .execute();
    const page = await agent.get(`/people/${child}`);
    expect(page.body).toContain('data-testid="alert-legal-hold"');
  });

  it('audits exactly the records listed', async () => {
    await agent.get(`/people/${child}`);
    const event = await database.db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('actor_account_id', '=', worker.accountId)
      .where('action', '=', 'record.list')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect([...event.object_ids].sort()).toEqual([records.plan, records.closedNeed].sort());
  });

  it('draws the family picture and lists the same people in a table', async () => {
    const page = await agent.get(`/people/${child}`);
    const svg = /<svg[^]*?data-testid="family-picture"[^]*?<\/svg>/.exec(page.body)?.[0] ?? '';
    expect(svg).toContain('role="img"');
    expect(svg).toContain('Family and network of Rowan Picture');
    expect(svg).toContain('Maya Picture');
    expect(svg).toContain('School nurse');
    expect(svg).not.toContain('<a ');
    const table = page.body.slice(page.body.indexOf('data-testid="relationships"'));
    expect(table).toContain(`/people/${mother}`);
    expect(table).toContain(`/people/${nurse}`);
  });
});

describe('familyPicture', () => {
  const words = {
    family: 'Family',
    'extended-family': 'Extended family',
    friend: 'Friend',
    carer: 'Carer',
    professional: 'Professional',
  } as const;

  it('escapes names, so a name cannot inject markup', () => {
    const { svg } = familyPicture(
      { name: 'A <script>' },
      [{ relatedPersonId: 'x', relatedPersonName: 'B & "C"', type: 'friend', description: null }],
      words,
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('A &lt;script&gt;');
    expect(svg).toContain('B &amp; &quot;C&quot;');
  });

  it('draws at most MAX_DRAWN people and says how many more the table holds', () => {
    const many = Array.from({ length: MAX_DRAWN + 3 }, (_, i) => ({
      relatedPersonId: String(i),
      relatedPersonName: `Person ${i}`,
      type: 'family' as const,
      description: null,
    }));
    const picture = familyPicture({ name: 'Centre' }, many, words);
    expect(picture.drawn).toBe(MAX_DRAWN);
    expect(picture.notDrawn).toBe(3);
    expect(picture.svg.match(/<line /g)).toHaveLength(MAX_DRAWN);
  });

  it('says so when there is nobody to draw', () => {
    const { svg } = familyPicture({ name: 'Alone' }, [], words);
    expect(svg).toContain('No relationships of Alone are recorded');
  });
});
