import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, TestClock, testApp } from '../../../test/support/app.js';
import { caseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { policyFor, registerPolicy } from '../../policy/index.js';
import { shippedPolicyDocuments } from '../../policy/registry.js';
import { parsePolicyDocument } from '../../policy/schema.js';
import { POLICY_REFRESH_INTERVAL_MS } from './refresh.js';
import { ukDate } from './versions.js';

/**
 * Issue 11 (decision 0025): a running server picks up a version applied by
 * another process without a restart. The other process is played by rows
 * written straight to the database, as `safekeep policy approve` and
 * `apply` write them elsewhere: this process's registry never hears of it
 * except through the database.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new TestClock();
const original = policyFor('kscmp');
const source = shippedPolicyDocuments().find((d) => d.slug === 'kscmp')!.source;
const legislation = 'The Synthetic Safeguarding Act 2031';

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database, { clock });
  await app.ready();
});
afterAll(async () => {
  registerPolicy(original);
  await app?.close();
  await database?.close();
});

const notice = async () => (await new Agent(app).get('/privacy/kscmp')).body;

/** Version 2 of KSCMP's policy, approved; applied when `applied`. */
async function versionTwo(applied: boolean): Promise<string> {
  const text = source.replace(
    /legislation:\n {2}items:\n/,
    `legislation:\n  items:\n    - ${legislation}\n`,
  );
  const parsed = parsePolicyDocument(text, 'kscmp.yaml', 'kscmp');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const db = database.db;
  const organisation = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', 'kscmp')
    .executeTakeFirstOrThrow();
  const ig = await caseworkStaff(db, 'kscmp', ['information-governance']);
  const dpo = await caseworkStaff(db, 'kscmp', ['data-protection-officer']);
  const { id: versionId } = await db
    .insertInto('policy_version')
    .values({
      organisation_id: organisation.id,
      version: 2,
      document_text: text,
      document: JSON.stringify(parsed.policy),
      effective_from: ukDate(new Date()),
      proposed_by: ig.accountId,
      approved_by: dpo.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id } = await db
    .insertInto('policy_change')
    .values({
      organisation_id: organisation.id,
      document_text: text,
      document: JSON.stringify(parsed.policy),
      effective_from: ukDate(new Date()),
      proposed_by: ig.accountId,
      approved_by: dpo.accountId,
      approved_at: new Date(),
      version_id: versionId,
      ...(applied ? { applied_at: new Date() } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

describe('a version applied by another process', () => {
  it('is served within the refresh interval, and not before it is applied', async () => {
    expect(await notice()).not.toContain(legislation);
    const changeId = await versionTwo(false);
    // Approved but not applied: in force nowhere.
    clock.advanceMinutes(1);
    expect(await notice()).not.toContain(legislation);

    await database.db
      .updateTable('policy_change')
      .set({ applied_at: new Date() })
      .where('id', '=', changeId)
      .execute();
    // Within the interval the process does not ask the database again.
    expect(await notice()).not.toContain(legislation);
    clock.advanceMinutes(POLICY_REFRESH_INTERVAL_MS / 60_000 + 1);
    expect(await notice()).toContain(legislation);
    expect(policyFor('kscmp').legislation.items).toContain(legislation);
  });
});
