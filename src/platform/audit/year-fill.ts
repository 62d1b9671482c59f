import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * A year of audit events for the bench's two questions at county scale
 * (issue 16: 100 million events, "who saw this record" and "what did this
 * account see" both under 100 ms), filled set-based in PostgreSQL: through
 * the app and the chainer a fill runs at about 2,400 events a second here,
 * so 100 million would take half a day.
 *
 * The twelve whole months before the current one each get a twelfth of the
 * events. Each month is loaded as a table of its own with no index, its
 * indexes built after (one sorted build each, rather than a hundred million
 * index insertions), and then attached as the month's partition of
 * `audit_event`: PostgreSQL adopts the month's indexes as the partitions of
 * the parent's (it matches each by its definition) and, given a CHECK
 * constraint that implies the month's bounds, attaches without scanning the
 * rows. The result is what `audit_event_make_partitions` and a year of
 * inserts would have made: the same columns, constraints, indexes, row
 * triggers (cloned on attach) and truncate trigger.
 *
 * The events are neither sealed nor linked (the questions do not read
 * seals or links); the full walk's figure has a fill of its own
 * (chain-fill.ts). Only for a bench's own database: the empty months it
 * replaces are dropped.
 *
 * The shape: 2,000 accounts; one record for every 100 events, each seen
 * about 8 times a month all year; seq rising with time, as the app appends;
 * a mix of reads (80%), changes, person reads, exports and searches (no
 * object), with 2% refused and 1% failed. Ids are md5 of counters so the
 * bench can name them again (`accountId`, `recordId`).
 */
export const YEAR_ORGANISATION = '00000000-0000-4000-8000-00000000a0d2';
const ACCOUNTS = 2000;
const MONTHS = 12;

export function yearRecords(events: number): number {
  return Math.max(1, Math.floor(events / 100));
}

export interface YearFillResult {
  events: number;
  months: {
    name: string;
    events: number;
    loadSeconds: number;
    indexSeconds: number;
    attachSeconds: number;
  }[];
  reused: boolean;
}

/** The first days (UTC) of the twelve whole months before the current one, oldest first. */
function yearMonths(now = new Date()): Date[] {
  const months: Date[] = [];
  for (let back = MONTHS; back >= 1; back -= 1) {
    months.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)));
  }
  return months;
}

function partitionName(month: Date): string {
  return `audit_event_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Fills the year with `events` events, unless its months already hold
 * exactly that many of this fill's events (a kept database's next run).
 * `owner` must be the tables' owner: it drops, creates and attaches months.
 */
export async function fillAuditYear(
  owner: Kysely<Database>,
  events: number,
  log: (line: string) => void,
): Promise<YearFillResult> {
  const months = yearMonths();
  return owner.connection().execute(async (db) => {
    await sql`set statement_timeout = 0`.execute(db);
    // Index builds sort in memory rather than in many small runs on disk.
    await sql`set maintenance_work_mem = '512MB'`.execute(db);
    // Each month made first, so every one exists to be counted or replaced.
    await sql`select audit_event_make_partitions(12, ${months[0]?.toISOString()}::timestamptz)`.execute(
      db,
    );
    const { rows: counted } = await sql<{ n: string }>`
      select count(*)::text as n from audit_event
      where organisation_id = ${YEAR_ORGANISATION}::uuid
        and occurred_at >= ${months[0]?.toISOString()}::timestamptz`.execute(db);
    if (Number(counted[0]?.n ?? 0) === events) {
      log(
        `audit-year: the kept database already holds the year of ${events.toLocaleString('en-GB')} events`,
      );
      return { events, months: [], reused: true };
    }
    const records = yearRecords(events);
    const { rows: seqRows } = await sql<{ base: string }>`
      select nextval(pg_get_serial_sequence('audit_event', 'seq'))::text as base`.execute(db);
    const base = Number(seqRows[0]?.base ?? 0);
    // The identity carries on after the last seq the fill uses.
    await sql`select setval(pg_get_serial_sequence('audit_event', 'seq'), ${base + events})`.execute(
      db,
    );
    const result: YearFillResult = { events, months: [], reused: false };
    for (const [m, month] of months.entries()) {
      const name = partitionName(month);
      const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
      const from = Math.floor((events * m) / MONTHS);
      const to = Math.floor((events * (m + 1)) / MONTHS);
      const n = to - from;
      const table = sql.table(name);
      // A month a previous run filled, or an empty one made ahead: replaced
      // whole (detached first, which checks that no link names its events).
      const { rows: found } = await sql<{ attached: boolean }>`
        select exists (select 1 from pg_inherits where inhrelid = c.oid) as attached
        from pg_class c where c.oid = to_regclass(${name})`.execute(db);
      if (found[0]?.attached)
        await sql`alter table audit_event detach partition ${table}`.execute(db);
      // (A month an interrupted run loaded but did not attach is dropped too.)
      if (found[0]) await sql`drop table ${table}`.execute(db);
      let started = performance.now();
      await sql`create table ${table} (like audit_event including defaults including constraints)`.execute(
        db,
      );
      await sql`
        insert into ${table} (seq, id, occurred_at, actor_account_id, organisation_id, action,
          object_type, object_ids, purpose, outcome, request_id)
        select ${base}::bigint + g, gen_random_uuid(),
          ${month.toISOString()}::timestamptz
            + (${next.getTime() - month.getTime()}::float8 * ((g - ${from}) + random()) / ${n})
              * interval '1 millisecond',
          md5('year-account' || (g % ${ACCOUNTS}))::uuid,
          ${YEAR_ORGANISATION}::uuid,
          (array['record.read','record.read','record.read','record.read','record.read',
                 'record.read','record.read','record.read','record.read','record.read',
                 'record.read','record.read','record.read','record.read','record.read',
                 'record.read','record.update','person.read','record.export','people.search'])[g % 20 + 1],
          case when g % 20 = 19 then null when g % 20 = 17 then 'person' else 'case-record' end,
          case when g % 20 = 19 then '{}'::text[]
            else array[md5('year-record' || ((g * 104729) % ${records}))::uuid::text] end,
          case when g % 20 = 19 then null else 'safeguarding-assessment' end,
          case when g % 50 = 0 then 'denied' when g % 97 = 0 then 'failure' else 'success' end,
          'req-' || g
        from generate_series(${from}::bigint, ${to - 1}::bigint) as g`.execute(db);
      const loadSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      // The parent's indexes (migration 0070 and after), built once over the month's rows.
      await sql`alter table ${table} add primary key (seq, occurred_at)`.execute(db);
      const { rows: indexes } = await sql<{ definition: string }>`
        select pg_get_indexdef(i.indexrelid) as definition
        from pg_index i
        where i.indrelid = 'audit_event'::regclass and not i.indisprimary`.execute(db);
      for (const { definition } of indexes) {
        // "CREATE INDEX audit_event_actor ON ONLY public.audit_event USING btree (…)"
        const columns = definition.replace(/^.* USING /, 'using ');
        await sql`create index on ${table} ${sql.raw(columns)}`.execute(db);
      }
      const indexSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      // Proves the bounds, so attaching need not read every row to check them
      // (DDL takes no parameters: the bounds are written as literals).
      await sql`alter table ${table} add constraint ${sql.id(`${name}_month`)}
        check (occurred_at >= ${sql.lit(month.toISOString())}::timestamptz and occurred_at < ${sql.lit(next.toISOString())}::timestamptz)`.execute(
        db,
      );
      await sql`alter table audit_event attach partition ${table}
        for values from (${sql.lit(month.toISOString())}::timestamptz) to (${sql.lit(next.toISOString())}::timestamptz)`.execute(
        db,
      );
      await sql`alter table ${table} drop constraint ${sql.id(`${name}_month`)}`.execute(db);
      await sql`create trigger audit_event_no_truncate before truncate on ${table}
        for each statement execute function audit_event_refuse_change()`.execute(db);
      // What autovacuum does after a month of inserts: statistics, and the
      // visibility map an index-only scan needs.
      await sql`vacuum (analyze) ${table}`.execute(db);
      const attachSeconds = (performance.now() - started) / 1000;
      result.months.push({ name, events: n, loadSeconds, indexSeconds, attachSeconds });
      log(
        `audit-year: ${name} ${n.toLocaleString('en-GB')} events: loaded in ${loadSeconds.toFixed(1)} s, indexed in ${indexSeconds.toFixed(1)} s, attached and vacuumed in ${attachSeconds.toFixed(1)} s`,
      );
    }
    await sql`analyze audit_event`.execute(db);
    await sql`reset statement_timeout`.execute(db);
    await sql`reset maintenance_work_mem`.execute(db);
    return result;
  });
}

/** md5(text)::uuid as PostgreSQL makes it. */
function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The i-th of the records and accounts the bench asks about: spread over all of them. */
export function yearRecordId(events: number, i: number): string {
  return md5Uuid(`year-record${(i * 7_919) % yearRecords(events)}`);
}
export function yearAccountId(i: number): string {
  return md5Uuid(`year-account${(i * 37) % ACCOUNTS}`);
}
