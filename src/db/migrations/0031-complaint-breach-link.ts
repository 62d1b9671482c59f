import { sql, type Kysely } from 'kysely';

/**
 * A complaint can be linked to a breach in the register (issue 11 "linked
 * to rights requests and breaches where relevant"), as it already can to a
 * rights request (migration 0022): a link names exactly one target, of the
 * complaint's own organisation, and goes with either if it is destroyed.
 * The constraints 0022 left unnamed are replaced by named ones that know
 * both kinds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table complaint_link add column breach_id uuid;
    alter table complaint_link drop constraint complaint_link_target_kind_check;
    alter table complaint_link drop constraint complaint_link_check;
    alter table complaint_link add constraint complaint_link_target_kind
      check (target_kind in ('rights-request', 'breach'));
    alter table complaint_link add constraint complaint_link_one_target check (
      (target_kind = 'rights-request') = (rights_request_id is not null)
      and (target_kind = 'breach') = (breach_id is not null));
    alter table complaint_link add constraint complaint_link_breach
      foreign key (breach_id, organisation_id)
      references breach (id, organisation_id) on delete cascade;
    alter table complaint_link add constraint complaint_link_breach_once
      unique (complaint_id, breach_id);
    create index complaint_link_breach_id on complaint_link (breach_id) where breach_id is not null;
  `.execute(db);
}
