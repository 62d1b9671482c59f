import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface PersonSummary {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
}

/** SQL for people. Every query is scoped to one organisation. */
export class PeopleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(organisationId: string, page: { limit: number; offset: number }) {
    const rows = await this.db
      .selectFrom('person')
      .select(['id', 'given_name', 'family_name', 'date_of_birth'])
      .where('organisation_id', '=', organisationId)
      .orderBy('family_name')
      .orderBy('given_name')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const { total } = await this.db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('organisation_id', '=', organisationId)
      .executeTakeFirstOrThrow();
    return {
      total: Number(total),
      people: rows.map((r): PersonSummary => ({
        id: r.id,
        givenName: r.given_name,
        familyName: r.family_name,
        dateOfBirth: r.date_of_birth,
      })),
    };
  }
}
