import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabase } from '../../../test/support/database.js';
import { assessAndStoreRetention } from '../../casework/retention.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { policyFor, registerPolicy } from '../../policy/index.js';
import { shippedPolicyDocuments } from '../../policy/registry.js';
import { describeProblem } from '../../policy/schema.js';
import { PolicyChanges } from './changes.js';
import { PolicyVersions } from './versions.js';

let database: ScratchDatabase;
let changes: PolicyChanges;
let maidstoneId: string;
const original = policyFor('maidstone-bc');
const today = new Date().toISOString().slice(0, 10);

async function member(email: string, role: string): Promise<void> {
  const { id } = await database.db
    .insertInto('account')
    .values({ email, display_name: 'Synthetic Person', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('membership')
    .values({ account_id: id, organisation_id: maidstoneId, role_slug: role })
    .execute();
}

/** A concern logged on `recorded`, about a synthetic person. */
async function concern(recorded: string): Promise<string> {
  const { id: personId } = await database.db
    .insertInto('person')
    .values({ organisation_id: maidstoneId, given_name: 'Synthetic', family_name: 'Person' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id } = await database.db
    .insertInto('case_record')
    .values({
      organisation_id: maidstoneId,
      category: 'safeguarding-concern',
      opened_on: recorded,
      recorded_date: recorded,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('record_party')
    .values({ record_id: id, person_id: personId, role: 'subject' })
    .execute();
  await database.db.transaction().execute((trx) => assessAndStoreRetention(trx, id));
  return id;
}

const due = async (id: string) =>
  (
    await database.db
      .selectFrom('case_record')
      .select('retention_due')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).retention_due;

beforeAll(async () => {
  database = await testDatabase();
  changes = new PolicyChanges(database.db);
  await new PolicyVersions(database.db).seedShippedVersions();
  maidstoneId = (
    await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'maidstone-bc')
      .executeTakeFirstOrThrow()
  ).id;
  await member('ig.change@example.org', 'information-governance');
  await member('dpo.change@example.org', 'data-protection-officer');
});
afterAll(async () => {
  registerPolicy(original);
  await database.close();
});

describe('a policy change', () => {
  it('is proposed by IG, previewed by the engine, approved by the DPO, and applied in resumable batches', async () => {
    const year = new Date().getFullYear();
    const records = [
      await concern(`${year - 6}-03-01`),
      await concern(`${year - 2}-06-15`),
      await concern(`${year - 1}-01-10`),
    ];
    expect(await due(records[0]!)).toBe(`${year + 1}-03-01`);
    const source = shippedPolicyDocuments()
      .find((d) => d.slug === 'maidstone-bc')!
      .source.replace('years: 7', 'years: 5');

    // Only information governance proposes.
    await expect(
      changes.propose({
        organisation: 'maidstone-bc',
        source,
        file: 'maidstone-bc.yaml',
        effectiveFrom: today,
        by: { email: 'dpo.change@example.org' },
      }),
    ).rejects.toThrow(
      /cannot propose a policy change: only someone with the information governance role/,
    );
    const proposed = await changes.propose({
      organisation: 'maidstone-bc',
      source,
      file: 'maidstone-bc.yaml',
      effectiveFrom: today,
      by: { email: 'ig.change@example.org' },
    });
    expect(proposed.ok).toBe(true);
    if (!proposed.ok) return;

    // Computed by the engine: five years from logging instead of seven.
    expect(await changes.preview(proposed.changeId)).toEqual({
      records: 3,
      changed: 3,
      categories: [
        {
          category: 'safeguarding-concern',
          records: 3,
          changed: 3,
          dueChanged: 3,
          actionChanged: 1,
        },
      ],
      // Five years from the first has passed, so it goes to review (its action
      // changes); the second's is the earliest destruction the change brings.
      earliestNewDestruction: `${year + 3}-06-15`,
    });

    await expect(changes.apply(proposed.changeId)).rejects.toThrow(/not approved yet/);
    await expect(
      changes.approve(proposed.changeId, { email: 'ig.change@example.org' }),
    ).rejects.toThrow(/only someone with the data protection officer role/);
    expect(await changes.approve(proposed.changeId, { email: 'dpo.change@example.org' })).toEqual({
      version: 2,
    });

    // Interrupted after one batch of two, then resumed.
    expect(await changes.apply(proposed.changeId, { batchSize: 2, maxBatches: 1 })).toEqual({
      recomputed: 2,
      finished: false,
    });
    expect(await changes.apply(proposed.changeId, { batchSize: 2 })).toEqual({
      recomputed: 3,
      finished: true,
    });
    expect(await due(records[2]!)).toBe(`${year + 4}-01-10`);
    const versions = await new PolicyVersions(database.db).versionsOf('maidstone-bc');
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]?.documentText).toContain('years: 5');
  });

  it('refuses a document with problems whole, each with its line, saving nothing', async () => {
    const broken = shippedPolicyDocuments()
      .find((d) => d.slug === 'maidstone-bc')!
      .source.replace('years: 7', 'years: 0');
    const before = await database.db
      .selectFrom('policy_change')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const result = await changes.propose({
      organisation: 'maidstone-bc',
      source: broken,
      file: 'maidstone-bc.yaml',
      effectiveFrom: today,
      by: { email: 'ig.change@example.org' },
    });
    const line = broken.split('\n').findIndex((l) => l.includes('years: 0')) + 1;
    expect(result.ok ? [] : result.problems.map(describeProblem)).toEqual([
      `maidstone-bc.yaml line ${line} at categories[0].retention.rules[0].period.years: must be at least 1 year`,
    ]);
    const after = await database.db
      .selectFrom('policy_change')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
