import { sql, type Kysely } from 'kysely';

/**
 * Retention for what no record schedule covers (issue 12 items 13 and 6;
 * decisions 0020 and 0021):
 *
 * - A person held in no record: `person.record_free_since` is the day they
 *   were last in none — the day they were added, or the day their last part
 *   in a record went. The database keeps it (a trigger on record_party), so
 *   no path that adds or removes a party can forget it. The sweep destroys
 *   such a person once the policy's months have passed since that day.
 * - Rights requests: destroyed by the sweep once the policy's period after
 *   they finished has passed. An annotation a request attached to a record
 *   (what the person disputes) belongs to the record from then on, so it
 *   forgets the request rather than going with it.
 * - Disposal certificates name these kinds too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person add column record_free_since date default current_date;
    update person p set record_free_since = null
      where exists (select 1 from record_party rp where rp.person_id = p.id);
    update person p set record_free_since = p.created_at::date
      where not exists (select 1 from record_party rp where rp.person_id = p.id);

    create function record_party_keep_record_free_since() returns trigger language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        update person set record_free_since = null
          where id = new.person_id and record_free_since is not null;
      end if;
      if tg_op in ('DELETE', 'UPDATE') then
        update person set record_free_since = current_date
          where id = old.person_id and record_free_since is null
            and not exists (select 1 from record_party where person_id = old.person_id);
      end if;
      return null;
    end
    $$;
    create trigger record_party_keep_record_free_since
      after insert or update of person_id or delete on record_party
      for each row execute function record_party_keep_record_free_since();
    create index person_record_free_since on person (organisation_id, record_free_since)
      where record_free_since is not null and merged_into_id is null;

    alter table rights_annotation alter column request_id drop not null;

    alter table disposal_certificate
      drop constraint disposal_certificate_item_kind_check,
      add constraint disposal_certificate_item_kind_check check (item_kind in ('case-record',
        'training-booking', 'survey', 'partnership-meeting', 'person', 'rights-request'));
  `.execute(db);
}
