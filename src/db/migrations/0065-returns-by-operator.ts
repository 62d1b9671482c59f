import { sql, type Kysely } from 'kysely';

/**
 * A statutory return may be produced at the command line by the operator
 * (issue 17's contract: `safekeep returns cin-census --organisation …
 * --year … --out …`, with no account named), as `safekeep import` is. Such
 * a return has no account behind it: `produced_by` is null and the audit
 * event's actor is the operator, as for an import. A return made from the
 * page, or at the command line with `--as`, still names its account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table statutory_return alter column produced_by drop not null`.execute(db);
}
