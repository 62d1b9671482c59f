import { sql, type Kysely } from 'kysely';

/**
 * The audit chain moves out of the audited transaction (decision record
 * 0012, issue 10 items 12 and 13).
 *
 * Before: every audited action took one global lock for the rest of its
 * transaction, to read the chain's last hash and write the next. Now an
 * action only inserts its event; a single chainer links committed events,
 * in commit order, into `audit_chain_link` shortly after, hashing each event
 * as the database stores it. Signed checkpoints of the chain's head go to
 * `audit_checkpoint` and, more importantly, out of the database.
 *
 * All three tables are append-only for everyone (triggers below), and the
 * app's database role needs only INSERT and SELECT on them.
 *
 * - `audit_event.occurred_at` comes from the database clock, at the
 *   microsecond precision it is stored at (it was a JavaScript Date, to the
 *   millisecond).
 * - `audit_event.xact_id` is the inserting transaction's id: the chainer
 *   uses it to know which events can still appear (their transaction is in
 *   flight) and which cannot (every transaction older than the oldest in
 *   flight has finished). Existing events get this migration's id.
 * - `audit_event.seal`: the app's Ed25519 signature over the event as it
 *   records it, with the checkpoint key, which the database never holds: an
 *   event written by anyone else (with the app's own database login, say)
 *   has no seal that verifies. Null while no key is configured (development).
 * - `prev_hash` and `hash` on events are the old chain's; kept for events
 *   written before this migration (and hashed into the new chain, so they
 *   cannot be edited either), null from now on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_event alter column occurred_at set default clock_timestamp();
    alter table audit_event alter column prev_hash drop not null;
    alter table audit_event alter column hash drop not null;
    alter table audit_event add column xact_id xid8 not null default pg_current_xact_id();
    alter table audit_event add column seal text;
    create index audit_event_xact on audit_event(xact_id);

    create table audit_chain_link (
      -- 1, 2, 3…: the chainer numbers links itself, so a gap is a removal.
      seq bigint primary key check (seq > 0),
      event_seq bigint not null unique references audit_event(seq),
      event_id uuid not null,
      prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text not null check (hash ~ '^[0-9a-f]{64}$'),
      -- The oldest transaction still in flight when this link was made:
      -- the next chainer looks only at events from that one on.
      horizon xid8 not null
    );

    create table audit_checkpoint (
      id bigint generated always as identity primary key,
      link_seq bigint not null check (link_seq >= 0),
      head_hash text not null check (head_hash ~ '^[0-9a-f]{64}$'),
      signed_at timestamptz not null,
      key_id text not null check (key_id ~ '^[0-9a-f]{16}$'),
      signature text not null
    );

    create function audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % refused', tg_table_name, tg_op;
    end;
    $$;
    create trigger audit_chain_link_append_only
      before update or delete on audit_chain_link
      for each row execute function audit_refuse_change();
    create trigger audit_chain_link_no_truncate
      before truncate on audit_chain_link
      for each statement execute function audit_refuse_change();
    create trigger audit_checkpoint_append_only
      before update or delete on audit_checkpoint
      for each row execute function audit_refuse_change();
    create trigger audit_checkpoint_no_truncate
      before truncate on audit_checkpoint
      for each statement execute function audit_refuse_change();
  `.execute(db);
}
