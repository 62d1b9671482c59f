import { sql, type Kysely } from 'kysely';

/**
 * Records kept instead of destroyed (issue 12 item 15; decision 0020):
 * "archived" (Kent SCS notice) and "made inaccessible to system users"
 * (Kent LADO notice). The access decision refuses what each state forbids
 * (platform/access/access.ts); the database refuses any change to such a
 * record's contents too — its fields, parties, notes, sources and documents
 * — so no path that forgets to ask can edit it. Only its state and its
 * retention (recomputed, or the sweep destroying it later) may still change,
 * and deletion (destruction) is never refused.
 *
 * Re-filing a record to another category (issue 12 item 14): who, when,
 * from and to which category and why, kept for as long as the record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table case_record
      add column record_state text not null default 'active'
        check (record_state in ('active', 'archived', 'inaccessible')),
      add column state_changed_on date,
      add constraint case_record_state_dated
        check ((record_state = 'active') = (state_changed_on is null));

    create function case_record_refuse_change_when_kept() returns trigger language plpgsql as $$
    declare
      may_change constant text[] := array['record_state', 'state_changed_on',
        'retention_status', 'retention_due', 'retention_action', 'retention_rule_id',
        'retention_needs_review', 'retention_explanation', 'retention_assessed_at'];
    begin
      if old.record_state <> 'active'
         and (to_jsonb(new) - may_change) is distinct from (to_jsonb(old) - may_change) then
        raise exception 'kept record: record % is %, and cannot be changed', old.id, old.record_state
          using errcode = 'check_violation';
      end if;
      return new;
    end
    $$;
    create trigger case_record_refuse_change_when_kept before update on case_record
      for each row execute function case_record_refuse_change_when_kept();

    create function record_child_refuse_when_kept() returns trigger language plpgsql as $$
    declare
      state text;
    begin
      select record_state into state from case_record where id = new.record_id;
      if state is not null and state <> 'active' then
        raise exception 'kept record: record % is %, and cannot be changed', new.record_id, state
          using errcode = 'check_violation';
      end if;
      return new;
    end
    $$;
    create trigger case_note_refuse_when_kept before insert or update on case_note
      for each row execute function record_child_refuse_when_kept();
    create trigger record_source_refuse_when_kept before insert or update on record_source
      for each row execute function record_child_refuse_when_kept();
    create trigger record_document_refuse_when_kept before insert or update on record_document
      for each row execute function record_child_refuse_when_kept();
    -- A party may still move with a merge of two entries for one person
    -- (an update); nobody new is added to a kept record.
    create trigger record_party_refuse_when_kept before insert on record_party
      for each row execute function record_child_refuse_when_kept();

    alter table retention_decision
      drop constraint retention_decision_decision_check,
      add constraint retention_decision_decision_check
        check (decision in ('destroy', 'keep-until', 'hold', 'archive', 'make-inaccessible'));

    create table record_refile (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null,
      organisation_id uuid not null,
      from_category text not null,
      to_category text not null check (to_category <> from_category),
      reason text not null check (length(reason) between 10 and 2000),
      -- null: done by the schedule (a return to the partnership by the sweep)
      refiled_by uuid references account(id),
      refiled_at timestamptz not null default now(),
      foreign key (record_id, organisation_id) references case_record (id, organisation_id)
        on delete cascade
    );
    create index record_refile_record on record_refile (record_id);
  `.execute(db);
}
