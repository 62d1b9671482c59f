import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, TestClock, testApp } from '../../../test/support/app.js';
import { caseworkStaff, createPerson, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { recordWith } from '../../../test/support/people.js';
import type { DatabaseHandle } from '../../db/connection.js';

/**
 * Issue 10 item 2: a refused read must not be told from a read of an id that
 * does not exist — not by its answer, not by what it audits, not by how long
 * it takes. Time is not measured (too noisy to assert on); the work is: both
 * must answer the same, audit the same event, and run the same number of SQL
 * statements, counted by a plugin on the app's own database handle.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let agent: Agent;
let statements = 0;
let actorAccountId: string;
/** Kent LADO's: real, but not Kent SCS's to read. */
let foreignRecord: string;
let foreignPerson: string;

const countStatements: KyselyPlugin = {
  transformQuery(args) {
    statements += 1;
    return args.node;
  },
  transformResult: async (args) => args.result,
};

beforeAll(async () => {
  database = await testDatabase();
  // Time stands still: the session's last-seen time is written at most once
  // a minute, and on a slow machine that write could fall in one attempt
  // of a pair and not the other, which is not the difference sought.
  const clock = new TestClock();
  clock.freeze();
  app = await testApp({ ...database, db: database.db.withPlugin(countStatements) }, { clock });
  foreignPerson = await createPerson(database.db, 'kent-lado');
  foreignRecord = await recordWith(database.db, {
    organisation: 'kent-lado',
    category: 'lado-allegation',
    personIds: [foreignPerson],
  });
  const practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assess']);
  actorAccountId = practitioner.accountId;
  agent = new Agent(app);
  await signInFully(agent, practitioner);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

interface Attempt {
  status: number;
  body: string;
  audit: unknown[];
  statements: number;
}

async function attempt(url: string, id: string): Promise<Attempt> {
  const lastSeq = await database.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirstOrThrow();
  const before = statements;
  const response = await agent.get(url.replace(':id', id));
  const counted = statements - before;
  const audit = await database.db
    .selectFrom('audit_event')
    .select([
      'action',
      'actor_account_id',
      'organisation_id',
      'object_type',
      'object_ids',
      'outcome',
    ])
    .where('seq', '>', Number(lastSeq.seq ?? 0))
    .orderBy('seq')
    .execute();
  return {
    status: response.statusCode,
    // Per-request noise (request id, CSP nonce, CSRF token) and the id itself set aside.
    body: response.body
      .split(id)
      .join('{id}')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{uuid}')
      .replace(/nonce="[^"]*"/g, '')
      .replace(/name="_csrf" value="[^"]*"/g, ''),
    // The event's shape: the id as given stands in for itself.
    audit: audit.map((event) => ({
      ...event,
      object_ids: event.object_ids.map((objectId) => (objectId === id ? '{id}' : objectId)),
    })),
    statements: counted,
  };
}

describe.each([
  { what: 'record page', url: '/records/:id', foreign: () => foreignRecord, type: 'case-record' },
  {
    what: 'record API',
    url: '/api/v1/records/:id',
    foreign: () => foreignRecord,
    type: 'case-record',
  },
  { what: 'person page', url: '/people/:id', foreign: () => foreignPerson, type: 'person' },
  { what: 'person API', url: '/api/v1/people/:id', foreign: () => foreignPerson, type: 'person' },
  {
    what: 'chronology page',
    url: '/chronologies/:id',
    foreign: () => foreignPerson,
    type: 'person',
  },
  {
    what: 'chronology API',
    url: '/api/v1/chronologies/:id',
    foreign: () => foreignPerson,
    type: 'person',
  },
])('a refused $what and a missing one', ({ url, foreign, type }) => {
  it('answer alike, audit alike as a denied attempt on the id, and do the same work', async () => {
    // Warm up: the first request of a kind pays for compiling and caching.
    await attempt(url, randomUUID());
    await attempt(url, foreign());
    const refused = await attempt(url, foreign());
    const missing = await attempt(url, randomUUID());

    expect(refused.status).toBe(404);
    expect(missing.status).toBe(refused.status);
    expect(missing.body).toBe(refused.body);
    expect(refused.audit).toEqual([
      expect.objectContaining({
        actor_account_id: actorAccountId,
        object_type: type,
        object_ids: ['{id}'],
        outcome: 'denied',
      }),
    ]);
    expect(missing.audit).toEqual(refused.audit);
    expect(missing.statements).toBe(refused.statements);
  });
});

describe('a malformed id', () => {
  it('is not found, and audits nothing: it names nothing, and what was typed is not kept', async () => {
    for (const url of [
      '/records/:id',
      '/api/v1/records/:id',
      '/people/:id',
      '/api/v1/people/:id',
      '/chronologies/:id',
      '/api/v1/chronologies/:id',
    ]) {
      const malformed = await attempt(url, 'Synthetic Name');
      expect(malformed.status).toBe(404);
      expect(malformed.audit).toEqual([]);
    }
  });
});
