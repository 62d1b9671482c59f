import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationId } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { loadDemoData } from '../demo/demo-data.js';
import { createPersonFromPartner } from './from-partner.js';
import { scoreAgainstHeld } from './likely-by-score.js';

/**
 * "Possible duplicate" on create scores the new person against everyone
 * held with the linkage engine: a changed surname and a birthday typed
 * day-first, which the name search's rules miss, are found, with why.
 */
let database: DatabaseHandle;
let kent: { id: string; slug: string };
let held: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db);
  kent = { id: await organisationId(database.db, 'kent-scs'), slug: 'kent-scs' };
  held = await database.db.transaction().execute((trx) =>
    createPersonFromPartner(trx, kent.id, {
      givenName: 'Anneliese',
      familyName: 'Wrigglesworth',
      dateOfBirth: '2013-04-11',
      gender: 'female',
      addressLine1: '2 Quarry Hill',
      postcode: 'TN9 1AA',
      nhsNumber: null,
      upn: null,
    }),
  );
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe('possible duplicates on create', () => {
  it('finds a likely match by score, saying why', async () => {
    const found = await scoreAgainstHeld(database.db, kent, {
      givenName: 'Anneliese',
      familyName: 'Wrigglesworth-Okafor',
      dateOfBirth: '2013-11-04',
    });
    expect(found[0]?.id).toBe(held);
    expect(found[0]?.probability).toBeGreaterThan(0.5);
    expect(found[0]?.why).toContain('Date of birth: day and month swapped');
  });

  it('finds nobody for someone unlike anyone held', async () => {
    const found = await scoreAgainstHeld(database.db, kent, {
      givenName: 'Zebedee',
      familyName: 'Quartermaine',
      dateOfBirth: '1999-12-31',
    });
    expect(found).toEqual([]);
  });
});
