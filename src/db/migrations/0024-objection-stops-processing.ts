import { sql, type Kysely } from 'kysely';

/**
 * UK GDPR Art 21(1): once an objection to processing for a public task or
 * legitimate interests is upheld, the controller "shall no longer process"
 * the person's data for that purpose. Safekeep enforces it as a restriction
 * that is scoped to the person and to one category of record: records of
 * that category the person takes part in may only be stored, and no new one
 * is opened for them (rights/restriction.ts, casework/service.ts). The
 * person's other records, and the person in lists and search, are untouched.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table restriction
      add column category text,
      drop constraint restriction_ground_check,
      add constraint restriction_ground_check check (ground in ('accuracy-contested',
        'unlawful-erasure-opposed', 'needed-for-legal-claims', 'objection-pending',
        'objection-upheld')),
      -- Only a person's restriction narrows to a category, and an upheld
      -- objection always names the purpose (category) it stops.
      add constraint restriction_category_scope check (category is null or scope = 'person'),
      add constraint restriction_objection_names_category
        check ((ground = 'objection-upheld') = (category is not null));
  `.execute(db);
}
