import { sql, type Kysely } from 'kysely';

/**
 * Statutory returns beyond the census (issue 17).
 *
 * - The kinds: the SSDA903 looked-after children return and Ofsted's
 *   Annex A lists join the Children in Need census.
 * - A return may be produced at the command line by the operator (the
 *   issue's contract: `safekeep returns cin-census --organisation …
 *   --year … --out …`, with no account named), as `safekeep import` is.
 *   Such a return has no account behind it: `produced_by` is null and the
 *   audit event's actor is the operator, as for an import. A return made
 *   from the page, or at the command line with `--as`, names its account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table statutory_return drop constraint statutory_return_kind_check;
    alter table statutory_return add constraint statutory_return_kind_check
      check (kind in ('cin-census', 'ssda903', 'annex-a'));
    alter table statutory_return alter column produced_by drop not null;
  `.execute(db);
}
