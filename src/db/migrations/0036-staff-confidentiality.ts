import { sql, type Kysely } from 'kysely';

/**
 * `staff_confidentiality_acknowledgement`: each time a member of staff
 * acknowledges their organisation's confidentiality statement — on first
 * signing in for that organisation and then yearly (issue 12 item 18; the
 * KSCMP, Kent SCS and LADO notices promise that staff are bound by a duty of
 * confidentiality). Kept as a history, never updated, so the DPO can show
 * when each person last agreed and to which wording.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table staff_confidentiality_acknowledgement (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id) on delete cascade,
      organisation_id uuid not null references organisation(id),
      statement_version text not null check (length(statement_version) between 1 and 40),
      acknowledged_at timestamptz not null default now()
    );
    create index staff_confidentiality_latest
      on staff_confidentiality_acknowledgement (account_id, organisation_id, acknowledged_at desc);
  `.execute(db);
}
