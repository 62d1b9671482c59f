import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { fillTo } from '../casework/bench-fixtures.js';
import type { DatabaseHandle } from '../db/connection.js';
import { importRows, missingFromHomeCsv } from './bench.js';

/**
 * The import benchmark's file must be one the real import takes whole:
 * every row valid, each matched (some to people held, most new), none
 * left pending; and the same seed gives the same file.
 */
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await testDatabase();
  await fillTo(handle.db, 150, () => undefined);
}, 120_000);
afterAll(async () => {
  await handle?.close();
});

describe('the import benchmark', () => {
  it('generates the same file from the same seed', () => {
    const held = [{ given_name: 'Ada', family_name: 'Quill', date_of_birth: '2014-03-02' }];
    expect(missingFromHomeCsv(50, 7, held).equals(missingFromHomeCsv(50, 7, held))).toBe(true);
    expect(missingFromHomeCsv(50, 8, held).equals(missingFromHomeCsv(50, 7, held))).toBe(false);
  });

  it('imports every row through the service: attached or new, none held or left', async () => {
    const { job, seconds } = await importRows(handle.db, 300, () => undefined);
    expect(seconds).toBeGreaterThan(0);
    expect(job.rowsTotal).toBe(300);
    expect(job.status).toBe('finished');
    const c = job.counts;
    expect(c.invalid).toBe(0);
    expect(c.pending + c.unmapped).toBe(0);
    expect(c.linked).toBeGreaterThan(0);
    expect(c.created).toBeGreaterThan(c.linked);
    expect(c.linked + c.created + c.review).toBe(300);
  }, 120_000);
});
