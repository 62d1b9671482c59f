import type { Faker } from '@faker-js/faker';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/** Synthetic people for one organisation: two in three children, some dates of birth unknown. */
export async function createDemoPeople(
  trx: Transaction<Database>,
  faker: Faker,
  options: { organisationId: string; count: number },
): Promise<string[]> {
  const personIds: string[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const child = i % 3 !== 2;
    const birth = child
      ? faker.date.birthdate({ mode: 'age', min: 0, max: 17, refDate: '2026-11-01' })
      : faker.date.birthdate({ mode: 'age', min: 20, max: 70, refDate: '2026-11-01' });
    const { id } = await trx
      .insertInto('person')
      .values({
        organisation_id: options.organisationId,
        given_name: faker.person.firstName(),
        family_name: faker.person.lastName(),
        // Some people's dates of birth are not known: real records have gaps.
        date_of_birth: i % 10 === 9 ? null : birth.toISOString().slice(0, 10),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    personIds.push(id);
  }
  return personIds;
}
