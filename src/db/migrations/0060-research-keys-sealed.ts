import { sql, type Kysely } from 'kysely';

/**
 * Research extracts' pseudonym keys encrypted at rest (issue 14; decision
 * 0040). `pseudonym_key_sealed` holds the key sealed with AES-256-GCM under
 * RESEARCH_KEY_SECRET (publication/research/key-seal.ts). A migration cannot
 * see configuration, so the keys already stored in the clear are sealed at
 * the next start (platform/serve/prepare.ts → ResearchExtracts.sealClearKeys)
 * and their clear column emptied; from then on only the sealed one is set.
 * An approved extract has exactly one of the two.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table research_extract add column pseudonym_key_sealed bytea`.execute(db);
  // The old check (approved ⇔ a clear key) has a generated name: find it by what it says.
  await sql`
    do $$
    declare c record;
    begin
      for c in
        select conname from pg_constraint
        where conrelid = 'research_extract'::regclass and contype = 'c'
          and pg_get_constraintdef(oid) like '%pseudonym_key%'
      loop
        execute format('alter table research_extract drop constraint %I', c.conname);
      end loop;
    end $$;
  `.execute(db);
  await sql`
    alter table research_extract add constraint research_extract_key_when_approved check (
      (approved_by is null) = (pseudonym_key is null and pseudonym_key_sealed is null)
      and (pseudonym_key is null or pseudonym_key_sealed is null)
    )
  `.execute(db);
}
