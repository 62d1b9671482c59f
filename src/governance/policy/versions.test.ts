import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { isOrganisationSlug, policies, policyFor, registerPolicy } from '../../policy/index.js';
import { shippedPolicyDocuments } from '../../policy/registry.js';
import { explainRetention } from '../../retention/engine.js';
import { PolicyVersions, ukDate } from './versions.js';

const fixture = join(import.meta.dirname, '../../../test/fixtures/policy/wessex-bc.yaml');
const wessexSource = readFileSync(fixture, 'utf8');

let database: ScratchDatabase;
let versions: PolicyVersions;

beforeAll(async () => {
  database = await testDatabase();
  versions = new PolicyVersions(database.db);
});
afterAll(async () => {
  await database.close();
});

async function account(email: string): Promise<string> {
  const { id } = await database.db
    .insertInto('account')
    .values({ email, display_name: 'Synthetic Person', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

const count = async (table: 'organisation' | 'policy_version') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The trigger says so; on PostgreSQL the app's role is not even granted the change (db/roles.ts). */
const refusedChange = /never changed or deleted|permission denied/;

describe('policy versions', () => {
  it('seeds version 1 of each shipped document once, holding the file as written', async () => {
    expect(await versions.seedShippedVersions()).toBe(5);
    expect(await versions.seedShippedVersions()).toBe(0);
    const maidstone = await versions.versionsOf('maidstone-bc');
    expect(maidstone).toHaveLength(1);
    expect(maidstone[0]).toMatchObject({ version: 1, proposedBy: null, approvedBy: null });
    const file = shippedPolicyDocuments().find((d) => d.slug === 'maidstone-bc');
    expect(maidstone[0]?.documentText).toBe(file?.source);
    expect(await versions.policyOf('maidstone-bc', 1)).toEqual(policyFor('maidstone-bc'));
    const listed = await versions.list();
    expect(listed.map((s) => [s.slug, s.versionInForce, s.shipped])).toEqual(
      expect.arrayContaining([['kent-lado', 1, true]]),
    );
  });

  it('refuses a version approved by the person who proposed it, and any change to a version', async () => {
    const ig = await account('ig.synthetic@example.org');
    const dpo = await account('dpo.synthetic@example.org');
    const organisation = await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'maidstone-bc')
      .executeTakeFirstOrThrow();
    const row = (approvedBy: string) => ({
      organisation_id: organisation.id,
      version: 2,
      document_text: 'slug: maidstone-bc',
      document: JSON.stringify({ slug: 'maidstone-bc' }),
      // In the future: never in force in this test.
      effective_from: '2099-01-01',
      proposed_by: ig,
      approved_by: approvedBy,
    });
    await expect(
      database.db.insertInto('policy_version').values(row(ig)).execute(),
    ).rejects.toThrow(/policy_version_second_person/);
    await database.db.insertInto('policy_version').values(row(dpo)).execute();
    await expect(
      database.db
        .updateTable('policy_version')
        .set({ effective_from: '2098-01-01' })
        .where('version', '=', 2)
        .execute(),
    ).rejects.toThrow(refusedChange);
    await expect(
      sql`delete from policy_version where version = 2`.execute(database.db),
    ).rejects.toThrow(refusedChange);
    // A version not yet in effect is readable but not in force.
    const maidstone = (await versions.list()).find((s) => s.slug === 'maidstone-bc');
    expect(maidstone).toMatchObject({ versionInForce: 1, versions: 2 });
  });

  it('adds an organisation from its document: its row, version 1 and an audit event, in force at once', async () => {
    expect(isOrganisationSlug('wessex-bc')).toBe(false);
    const result = await versions.addOrganisation(wessexSource, fixture);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(isOrganisationSlug('wessex-bc')).toBe(true);
    expect(policyFor('wessex-bc').name).toBe('Wessex Borough Council');
    const stored = await versions.versionsOf('wessex-bc');
    expect(stored).toMatchObject([
      { version: 1, documentText: wessexSource, effectiveFrom: ukDate(new Date()) },
    ]);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'organisation_id', 'object_ids'])
      .where('action', '=', 'organisation.add')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        organisation_id: result.organisationId,
        object_ids: [result.versionId],
      }),
    ]);
    // Its own rule: ten years from the date the concern was logged, where Maidstone keeps seven.
    const due = (organisation: string) => {
      const result = explainRetention({
        organisation,
        category: 'safeguarding-concern',
        facts: { recordedDate: '2026-01-15' },
      });
      return result.ok ? result.value.due : result.error;
    };
    expect(due('wessex-bc')).toBe('2036-01-15');
    expect(due('maidstone-bc')).toBe('2033-01-15');
  });

  it('refuses a second organisation with the same slug, and a bad document, saving nothing', async () => {
    const before = [await count('organisation'), await count('policy_version')];
    const again = await versions.addOrganisation(wessexSource, fixture);
    expect(again).toEqual({
      ok: false,
      problems: [
        {
          file: 'wessex-bc.yaml',
          path: 'slug',
          message:
            'an organisation "wessex-bc" already exists: a change to its policy is a new version, not a new organisation',
        },
      ],
    });
    const broken = wessexSource
      .replace('slug: wessex-bc', 'slug: mercia-dc')
      .replace('years: 10', 'years: ten')
      .replace('- kent-scs', '- mercia-county');
    const refused = await versions.addOrganisation(broken, '/tmp/mercia-dc.yaml');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.problems).toContainEqual({
        file: 'mercia-dc.yaml',
        path: 'categories[0].retention.rules[0].period.years',
        message: 'must be a whole number of years',
        line: broken.split('\n').findIndex((l) => l.includes('years: ten')) + 1,
      });
    }
    const unknownRecipient = wessexSource
      .replaceAll('wessex-bc', 'mercia-dc')
      .replace('- kent-scs', '- mercia-county');
    const refusedRecipient = await versions.addOrganisation(unknownRecipient, 'mercia-dc.yaml');
    expect(refusedRecipient).toMatchObject({
      ok: false,
      problems: [
        {
          file: 'mercia-dc.yaml',
          path: 'recipients[1].safekeepOrganisations[0]',
          message: expect.stringContaining('"mercia-county" is not an organisation in Safekeep'),
        },
      ],
    });
    expect([await count('organisation'), await count('policy_version')]).toEqual(before);
    expect(isOrganisationSlug('mercia-dc')).toBe(false);
  });

  it('puts a stored later version in force at start-up', async () => {
    const original = policyFor('maidstone-bc');
    const organisation = await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'maidstone-bc')
      .executeTakeFirstOrThrow();
    const file = shippedPolicyDocuments().find((d) => d.slug === 'maidstone-bc');
    const nine = (file?.source ?? '').replace('years: 7', 'years: 9');
    await database.db
      .insertInto('policy_version')
      .values({
        organisation_id: organisation.id,
        version: 3,
        document_text: nine,
        document: JSON.stringify({}),
        effective_from: ukDate(new Date()),
      })
      .execute();
    try {
      await versions.registerVersionsInForce();
      const rule = policyFor('maidstone-bc').categories[0]?.retention;
      expect(rule?.kind === 'schedule' && rule.rules[0]?.period).toEqual({
        kind: 'calendar-years',
        years: 9,
      });
      expect(policies.filter((p) => p.slug === 'maidstone-bc')).toHaveLength(1);
    } finally {
      registerPolicy(original);
    }
  });
});
