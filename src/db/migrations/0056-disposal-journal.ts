import { sql, type Kysely } from 'kysely';

/**
 * The disposal journal (issue 16; decision record 0038): restoring a backup
 * taken before a sweep would bring the destroyed records back. Each
 * certified disposal also writes a journal entry — ids, the certificate's
 * hash and times, no personal data — in the same transaction; the audit
 * chainer ships unshipped entries out of the database with the checkpoints,
 * and `safekeep retention replay-disposals` re-applies, from the shipped
 * copy, every disposal a restored database does not know.
 *
 * A replayed disposal gets a certificate of its own ('replay' approval)
 * naming the certificate it re-applies, so replaying twice finds it known.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table disposal_journal (
      seq bigint generated always as identity primary key,
      certificate_id uuid not null unique references disposal_certificate(id) on delete cascade,
      organisation_id uuid not null,
      item_kind text not null,
      item_ids uuid[] not null,
      certificate_hash text not null check (certificate_hash ~ '^[0-9a-f]{64}$'),
      disposed_at timestamptz not null,
      -- Set once the entry is written out of the database (the checkpoint file and log).
      shipped_at timestamptz
    );
    create index disposal_journal_unshipped on disposal_journal(seq) where shipped_at is null;

    alter table disposal_certificate drop constraint if exists disposal_certificate_approval_check;
    alter table disposal_certificate
      add constraint disposal_certificate_approval_check
        check (approval in ('schedule', 'review-decision', 'replay')),
      add column replays_certificate_id uuid;
    create index disposal_certificate_replays
      on disposal_certificate(replays_certificate_id) where replays_certificate_id is not null;
  `.execute(db);
}
