import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { listBenchmarks } from '../bench/run.js';
import type { DatabaseHandle } from '../db/connection.js';
import { fillReturns, returnChildren, runReturns } from './bench.js';

/**
 * The returns benchmark at a small size: the fill reaches the children
 * asked for with the demo's records (so both returns have children and the
 * SSDA903 files and Annex A lists have rows), and a run reports its
 * seconds and counts.
 */
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await testDatabase();
}, 120_000);
afterAll(async () => {
  await handle?.close();
});

describe('the returns benchmark', () => {
  it('is registered as returns.build', () => {
    expect(listBenchmarks().map((b) => b.name)).toContain('returns.build');
  });

  it('fills to the children asked for and times each return', async () => {
    const lines: string[] = [];
    const filled = await fillReturns(handle.db, 200, (line) => lines.push(line));
    expect(filled.children).toBeGreaterThanOrEqual(200);
    expect(await returnChildren(handle.db, filled.organisationId)).toBe(filled.children);
    expect(lines.at(-1)).toMatch(/children with a returnable record/);
    const run = await runReturns(handle.db, filled.organisationId);
    expect(run.census.children).toBeGreaterThan(0);
    expect(run.census.children).toBeLessThanOrEqual(filled.children);
    expect(run.census.checkSeconds).toBeGreaterThan(0);
    expect(run.census.fileSeconds).toBeGreaterThan(0);
    expect(run.census.xmlBytes).toBeGreaterThan(1000);
    expect(run.ssda903.children).toBeGreaterThan(0);
    expect(run.ssda903.rows).toBeGreaterThan(run.ssda903.children);
    expect(run.ssda903.checkSeconds).toBeGreaterThan(0);
    expect(run.annexA.children).toBeGreaterThan(0);
    expect(run.annexA.rows).toBeGreaterThanOrEqual(run.annexA.children);
    expect(run.annexA.checkSeconds).toBeGreaterThan(0);
    expect(run.annexA.workbookBytes).toBeGreaterThan(1000);
    // A second fill to the same size adds nobody.
    const again = await fillReturns(handle.db, 200, () => undefined);
    expect(again.children).toBe(filled.children);
  }, 300_000);
});
