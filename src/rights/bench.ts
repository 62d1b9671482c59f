import { randomBytes, randomUUID } from 'node:crypto';
import { faker } from '@faker-js/faker/locale/en';
import type { Benchmark } from '../bench/run.js';
import { measure } from '../bench/run.js';
import { loadConfig } from '../config.js';
import { createBulkDemoPeople } from '../people/demo.js';
import { AuthService, type StaffContext } from '../platform/auth/service.js';
import { RightsService } from './service.js';

/** Distinct subjects the timed runs cycle through, so no run repeats the last one's search. */
const SUBJECTS = 50;

/**
 * Discovery for one person (issue 5: "`npm run bench` reports discovery time
 * for one person in a database of 100,000 people"): an information
 * governance officer searching everything Kent children's social care holds
 * — NHS number, name variants, date of birth, record parties, notes naming
 * the person, training bookings and newsletter subscriptions — for an
 * access request, with the run stored and audited as in real use.
 */
export const rightsBenchmarks: Benchmark[] = [
  {
    name: 'rights.discovery',
    description: 'discovery for one person (every source searched, run stored and audited)',
    async run(db, options) {
      const { count } = await db
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      if (Number(count) < options.size) {
        options.log(`  adding ${options.size - Number(count)} synthetic people…`);
        faker.seed(options.size);
        const started = performance.now();
        await createBulkDemoPeople(db, faker, { count: options.size - Number(count) });
        options.log(`  filled in ${Math.round((performance.now() - started) / 1000)} s`);
      }
      const organisation = await db
        .selectFrom('organisation')
        .select(['id', 'slug', 'short_name'])
        .where('slug', '=', 'kent-scs')
        .executeTakeFirstOrThrow();
      // The request's timeline and the audit log name a real account.
      const auth = new AuthService(db, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
      const accountId = await auth.createAccount({
        email: `bench.${randomBytes(6).toString('hex')}@bench.example`,
        displayName: 'Benchmark',
        password: randomBytes(18).toString('base64url'),
      });
      const staff: StaffContext = {
        accountId,
        sessionId: randomUUID(),
        displayName: 'Benchmark',
        organisation: {
          id: organisation.id,
          slug: organisation.slug,
          shortName: organisation.short_name,
        },
        roles: ['information-governance'],
        teams: [],
        organisationCount: 1,
        stage: 'complete',
      };
      const subjects = await db
        .selectFrom('person as p')
        .innerJoin('record_party as rp', 'rp.person_id', 'p.id')
        .leftJoin('person_identifier as i', (j) =>
          j.onRef('i.person_id', '=', 'p.id').on('i.type', '=', 'nhs-number'),
        )
        .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'i.value as nhs'])
        .distinctOn('p.id')
        .where('p.organisation_id', '=', organisation.id)
        .orderBy('p.id')
        .limit(SUBJECTS)
        .execute();
      if (subjects.length === 0) return [];
      const rights = new RightsService(db);
      const requests: string[] = [];
      for (const s of subjects) {
        requests.push(
          await rights.create(staff, {
            type: 'access',
            receivedOn: '2025-10-01',
            channel: 'email',
            description: 'Synthetic benchmark request for everything held.',
            requesterRole: 'self',
            requesterName: `${s.given_name} ${s.family_name}`,
            requesterContact: 'bench@bench.example',
            identityCheck: 'photo-id-seen',
            subject: {
              givenName: s.given_name,
              familyName: s.family_name,
              dateOfBirth: s.date_of_birth ?? undefined,
              identifiers: s.nhs ? [{ type: 'nhs-number', value: s.nhs }] : [],
            },
          }),
        );
      }
      return [
        await measure('rights.discovery one person (governance)', options.iterations, (i) =>
          rights.review.discover(staff, requests[i % requests.length] ?? ''),
        ),
      ];
    },
  },
];
