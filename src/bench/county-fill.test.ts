import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { storedRetentionFor, factsOf } from '../casework/retention.js';
import { reassessAllRecords } from '../casework/retention-batch.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { validateNhsNumber } from '../people/identifiers.js';
import { PeopleService } from '../people/service.js';
import { searchSchema } from '../people/schemas.js';
import type { StaffContext } from '../platform/auth/service.js';
import { countyFill, RECORDS_PER_PERSON } from './county-fill.js';

/**
 * The county-scale fill, at a few hundred people: every row as the app
 * would write it — records in the organisations' categories with a subject
 * and a second party, retention assessed by the product's bulk recompute
 * exactly as the per-record path assesses it, identifiers valid and
 * distinct, people found by the real search.
 */
let handle: ScratchDatabase;
const PEOPLE = 600;

beforeAll(async () => {
  handle = await testDatabase();
  await countyFill(handle.owner, { people: PEOPLE, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await handle?.close();
});

const count = async (table: 'person' | 'case_record' | 'record_party' | 'case_note') =>
  Number(
    (
      await handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the county-scale fill', () => {
  it('makes the people, five records each on average, two parties and a note a record', async () => {
    const people = await count('person');
    expect(people).toBeGreaterThanOrEqual(PEOPLE);
    expect(people).toBeLessThan(PEOPLE + 15);
    const records = await count('case_record');
    expect(records).toBe(people * RECORDS_PER_PERSON);
    expect(await count('record_party')).toBe(2 * records);
    expect(await count('case_note')).toBe(records);
    // Every person is in a record, as the record_party trigger would have said.
    const free = await handle.db
      .selectFrom('person')
      .select('id')
      .where('record_free_since', 'is not', null)
      .execute();
    expect(free).toEqual([]);
    // Spread over the organisations, each record in one of its categories.
    const spread = await sql<{ slug: string; category: string }>`
      select distinct o.slug, c.category from case_record c join organisation o on o.id = c.organisation_id
    `.execute(handle.db);
    expect(new Set(spread.rows.map((r) => r.slug)).size).toBe(5);
    expect(spread.rows).toContainEqual({ slug: 'kent-lado', category: 'lado-allegation' });
    expect(spread.rows).not.toContainEqual({ slug: 'kent-lado', category: 'child-in-need' });
  });

  it('stores the retention the per-record path would store for each record', async () => {
    const rows = await sql<{
      slug: string;
      category: string;
      closed_on: string | null;
      date_of_birth: string | null;
      date_of_death: string | null;
      retention_status: string;
      retention_due: string | null;
      retention_explanation: string;
    }>`
      select o.slug, c.category, c.closed_on, p.date_of_birth, p.date_of_death,
        c.retention_status, c.retention_due, c.retention_explanation
      from case_record c join organisation o on o.id = c.organisation_id
        join record_party rp on rp.record_id = c.id and rp.role = 'subject'
        join person p on p.id = rp.person_id
      order by c.id limit 200
    `.execute(handle.db);
    expect(rows.rows.length).toBe(200);
    for (const r of rows.rows) {
      const expected = storedRetentionFor(
        r.slug,
        r.category,
        factsOf(
          {
            closed_on: r.closed_on,
            child_died: null,
            outcome: null,
            incident_date: null,
            caution_or_conviction_date: null,
            last_contact_date: null,
            recorded_date: null,
            adoption_order_date: null,
            training_date: null,
            completed_date: null,
            meeting_date: null,
            report_date: null,
            survey_date: null,
            unsubscribed_date: null,
            email_invalid_date: null,
            contract_end_date: null,
          },
          { dateOfBirth: r.date_of_birth, dateOfDeath: r.date_of_death },
        ),
        new Date().toISOString().slice(0, 10),
      );
      expect({ status: r.retention_status, due: r.retention_due }).toEqual({
        status: expected.status,
        due: expected.due,
      });
      expect(r.retention_explanation).toBe(expected.explanation);
    }
    // Assessed again with nothing changed: read, compared, nothing rewritten.
    const again = await reassessAllRecords(handle.db);
    expect(again.assessed).toBe(await count('case_record'));
    expect(again.written).toBe(0);
  });

  it('gives valid, distinct synthetic identifiers, and people the search finds', async () => {
    const nhs = await handle.db
      .selectFrom('person_identifier')
      .select('value')
      .where('type', '=', 'nhs-number')
      .execute();
    expect(nhs.length).toBeGreaterThan(PEOPLE / 3);
    expect(new Set(nhs.map((n) => n.value)).size).toBe(nhs.length);
    for (const { value } of nhs) {
      expect(value.startsWith('999')).toBe(true);
      expect(validateNhsNumber(value).ok).toBe(true);
    }
    const someone = await handle.db
      .selectFrom('person')
      .innerJoin('organisation', 'organisation.id', 'person.organisation_id')
      .select(['person.given_name', 'person.family_name', 'organisation.id as organisationId'])
      .where('organisation.slug', '=', 'kent-scs')
      .executeTakeFirstOrThrow();
    const staff: StaffContext = {
      accountId: '00000000-0000-4000-8000-000000000001',
      sessionId: '00000000-0000-4000-8000-000000000002',
      displayName: 'Test',
      organisation: { id: someone.organisationId, slug: 'kent-scs', shortName: 'Kent SCS' },
      roles: ['information-governance'],
      teams: [],
      organisationCount: 1,
      stage: 'complete',
    };
    const found = await new PeopleService(handle.db).search(
      staff,
      searchSchema.parse({ name: `${someone.given_name} ${someone.family_name}` }),
    );
    expect(JSON.stringify(found)).toContain(someone.family_name);
  });
});
