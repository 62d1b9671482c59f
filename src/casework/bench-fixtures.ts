import { randomBytes } from 'node:crypto';
import { faker } from '@faker-js/faker/locale/en';
import type { Kysely } from 'kysely';
import { loadConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { createBulkDemoPeople } from '../people/demo.js';
import { AuthService, acknowledgeConfidentialityFor } from '../platform/auth/service.js';

/**
 * What the record-page benchmarks stand on (casework/bench.ts and the load
 * benchmark in bench/load.ts): a filled database and a caseload. Kept apart
 * from the benchmark registry so that either can import it.
 */

/** Records opened per measurement: each allocated to the practitioner, with notes and a source. */
const SAMPLE_RECORDS = 200;
const NOTES_PER_RECORD = 12;

/** Fills the database with synthetic people and records up to `size`, as people.search does. */
export async function fillTo(db: Kysely<Database>, size: number, log: (line: string) => void) {
  const { count } = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  if (Number(count) >= size) return;
  log(`  adding ${size - Number(count)} synthetic people and their records…`);
  faker.seed(size);
  const started = performance.now();
  await createBulkDemoPeople(db, faker, { count: size - Number(count) });
  log(`  filled in ${Math.round((performance.now() - started) / 1000)} s`);
}

/**
 * A synthetic practitioner in a kent-scs team, with SAMPLE_RECORDS of the
 * bulk records allocated to them (a caseload as the record page sees it:
 * subject and adult, notes, a source). Returns their sign-in, their team and
 * organisation, and the records.
 */
export async function caseload(db: Kysely<Database>) {
  const organisation = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', 'kent-scs')
    .executeTakeFirstOrThrow();
  const team =
    (await db
      .selectFrom('team')
      .select('id')
      .where('organisation_id', '=', organisation.id)
      .where('slug', '=', 'bench')
      .executeTakeFirst()) ??
    (await db
      .insertInto('team')
      .values({ organisation_id: organisation.id, slug: 'bench', name: 'Benchmark team' })
      .returning('id')
      .executeTakeFirstOrThrow());
  const email = `bench.${randomBytes(6).toString('hex')}@bench.example`;
  const password = randomBytes(18).toString('base64url');
  const auth = new AuthService(db, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
  const accountId = await auth.createAccount({ email, displayName: 'Benchmark', password });
  await db
    .insertInto('membership')
    .values({
      account_id: accountId,
      organisation_id: organisation.id,
      team_id: team.id,
      role_slug: 'practitioner',
    })
    .execute();
  // Briefed already: the benchmark measures records, not the statement page.
  await acknowledgeConfidentialityFor(db, accountId, organisation.id, new Date());
  // Categories a practitioner reaches through allocation (not adoption:
  // sealed to the adoption team).
  const records = await db
    .selectFrom('case_record')
    .select('id')
    .where('organisation_id', '=', organisation.id)
    .where('category', 'in', ['child-in-need', 'child-protection-plan', 'looked-after'])
    .orderBy('id')
    .limit(SAMPLE_RECORDS)
    .execute();
  const ids = records.map((r) => r.id);
  const ctx = { email, password, teamId: team.id, organisationId: organisation.id };
  if (ids.length === 0) return { ...ctx, ids };
  await db
    .updateTable('case_record')
    .set({ allocated_account_id: accountId, allocated_team_id: team.id })
    .where('id', 'in', ids)
    .execute();
  await db
    .insertInto('case_note')
    .values(
      ids.flatMap((id) =>
        Array.from({ length: NOTES_PER_RECORD }, (_, i) => ({
          record_id: id,
          author_account_id: accountId,
          occurred_on: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
          kind: 'visit',
          text: 'Synthetic benchmark note. '.repeat(20),
        })),
      ),
    )
    .execute();
  await db
    .insertInto('record_source')
    .values(
      ids.map((id) => ({
        record_id: id,
        kind: 'partner-referral',
        provider: 'Synthetic school',
        received_on: '2025-01-10',
        summary: 'Synthetic benchmark referral',
        added_by: accountId,
      })),
    )
    .execute();
  return { ...ctx, ids };
}
