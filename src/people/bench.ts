import { randomUUID } from 'node:crypto';
import type { Benchmark, Measurement } from '../bench/run.js';
import { measure } from '../bench/run.js';
import { fillTo } from '../casework/bench-fixtures.js';
import type { RoleSlug } from '../platform/access/roles.js';
import type { StaffContext } from '../platform/auth/service.js';
import { misspell } from './bench-fixtures.js';
import { searchSchema } from './schemas.js';
import { PeopleService } from './service.js';

/**
 * Person search at the requested population, as a practitioner (allocated
 * work only: the visibility check does the most work) and as information
 * governance (every allocation), by misspelt name, by date of birth and by
 * NHS number. Fills the database with synthetic people first if it holds
 * fewer than `size`. Searches are audited, as in real use.
 */
export const peopleBenchmarks: Benchmark[] = [
  {
    name: 'people.search',
    description: 'person search latency (name with a spelling mistake, date of birth, NHS number)',
    async run(db, options) {
      await fillTo(db, options.size, options.log);
      const kentScs = await db
        .selectFrom('organisation')
        .select('id')
        .where('slug', '=', 'kent-scs')
        .executeTakeFirstOrThrow();
      const team = await db
        .selectFrom('team')
        .select(['id', 'slug'])
        .where('organisation_id', '=', kentScs.id)
        .limit(1)
        .executeTakeFirst();
      const staff = (role: RoleSlug): StaffContext => ({
        accountId: randomUUID(),
        sessionId: randomUUID(),
        displayName: 'Benchmark',
        organisation: { id: kentScs.id, slug: 'kent-scs', shortName: 'Kent SCS' },
        roles: [role],
        teams: team ? [team] : [],
        organisationCount: 1,
        stage: 'complete',
      });
      const samples = await db
        .selectFrom('person as p')
        .leftJoin('person_identifier as i', (j) =>
          j.onRef('i.person_id', '=', 'p.id').on('i.type', '=', 'nhs-number'),
        )
        .select(['p.given_name', 'p.family_name', 'p.date_of_birth', 'i.value as nhs'])
        .where('p.organisation_id', '=', kentScs.id)
        .orderBy('p.id')
        .limit(200)
        .execute();
      const first = samples[0];
      if (!first) return [];
      const pick = (i: number) => samples[i % samples.length] ?? first;
      const people = new PeopleService(db);
      const results: Measurement[] = [];
      for (const role of ['practitioner', 'information-governance'] as const) {
        const who = staff(role);
        results.push(
          await measure(`people.search name (${role})`, options.iterations, (i) => {
            const s = pick(i);
            return people.search(
              who,
              searchSchema.parse({
                name: `${misspell(s.given_name, i)} ${misspell(s.family_name, i + 1)}`,
              }),
            );
          }),
        );
      }
      const governance = staff('information-governance');
      results.push(
        await measure('people.search date of birth', options.iterations, (i) => {
          const dob = pick(i).date_of_birth ?? '2015-01-01';
          return people.search(governance, searchSchema.parse({ dateOfBirth: dob }));
        }),
      );
      const withNhs = samples.filter((s) => s.nhs);
      results.push(
        await measure('people.search NHS number', options.iterations, (i) =>
          people.search(
            governance,
            searchSchema.parse({ nhsNumber: withNhs[i % withNhs.length]?.nhs ?? '9990000018' }),
          ),
        ),
      );
      return results;
    },
  },
];
