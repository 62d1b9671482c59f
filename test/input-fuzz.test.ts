/**
 * Arbitrary input at every route that takes input (issue 10 item 10): text
 * with NUL and other control characters, lone surrogates and very long
 * strings; dates in year 0000, 9999, 1899, 2201 and malformed ones. Asserts
 * that no answer is a 5xx and that a refused request (4xx) wrote nothing.
 *
 * Nothing here is a hand-kept list of routes or fields, so a route added
 * tomorrow is fuzzed too:
 * - routes come from the app's route table (test/support/route-table.ts);
 * - a page form's fields, and the ids in its URL, come from the forms the
 *   app's own pages show, found by reading every page once as each demo
 *   staff member (demo data gives them people, records, reviews, …);
 * - an API route's fields come from its zod schema (as JSON Schema), its ids
 *   from the same pages (the id after `/rights/` is a request's, and so on).
 * Each field is tried with a known-bad value first (NUL for text, 0000 and
 * 9999 for dates), then with a few arbitrary values from fast-check (fixed
 * seed), the other fields keeping valid values, so that a value that gets
 * past validation reaches the database.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { z } from 'zod';
import type { DatabaseHandle } from '../src/db/connection.js';
import { demoStaff, DEMO_PASSWORD, loadDemoData } from '../src/demo/demo-data.js';
import type { RouteSummary } from '../src/platform/http/types.js';
import { Agent, testApp } from './support/app.js';
import { testDatabase } from './support/database.js';
import { appRoutes, fillPath, pathParams } from './support/route-table.js';

const SEED = 20_261_205;
const RANDOM_RUNS_PER_TARGET = 3;
/** How many people, records, requests… each staff member's pages are read for. */
const PAGES_PER_THING = 4;

let database: DatabaseHandle;
let app: FastifyInstance;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 3 });
  app = await testApp(database);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

const nastyText = [
  'a\u0000b',
  '\u0007\u001b[2J\u007f\u0085',
  'lone \ud800 surrogate',
  'x'.repeat(70_000),
];
const nastyDates = ['0000-01-01', '9999-12-31', '1899-12-31', '2201-01-01', '2023-02-30', '20-1-1'];

const textArbitrary = fc.oneof(
  fc.constantFrom(...nastyText, '', '   ', '\t\n', '2030-01-01', '../../etc'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
);
const dateArbitrary = fc.oneof(
  fc.constantFrom(...nastyDates, '2030-06-01', 'not a date', ''),
  fc
    .date({
      min: new Date(Date.UTC(-1, 0, 1)),
      max: new Date(Date.UTC(9999, 11, 31)),
      noInvalidDate: true,
    })
    .map((d) =>
      d
        .toISOString()
        .slice(0, 10)
        .replace(/^[+-]0*(\d{4})/, '$1'),
    ),
  fc.string({ maxLength: 12 }),
);

/* ------------------------------------------------------------------ */
/* Staff                                                               */
/* ------------------------------------------------------------------ */

interface Staff {
  email: string;
  agent: Agent;
  /** Ids seen on this person's pages, by the word before them in the URL: `rights` → a request's id. */
  ids: Map<string, Set<string>>;
  /** Where reading the site starts. */
  start: string[];
}

const staffList: Staff[] = [];

const secrets = new Map<string, string>();
const totp = (email: string, aheadSeconds: number) =>
  generate({
    secret: secrets.get(email) ?? '',
    epoch: Math.floor(Date.now() / 1000) + aheadSeconds,
  });

/** Each demo staff member signed in once per organisation they work for, two-factor set up where asked. */
async function signInAll(): Promise<void> {
  const organisations = await database.db
    .selectFrom('organisation')
    .select(['id', 'slug'])
    .execute();
  for (const member of demoStaff) {
    for (const membership of new Set(member.memberships.map((m) => m.organisation))) {
      const agent = new Agent(app);
      let step = (await agent.signIn(member.email, DEMO_PASSWORD)).headers.location;
      if (step === '/sign-in/two-factor/set-up') {
        const setUp = await agent.get(step);
        const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(setUp.body)?.[1] ?? '';
        secrets.set(member.email, secret.replace(/ /g, ''));
        await agent.post(step, { code: await totp(member.email, 0) });
        step = (await agent.get('/')).headers.location;
      } else if (step === '/sign-in/two-factor') {
        // The code just used is refused a second time; the next one is accepted early.
        await agent.get(step);
        await agent.post(step, { code: await totp(member.email, 30) });
        step = (await agent.get('/')).headers.location;
      }
      if (step === '/choose-organisation') {
        await agent.get(step);
        const id = organisations.find((o) => o.slug === membership)!.id;
        await agent.post(step, { organisationId: id });
      }
      const home = await agent.get('/');
      if (home.statusCode !== 200)
        throw new Error(`${member.email} is not signed in: ${home.statusCode}`);
      staffList.push({
        email: `${member.email} (${membership})`,
        agent,
        ids: new Map(),
        start: ['/'],
      });
    }
  }
  // The public: the sign-in form, each partnership's newsletter sign-up and
  // each organisation's complaint form.
  const publicPages = organisations.flatMap((o) => [
    `/partnerships/${o.slug}/newsletter`,
    `/privacy/${o.slug}/complain`,
  ]);
  staffList.push({
    email: 'the public',
    agent: new Agent(app),
    ids: new Map(),
    start: ['/sign-in', ...publicPages],
  });
}

/* ------------------------------------------------------------------ */
/* Pages and their forms                                               */
/* ------------------------------------------------------------------ */

interface FormField {
  name: string;
  kind: 'text' | 'choice' | 'hidden' | 'file';
  value: string;
}

interface FoundForm {
  staff: Staff;
  method: 'GET' | 'POST';
  url: string;
  multipart: boolean;
  fields: FormField[];
}

/** A route's URL as a pattern: `/people/:id` matches `/people/3f…`. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/?#]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

const pathOf = (url: string) => url.split('?')[0]!;

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

const attribute = (tag: string, name: string) =>
  decodeEntities(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '');

function readForms(html: string, pageUrl: string, staff: Staff): FoundForm[] {
  const forms: FoundForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const tag = match[1] ?? '';
    const body = match[2] ?? '';
    const action = attribute(tag, 'action') || pageUrl.split('?')[0]!;
    if (!action.startsWith('/')) continue;
    const fields = new Map<string, FormField>();
    for (const input of body.matchAll(/<input\b[^>]*>/g)) {
      const el = input[0];
      const name = attribute(el, 'name');
      if (!name || name === '_csrf') continue;
      const type = attribute(el, 'type') || 'text';
      if (type === 'submit' || type === 'button') continue;
      const value = attribute(el, 'value');
      if (type === 'radio' || type === 'checkbox') {
        const checked = /\schecked\b/.test(el);
        const existing = fields.get(name);
        if (!existing || (checked && existing.value === '') || (checked && !existing.value))
          fields.set(name, {
            name,
            kind: 'choice',
            value: checked || !existing ? value : existing.value,
          });
        continue;
      }
      if (type === 'file') {
        fields.set(name, { name, kind: 'file', value: '' });
        continue;
      }
      fields.set(name, { name, kind: type === 'hidden' ? 'hidden' : 'text', value });
    }
    for (const textarea of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attribute(textarea[1] ?? '', 'name');
      if (name)
        fields.set(name, { name, kind: 'text', value: decodeEntities(textarea[2] ?? '').trim() });
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attribute(select[1] ?? '', 'name');
      if (!name) continue;
      const options = [...(select[2] ?? '').matchAll(/<option\b([^>]*)>/g)].map((o) => ({
        value: attribute(o[1] ?? '', 'value'),
        selected: /\sselected\b/.test(o[1] ?? ''),
      }));
      const chosen = options.find((o) => o.selected && o.value) ?? options.find((o) => o.value);
      fields.set(name, { name, kind: 'choice', value: chosen?.value ?? '' });
    }
    forms.push({
      staff,
      method: /method="get"/i.test(tag) ? 'GET' : 'POST',
      url: action,
      multipart: /multipart\/form-data/.test(tag),
      fields: [...fields.values()],
    });
  }
  return forms;
}

/** Remembers the ids in a URL under the word before each: `/rights/abc/restrictions/def`. */
function rememberIds(staff: Staff, url: string): void {
  const segments = url.split('?')[0]!.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(segment)) continue;
    const word = segments[i - 1]!;
    const set = staff.ids.get(word) ?? new Set<string>();
    set.add(segment);
    staff.ids.set(word, set);
  }
}

/**
 * Reads the site as each staff member: every GET page route once per
 * staff member (the first link to it they are shown), collecting forms
 * and the ids in links.
 */
async function crawl(getRoutes: RouteSummary[]): Promise<FoundForm[]> {
  const forms: FoundForm[] = [];
  const patterns = getRoutes.map((route) => ({ route, pattern: patternOf(route.url) }));
  for (const staff of staffList) {
    const seen = new Map<string, number>();
    const visited = new Set<string>();
    const queue = [...staff.start];
    let pages = 0;
    while (queue.length > 0 && pages < 150) {
      const url = queue.shift()!;
      const path = url.split('?')[0]!;
      const match = patterns.find((p) => p.pattern.test(path));
      // A few of each kind of thing (records, requests) but one of
      // everything else: a record of one category shows forms another does not.
      const visits = seen.get(match?.route.url ?? '') ?? 0;
      const limit = match && /^\/[a-z-]+\/:id$/.test(match.route.url) ? PAGES_PER_THING : 1;
      if (!match || visits >= limit || visited.has(path)) continue;
      seen.set(match.route.url, visits + 1);
      visited.add(path);
      pages++;
      const response = await staff.agent.get(url);
      if (
        response.statusCode !== 200 ||
        !/text\/html/.test(String(response.headers['content-type']))
      )
        continue;
      rememberIds(staff, url);
      forms.push(...readForms(response.body, url, staff));
      for (const form of readForms(response.body, url, staff)) rememberIds(staff, form.url);
      for (const link of response.body.matchAll(/href="(\/[^"#]*)"/g)) {
        const href = decodeEntities(link[1]!);
        if (href.startsWith('/assets/') || href.startsWith('/api/')) continue;
        rememberIds(staff, href);
        queue.push(href);
      }
    }
  }
  return forms;
}

/* ------------------------------------------------------------------ */
/* What is sent                                                        */
/* ------------------------------------------------------------------ */

type FieldKind = 'text' | 'date' | 'date-parts';
interface Target {
  route: RouteSummary;
  staff: Staff;
  url: string;
  encoding: 'form' | 'json' | 'query';
  baseline: Record<string, unknown>;
  fields: { path: string[]; kind: FieldKind }[];
}

/** Valid-looking values for a form: what the page shows, or a sensible answer where it shows nothing. */
function formBaseline(form: FoundForm): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of form.fields) {
    if (field.kind === 'file') continue;
    let value = field.value;
    if (!value && field.kind === 'text') {
      if (field.name.endsWith('-day')) value = '3';
      else if (field.name.endsWith('-month')) value = '4';
      else if (field.name.endsWith('-year')) value = '2024';
      else if (/email/i.test(field.name)) value = 'someone@example.org';
      else if (/version/i.test(field.name)) value = '1';
      // A time beside a date (the breach register's moments) and a count.
      else if (field.name.endsWith('-time')) value = '9:30am';
      else if (/Count$/.test(field.name)) value = '3';
      // Identifiers and postcodes have formats of their own, and are optional.
      else if (/nhs|upn|postcode|reference|identifier/i.test(field.name)) value = '';
      else value = 'Synthetic words for a test';
    }
    values[field.name] = value;
  }
  return values;
}

function formFields(form: FoundForm): Target['fields'] {
  const fields: Target['fields'] = [];
  for (const field of form.fields) {
    if (field.kind === 'file') continue;
    if (field.name.endsWith('-day')) {
      fields.push({ path: [field.name.slice(0, -'-day'.length)], kind: 'date-parts' });
    } else if (!field.name.endsWith('-month') && !field.name.endsWith('-year')) {
      fields.push({ path: [field.name], kind: 'text' });
    }
  }
  // A form of buttons only still gets a field it does not expect.
  return fields.length ? fields : [{ path: ['unexpected'], kind: 'text' }];
}

type JsonSchema = {
  type?: string | string[];
  format?: string;
  pattern?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  contentEncoding?: string;
};

function toJsonSchema(schema: unknown): JsonSchema | null {
  if (!schema) return null;
  try {
    return z.toJSONSchema(schema as z.ZodType, {
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema;
  } catch {
    return null;
  }
}

function isDateSchema(schema: JsonSchema, path: string[]): boolean {
  return (
    schema.format === 'date' ||
    /YYYY-MM-DD/.test(schema.description ?? '') ||
    /(On|Date|^on|^from|^to)$/.test(path.at(-1) ?? '')
  );
}

/** A value the schema takes, and the text and date leaves under it. */
function sampleOf(
  schema: JsonSchema,
  path: string[],
  leaves: Target['fields'],
  idFor: (path: string[]) => string,
): unknown {
  const union = schema.anyOf ?? schema.oneOf;
  if (union && union.length > 0) {
    const preferred = union.find((s) => s.type !== 'null' && s.const !== '') ?? union[0]!;
    return sampleOf(preferred, path, leaves, idFor);
  }
  if (schema.allOf && schema.allOf.length > 0) {
    return Object.assign({}, ...schema.allOf.map((s) => sampleOf(s, path, leaves, idFor)));
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) {
    leaves.push({ path, kind: 'text' });
    return schema.enum[0];
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      // Optional properties are left out of the valid body (an optional
      // reference number has its own format) but fuzzed all the same.
      const required = new Set(schema.required ?? []);
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        const value = sampleOf(child, [...path, key], leaves, idFor);
        if (required.has(key)) out[key] = value;
      }
      return out;
    }
    case 'array': {
      const count = Math.max(schema.minItems ?? 0, 1);
      return Array.from({ length: count }, (_, i) =>
        sampleOf(schema.items ?? {}, [...path, String(i)], leaves, idFor),
      );
    }
    case 'integer':
    case 'number':
      return /version/i.test(path.at(-1) ?? '') ? 1 : 1;
    case 'boolean':
      return false;
    case 'string': {
      if (isDateSchema(schema, path)) {
        leaves.push({ path, kind: 'date' });
        return '2024-04-03';
      }
      leaves.push({ path, kind: 'text' });
      if (schema.format === 'uuid') return idFor(path);
      if (schema.format === 'email') return 'someone@example.org';
      if (schema.format === 'uri') return 'https://www.example.org/report';
      if (schema.format === 'base64' || schema.contentEncoding === 'base64')
        return Buffer.from('synthetic file').toString('base64');
      return 'Synthetic words for a test';
    }
    default:
      return undefined;
  }
}

/** Which page word an API URL's word stands for. */
const apiWords: Record<string, string> = {
  requests: 'rights',
  'practice-reviews': 'records',
  courses: 'training',
};

function idsFor(staff: Staff, word: string): string[] {
  return [...(staff.ids.get(apiWords[word] ?? word) ?? [])];
}

/** An API route's URL filled with ids this staff member was shown, or null when they have none. */
function fillApiUrl(route: RouteSummary, staff: Staff): string | null {
  const segments = route.url.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!segment.startsWith(':')) {
      out.push(segment);
      continue;
    }
    const word = segments[i - 1] ?? '';
    const named = segment === ':entry' ? null : idsFor(staff, word)[0];
    if (segment === ':entry') {
      const entry = ['identifiers', 'addresses'].find((w) => idsFor(staff, w).length > 0);
      if (!entry) return null;
      out.push(entry);
      continue;
    }
    if (segment === ':entryId') {
      const entry = out.at(-1) ?? '';
      const id = idsFor(staff, entry)[0];
      if (!id) return null;
      out.push(id);
      continue;
    }
    if (!named) return null;
    out.push(named);
  }
  return out.join('/');
}

function idGuesser(staff: Staff) {
  return (path: string[]) => {
    const name = (path.at(-1) ?? '').toLowerCase();
    const word = name.includes('person')
      ? 'people'
      : name.includes('record')
        ? 'records'
        : name.includes('agreement')
          ? 'agreements'
          : name.includes('disclosure')
            ? 'disclosures'
            : name.includes('subscriber')
              ? 'newsletter'
              : 'people';
    return idsFor(staff, word)[0] ?? '00000000-0000-4000-8000-000000000000';
  };
}

/* ------------------------------------------------------------------ */
/* Sending and checking                                                */
/* ------------------------------------------------------------------ */

let countQuery = '';
async function rowCounts(): Promise<string> {
  if (!countQuery) {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
    `.execute(database.db);
    // Reading is audited, signing in keeps a session, and every request
    // counts against its rate limit (a keyed hash of route and client, never
    // what was sent): none is a write of the input.
    const counted = tables.rows
      .map((r) => r.table_name)
      .filter((t) => !/^(audit|session|sign_in|rate_limit_counter$|kysely_)/.test(t))
      .sort();
    countQuery = `select ${counted.map((t) => `(select count(*) from "${t}")::text`).join(" || ',' || ")} as counts`;
  }
  const result = await sql<{ counts: string }>`${sql.raw(countQuery)}`.execute(database.db);
  return result.rows[0]!.counts;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const [i, key] of path.slice(0, -1).entries()) {
    node[key] ??= /^\d+$/.test(path[i + 1] ?? '') ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

function withValue(target: Target, field: Target['fields'][number], value: string) {
  const body = structuredClone(target.baseline);
  if (field.kind === 'date-parts') {
    const [year = '', month = '', day = ''] = value.split('-');
    const name = field.path[0]!;
    Object.assign(body, { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year });
  } else {
    setPath(body, field.path, value);
  }
  return body;
}

async function send(
  target: Target,
  body: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  const { agent } = target.staff;
  const method = target.route.method as 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  if (target.encoding === 'json') {
    return app.inject({
      method,
      url: target.url,
      headers: agent.apiHeaders(),
      payload: body as object,
    });
  }
  const flat = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
  if (target.encoding === 'query') {
    return agent.get(`${target.url}?${new URLSearchParams(flat).toString()}`);
  }
  return agent.post(target.url, flat);
}

interface Failure {
  route: string;
  field: string;
  value: string;
  status: number;
  problem: string;
}

/**
 * The row counts as they stand between probes. A refused probe is checked
 * against them and, having written nothing, leaves them as they were; after
 * any other answer they are counted again. So a probe costs one count, not
 * a count before and another after.
 */
let standing: string | undefined;

async function probe(
  target: Target,
  field: Target['fields'][number],
  value: string,
  failures: Failure[],
) {
  const before = (standing ??= await rowCounts());
  const response = await send(target, withValue(target, field, value));
  const report = (problem: string) =>
    failures.push({
      route: `${target.route.method} ${target.route.url}`,
      field: field.path.join('.'),
      value: JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}… (${value.length})` : value),
      status: response.statusCode,
      problem,
    });
  standing = await rowCounts();
  if (response.statusCode >= 500) report(`answered ${response.statusCode}`);
  else if (response.statusCode >= 400 && response.statusCode !== 404 && standing !== before) {
    report('refused, yet wrote rows');
  }
}

/* ------------------------------------------------------------------ */

const inputMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that change something for good: sent last, and never to set things up. */
const finalRoute =
  /merge|undo|end$|restrictions|lift|remove|removal|revoke|refuse|withdraw|erasure|status|transition|release|sign-out/;
/** Ends the session the rest of the test runs on: it has no input to fuzz. */
const endsSession = (route: RouteSummary) => route.url === '/sign-out';

describe('arbitrary input at every route that takes input', () => {
  it('never answers 5xx, and a refused request writes nothing', async () => {
    await signInAll();
    const routes = appRoutes(app);
    const pages = routes.filter((r) => r.method === 'GET' && !r.url.startsWith('/api/'));
    // Demo data has people, records and reviews, but no rights requests,
    // courses or meetings: each page form is first sent once as the page
    // fills it (creating a request, a course, …), and the site read again,
    // so that the forms of what was created are found too.
    const seeded = new Set<string>();
    let forms: FoundForm[] = [];
    for (let round = 0; round < 3; round++) {
      forms = await crawl(pages);
      let sent = 0;
      for (const form of forms) {
        const route = routes.find(
          (r) => r.method === form.method && patternOf(r.url).test(pathOf(form.url)),
        );
        if (!route || form.method !== 'POST' || form.multipart) continue;
        if (finalRoute.test(route.url) || /^\/sign-/.test(route.url) || seeded.has(route.url))
          continue;
        seeded.add(route.url);
        await form.staff.agent.post(form.url, formBaseline(form) as Record<string, string>);
        sent++;
      }
      if (sent === 0) break;
    }
    const targets: Target[] = [];
    const unreached: string[] = [];

    for (const route of routes) {
      const schema = route.schema as { body?: unknown; querystring?: unknown } | undefined;
      const takesInput =
        inputMethods.has(route.method) || (route.method === 'GET' && schema?.querystring);
      if (!takesInput || endsSession(route)) continue;
      const pattern = patternOf(route.url);
      if (!route.url.startsWith('/api/')) {
        const form = forms.find(
          (f) => f.method === route.method && pattern.test(pathOf(f.url)) && !f.multipart,
        );
        if (form) {
          targets.push({
            route,
            staff: form.staff,
            url: form.url,
            encoding: route.method === 'GET' ? 'query' : 'form',
            baseline: formBaseline(form),
            fields: formFields(form),
          });
          continue;
        }
      }
      const json = toJsonSchema(route.method === 'GET' ? schema?.querystring : schema?.body);
      const params = pathParams(route);
      const staffFor = staffList.filter((s) => params.length === 0 || fillApiUrl(route, s));
      if (staffFor.length === 0 || (!json && !route.url.startsWith('/api/'))) {
        // No page showed an id or a form for it: still sent arbitrary input, with ids that do not exist.
        unreached.push(`${route.method} ${route.url}`);
        targets.push({
          route,
          staff: staffList[0]!,
          url: fillPath(route, () => randomUUID()),
          encoding: route.url.startsWith('/api/')
            ? 'json'
            : route.method === 'GET'
              ? 'query'
              : 'form',
          baseline: {},
          fields: [{ path: ['text'], kind: 'text' }],
        });
        continue;
      }
      // Of the staff who were shown the ids, the first whose baseline is not refused outright.
      let chosen: Target | null = null;
      for (const staff of staffFor) {
        const leaves: Target['fields'] = [];
        const baseline = (json ? sampleOf(json, [], leaves, idGuesser(staff)) : {}) as Record<
          string,
          unknown
        >;
        const target: Target = {
          route,
          staff,
          url: params.length ? fillApiUrl(route, staff)! : route.url,
          encoding: route.method === 'GET' ? 'query' : 'json',
          baseline: baseline ?? {},
          fields: leaves.length ? leaves : [{ path: ['unexpected'], kind: 'text' }],
        };
        chosen ??= target;
        // Not tried out first: a DELETE, a read, or a change for good (a restriction would lock the person away from every later route).
        if (route.method === 'DELETE' || route.method === 'GET' || finalRoute.test(route.url))
          break;
        const answer = await send(target, { ...target.baseline, __probe: undefined });
        if (answer.statusCode !== 403 && answer.statusCode !== 404) {
          chosen = target;
          break;
        }
      }
      if (chosen) targets.push(chosen);
    }

    // Routes that change state for good (a merge, an ending) go last, so the rest still find what they need.
    targets.sort(
      (a, b) => Number(finalRoute.test(a.route.url)) - Number(finalRoute.test(b.route.url)),
    );

    const failures: Failure[] = [];
    let requests = 0;
    for (const [index, target] of targets.entries()) {
      for (const field of target.fields) {
        const known = field.kind === 'text' ? [nastyText[0]!] : ['0000-01-01', '9999-12-31'];
        for (const value of known) {
          await probe(target, field, value, failures);
          requests++;
        }
      }
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...target.fields),
          fc.boolean(),
          textArbitrary,
          dateArbitrary,
          async (field, asText, text, date) => {
            const value = field.kind === 'text' || asText ? text : date;
            await probe(target, field, value, failures);
            requests++;
          },
        ),
        { seed: SEED + index, numRuns: RANDOM_RUNS_PER_TARGET, endOnFailure: true },
      );
    }

    expect(failures).toEqual([]);
    // Most routes are reached with ids that exist: the demo world and what
    // the forms created show them. A drop means the pages stopped showing
    // their forms or links, and the fuzzing stopped reaching the services.
    expect(
      unreached.length / targets.length,
      `${requests} requests; with ids that do not exist, as no page showed one:\n${unreached.join('\n')}`,
    ).toBeLessThan(0.45);
  }, 600_000);
});
