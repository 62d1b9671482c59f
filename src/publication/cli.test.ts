import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliDatabase } from '../../test/support/cli.js';
import { caseworkStaff, organisationId } from '../../test/support/casework.js';
import { researchKeyFrom, type Config, type ResearchKeys } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { syncReferenceData } from '../platform/reference-data.js';
import { openKey, sealKey, sealedWithCurrent } from './research/key-seal.js';

/**
 * `safekeep publication rotate-research-keys` as an operator runs it when
 * retiring RESEARCH_KEY_SECRET (decision 0040): in a child process, on a
 * database of its own, with the secrets in its environment.
 */
const OLD_SECRET = 'an-old-research-secret-0123456789abcdef';
const NEW_SECRET = 'a-new-research-secret-0123456789abcdef';
const oldKeys: ResearchKeys = { current: researchKeyFrom(OLD_SECRET), previous: null };
const newKeysOnly: ResearchKeys = { current: researchKeyFrom(NEW_SECRET), previous: null };

let database: Config['database'];
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
/** Each extract's pseudonym key, as made at approval. */
const plainKeys = new Map<string, Buffer>();

beforeAll(async () => {
  ({ database, env, cleanup } = await cliDatabase('safekeep_research_keys'));
  const handle = await openDatabase(database);
  try {
    await migrateToLatest(handle.db);
    await syncReferenceData(handle.db);
    const maidstone = await organisationId(handle.db, 'maidstone-bc');
    const officer = await caseworkStaff(handle.db, 'maidstone-bc', ['information-governance']);
    // A second officer approves: never the one who asked.
    const approver = await caseworkStaff(handle.db, 'maidstone-bc', ['information-governance']);
    for (const purpose of ['Synthetic study one', 'Synthetic study two']) {
      const id = randomUUID();
      const key = randomBytes(32);
      plainKeys.set(id, key);
      await handle.db
        .insertInto('research_extract')
        .values({
          id,
          organisation_id: maidstone,
          purpose,
          question: 'How long do synthetic concerns stay open?',
          fields: JSON.stringify(['ageBand']),
          k: 5,
          requested_by: officer.context.accountId,
          approved_by: approver.context.accountId,
          approved_at: new Date(),
          pseudonym_key_sealed: sealKey(oldKeys, id, key),
        })
        .execute();
    }
  } finally {
    await handle.close();
  }
}, 120_000);
afterAll(() => cleanup());

const run = promisify(execFile);
function rotate(secrets: Record<string, string>) {
  return run(process.execPath, [cli, 'publication', 'rotate-research-keys'], {
    env: { ...env, ...secrets },
    timeout: 120_000,
  });
}

async function sealedKeys(): Promise<Map<string, Buffer>> {
  const handle = await openDatabase(database);
  try {
    const rows = await handle.db
      .selectFrom('research_extract')
      .select(['id', 'pseudonym_key_sealed'])
      .execute();
    return new Map(rows.map((r) => [r.id, Buffer.from(r.pseudonym_key_sealed ?? [])]));
  } finally {
    await handle.close();
  }
}

describe('safekeep publication rotate-research-keys', { timeout: 120_000 }, () => {
  it('refuses in one line, changing nothing, when the old secret is not given', async () => {
    const before = await sealedKeys();
    await expect(rotate({ RESEARCH_KEY_SECRET: NEW_SECRET })).rejects.toMatchObject({
      code: 1,
      stderr:
        'Nothing was re-sealed: a research extract key is sealed under a secret that is not ' +
        'configured (RESEARCH_KEY_SECRET or RESEARCH_KEY_SECRET_PREVIOUS).\n',
    });
    expect(await sealedKeys()).toEqual(before);
  });

  it('seals every key again under the new secret, the same keys, so the old secret can go', async () => {
    const rotated = await rotate({
      RESEARCH_KEY_SECRET: NEW_SECRET,
      RESEARCH_KEY_SECRET_PREVIOUS: OLD_SECRET,
    });
    expect(rotated.stdout).toBe(
      '2 research extract key(s) sealed again under the current secret; none is left under another.\n',
    );
    const after = await sealedKeys();
    expect(after.size).toBe(2);
    for (const [id, sealed] of after) {
      expect(sealedWithCurrent(newKeysOnly, sealed)).toBe(true);
      // The new secret alone opens it, to the key the extract was made with.
      expect(openKey(newKeysOnly, id, sealed)).toEqual(plainKeys.get(id));
      expect(() => openKey(oldKeys, id, sealed)).toThrow();
    }
    // Run again: nothing left to do.
    const again = await rotate({ RESEARCH_KEY_SECRET: NEW_SECRET });
    expect(again.stdout).toMatch(/^0 research extract key\(s\) sealed again/);
    expect(await sealedKeys()).toEqual(after);
  });
});
