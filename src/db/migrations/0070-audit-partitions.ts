import { sql, type Kysely } from 'kysely';

/**
 * The audit log, partitioned by month (issue 16, "A year of audit"): a
 * county writes about 300,000 events a day, 100 million a year. One table
 * of that size makes every index deep and every maintenance job (vacuum,
 * reindex, a retention decision about a year of events) a whole-table job;
 * a month per partition keeps each index a twelfth of the year, lets a
 * query bounded by time read only its months, and lets a month that policy
 * no longer needs be detached whole (docs/decisions/0049).
 *
 * PostgreSQL's declarative partitioning, not a scheme of our own:
 * `audit_event` becomes a table partitioned by range of `occurred_at`, one
 * partition per calendar month (UTC), named `audit_event_yYYYYmMM`.
 *
 * - A unique key on a partitioned table must contain the partition key, so
 *   the primary key is (seq, occurred_at) and `id` is indexed, not unique
 *   (ids are random UUIDs made by the app; nothing refers to them).
 *   `audit_chain_link` now refers to its event by (seq, occurred_at),
 *   keeping the foreign key that stops a link naming an event that is not
 *   there.
 * - The append-only row triggers are cloned to every partition by
 *   PostgreSQL; the truncate trigger is not (statement triggers are per
 *   table), so each partition gets its own.
 * - Partitions are made ahead by `audit_event_make_partitions(months)`,
 *   which the migration runs for the year ahead and the daily job
 *   `audit.partitions` keeps a year ahead. It is SECURITY DEFINER: the app's
 *   role may not create tables (decision 0015), yet must keep the months
 *   coming. There is deliberately no default partition: an event for a
 *   month with no partition fails its transaction — an audited action
 *   never happens unaudited — and with a year made ahead, that would take a
 *   year of the job not running.
 *
 * The existing events are copied in seq order with their seq kept, and the
 * identity carries on after the highest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_chain_link drop constraint audit_chain_link_event_seq_fkey;
    alter table audit_event rename to audit_event_unpartitioned;
    alter index audit_event_pkey rename to audit_event_unpartitioned_pkey;
    alter index audit_event_id_key rename to audit_event_unpartitioned_id_key;
    alter index audit_event_actor rename to audit_event_unpartitioned_actor;
    alter index audit_event_xact rename to audit_event_unpartitioned_xact;
    alter index audit_event_object_ids rename to audit_event_unpartitioned_object_ids;

    create table audit_event (
      seq bigint generated always as identity,
      id uuid not null,
      occurred_at timestamptz not null default clock_timestamp(),
      actor_account_id uuid,
      organisation_id uuid,
      action text not null check (action ~ '^[a-z0-9.-]+$'),
      object_type text check (object_type ~ '^[a-z0-9-]+$'),
      object_ids text[] not null default '{}',
      purpose text check (purpose ~ '^[a-z0-9-]+$'),
      outcome text not null check (outcome in ('success', 'failure', 'denied')),
      request_id text,
      prev_hash text,
      hash text,
      xact_id xid8 not null default pg_current_xact_id(),
      seal text,
      primary key (seq, occurred_at)
    ) partition by range (occurred_at);

    create function audit_event_make_partitions(months_ahead integer, from_time timestamptz default now())
    returns integer language plpgsql security definer
    set search_path from current as $$
    declare
      month date := date_trunc('month', from_time at time zone 'UTC')::date;
      last_month date := (date_trunc('month', now() at time zone 'UTC')
        + make_interval(months => months_ahead))::date;
      name text;
      made integer := 0;
    begin
      while month <= last_month loop
        name := format('audit_event_y%sm%s', to_char(month, 'YYYY'), to_char(month, 'MM'));
        if to_regclass(name) is null then
          execute format(
            'create table %I partition of audit_event for values from (%L) to (%L)',
            name,
            month::timestamp at time zone 'UTC',
            (month + interval '1 month')::timestamp at time zone 'UTC');
          execute format(
            'create trigger audit_event_no_truncate before truncate on %I
               for each statement execute function audit_event_refuse_change()', name);
          made := made + 1;
        end if;
        month := (month + interval '1 month')::date;
      end loop;
      return made;
    end;
    $$;

    -- From the month of the oldest event to copy (or last month: a clock a
    -- little behind at a month's turn), to a year ahead.
    select audit_event_make_partitions(
      12, coalesce((select min(occurred_at) from audit_event_unpartitioned), now() - interval '1 month'));

    insert into audit_event (seq, id, occurred_at, actor_account_id, organisation_id, action,
      object_type, object_ids, purpose, outcome, request_id, prev_hash, hash, xact_id, seal)
    overriding system value
    select seq, id, occurred_at, actor_account_id, organisation_id, action,
      object_type, object_ids, purpose, outcome, request_id, prev_hash, hash, xact_id, seal
    from audit_event_unpartitioned order by seq;

    select setval(
      pg_get_serial_sequence('audit_event', 'seq'),
      coalesce((select max(seq) from audit_event), 0) + 1,
      false);

    drop table audit_event_unpartitioned;

    create index audit_event_id on audit_event (id);
    create index audit_event_actor on audit_event (actor_account_id, occurred_at);
    create index audit_event_xact on audit_event (xact_id);
    create index audit_event_object_ids on audit_event using gin (object_ids);

    create trigger audit_event_append_only
      before update or delete on audit_event
      for each row execute function audit_event_refuse_change();
    create trigger audit_event_no_truncate
      before truncate on audit_event
      for each statement execute function audit_event_refuse_change();

    alter table audit_chain_link add column event_occurred_at timestamptz;
  `.execute(db);
  // audit_chain_link is append-only: its trigger is set aside, as the owner,
  // for this one filling of the new column, inside the migration's
  // transaction.
  await sql`
    alter table audit_chain_link disable trigger audit_chain_link_append_only;
    update audit_chain_link l set event_occurred_at = e.occurred_at
      from audit_event e where e.seq = l.event_seq;
    alter table audit_chain_link enable trigger audit_chain_link_append_only;
    alter table audit_chain_link alter column event_occurred_at set not null;
    alter table audit_chain_link add constraint audit_chain_link_event_fkey
      foreign key (event_seq, event_occurred_at) references audit_event (seq, occurred_at);
  `.execute(db);
}
