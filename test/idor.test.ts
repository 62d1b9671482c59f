import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DatabaseHandle } from '../src/db/connection.js';
import type { Database } from '../src/db/schema.js';
import { loadDemoData } from '../src/demo/demo-data.js';
import { BreachService } from '../src/governance/breaches/service.js';
import { ComplaintsService } from '../src/governance/complaints/service.js';
import { PartnershipService } from '../src/partnership/service.js';
import type { RouteSummary } from '../src/platform/http/types.js';
import { RightsService, type NewRequest } from '../src/rights/service.js';
import { createRetentionService } from '../src/services.js';
import { demoAgreements, seedAgreements } from '../src/sharing/agreements.js';
import { Agent, testApp, testConfig } from './support/app.js';
import { caseworkStaff, organisationId, signInFully } from './support/casework.js';
import { testDatabase } from './support/database.js';
import { recordWith } from './support/people.js';
import { appRoutes, fillPath, pathParams } from './support/route-table.js';

/**
 * Issue 10 item 1: every id that arrives in a request is resolved through
 * the access decision, and one the caller may not use answers exactly as an
 * id that does not exist. Walks EVERY route of the route table that takes an
 * id in its path — so a route added tomorrow is walked too — as signed-in
 * staff of other organisations, with another organisation's real id, a
 * random id and a malformed id; then the routes that take ids in their body.
 *
 * The victims' world is at Kent LADO (people, a record, a rights request, a
 * restriction, a legal hold, a sharing agreement) and KSCMP (training,
 * surveys, meetings, newsletter, practice reviews). The attackers are at
 * Kent SCS (governance, team manager, practitioner) and SSCP (partnership
 * business, governance): roles that could do each thing in their own
 * organisation, so only the organisation stands between them and the data.
 */

let database: DatabaseHandle;
let db: Kysely<Database>;
let app: FastifyInstance;

interface Attacker {
  name: string;
  headers: Record<string, string>;
  csrfToken: string;
}
let attackers: Attacker[];

/** The victims' real ids, by what they name. */
const victim: Record<string, string> = {};
/** Kent SCS's own rights request (in progress) and person, for ids in bodies. */
let ownRequestId: string;
let ownPersonId: string;
/** Kent SCS's own requests of other types (in progress), so body ids reach their checks. */
const ownRequestOf: Record<string, string> = {};
/** A Kent SCS record allocated to the Kent SCS attacker, and SSCP's own practice review. */
let ownRecordId: string;
let ownPracticeReviewId: string;
/** An SSCP course, for its bookings' routes. */
let ownCourseId: string;
/** A Kent SCS complaint, for ids in its forms' bodies. */
let ownComplaintId: string;

const MALFORMED = 'not-an-id';

function rightsRequest(): NewRequest {
  return {
    type: 'restriction',
    receivedOn: '2025-09-03',
    channel: 'letter',
    description: 'Stop using my data while it is checked',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: '1 Test Street',
    identityCheck: 'photo-id-seen',
    subject: { givenName: 'Synthetic', familyName: 'Requester', dateOfBirth: '2007-03-01' },
  };
}

async function firstId(table: 'person' | 'case_record', organisation: string): Promise<string> {
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('organisation_id', '=', organisation)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function signedIn(name: string, staff: Awaited<ReturnType<typeof caseworkStaff>>) {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  return { name, headers: agent.apiHeaders(), csrfToken: agent.csrfToken };
}

beforeAll(async () => {
  database = await testDatabase();
  db = database.db;
  await loadDemoData(db, { peoplePerOrganisation: 4 });
  app = await testApp(database);

  const lado = await organisationId(db, 'kent-lado');
  const kscmp = await organisationId(db, 'kscmp');
  victim.person = await firstId('person', lado);
  victim.record = await firstId('case_record', lado);
  const entry = async (table: 'person_identifier' | 'person_address') =>
    (
      await db
        .selectFrom(table)
        .innerJoin('person', 'person.id', `${table}.person_id`)
        .select(`${table}.id`)
        .where('person.organisation_id', '=', lado)
        .executeTakeFirstOrThrow()
    ).id;
  victim.identifier = await entry('person_identifier');
  victim.address = await entry('person_address');
  victim.note =
    (
      await db
        .selectFrom('case_note')
        .select('id')
        .where('record_id', '=', victim.record)
        .executeTakeFirst()
    )?.id ?? victim.record;
  victim.practiceReview = (
    await db
      .selectFrom('case_record')
      .select('id')
      .where('organisation_id', '=', kscmp)
      .where('category', '=', 'practice-review')
      .executeTakeFirstOrThrow()
  ).id;

  const ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  const rights = new RightsService(db, () => '2025-10-01');
  victim.request = await rights.create(ladoIg.context, rightsRequest());
  await rights.transition(ladoIg.context, victim.request, { to: 'in-progress', on: '2025-09-03' });
  victim.restriction = await rights.restrict(ladoIg.context, victim.request, {
    scope: 'person',
    targetId: victim.person,
    ground: 'accuracy-contested',
  });
  victim.hold = await createRetentionService(db).placeHold(ladoIg.context, {
    scope: 'record',
    targetId: victim.record,
    holdType: 'litigation',
    reason: 'Synthetic litigation hold for the test',
    reviewOn: '2030-01-01',
  });
  await seedAgreements(db, [
    { ...demoAgreements[0]!, slug: 'idor-victim', lead: 'kent-lado', parties: ['kent-lado'] },
  ]);
  victim.agreement = (
    await db
      .selectFrom('sharing_agreement')
      .select('id')
      .where('slug', '=', 'idor-victim')
      .executeTakeFirstOrThrow()
  ).id;

  const kscmpStaff = await caseworkStaff(db, 'kscmp', ['partnership-business']);
  const partnership = new PartnershipService(db, { sessionSecret: testConfig().sessionSecret });
  victim.course = await partnership.createCourse(kscmpStaff.context, {
    title: 'Safeguarding basics',
    kind: 'course',
    delivery: 'online',
    startDate: '2026-03-05',
    endDate: '2026-03-05',
  });
  victim.booking = await partnership.book(kscmpStaff.context, victim.course, {
    fullName: 'Synthetic Trainee',
    jobRole: 'Health visitor',
    employer: 'Synthetic Health Trust',
    sector: 'health',
    email: 'trainee@synthetic.example',
    telephone: '01234 567890',
    postalAddress: '1 Synthetic Street',
    budgetReference: 'PO-12345',
    requirements: null,
  });
  victim.survey = await partnership.createSurvey(kscmpStaff.context, {
    title: 'Training feedback',
    purpose: 'To improve our training.',
  });
  victim.meeting = await partnership.createMeeting(kscmpStaff.context, {
    body: 'Board',
    title: 'Spring board',
    meetingDate: '2026-02-01',
  });
  await partnership.importSubscribers(
    kscmpStaff.context,
    'Synthetic Subscriber, Synthetic School, subscriber@synthetic.example',
    'paper-form',
  );
  victim.subscriber = (
    await db
      .selectFrom('newsletter_subscriber')
      .select('id')
      .where('organisation_id', '=', kscmp)
      .executeTakeFirstOrThrow()
  ).id;

  const kentScs = await caseworkStaff(db, 'kent-scs', [
    'information-governance',
    'team-manager',
    'practitioner',
  ]);
  const sscp = await caseworkStaff(db, 'sscp', ['partnership-business', 'information-governance']);
  attackers = [await signedIn('Kent SCS', kentScs), await signedIn('SSCP', sscp)];
  ownCourseId = await partnership.createCourse(sscp.context, {
    title: 'Safeguarding basics',
    kind: 'course',
    delivery: 'online',
    startDate: '2026-03-05',
    endDate: '2026-03-05',
  });

  ownRequestId = await rights.create(kentScs.context, rightsRequest());
  await rights.transition(kentScs.context, ownRequestId, { to: 'in-progress', on: '2025-09-03' });
  ownPersonId = await firstId('person', await organisationId(db, 'kent-scs'));
  for (const type of ['rectification', 'portability', 'erasure'] as const) {
    const id = await rights.create(kentScs.context, { ...rightsRequest(), type });
    await rights.transition(kentScs.context, id, { to: 'in-progress', on: '2025-09-03' });
    await rights.confirmSubject(kentScs.context, id, ownPersonId);
    ownRequestOf[type] = id;
  }
  ownRecordId = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [ownPersonId],
    allocatedAccountId: kentScs.accountId,
  });
  ownPracticeReviewId = (
    await db
      .selectFrom('case_record')
      .select('id')
      .where('organisation_id', '=', await organisationId(db, 'sscp'))
      .where('category', '=', 'practice-review')
      .executeTakeFirstOrThrow()
  ).id;
  const complaints = new ComplaintsService(db);
  const complaint = {
    fullName: 'Synthetic Complainant',
    email: 'complainant@synthetic.example',
    postalAddress: null,
    phone: null,
    about: 'You shared my details',
    theirReference: null,
    onBehalf: 'no' as const,
    onBehalfName: null,
    onBehalfRelationship: null,
    channel: 'phone' as const,
    receivedOn: '2025-09-03',
  };
  victim.complaint = await complaints.record(ladoIg.context, complaint);
  ownComplaintId = await complaints.record(kentScs.context, complaint);
  victim.breach = await new BreachService(db).report(ladoIg.context, {
    summary: 'Synthetic breach for the test',
    occurredAt: new Date('2025-09-01T09:00:00Z'),
    awareAt: new Date('2025-09-01T10:00:00Z'),
    reportedBy: 'Synthetic Reporter',
    discovery: 'Synthetic discovery',
    dataCategories: ['safeguarding'],
    approxPeople: 1,
    approxRecords: 1,
  });
  victim.account = ladoIg.accountId;
  victim.team = (
    await db
      .selectFrom('team')
      .select('id')
      .where('organisation_id', '=', lado)
      .executeTakeFirstOrThrow()
  ).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

// ---------------------------------------------------------------------------
// Which path parameters are ids, and the victim's id for each

type ZodLike = { _zod: { def: Record<string, unknown> } };

function paramSchema(route: RouteSummary, name: string): ZodLike | undefined {
  const params = route.schema?.params as { shape?: Record<string, ZodLike> } | undefined;
  return params?.shape?.[name];
}

/** Parameters that name something: a uuid in the schema, or named like an id. */
function isIdParam(route: RouteSummary, name: string): boolean {
  let def = paramSchema(route, name)?._zod.def;
  while (def && (def.type === 'optional' || def.type === 'nullable')) {
    def = (def.innerType as ZodLike)._zod.def;
  }
  if (def?.format === 'uuid') return true;
  return /^(id|[a-z][A-Za-z]*Id)$/.test(name);
}

/** Values for parameters that are not ids (a part of a record, an entry kind): valid ones. */
const fixedParams: Record<string, string> = {
  org: 'kscmp',
  kind: 'training-booking',
  entry: 'identifiers',
  change: 'remove',
  index: '0',
  part: 'meetings',
};

function otherParam(route: RouteSummary, name: string): string {
  const schema = paramSchema(route, name) as unknown as { options?: unknown[] } | undefined;
  if (schema?.options?.length) return String(schema.options[0]);
  const value = fixedParams[name];
  if (value === undefined) throw new Error(`the IDOR walk needs a value for :${name}`);
  return value;
}

/** Another organisation's real id of the kind the route's parameter names. */
function victimId(route: RouteSummary, name: string): string {
  const url = route.url;
  const pick = (key: string) => {
    const id = victim[key];
    if (!id) throw new Error(`no victim ${key}`);
    return id;
  };
  if (name === 'personId') return pick('person');
  if (name === 'recordId') return pick('record');
  if (name === 'entryId') return url.includes('address') ? pick('address') : pick('identifier');
  if (name === 'restrictionId' || url.startsWith('/api/v1/rights/restrictions/'))
    return pick('restriction');
  if (name === 'bookingId' || url.startsWith('/api/v1/partnership/bookings/'))
    return pick('booking');
  if (name === 'documentId' || name === 'noteId') return pick('note');
  if (name !== 'id') return pick('record');
  if (url.includes('practice-review')) return pick('practiceReview');
  if (/^\/(api\/v1\/)?people\//.test(url) || url.startsWith('/people/')) return pick('person');
  if (/^\/(api\/v1\/)?rights\//.test(url)) return pick('request');
  if (url.includes('/training/') || url.includes('/courses/')) return pick('course');
  if (url.includes('/newsletter/')) return pick('subscriber');
  if (url.includes('/surveys/')) return pick('survey');
  if (url.includes('/meetings/')) return pick('meeting');
  if (url.includes('/agreements/')) return pick('agreement');
  if (url.startsWith('/retention/holds/')) return pick('hold');
  if (url.startsWith('/governance/complaints/')) return pick('complaint');
  if (url.startsWith('/retention/items/')) return pick('booking');
  if (url.startsWith('/governance/breaches/')) return pick('breach');
  return pick('record');
}

// ---------------------------------------------------------------------------
// A body the route's schema accepts, so that the id is what decides the answer

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  default?: unknown;
};

function sample(schema: JsonSchema, key = ''): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice?.length) {
    return sample(choice.find((s) => s.type !== 'null') ?? choice[0]!, key);
  }
  if (schema.allOf?.length) return sample(schema.allOf[0]!, key);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        out[name] = sample(schema.properties?.[name] ?? {}, name);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}, key));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date' || /date|On$/i.test(key)) return '2025-09-10';
      if (schema.format === 'email' || /email/i.test(key)) return 'someone@synthetic.example';
      return 'Synthetic text for the test';
    default:
      return 'Synthetic text for the test';
  }
}

/**
 * What the schema alone cannot say (a check across fields, a check digit):
 * values that make these bodies valid, so the id decides the answer.
 */
const bodyOverrides: Record<string, Record<string, unknown>> = {
  'POST /api/v1/rights/requests/:id/rectification/identifier': { value: '9990000018' },
  'POST /api/v1/rights/requests/:id/review/items/:itemId/redactions': { phrase: 'Synthetic' },
  'POST /api/v1/practice-reviews/:id/chronologies/:itemId/outcome': {
    note: 'Synthetic note of what came back',
  },
};

function bodyFor(route: RouteSummary): unknown {
  const schema = route.schema?.body as z.ZodType | undefined;
  if (!schema) return undefined;
  const body = sample(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  );
  const override = bodyOverrides[`${route.method} ${route.url}`];
  return override ? { ...(body as object), ...override } : body;
}

/** A query string the route's schema accepts (its required parameters), or ''. */
function queryFor(route: RouteSummary): string {
  const schema = route.schema?.querystring as z.ZodType | undefined;
  if (!schema) return '';
  const values = sample(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  ) as Record<string, unknown>;
  const query = new URLSearchParams(
    Object.entries(values).map(([k, v]) => [k, String(v)] as [string, string]),
  ).toString();
  return query ? `?${query}` : '';
}

// ---------------------------------------------------------------------------

async function send(
  attacker: Attacker,
  route: RouteSummary,
  url: string,
  body: unknown,
): Promise<LightMyRequestResponse> {
  const headers = { ...attacker.headers };
  const write = route.method !== 'GET';
  if (!write) return app.inject({ method: 'GET', url, headers });
  if (url.startsWith('/api/')) {
    return app.inject({
      method: route.method as 'POST',
      url,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }
  return app.inject({
    method: route.method as 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: attacker.csrfToken }).toString(),
  });
}

const uuidText = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** What a person or a script can tell apart: the status and the body, less per-request noise. */
function answer(response: LightMyRequestResponse, given: readonly string[]): string {
  let body = response.body;
  for (const id of given)
    body = body.split(encodeURIComponent(id)).join('{id}').split(id).join('{id}');
  body = body
    .replace(uuidText, '{uuid}')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
  return `${response.statusCode} ${response.headers.location ?? ''} ${body}`;
}

/** Every table's content, but what a refused request may legitimately write (its audit event, the session). */
let snapshotQuery: string | undefined;
const unwatched = new Set([
  'audit_event',
  'session',
  'sign_in_throttle',
  // Every request counts against its route's rate limit (a keyed hash of
  // route and client): bookkeeping of the request, not a write it made.
  'rate_limit_counter',
  'kysely_migration',
  'kysely_migration_lock',
]);

async function snapshot(): Promise<Record<string, string>> {
  if (!snapshotQuery) {
    // Tables as the application sees them: a partitioned table (the audit
    // log, by month) once, not each of its partitions under its own name.
    const { rows } = await sql<{ table_name: string }>`
      select c.relname as table_name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
      order by 1`.execute(db);
    snapshotQuery = rows
      .map((r) => r.table_name)
      .filter((t) => !unwatched.has(t))
      .map(
        (t) =>
          `select '${t}' as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest from "${t}" x`,
      )
      .join(' union all ');
  }
  const { rows } = await sql.raw<{ name: string; digest: string }>(snapshotQuery).execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((t) => before[t] !== after[t]);
}

describe('every route that takes an id in its path (IDOR)', () => {
  it('answers another organisation’s id, a random id and a malformed id alike, refusing and writing nothing', async () => {
    const routes = appRoutes(app).filter((route) =>
      pathParams(route).some((name) => isIdParam(route, name)),
    );
    expect(routes.length).toBeGreaterThan(150);
    const faults: string[] = [];
    for (const route of routes) {
      const label = `${route.method} ${route.url}`;
      const body = bodyFor(route);
      const before = await snapshot();
      const query = queryFor(route);
      // Public routes too are tried on a session (a form there needs its CSRF token).
      const who = route.access === 'public' ? [attackers[0]!] : attackers;
      for (const attacker of who) {
        const as = route.access === 'public' ? '' : ` as ${attacker.name}`;
        const variants: { kind: string; value: (name: string) => string }[] = [
          { kind: 'random', value: () => randomUUID() },
          { kind: 'malformed', value: () => MALFORMED },
        ];
        // A public route (a survey form, say) is public for every
        // organisation's id: only what does not exist must look alike.
        if (route.access !== 'public') {
          variants.unshift({ kind: 'foreign', value: (name) => victimId(route, name) });
        }
        const answers: { kind: string; text: string; status: number }[] = [];
        for (const variant of variants) {
          const given: string[] = [];
          const url = fillPath(route, (name) => {
            if (!isIdParam(route, name)) return otherParam(route, name);
            const value = variant.value(name);
            given.push(value);
            return value;
          });
          const response = await send(attacker, route, url + query, body);
          answers.push({
            kind: variant.kind,
            text: answer(response, given),
            status: response.statusCode,
          });
          if (response.statusCode < 300 || response.statusCode >= 500) {
            faults.push(`${label}${as}: ${variant.kind} id answered ${response.statusCode}`);
          }
        }
        const [first, ...rest] = answers;
        for (const other of rest) {
          if (other.text !== first!.text) {
            faults.push(
              `${label}${as}: ${first!.kind} and ${other.kind} ids answer differently (${first!.status} / ${other.status}): ${first!.text.slice(0, 160)} | ${other.text.slice(0, 160)}`,
            );
          }
        }
      }
      const changed = changedTables(before, await snapshot());
      if (changed.length > 0) faults.push(`${label}: wrote to ${changed.join(', ')}`);
    }
    expect(faults).toEqual([]);
  }, 180_000);
});

// ---------------------------------------------------------------------------
// Ids in JSON bodies: found in the route table, each tried

/** The properties of a JSON schema that hold ids (`id`, `…Id`, `…Ids`), as paths like `items.[].id`. */
function idFields(schema: JsonSchema | undefined, path = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const found: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (/^(id|[a-z][A-Za-z]*Ids?)$/.test(name)) found.push(path + name);
    found.push(...idFields(property, `${path}${name}.`));
  }
  for (const choice of [
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.allOf ?? []),
  ]) {
    found.push(...idFields(choice, path));
  }
  if (schema.items) found.push(...idFields(schema.items, `${path}[].`));
  return [...new Set(found)];
}

function bodySchema(route: RouteSummary): JsonSchema | undefined {
  const schema = route.schema?.body as z.ZodType | undefined;
  return schema
    ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema)
    : undefined;
}

/**
 * For every id a JSON body may carry: where the attacker sends it (their
 * own request, record, person or review, so only the body's id is
 * foreign) and the victim's id of that kind. A route that takes a new id
 * in its body must be added here, or the test below fails.
 */
interface BodyIdCase {
  attacker: 0 | 1;
  url: () => string;
  foreign: () => string;
  /** Values over the sampled body, so the request gets as far as the id. */
  body?: Record<string, unknown>;
}
const bodyIdCases: Record<string, BodyIdCase> = {
  'POST /api/v1/people/:id/merge duplicateId': {
    attacker: 0,
    url: () => `/api/v1/people/${ownPersonId}/merge`,
    foreign: () => victim.person!,
  },
  'POST /api/v1/people/:id/relationships relatedPersonId': {
    attacker: 0,
    url: () => `/api/v1/people/${ownPersonId}/relationships`,
    foreign: () => victim.person!,
  },
  'POST /api/v1/records subjectPersonId': {
    attacker: 0,
    url: () => '/api/v1/records',
    foreign: () => victim.person!,
    body: { category: 'child-in-need' },
  },
  'POST /api/v1/records allocatedAccountId': {
    attacker: 0,
    url: () => '/api/v1/records',
    foreign: () => victim.account!,
    body: { category: 'child-in-need', subjectPersonId: '{own person}' },
  },
  'POST /api/v1/records allocatedTeamId': {
    attacker: 0,
    url: () => '/api/v1/records',
    foreign: () => victim.team!,
    body: { category: 'child-in-need', subjectPersonId: '{own person}' },
  },
  'PATCH /api/v1/records/:id allocatedAccountId': {
    attacker: 0,
    url: () => `/api/v1/records/${ownRecordId}`,
    foreign: () => victim.account!,
  },
  'PATCH /api/v1/records/:id allocatedTeamId': {
    attacker: 0,
    url: () => `/api/v1/records/${ownRecordId}`,
    foreign: () => victim.team!,
  },
  'POST /api/v1/records/:id/parties personId': {
    attacker: 0,
    url: () => `/api/v1/records/${ownRecordId}/parties`,
    foreign: () => victim.person!,
  },
  'DELETE /api/v1/records/:id/parties personId': {
    attacker: 0,
    url: () => `/api/v1/records/${ownRecordId}/parties`,
    foreign: () => victim.person!,
  },
  'POST /api/v1/practice-reviews/:id/rapid-review agreementId': {
    attacker: 1,
    url: () => `/api/v1/practice-reviews/${ownPracticeReviewId}/rapid-review`,
    foreign: () => victim.agreement!,
  },
  'POST /api/v1/practice-reviews/:id/chronologies agreementId': {
    attacker: 1,
    url: () => `/api/v1/practice-reviews/${ownPracticeReviewId}/chronologies`,
    foreign: () => victim.agreement!,
  },
  'POST /api/v1/practice-reviews/:id/chronologies recipientId': {
    attacker: 1,
    url: () => `/api/v1/practice-reviews/${ownPracticeReviewId}/chronologies`,
    foreign: () => victim.agreement!,
  },
  'POST /api/v1/practice-reviews/:id/appointments agreementId': {
    attacker: 1,
    url: () => `/api/v1/practice-reviews/${ownPracticeReviewId}/appointments`,
    foreign: () => victim.agreement!,
  },
  'POST /api/v1/practice-reviews/:id/practitioners/:itemId/share agreementId': {
    attacker: 1,
    url: () =>
      `/api/v1/practice-reviews/${ownPracticeReviewId}/practitioners/${randomUUID()}/share`,
    foreign: () => victim.agreement!,
  },
  'POST /api/v1/rights/requests/:id/decisions subscriberIds': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestId}/decisions`,
    foreign: () => victim.subscriber!,
  },
  'POST /api/v1/rights/requests/:id/restrictions targetId': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestId}/restrictions`,
    foreign: () => victim.record!,
  },
  'POST /api/v1/rights/requests/:id/erasure items.[].id': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestOf.erasure}/erasure`,
    foreign: () => victim.booking!,
  },
  'POST /api/v1/rights/requests/:id/annotations recordId': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestOf.rectification}/annotations`,
    foreign: () => victim.record!,
  },
  'POST /api/v1/rights/requests/:id/annotations noteId': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestOf.rectification}/annotations`,
    foreign: () => victim.note!,
    body: { recordId: '{own record}' },
  },
  'POST /api/v1/rights/requests/:id/recipient-notices disclosureId': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestId}/recipient-notices`,
    foreign: () => victim.record!,
  },
  'POST /api/v1/rights/requests/:id/subject personId': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestId}/subject`,
    foreign: () => victim.person!,
  },
  'PUT /api/v1/rights/requests/:id/portability items.[].id': {
    attacker: 0,
    url: () => `/api/v1/rights/requests/${ownRequestOf.portability}/portability`,
    foreign: () => victim.booking!,
  },
};

/** The route's sample body with `field` (a path like `items.[].id`) set to `id`. */
function bodyWithId(
  route: RouteSummary,
  field: string,
  id: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const schema = bodySchema(route)!;
  const own: Record<string, string> = { '{own person}': ownPersonId, '{own record}': ownRecordId };
  const body: Record<string, unknown> = { ...(bodyFor(route) as Record<string, unknown>) };
  for (const [name, value] of Object.entries(over)) {
    body[name] = typeof value === 'string' ? (own[value] ?? value) : value;
  }
  const [head, ...rest] = field.split('.');
  if (rest.length === 0) {
    body[head!] = /Ids$/.test(head!) ? [id] : id;
    return body;
  }
  // An id inside each element of an array: one element, sampled, holding it.
  const item = sample(schema.properties?.[head!]?.items ?? {}) as Record<string, unknown>;
  body[head!] = [{ ...item, [rest.at(-1)!]: id }];
  return body;
}

describe('every id a JSON body carries', () => {
  it('is tried: another organisation’s id answers as a random one, refused, writing nothing', async () => {
    const found = appRoutes(app).flatMap((route) =>
      idFields(bodySchema(route)).map((field) => ({
        route,
        field,
        key: `${route.method} ${route.url} ${field}`,
      })),
    );
    // Every body id the route table has is in bodyIdCases (and nothing stale is).
    expect(found.map((f) => f.key).sort()).toEqual(Object.keys(bodyIdCases).sort());
    const faults: string[] = [];
    for (const { route, field, key } of found) {
      const testCase = bodyIdCases[key]!;
      const attacker = attackers[testCase.attacker]!;
      const before = await snapshot();
      const answers = [];
      for (const id of [testCase.foreign(), randomUUID()]) {
        const response = await app.inject({
          method: route.method as 'POST',
          url: testCase.url(),
          headers: { ...attacker.headers, 'content-type': 'application/json' },
          payload: JSON.stringify(bodyWithId(route, field, id, testCase.body)),
        });
        if (response.statusCode < 300 || response.statusCode >= 500) {
          faults.push(`${key}: answered ${response.statusCode} ${response.body.slice(0, 200)}`);
        }
        answers.push(answer(response, [id]));
      }
      if (answers[0] !== answers[1]) {
        faults.push(`${key}: foreign and random ids answer differently: ${answers.join(' | ')}`);
      }
      const changed = changedTables(before, await snapshot());
      if (changed.length > 0) faults.push(`${key}: wrote to ${changed.join(', ')}`);
    }
    expect(faults).toEqual([]);
  }, 60_000);
});

/**
 * A route whose first id is the caller's own (their request, record, person,
 * course or review) and whose later ids name something inside it: the later
 * ids must be resolved within it. Which own id, and whose session, by path.
 */
function ownParent(route: RouteSummary): { attacker: 0 | 1; id: string } | undefined {
  const url = route.url;
  if (url.includes('practice-review')) return { attacker: 1, id: ownPracticeReviewId };
  if (url.startsWith('/partnership/training/')) return { attacker: 1, id: ownCourseId };
  if (/^\/(api\/v1\/)?rights\/(requests\/)?:id\/rectification/.test(url)) {
    return { attacker: 0, id: ownRequestOf.rectification! };
  }
  if (/^\/(api\/v1\/)?rights\/(requests\/)?:id\//.test(url)) {
    return { attacker: 0, id: ownRequestId };
  }
  // A pair of people to compare (the duplicate job): the first is the caller's own.
  if (/^\/(api\/v1\/)?people\/(duplicates\/)?:id\//.test(url))
    return { attacker: 0, id: ownPersonId };
  if (/^\/(api\/v1\/)?records\/:id\//.test(url)) return { attacker: 0, id: ownRecordId };
  return undefined;
}

describe('every route that takes an id inside one of the caller’s own', () => {
  it('answers another organisation’s inner id as a random one, refusing and writing nothing', async () => {
    const routes = appRoutes(app).filter(
      (route) =>
        route.access !== 'public' &&
        pathParams(route)[0] === 'id' &&
        pathParams(route).filter((name) => isIdParam(route, name)).length > 1,
    );
    expect(routes.length).toBeGreaterThan(25);
    const faults: string[] = [];
    for (const route of routes) {
      const label = `${route.method} ${route.url}`;
      const parent = ownParent(route);
      if (!parent) {
        faults.push(`${label}: no own parent id for it in ownParent()`);
        continue;
      }
      const attacker = attackers[parent.attacker]!;
      const body = bodyFor(route);
      const query = queryFor(route);
      const before = await snapshot();
      const answers: string[] = [];
      for (const inner of [
        (name: string) => victimId(route, name),
        () => randomUUID(),
        () => MALFORMED,
      ]) {
        const given: string[] = [];
        const url = fillPath(route, (name) => {
          if (name === 'id') return parent.id;
          if (!isIdParam(route, name)) return otherParam(route, name);
          const value = inner(name);
          given.push(value);
          return value;
        });
        const response = await send(attacker, route, url + query, body);
        if (response.statusCode < 300 || response.statusCode >= 500) {
          faults.push(`${label}: answered ${response.statusCode} ${response.body.slice(0, 160)}`);
        }
        answers.push(answer(response, [...given, parent.id]));
      }
      // A malformed inner id is a 404 like any; another organisation's must
      // answer exactly as one that does not exist.
      if (answers[0] !== answers[1]) {
        faults.push(
          `${label}: foreign and random inner ids answer differently: ${answers[0]!.slice(0, 160)} | ${answers[1]!.slice(0, 160)}`,
        );
      }
      if (!answers[2]!.startsWith('404')) {
        faults.push(`${label}: a malformed inner id answered ${answers[2]!.slice(0, 160)}`);
      }
      const changed = changedTables(before, await snapshot());
      if (changed.length > 0) faults.push(`${label}: wrote to ${changed.join(', ')}`);
    }
    expect(faults).toEqual([]);
  }, 120_000);
});

describe('ids in a request body', () => {
  async function post(url: string, payload: object) {
    const kentScs = attackers[0]!;
    return app.inject({ method: 'POST', url, headers: kentScs.headers, payload });
  }
  async function postForm(url: string, form: Record<string, string>) {
    const kentScs = attackers[0]!;
    return app.inject({
      method: 'POST',
      url,
      headers: { ...kentScs.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: kentScs.csrfToken, ...form }).toString(),
    });
  }

  /** The three answers: for another organisation's id, a random id, and (last) a malformed one. */
  async function tryIds(
    attempt: (id: string) => Promise<LightMyRequestResponse>,
    foreign: string,
  ): Promise<void> {
    const before = await snapshot();
    const random = randomUUID();
    const answers = [
      answer(await attempt(foreign), [foreign]),
      answer(await attempt(random), [random]),
    ];
    expect(answers[0]!.slice(0, 3)).toBe('404');
    expect(answers[0]).toBe(answers[1]);
    const malformed = await attempt(MALFORMED);
    expect(malformed.statusCode).toBeGreaterThanOrEqual(400);
    expect(malformed.statusCode).toBeLessThan(500);
    expect(changedTables(before, await snapshot())).toEqual([]);
  }

  it('a restriction names only the organisation’s own people and records', async () => {
    const url = `/api/v1/rights/requests/${ownRequestId}/restrictions`;
    await tryIds(
      (targetId) => post(url, { scope: 'record', targetId, ground: 'accuracy-contested' }),
      victim.record!,
    );
    await tryIds(
      (targetId) => post(url, { scope: 'person', targetId, ground: 'accuracy-contested' }),
      victim.person!,
    );
    await tryIds(
      (targetId) =>
        postForm(`/rights/${ownRequestId}/restrictions`, {
          scope: 'record',
          targetId,
          ground: 'accuracy-contested',
        }),
      victim.record!,
    );
    // The organisation's own person is restricted as before.
    const own = await post(url, {
      scope: 'person',
      targetId: ownPersonId,
      ground: 'accuracy-contested',
    });
    expect(own.statusCode).toBe(201);
  });

  it('a complaint links only its own organisation’s rights requests', async () => {
    const link = (rightsRequestId: string) =>
      postForm(`/governance/complaints/${ownComplaintId}/links`, { rightsRequestId });
    const before = await snapshot();
    const random = randomUUID();
    const foreign = answer(await link(victim.request!), [victim.request!]);
    expect(foreign.slice(0, 3)).toBe('400');
    expect(foreign).toContain('Select a rights request from the list');
    expect(foreign).toBe(answer(await link(random), [random]));
    expect(foreign).toBe(answer(await link(MALFORMED), [MALFORMED]));
    expect(changedTables(before, await snapshot())).toEqual([]);
    const own = await link(ownRequestId);
    expect(own.statusCode).toBe(303);
  });

  it('an id in a query (the new-record form’s person) reveals nothing', async () => {
    const kentScs = attackers[0]!;
    const form = async (id: string) =>
      answer(
        await app.inject({
          method: 'GET',
          url: `/records/new?person=${id}`,
          headers: kentScs.headers,
        }),
        [id],
      );
    const foreign = await form(victim.person!);
    expect(foreign.slice(0, 3)).toBe('200');
    expect(foreign).toBe(await form(randomUUID()));
    expect(foreign).toBe(await form(MALFORMED));
  });

  it('a legal hold names only the organisation’s own people and records', async () => {
    const hold = (scope: string) => (targetId: string) =>
      postForm('/retention/holds', {
        scope,
        targetId,
        holdType: 'litigation',
        reason: 'Synthetic litigation hold for the test',
        'reviewOn-day': '1',
        'reviewOn-month': '1',
        'reviewOn-year': '2030',
      });
    await tryIds(hold('record'), victim.record!);
    await tryIds(hold('person'), victim.person!);
  });
});
