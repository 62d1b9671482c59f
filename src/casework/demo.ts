import type { Faker } from '@faker-js/faker';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CategorySlug, OrganisationSlug } from '../policy/index.js';

const recordCategories: Record<OrganisationSlug, CategorySlug[]> = {
  'kent-scs': ['child-in-need', 'child-protection-plan', 'looked-after', 'private-fostering'],
  'kent-lado': ['lado-allegation'],
  kscmp: ['practice-review'],
  sscp: ['practice-review'],
  'maidstone-bc': ['safeguarding-concern'],
};

/** Synthetic records for one organisation, each with a subject and an adult party. */
export async function createDemoRecords(
  trx: Transaction<Database>,
  faker: Faker,
  options: {
    organisationId: string;
    organisation: OrganisationSlug;
    personIds: string[];
    /** Demo teams by "organisation/team-slug". */
    teamIds: Map<string, string>;
  },
): Promise<string[]> {
  const { personIds, organisation } = options;
  const categories = recordCategories[organisation];
  const recordIds: string[] = [];
  for (let i = 0; i < Math.floor(personIds.length / 3); i += 1) {
    const opened = faker.date.past({ years: 8, refDate: '2026-11-01' });
    const closed = i % 2 === 0 ? faker.date.between({ from: opened, to: '2026-11-01' }) : null;
    const { id: recordId } = await trx
      .insertInto('case_record')
      .values({
        organisation_id: options.organisationId,
        category: categories[i % categories.length] ?? 'unknown',
        opened_on: opened.toISOString().slice(0, 10),
        closed_on: closed ? closed.toISOString().slice(0, 10) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    recordIds.push(recordId);
    const subject = personIds[(i * 3) % personIds.length];
    const adult = personIds[(i * 3 + 2) % personIds.length];
    if (subject) {
      await trx
        .insertInto('record_party')
        .values({ record_id: recordId, person_id: subject, role: 'subject' })
        .execute();
    }
    if (adult) {
      await trx
        .insertInto('record_party')
        .values({
          record_id: recordId,
          person_id: adult,
          role: organisation === 'kent-lado' ? 'alleged-person' : 'parent',
        })
        .execute();
    }
  }
  return recordIds;
}
