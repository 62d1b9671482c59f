import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { faker } from '@faker-js/faker/locale/en';
import { sql, type Kysely } from 'kysely';
import type { Benchmark, Measurement } from '../bench/run.js';
import { createDemoRecords } from '../casework/demo.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { createDemoPeople } from '../people/demo.js';
import { AuthService } from '../platform/auth/service.js';
import { listKeys } from './annex-a/lists.js';
import { AnnexAService } from './annex-a/service.js';
import { annexAWorkbook } from './annex-a/workbook.js';
import { censusXml } from './census-xml.js';
import { localAuthorityCodes } from './codes.js';
import { ReturnsService, type ReturnsOperator } from './service.js';
import { ssda903Files } from './ssda903/files.js';

/**
 * The statutory returns at county scale for `npm run bench -- --only
 * returns` (issue 17: "both under 60 s at 20,000 children on PostgreSQL").
 * Fills Kent SCS, in the bench's scratch database, with the demo's own
 * generators (src/people/demo.ts, src/casework/demo.ts and its SSDA903
 * part): people with names, UPNs and ethnicity, and their child in need,
 * child protection, looked-after (periods of care, legal statuses,
 * placements, reviews, health outcomes, care leavers) and adoption records,
 * until about `children` children have a record either return reads. Synthetic only (faker, fixed seed).
 *
 * Then times each return as the page and the command run it: the check
 * (every record read, each child built, validated, audited and the report
 * drawn up) and the file built from the children (the XML; the eleven
 * CSVs). A real county's records always leave some errors, and so do the
 * demo's (a tenth of dates of birth unknown), so the file is built from the
 * checked children rather than through `produce`, which would refuse.
 */

/** The year the demo's records (opened over the eight years to November 2026) fill. */
export const BENCH_YEAR = 2026;
/** Children with a record either return reads (child in need, plan, looked after, adoption). */
export async function returnChildren(db: Kysely<Database>, organisationId: string) {
  const { rows } = await sql<{ n: string }>`
    select count(distinct rp.person_id)::text as n
    from case_record r
    join record_party rp on rp.record_id = r.id and rp.role = 'subject'
    where r.organisation_id = ${organisationId}
      and r.category in ('child-in-need', 'child-protection-plan', 'looked-after', 'adoption')`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The demo's Kent teams, each with a practitioner: the demo gives health
 * outcomes and reviews only to allocated looked-after records.
 */
async function benchTeams(db: Kysely<Database>, organisationId: string) {
  const teamIds = new Map<string, string>();
  const auth = new AuthService(db, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
  for (const slug of ['assessment', 'children-in-care', 'adoption']) {
    const existing = await db
      .selectFrom('team')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (existing) {
      teamIds.set(`kent-scs/${slug}`, existing.id);
      continue;
    }
    const team = await db
      .insertInto('team')
      .values({ organisation_id: organisationId, slug, name: `Benchmark ${slug}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    teamIds.set(`kent-scs/${slug}`, team.id);
    const accountId = await auth.createAccount({
      email: `bench.${slug}.${randomBytes(4).toString('hex')}@bench.example`,
      displayName: `Benchmark ${slug}`,
      password: randomBytes(18).toString('base64url'),
    });
    await db
      .insertInto('membership')
      .values({
        account_id: accountId,
        organisation_id: organisationId,
        team_id: team.id,
        role_slug: 'practitioner',
      })
      .execute();
  }
  return teamIds;
}

/** Adds demo people and records to Kent SCS until `children` children are in the returns. */
export async function fillReturns(
  db: Kysely<Database>,
  children: number,
  log: (line: string) => void,
): Promise<{ organisationId: string; children: number }> {
  const organisation = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', 'kent-scs')
    .executeTakeFirstOrThrow();
  const teamIds = await benchTeams(db, organisation.id);
  faker.seed(children);
  let have = await returnChildren(db, organisation.id);
  let batch = 0;
  while (have < children) {
    // About 0.28 children in the returns per person made (a third of people
    // get a record, most of Kent's are returnable); a transaction per batch
    // of at most 3,000 people, each built well inside the server's limit on
    // a transaction left idle.
    const count = Math.min(3000, Math.max(30, Math.ceil((children - have) / 0.25)));
    const first = batch === 0;
    await db.transaction().execute(async (trx) => {
      const { ids } = await createDemoPeople(trx, faker, {
        organisationId: organisation.id,
        organisation: 'kent-scs',
        count,
      });
      await createDemoRecords(trx, faker, {
        organisationId: organisation.id,
        organisation: 'kent-scs',
        personIds: ids,
        teamIds,
        today: '2026-11-01',
        // The demo's two fixed-id retention examples: once.
        ...(first ? {} : { retentionExamples: false }),
      });
    });
    batch += 1;
    have = await returnChildren(db, organisation.id);
    if (batch % 5 === 0) log(`returns: ${have.toLocaleString('en-GB')} children so far`);
  }
  const reached = await returnChildren(db, organisation.id);
  log(`returns: ${reached.toLocaleString('en-GB')} children with a returnable record`);
  return { organisationId: organisation.id, children: reached };
}

function once(name: string, seconds: number, rows: number): Measurement {
  return {
    name,
    samples: 1,
    medianMs: Math.round(seconds * 1000),
    p95Ms: Math.round(seconds * 1000),
    maxMs: Math.round(seconds * 1000),
    perSecond: rows / Math.max(seconds, 1e-9),
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/** One timed run of each return for Kent SCS, as the operator at the command line runs it. */
export async function runReturns(db: Kysely<Database>, organisationId: string) {
  const operator: ReturnsOperator = {
    kind: 'operator',
    organisation: { id: organisationId, slug: 'kent-scs', shortName: 'Kent SCS' },
  };
  const service = new ReturnsService(db);
  const census = await timed(() =>
    service.cinCensus(operator, { year: BENCH_YEAR, produce: false }),
  );
  const xml = await timed(() =>
    censusXml(
      {
        period: census.value.period,
        laCode: localAuthorityCodes['kent-scs'] ?? '886',
        producedAt: new Date(),
        serialNo: 1,
      },
      census.value.children,
    ),
  );
  const ssda903 = await timed(() =>
    service.ssda903(operator, { year: BENCH_YEAR, produce: false }),
  );
  const files = await timed(async () => Promise.resolve(ssda903Files(ssda903.value.children)));
  const rows = files.value.reduce(
    (n, f) => n + Math.max(0, f.csv.split('\r\n').filter((l) => l !== '').length - 1),
    0,
  );
  // Annex A as of the year's last day: the lists checked, then the workbook
  // built from them (as for the others, the fill's errors stop `produce`).
  const annexA = await timed(() =>
    new AnnexAService(db).annexA(operator, { asOf: `${BENCH_YEAR}-03-31`, produce: false }),
  );
  const workbook = await timed(() => annexAWorkbook(annexA.value.annex));
  const annexRows = listKeys.reduce((n, k) => n + annexA.value.annex.lists[k].length, 0);
  return {
    census: {
      checkSeconds: census.seconds,
      fileSeconds: xml.seconds,
      children: census.value.children.length,
      failures: census.value.failures.length,
      xmlBytes: Buffer.byteLength(xml.value),
    },
    ssda903: {
      checkSeconds: ssda903.seconds,
      fileSeconds: files.seconds,
      children: ssda903.value.children.length,
      failures: ssda903.value.failures.length,
      rows,
    },
    annexA: {
      checkSeconds: annexA.seconds,
      fileSeconds: workbook.seconds,
      children: annexA.value.children,
      failures: annexA.value.failures.length,
      rows: annexRows,
      workbookBytes: workbook.value.length,
    },
  };
}

export const returnsBenchmarks: readonly Benchmark[] = [
  {
    name: 'returns.build',
    description:
      'the Children in Need census, SSDA903 and Ofsted Annex A for one organisation and year at county scale (--children, 20,000 on PostgreSQL): check (read, build, validate, audit, report) and file',
    async run(db, options) {
      const target = options.children ?? 2000;
      const filled = await timed(() => fillReturns(db, target, options.log));
      options.log(`returns: filled in ${filled.seconds.toFixed(0)} s`);
      // Statistics for the new rows, as autovacuum would gather them.
      await sql`analyze`.execute(db).catch(() => undefined);
      const { organisationId, children } = filled.value;
      const run = await runReturns(db, organisationId);
      const label = `${children.toLocaleString('en-GB')} children`;
      options.log(
        `returns: census ${run.census.children.toLocaleString('en-GB')} children, ${run.census.failures} failures, check ${run.census.checkSeconds.toFixed(1)} s, XML ${run.census.fileSeconds.toFixed(1)} s (${Math.round(run.census.xmlBytes / 1024)} KiB)`,
      );
      options.log(
        `returns: SSDA903 ${run.ssda903.children.toLocaleString('en-GB')} children, ${run.ssda903.rows.toLocaleString('en-GB')} rows, ${run.ssda903.failures} failures, check ${run.ssda903.checkSeconds.toFixed(1)} s, files ${run.ssda903.fileSeconds.toFixed(1)} s`,
      );
      options.log(
        `returns: Annex A ${run.annexA.children.toLocaleString('en-GB')} children, ${run.annexA.rows.toLocaleString('en-GB')} rows, ${run.annexA.failures} failures, check ${run.annexA.checkSeconds.toFixed(1)} s, workbook ${run.annexA.fileSeconds.toFixed(1)} s (${Math.round(run.annexA.workbookBytes / 1024)} KiB)`,
      );
      return [
        once(`returns.cin-census-check (${label})`, run.census.checkSeconds, run.census.children),
        once(`returns.cin-census-xml (${label})`, run.census.fileSeconds, run.census.children),
        once(`returns.ssda903-check (${label})`, run.ssda903.checkSeconds, run.ssda903.children),
        once(`returns.ssda903-files (${label})`, run.ssda903.fileSeconds, run.ssda903.rows),
        once(`returns.annex-a-check (${label})`, run.annexA.checkSeconds, run.annexA.children),
        once(`returns.annex-a-workbook (${label})`, run.annexA.fileSeconds, run.annexA.rows),
      ];
    },
  },
];
