import { sql, type Kysely } from 'kysely';

/**
 * Retention for the audit log itself (issue 16, decision record 0050): a
 * month of events older than the policy's period is dropped whole, once a
 * signed checkpoint covers it, and the cut is recorded so that verify
 * starts from that checkpoint.
 *
 * - `audit_retention_cut` records each cut: the months dropped, the time
 *   before which nothing is kept, and the checkpoint the chain is walked
 *   from afterwards (its link and head hash). Append-only like the log.
 * - `audit_event_drop_months(keep_months)` does the cut as the tables'
 *   owner (SECURITY DEFINER: the app's role may not drop tables nor delete
 *   links). It refuses a period under a year, whoever calls it, so the
 *   app's login cannot empty the log; verify holds each cut to the policy's
 *   period and to the signed checkpoints. It drops nothing while an event in
 *   those months is unlinked, nor before a checkpoint past their last link
 *   exists whose own link survives the cut (its event is newer). The links
 *   of the dropped events go with them: the foreign key from
 *   audit_chain_link forbids detaching a month they still name, and they
 *   hold only hashes and ids.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_retention_cut (
      id bigint generated always as identity primary key,
      cut_at timestamptz not null default clock_timestamp(),
      dropped_before timestamptz not null,
      months text[] not null,
      through_link bigint not null check (through_link > 0),
      head_hash text not null check (head_hash ~ '^[0-9a-f]{64}$'),
      links_removed bigint not null check (links_removed >= 0)
    );
    create trigger audit_retention_cut_append_only
      before update or delete on audit_retention_cut
      for each row execute function audit_refuse_change();
    create trigger audit_retention_cut_no_truncate
      before truncate on audit_retention_cut
      for each statement execute function audit_refuse_change();

    create function audit_event_drop_months(keep_months integer)
    returns integer language plpgsql security definer
    set search_path from current as $$
    declare
      cutoff timestamptz;
      last_link bigint;
      anchor record;
      part record;
      names text[] := '{}';
      removed bigint := 0;
    begin
      if keep_months is null or keep_months < 12 then
        raise exception 'the audit log is kept for at least 12 months: % refused', keep_months;
      end if;
      -- The chainer's lock (chainer.ts): nothing is linked while months go.
      perform pg_advisory_xact_lock(7261001, hashtext(current_schema()));
      select max(p.upper) into cutoff from (
        select to_date(substr(c.relname, 14, 4) || substr(c.relname, 19, 2), 'YYYYMM')::timestamp
                 at time zone 'UTC' + interval '1 month' as upper
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'audit_event'::regclass
      ) p
      where p.upper <= now() - make_interval(months => keep_months);
      if cutoff is null then
        return 0;
      end if;
      -- An event never linked would go unverified: leave it for verify to name.
      if exists (
        select 1 from audit_event e
        where e.occurred_at < cutoff
          and not exists (select 1 from audit_chain_link l where l.event_seq = e.seq)
      ) then
        return 0;
      end if;
      select max(l.seq) into last_link from audit_chain_link l where l.event_occurred_at < cutoff;
      if last_link is not null then
        select c.link_seq, c.head_hash into anchor
        from audit_checkpoint c
        join audit_chain_link l on l.seq = c.link_seq and l.hash = c.head_hash
        where c.link_seq >= last_link and l.event_occurred_at >= cutoff
        order by c.link_seq
        limit 1;
        if not found then
          return 0;
        end if;
        alter table audit_chain_link disable trigger audit_chain_link_append_only;
        delete from audit_chain_link where event_occurred_at < cutoff;
        get diagnostics removed = row_count;
        alter table audit_chain_link enable trigger audit_chain_link_append_only;
      end if;
      for part in
        select c.relname as name
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'audit_event'::regclass
          and to_date(substr(c.relname, 14, 4) || substr(c.relname, 19, 2), 'YYYYMM')::timestamp
                at time zone 'UTC' < cutoff
        order by c.relname
      loop
        execute format('alter table audit_event detach partition %I', part.name);
        execute format('drop table %I', part.name);
        names := names || part.name::text;
      end loop;
      if last_link is not null then
        insert into audit_retention_cut (dropped_before, months, through_link, head_hash, links_removed)
        values (cutoff, names, anchor.link_seq, anchor.head_hash, removed);
      end if;
      return coalesce(array_length(names, 1), 0);
    end;
    $$;
  `.execute(db);
}
