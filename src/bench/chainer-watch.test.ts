import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { chainAuditEvents } from '../platform/audit/chainer.js';
import { formatChainerLag, watchChainer } from './chainer-watch.js';

let database: ScratchDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

async function recordEvents(count: number): Promise<void> {
  await database.db
    .insertInto('audit_event')
    .values(
      Array.from({ length: count }, () => ({
        id: randomUUID(),
        actor_account_id: null,
        organisation_id: null,
        action: 'test.watched',
        object_ids: [],
        outcome: 'success',
      })),
    )
    .execute();
}

describe('watching the chainer in a soak run', () => {
  it('reports the most events left waiting, what is left at the end, and failed rounds', async () => {
    await chainAuditEvents(database.db, { wait: true });
    const watch = watchChainer(database.db, 10);
    await recordEvents(7);
    await vi.waitFor(() => expect(watch.sofar().maxWaiting).toBe(7), { timeout: 10_000 });
    await chainAuditEvents(database.db, { wait: true });
    await recordEvents(2);
    watch.error({ err: new Error('canceling statement due to statement timeout') }, 'failed');
    watch.error({ err: new Error('a later one') }, 'failed');
    const lag = await watch.stop();
    expect(lag).toMatchObject({
      maxWaiting: 7,
      waitingAtEnd: 2,
      failedRounds: 2,
      firstFailure: 'canceling statement due to statement timeout',
    });
    expect(formatChainerLag(lag)).toMatch(
      /^audit chainer during the run: at most 7 events waiting to be linked \(\d+ s in\), 2 at the end; 2 rounds failed, the first with "canceling statement due to statement timeout"$/,
    );
  });
});
