import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, organisationId } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ValidationError } from '../../platform/errors/errors.js';
import { testConfig } from '../../../test/support/app.js';
import { EXTRACT_FIELDS } from './extracts.js';
import { ResearchExtracts } from './extracts.js';
import { smallestGroupIn } from './k-anonymity.js';
import { openKey, SealedKeyError } from './key-seal.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** Children with records at Maidstone: 24 alike, and one who stands out. */
async function children() {
  const db = database.db;
  const maidstone = await organisationId(db, 'maidstone-bc');
  const add = async (given: string, born: string, postcode: string, gender: 'female' | 'male') => {
    const person = await createPerson(db, 'maidstone-bc', {
      givenName: given,
      familyName: 'Synthetic',
      dateOfBirth: born,
    });
    await db.updateTable('person').set({ gender }).where('id', '=', person).execute();
    await db
      .insertInto('person_address')
      .values({ person_id: person, line1: '1 Synthetic Street', postcode })
      .execute();
    const record = await db
      .insertInto('case_record')
      .values({
        organisation_id: maidstone,
        category: 'safeguarding-concern',
        opened_on: '2026-03-14',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('record_party')
      .values({ record_id: record.id, person_id: person, role: 'subject' })
      .execute();
  };
  for (let i = 0; i < 24; i++) {
    await add(`Child${i}`, `201${i % 3}-0${(i % 9) + 1}-10`, 'ME14 2AB', 'female');
  }
  await add('Standout', '2009-01-01', 'TN27 0AA', 'male');
}

describe('a research extract', () => {
  it('is approved by a second person, pseudonymised with its own key, k-anonymous and audited', async () => {
    const db = database.db;
    await children();
    const requester = await caseworkStaff(db, 'maidstone-bc', ['information-governance']);
    const approver = await caseworkStaff(db, 'maidstone-bc', ['information-governance']);
    const practitioner = await caseworkStaff(db, 'maidstone-bc', [
      'designated-safeguarding-officer',
    ]);
    const extracts = new ResearchExtracts(db, { keys: testConfig().researchKeys });
    const form = {
      purpose: 'research',
      question: 'Synthetic: ages and places of children with concerns',
      fields: EXTRACT_FIELDS.map((f) => f.field),
    };
    // Only governance; anyone else is told there is nothing there.
    await expect(extracts.request(practitioner.context, form)).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      extracts.request(requester.context, { purpose: 'research', question: '', fields: ['notes'] }),
    ).rejects.toBeInstanceOf(ValidationError);
    const id = await extracts.request(requester.context, form);
    await expect(extracts.csv(requester.context, id)).rejects.toMatchObject({ status: 404 });
    const own = await extracts.approve(requester.context, id).catch((e: unknown) => e);
    expect((own as ValidationError).fieldErrors[0]?.message).toContain('second person');
    await extracts.approve(approver.context, id);

    const csv = await extracts.csv(requester.context, id);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'pseudonym',
      'category',
      'opened',
      'closed',
      'age',
      'gender',
      'postcode',
    ]);
    const quasi = EXTRACT_FIELDS.map((f) => ({ ...f }));
    expect(smallestGroupIn(rows, quasi, 'pseudonym')).toBeGreaterThanOrEqual(5);
    expect(csv).not.toMatch(/Synthetic|Standout|Child\d|2AB|TN27|-10\b/);
    for (const row of rows) expect(row.opened).toMatch(/^(\d{4}(-\d{2})?|\*)$/);
    const [listed] = await extracts.list(requester.context);
    expect(listed?.report?.actions.join('; ')).toMatch(/generalised|suppressed/);

    // A second extract of the same people cannot be joined to the first.
    const second = await extracts.request(requester.context, form);
    await extracts.approve(approver.context, second);
    const again = parse(await extracts.csv(requester.context, second), {
      columns: true,
    }) as Record<string, string>[];
    const first = new Set(rows.map((r) => r.pseudonym));
    expect(again.some((r) => first.has(r.pseudonym ?? ''))).toBe(false);

    const events = await db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'research-extract.%')
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual([
      'research-extract.approve',
      'research-extract.approve',
      'research-extract.download',
      'research-extract.download',
      'research-extract.request',
      'research-extract.request',
    ]);
    expect(await extracts.approved(await organisationId(db, 'maidstone-bc'))).toHaveLength(2);
  });
});

describe('the extract keys at rest', () => {
  it('are stored only sealed, bound to their extract; clear keys from before are sealed; rotation re-seals', async () => {
    const db = database.db;
    const keys = testConfig().researchKeys;
    const requester = await caseworkStaff(db, 'maidstone-bc', ['information-governance']);
    const approver = await caseworkStaff(db, 'maidstone-bc', ['information-governance']);
    const extracts = new ResearchExtracts(db, { keys });
    const form = { purpose: 'statistics', question: 'Synthetic: keys at rest', fields: ['gender'] };
    const id = await extracts.request(requester.context, form);
    await extracts.approve(approver.context, id);
    const row = await db
      .selectFrom('research_extract')
      .select(['pseudonym_key', 'pseudonym_key_sealed'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.pseudonym_key).toBeNull();
    const sealed = Buffer.from(row.pseudonym_key_sealed ?? []);
    const key = openKey(keys, id, sealed);
    expect(key).toHaveLength(32);
    expect(sealed.includes(key)).toBe(false);
    expect(sealed.includes(key.subarray(0, 8))).toBe(false);
    // Copied to another extract, or opened with another secret, it does not open.
    expect(() => openKey(keys, randomUUID(), sealed)).toThrow(SealedKeyError);
    const other = testConfig({ RESEARCH_KEY_SECRET: 'another-secret-0123456789abcdef-xyz' });
    expect(() => openKey(other.researchKeys, id, sealed)).toThrow(SealedKeyError);
    const csv = await extracts.csv(requester.context, id);
    const pseudonyms = (parse(csv, { columns: true }) as Record<string, string>[]).map(
      (r) => r.pseudonym,
    );
    expect(pseudonyms.length).toBeGreaterThan(0);

    // An extract approved before migration 0060: its key in the clear.
    const clearKey = randomBytes(32);
    await db
      .updateTable('research_extract')
      .set({ pseudonym_key: clearKey, pseudonym_key_sealed: null })
      .where('id', '=', id)
      .execute();
    const before = await extracts.csv(requester.context, id);
    expect(await extracts.sealClearKeys()).toBe(1);
    const after = await db
      .selectFrom('research_extract')
      .select(['pseudonym_key', 'pseudonym_key_sealed'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.pseudonym_key).toBeNull();
    expect(Buffer.from(after.pseudonym_key_sealed ?? []).includes(clearKey)).toBe(false);
    // The same pseudonyms as before: the extract still verifies.
    expect(await extracts.csv(requester.context, id)).toBe(before);
    expect(await extracts.sealClearKeys()).toBe(0);

    // Rotation: a new secret, the old one as previous, re-seals; then the old one can go.
    const rotated = testConfig({
      RESEARCH_KEY_SECRET: 'a-new-research-secret-0123456789abcdef',
      RESEARCH_KEY_SECRET_PREVIOUS: `research:${testConfig().sessionSecret}`,
    });
    const during = new ResearchExtracts(db, { keys: rotated.researchKeys });
    expect(await during.resealKeys()).toBeGreaterThanOrEqual(1);
    expect(await during.resealKeys()).toBe(0);
    const afterRotation = new ResearchExtracts(db, {
      keys: { current: rotated.researchKeys.current, previous: null },
    });
    expect(await afterRotation.csv(requester.context, id)).toBe(before);
    await expect(extracts.csv(requester.context, id)).rejects.toBeInstanceOf(SealedKeyError);
  });
});
