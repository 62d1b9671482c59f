import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  signInFully,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { AnnexAService } from './annex-a/service.js';
import { ReturnJobs, STOPPED_AFTER_MS } from './jobs.js';
import { ReturnsService } from './service.js';

/**
 * A return made as a job: it writes a heartbeat and its progress in
 * children as it works (migration 0076), so a job orphaned by a restart is
 * shown as stopped within minutes of its last heartbeat, and the job's page
 * says how many children have been checked. Clocks are injected.
 */
let handle: DatabaseHandle;
let app: FastifyInstance;
let performance: CaseworkStaff;
let returns: ReturnsService;
let annexA: AnnexAService;
const CHILDREN = 3;

beforeAll(async () => {
  handle = await testDatabase();
  const { db } = handle;
  app = await testApp(handle);
  returns = new ReturnsService(db);
  annexA = new AnnexAService(db);
  performance = await caseworkStaff(db, 'kent-scs', ['performance']);
  const worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  const casework = new CaseworkService(db);
  for (let i = 0; i < CHILDREN; i += 1) {
    const child = await createPerson(db, 'kent-scs', { dateOfBirth: '2016-04-04' });
    await db.updateTable('person').set({ gender: 'male' }).where('id', '=', child).execute();
    await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2025-06-10',
      detail: {
        categoryOfAbuse: 'neglect',
        referralSource: 'individual-family',
        primaryNeed: 'abuse-or-neglect',
      },
    });
  }
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

/** A clock the test moves. */
function clock(start: Date) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    set: (date: Date) => {
      at = date.getTime();
    },
  };
}

async function row(id: string) {
  return handle.db
    .selectFrom('statutory_return_job')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('a job’s heartbeat', () => {
  it('is written as the job works, with its progress in children, up to when it finished', async () => {
    const time = clock(new Date('2026-12-07T10:00:00Z'));
    const jobs = new ReturnJobs(handle.db, returns, annexA, time.now, 5);
    const id = await jobs.create(performance.context, { kind: 'cin-census', year: 2026 });
    expect((await row(id)).heartbeat_at).toBeNull();
    await jobs.run(performance.context, id);
    const done = await row(id);
    expect(done.status).toBe('made');
    expect(done.heartbeat_at?.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    // Counts only: every child the census read, all checked.
    expect(done.children_total).toBeGreaterThanOrEqual(CHILDREN);
    expect(done.children_checked).toBe(done.children_total);
  });

  it('keeps a running job alive while recent, and shows it stopped once older than the limit', async () => {
    const time = clock(new Date('2026-12-07T11:00:00Z'));
    const jobs = new ReturnJobs(handle.db, returns, annexA, time.now);
    const id = await jobs.create(performance.context, { kind: 'ssda903', year: 2026 });
    // As a server stopped part-way leaves it: running, its last beat at 11:00,
    // though the job was asked for an hour before (the old rule's limit).
    const beat = new Date('2026-12-07T11:00:00Z');
    await handle.db
      .updateTable('statutory_return_job')
      .set({ status: 'running', steps_done: 1, heartbeat_at: beat })
      .where('id', '=', id)
      .execute();
    const askedAt = new Date('2026-12-07T10:00:00Z');
    await sql`update statutory_return_job set created_at = ${askedAt} where id = ${id}`.execute(
      handle.db,
    );
    time.set(new Date(beat.getTime() + 60_000));
    expect((await jobs.job(performance.context, id))?.status).toBe('running');
    time.set(new Date(beat.getTime() + STOPPED_AFTER_MS));
    expect((await jobs.job(performance.context, id))?.status).toBe('running');
    time.set(new Date(beat.getTime() + STOPPED_AFTER_MS + 1000));
    expect((await jobs.job(performance.context, id))?.status).toBe('failed');
    expect(STOPPED_AFTER_MS).toBeLessThanOrEqual(2 * 60_000);
  });

  it('shows a job that never started stopped once its creation is older than the limit', async () => {
    const jobs0 = new ReturnJobs(handle.db, returns, annexA);
    const id = await jobs0.create(performance.context, { kind: 'cin-census', year: 2025 });
    const created = (await row(id)).created_at;
    const time = clock(new Date(created.getTime() + 30_000));
    const jobs = new ReturnJobs(handle.db, returns, annexA, time.now);
    expect((await jobs.job(performance.context, id))?.status).toBe('waiting');
    time.set(new Date(created.getTime() + STOPPED_AFTER_MS + 1000));
    expect((await jobs.job(performance.context, id))?.status).toBe('failed');
  });
});

describe('progress in children', () => {
  it('is reported by the service as it checks, from none to all', async () => {
    const seen: { checked: number; total: number }[] = [];
    const run = await returns.cinCensus(performance.context, {
      year: 2026,
      produce: false,
      onProgress: (p) => seen.push(p),
    });
    expect(seen[0]).toEqual({ checked: 0, total: run.children.length });
    expect(seen.at(-1)).toEqual({ checked: run.children.length, total: run.children.length });
    const ssda: { checked: number; total: number }[] = [];
    await returns.ssda903(performance.context, {
      year: 2026,
      produce: false,
      onProgress: (p) => ssda.push(p),
    });
    expect(ssda[0]?.checked).toBe(0);
  });

  it('is written for an Annex A job too, in children rather than steps', async () => {
    const jobs = new ReturnJobs(handle.db, returns, annexA);
    const id = await jobs.create(performance.context, { kind: 'annex-a', asOf: '2026-10-01' });
    await jobs.run(performance.context, id);
    const done = await row(id);
    expect(['made', 'refused']).toContain(done.status);
    // Every child whose records the lists read, all checked.
    expect(done.children_total).toBeGreaterThanOrEqual(CHILDREN);
    expect(done.children_checked).toBe(done.children_total);
    const seen: { checked: number; total: number }[] = [];
    await annexA.annexA(performance.context, {
      asOf: '2026-10-01',
      produce: false,
      onProgress: (p) => seen.push(p),
    });
    expect(seen[0]).toEqual({ checked: 0, total: done.children_total });
    expect(seen.at(-1)).toEqual({ checked: done.children_total, total: done.children_total });
  });

  it('is on the job’s page while checking: "4,000 of 20,007 children checked"', async () => {
    const jobs = new ReturnJobs(handle.db, returns, annexA);
    const id = await jobs.create(performance.context, { kind: 'cin-census', year: 2026 });
    await handle.db
      .updateTable('statutory_return_job')
      .set({
        status: 'running',
        steps_done: 1,
        heartbeat_at: new Date(),
        children_checked: 4000,
        children_total: 20007,
      })
      .where('id', '=', id)
      .execute();
    const agent = new Agent(app);
    await signInFully(agent, performance);
    const page = await agent.get(`/returns/jobs/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-job-status="working"');
    expect(page.body).toMatch(/data-testid="job-progress">4,000 of 20,007 children checked<\/p>/);
    // Once finished, the count gives way to the result.
    await handle.db
      .updateTable('statutory_return_job')
      .set({ status: 'refused', steps_done: 3, errors: 2 })
      .where('id', '=', id)
      .execute();
    const after = await agent.get(`/returns/jobs/${id}`);
    expect(after.body).not.toContain('data-testid="job-progress"');
    expect(after.body).toContain('data-testid="job-refused"');
  });
});
