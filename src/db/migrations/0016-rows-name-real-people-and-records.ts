import { sql, type Kysely } from 'kysely';

/**
 * Foreign keys where a row names a person or a record (issue 10 item 1), so
 * the database itself refuses a row naming one that does not exist — and,
 * where the row carries its organisation, one of another organisation.
 *
 * Only columns that always name one table get a key. These name a record OR
 * something else, so the service's check (src/platform/access/resolve.ts
 * and each capability's own lookups) is their guard, not a key:
 * - retention_hold.record_id and retention_decision.record_id: a case record,
 *   or a partnership row (training booking, survey, meeting) held or kept by
 *   a reviewer's decision (src/retention/partnership-items.ts);
 * - disclosure_item.item_id: a record, a note, a document, or the record
 *   itself for a field-level item (its record_id has a key already);
 * - rights_portable_item.item_id: a training booking or a newsletter subscriber;
 * - rights_outcome_item.item_id: the id an erased row had — it names a row
 *   that is gone, by design;
 * - disposal_certificate.record_ids: ids of what was destroyed.
 *
 * What the keys do on deletion follows what destroying a record or a person
 * already does (design.md principle 4, src/retention/disposal.ts): a
 * restriction or a hold on what was destroyed goes with it; a rights request
 * keeps its own copy of the subject's details and forgets the link; review
 * copies of a record go with it (as src/rights/disposal.ts already ensures).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Restrictions placed before targets were checked (issue 10 item 1)
    -- could name an id that exists nowhere, or another organisation's person
    -- or record. They never restricted anything of the organisation that
    -- placed them; the rights request's timeline still says one was placed.
    delete from restriction r
      where r.scope = 'record' and not exists (select 1 from case_record c
        where c.id = r.record_id and c.organisation_id = r.organisation_id);
    delete from restriction r
      where r.scope = 'person' and not exists (select 1 from person p
        where p.id = r.person_id and p.organisation_id = r.organisation_id);

    -- Links left naming what retention has since destroyed (a person
    -- deleted once in no record): the row keeps its own details and loses
    -- the link, or — a hold on a person no longer there — holds nothing.
    update rights_request q set subject_person_id = null
      where q.subject_person_id is not null and not exists (select 1 from person p
        where p.id = q.subject_person_id and p.organisation_id = q.organisation_id);
    delete from retention_hold h
      where h.person_id is not null and not exists (select 1 from person p
        where p.id = h.person_id and p.organisation_id = h.organisation_id);
    delete from rights_review_item i
      where i.record_id is not null and not exists (select 1 from case_record c
        where c.id = i.record_id);

    -- (id, organisation_id) is unique because id is; named so that rows can
    -- point at a person or record of their own organisation only.
    alter table case_record add constraint case_record_id_organisation unique (id, organisation_id);
    alter table person add constraint person_id_organisation unique (id, organisation_id);

    alter table restriction
      add constraint restriction_record_same_organisation
        foreign key (record_id, organisation_id) references case_record (id, organisation_id)
        on delete cascade,
      add constraint restriction_person_same_organisation
        foreign key (person_id, organisation_id) references person (id, organisation_id)
        on delete cascade;

    alter table retention_hold
      add constraint retention_hold_person_same_organisation
        foreign key (person_id, organisation_id) references person (id, organisation_id)
        on delete cascade;

    alter table rights_request
      add constraint rights_request_subject_same_organisation
        foreign key (subject_person_id, organisation_id) references person (id, organisation_id)
        on delete set null (subject_person_id);

    alter table rights_review_item
      add constraint rights_review_item_record
        foreign key (record_id) references case_record (id) on delete cascade;
  `.execute(db);
}
