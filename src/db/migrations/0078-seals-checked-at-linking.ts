import { sql, type Kysely } from 'kysely';

/**
 * Seals checked when events are linked, not on every full walk (issue 16,
 * decision record 0052).
 *
 * - `audit_chain_refusal`: an event the chainer would not link because its
 *   seal is missing (once sealing began) or does not verify. The chainer
 *   skips what it has refused, so a forged event is looked at once, not on
 *   every run, and cannot hold back the events after it; verify names every
 *   refused event, whatever its date. A row here hides nothing: verify
 *   names every event that is not linked.
 * - `audit_seal_attestation`: the chainer's signed word, one per batch it
 *   links, that it checked the seal of every event in links `from_link` to
 *   `to_link`, the last of which had `head_hash`. Signed with the
 *   checkpoint key (never in the database), so the app's database login,
 *   which may insert links, cannot attest links of its own. A full walk
 *   checks each attestation once instead of each seal in its range.
 *
 * Both are append-only like the rest of the audit log (db/roles.ts: the app
 * may read and add, never change or remove).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_chain_refusal (
      event_seq bigint primary key,
      refused_at timestamptz not null default clock_timestamp(),
      reason text not null check (reason in ('seal-missing', 'seal-fails'))
    );
    create trigger audit_chain_refusal_append_only
      before update or delete on audit_chain_refusal
      for each row execute function audit_refuse_change();
    create trigger audit_chain_refusal_no_truncate
      before truncate on audit_chain_refusal
      for each statement execute function audit_refuse_change();

    create table audit_seal_attestation (
      id bigint generated always as identity primary key,
      from_link bigint not null check (from_link > 0),
      to_link bigint not null check (to_link >= from_link),
      head_hash text not null check (head_hash ~ '^[0-9a-f]{64}$'),
      key_id text not null,
      signature text not null
    );
    create index audit_seal_attestation_to_link on audit_seal_attestation (to_link);
    create trigger audit_seal_attestation_append_only
      before update or delete on audit_seal_attestation
      for each row execute function audit_refuse_change();
    create trigger audit_seal_attestation_no_truncate
      before truncate on audit_seal_attestation
      for each statement execute function audit_refuse_change();
  `.execute(db);
}
