import { sql, type Kysely } from 'kysely';

/**
 * person.record_free_since (migration 0027) is kept by a trigger on
 * record_party. Taking a party out marked the person "in no record since
 * today" at once, row by row — so a sweep destroying 100,000 records first
 * updated each of their people (a new version of the row, and of every
 * index entry on it) and then, in the same transaction, deleted them.
 * Decision 0055.
 *
 * Now the marking as free waits for the end of the transaction (a deferred
 * constraint trigger): a person destroyed with their last record is already
 * gone by then and is not touched, and one who is still about is marked as
 * before, once the transaction's work is done. Marking a person as in a
 * record again stays immediate. Nothing reads record_free_since inside the
 * transaction that takes a party out; the sweep reads it in later ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger record_party_keep_record_free_since on record_party;
    drop function record_party_keep_record_free_since();

    create function record_party_mark_person_in_record() returns trigger language plpgsql as $$
    begin
      update person set record_free_since = null
        where id = new.person_id and record_free_since is not null;
      return null;
    end
    $$;
    create trigger record_party_mark_person_in_record
      after insert or update of person_id on record_party
      for each row execute function record_party_mark_person_in_record();

    create function record_party_mark_person_record_free() returns trigger language plpgsql as $$
    begin
      update person set record_free_since = current_date
        where id = old.person_id and record_free_since is null
          and not exists (select 1 from record_party where person_id = old.person_id);
      return null;
    end
    $$;
    create constraint trigger record_party_mark_person_record_free
      after delete or update of person_id on record_party
      deferrable initially deferred
      for each row execute function record_party_mark_person_record_free();
  `.execute(db);
}
