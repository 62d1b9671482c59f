import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { countyFill } from '../bench/county-fill.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { ladoOutcomes, policies } from '../policy/index.js';
import { dateArbitrary } from '../retention/test-arbitraries.js';
import { factColumns } from './categories.js';
import { assessAndStoreRetention } from './retention.js';
import { reassessAllRecords } from './retention-batch.js';

/**
 * The bulk recompute asks the engine once per shape of record (decision
 * 0056); it must store exactly what the per-record path stores for every
 * record. Records of every organisation's categories, given varied facts —
 * dates anywhere from 1900 to 2150, leap days, deaths before births,
 * adoption orders before births, dates outside the years a field takes,
 * unknown outcomes, no subject — are assessed in bulk, then one by one by
 * assessAndStoreRetention, and the answers compared.
 */
let handle: ScratchDatabase;
const TODAY = '2026-12-07';

beforeAll(async () => {
  handle = await testDatabase();
  await countyFill(handle.owner, { people: 150, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await handle?.close();
});

const maybe = <T>(arbitrary: fc.Arbitrary<T>, nullWeight = 1) =>
  fc.oneof({ weight: nullWeight, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
const isoDate = fc.oneof(
  { weight: 20, arbitrary: dateArbitrary.map((d) => d.toString()) },
  // Outside 1900–2200: the engine refuses the facts, naming the date.
  { weight: 1, arbitrary: fc.constantFrom('1850-06-01', '2300-01-01') },
);
const recordFacts = fc.record({
  categoryPick: fc.nat(),
  dateOfBirth: maybe(isoDate, 1),
  dateOfDeath: maybe(isoDate, 4),
  closedOn: maybe(isoDate, 1),
  childDied: maybe(fc.boolean(), 2),
  outcome: maybe(fc.constantFrom(...ladoOutcomes, 'unsubstantiated', 'substantiated'), 1),
  dates: fc.record(
    Object.fromEntries(Object.values(factColumns).map((c) => [c, maybe(isoDate, 3)])) as Record<
      (typeof factColumns)[keyof typeof factColumns],
      fc.Arbitrary<string | null>
    >,
  ),
  noSubject: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

describe('the bulk retention recompute', () => {
  it('stores for every record what the per-record path stores, over varied facts', async () => {
    const db = handle.owner;
    const records = await sql<{ id: string; slug: string; subject: string | null }>`
      select c.id, o.slug, rp.person_id as subject
      from case_record c join organisation o on o.id = c.organisation_id
        left join record_party rp on rp.record_id = c.id and rp.role = 'subject'
      order by c.id
    `.execute(db);
    const samples = fc.sample(recordFacts, { numRuns: records.rows.length, seed: 16 });
    // Records share subjects (a household's children), so a person's dates
    // are those of the last record that sets them: varied all the same.
    for (const [i, record] of records.rows.entries()) {
      const facts = samples[i];
      if (!facts) break;
      const categories = policies.find((p) => p.slug === record.slug)?.categories ?? [];
      const category = categories[facts.categoryPick % categories.length]?.slug;
      await sql`
        update case_record set category = coalesce(${category ?? null}, category),
          opened_on = '1800-01-01', closed_on = ${facts.closedOn}::date,
          child_died = ${facts.childDied}, outcome = ${facts.outcome},
          ${sql.join(
            Object.entries(facts.dates).map(
              ([column, value]) => sql`${sql.ref(column)} = ${value}::date`,
            ),
          )}
        where id = ${record.id}::uuid
      `.execute(db);
      if (record.subject) {
        await sql`
          update person set date_of_birth = ${facts.dateOfBirth}::date,
            date_of_birth_precision = case when ${facts.dateOfBirth}::date is null then null else 'exact' end,
            date_of_death = ${facts.dateOfDeath}::date
          where id = ${record.subject}::uuid
        `.execute(db);
        if (facts.noSubject) {
          await sql`delete from record_party where record_id = ${record.id}::uuid and role = 'subject'`.execute(
            db,
          );
        }
      }
    }

    const result = await reassessAllRecords(handle.db, { today: TODAY });
    expect(result.assessed).toBe(records.rows.length);
    expect(result.written).toBeGreaterThan(0);
    // Fewer shapes than records, or the engine would be asked once a record.
    expect(result.shapes).toBeLessThan(result.assessed);

    const stored = await handle.db
      .selectFrom('case_record')
      .select([
        'id',
        'retention_status as status',
        'retention_due as due',
        'retention_action as action',
        'retention_rule_id as ruleId',
        'retention_needs_review as needsReview',
        'retention_explanation as explanation',
      ])
      .orderBy('id')
      .execute();
    const statuses = new Set<string | null>();
    for (const row of stored) {
      const { id, ...bulk } = row;
      const perRecord = await handle.db
        .transaction()
        .execute((trx) => assessAndStoreRetention(trx, id, TODAY));
      expect(bulk, `record ${id}`).toEqual(perRecord);
      statuses.add(bulk.status);
    }
    // The facts were varied enough to reach every kind of answer.
    expect([...statuses].sort()).toEqual(['needs-review', 'no-rule', 'pending', 'scheduled']);

    // Assessed again with nothing changed: nothing rewritten.
    const again = await reassessAllRecords(handle.db, { today: TODAY });
    expect(again).toEqual({ ...result, written: 0 });
  }, 120_000);

  it("assesses only the organisation asked for (a policy change is one organisation's)", async () => {
    const { id: lado } = await handle.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kent-lado')
      .executeTakeFirstOrThrow();
    const assessedAt = new Date('2020-01-01T00:00:00Z');
    await handle.db.updateTable('case_record').set({ retention_assessed_at: assessedAt }).execute();
    const active = await handle.db
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('organisation_id', '=', lado)
      .where('record_state', '=', 'active')
      .executeTakeFirstOrThrow();
    // Far ahead, every scheduled LADO record is already due: answers change.
    const result = await reassessAllRecords(handle.db, {
      organisationId: lado,
      today: '2199-01-01',
    });
    expect(result.assessed).toBe(Number(active.n));
    expect(result.written).toBeGreaterThan(0);
    const touched = await handle.db
      .selectFrom('case_record')
      .select(['organisation_id'])
      .where('retention_assessed_at', '<>', assessedAt)
      .execute();
    expect(touched.length).toBe(result.written);
    expect(new Set(touched.map((r) => r.organisation_id))).toEqual(new Set([lado]));
  });
});
