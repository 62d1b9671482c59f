import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { chainAndVerify } from '../../test/support/audit.js';
import { BreakGlassRequiredError, CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors/errors.js';
import { PeopleService } from '../people/service.js';
import { createRetentionService } from '../services.js';
import type { RetentionService } from './service.js';

/*
 * Issue 12 item 15: "archived" (Kent SCS notice) and "made inaccessible to
 * system users" (Kent LADO notice) as real states of a record, and KSCMP's
 * MeLearning data "returned to KSCMP" (decision 0020).
 */

let database: DatabaseHandle;
let casework: CaseworkService;
let retention: RetentionService;
let practitioner: CaseworkStaff;
let kentIg: CaseworkStaff;
let ladoOfficer: CaseworkStaff;
let ladoIg: CaseworkStaff;
let kscmpBusiness: CaseworkStaff;
let kscmpIg: CaseworkStaff;
const TODAY = '2026-11-25';

beforeAll(async () => {
  database = await testDatabase();
  casework = new CaseworkService(database.db, { today: () => TODAY });
  retention = createRetentionService(database.db, () => new Date(`${TODAY}T12:00:00Z`));
  const db = database.db;
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  kentIg = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ladoOfficer = await caseworkStaff(db, 'kent-lado', ['lado-officer'], ['lado']);
  ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  kscmpBusiness = await caseworkStaff(db, 'kscmp', ['partnership-business']);
  kscmpIg = await caseworkStaff(db, 'kscmp', ['information-governance']);
});
afterAll(() => database.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A child in need record of a child born long ago: already due, so it goes to review. */
async function dueChildInNeed() {
  const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '1990-01-01' });
  const id = await casework.create(practitioner.context, {
    category: 'child-in-need',
    subjectPersonId: child,
    openedOn: '2005-01-10',
    closedOn: '2006-01-10',
  });
  return { id, child };
}

/** An unfounded allegation closed in 2014: its ten-year review has come. */
async function reviewedAllegation() {
  const adult = await createPerson(database.db, 'kent-lado', { dateOfBirth: '1970-02-02' });
  const id = await casework.create(ladoOfficer.context, {
    category: 'lado-allegation',
    subjectPersonId: adult,
    openedOn: '2014-01-05',
    closedOn: '2014-03-31',
    facts: { outcome: 'unfounded' },
    detail: {
      employer: 'Synthetic Academy',
      employerSector: 'education',
      role: 'Teacher',
      allegation: 'Synthetic allegation text',
    },
  });
  return { id, adult };
}

async function row(id: string) {
  return database.db.selectFrom('case_record').selectAll().where('id', '=', id).executeTakeFirst();
}

describe('archived (Kent SCS: "archived or securely destroyed")', () => {
  it('is read-only, out of lists and search, and visible to information governance only', async () => {
    const { id, child } = await dueChildInNeed();
    expect((await row(id))?.retention_needs_review).toBe(true);
    await retention.decide(kentIg.context, id, {
      decision: 'archive',
      rationale: 'Of lasting value to the child as an adult: archived as the notice allows.',
    });
    const archived = await row(id);
    expect(archived).toMatchObject({
      record_state: 'archived',
      state_changed_on: TODAY,
      retention_action: 'archive',
      retention_needs_review: false,
    });

    // Its practitioner no longer finds or opens it.
    expect(await rejection(casework.open(practitioner.context, id))).toBeInstanceOf(NotFoundError);
    const listed = await casework.list(practitioner.context);
    expect(listed.records.map((r) => r.id)).not.toContain(id);
    const people = new PeopleService(database.db);
    expect(await people.isVisible(practitioner.context, child)).toBe(false);
    // Information governance reads it, and may not change it.
    const view = await casework.open(kentIg.context, id);
    expect(view).toMatchObject({ state: 'archived', access: { via: 'role', canWrite: false } });
    expect(
      await rejection(
        casework.addNote(kentIg.context, id, { text: 'Synthetic note', occurredOn: TODAY }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    // Out of every list, theirs too: the kept page lists it instead.
    expect((await casework.list(kentIg.context)).records.map((r) => r.id)).not.toContain(id);
    // Out of the review queue: its retention was decided.
    const queue = await retention.reviewQueue(kentIg.context, TODAY);
    expect(queue.map((q) => q.id)).not.toContain(id);
  });

  it('is refused by the database itself: no field, note, party, source or document changes', async () => {
    const { id } = await dueChildInNeed();
    await retention.decide(kentIg.context, id, {
      decision: 'archive',
      rationale: 'Archived for the database test of read-only records.',
    });
    const attempts = [
      sql`update case_record set opened_on = '2005-02-01' where id = ${id}`,
      sql`update case_record set category = 'child-protection-plan' where id = ${id}`,
      sql`insert into case_note (record_id, author_account_id, occurred_on, kind, text)
          values (${id}, ${kentIg.accountId}, '2026-01-01', 'note', 'Synthetic')`,
      sql`insert into record_source (record_id, kind, provider, received_on, summary, added_by)
          values (${id}, 'other', 'Synthetic', '2026-01-01', 'Synthetic', ${kentIg.accountId})`,
      sql`insert into record_document (record_id, filename, media_type, size_bytes, content, uploaded_by)
          values (${id}, 'synthetic.txt', 'text/plain', 4, decode('74657374', 'hex'), ${kentIg.accountId})`,
      sql`insert into record_party (record_id, person_id, role)
          select ${id}, id, 'parent' from person where organisation_id = ${kentIg.context.organisation?.id ?? ''} limit 1`,
    ];
    for (const attempt of attempts) {
      const error = await rejection(
        database.db.transaction().execute((trx) => attempt.execute(trx)),
      );
      expect(String((error as Error).message)).toMatch(/kept record/);
    }
    // Its retention may still move, and destruction is never refused.
    await sql`update case_record set retention_explanation = 'Reassessed' where id = ${id}`.execute(
      database.db,
    );
    await sql`delete from case_note where record_id = ${id}`.execute(database.db);
  });

  it('is not offered where the notice does not say so: a LADO record cannot be archived', async () => {
    const { id } = await reviewedAllegation();
    expect(
      await rejection(
        retention.decide(ladoIg.context, id, {
          decision: 'archive',
          rationale: 'The LADO notice says nothing of archiving.',
        }),
      ),
    ).toBeInstanceOf(ConflictError);
    expect((await row(id))?.record_state).toBe('active');
  });
});

describe('made inaccessible (Kent LADO: "made inaccessible to system users")', () => {
  it('opens to information governance only, with a reason, audited; then destroyed ten years on', async () => {
    const { id, adult } = await reviewedAllegation();
    expect((await row(id))?.retention_needs_review).toBe(true);
    await retention.decide(ladoOfficer.context, id, {
      decision: 'make-inaccessible',
      rationale: 'No new information in ten years: removed from users, as the notice says.',
    });
    expect(await row(id)).toMatchObject({
      record_state: 'inaccessible',
      retention_action: 'destroy',
      retention_due: '2036-11-25',
    });
    // The LADO officer who holds allegations no longer opens it.
    expect(await rejection(casework.open(ladoOfficer.context, id))).toBeInstanceOf(NotFoundError);
    // Information governance must give a reason first.
    expect(await rejection(casework.open(ladoIg.context, id))).toBeInstanceOf(
      BreakGlassRequiredError,
    );
    // Nobody else may give one.
    expect(
      await rejection(
        casework.breakGlass(ladoOfficer.context, id, { reason: 'Synthetic reason to look' }),
      ),
    ).toBeInstanceOf(NotFoundError);
    await casework.breakGlass(ladoIg.context, id, {
      reason: 'A new referral names the same adult: checking for a pattern of concern.',
    });
    const view = await casework.open(ladoIg.context, id);
    expect(view).toMatchObject({
      state: 'inaccessible',
      access: { via: 'break-glass', canWrite: false },
    });
    const events = await database.db
      .selectFrom('audit_event')
      .select(['action', 'purpose'])
      .where('object_ids', '@>', sql<string[]>`array[${id}]::text[]`)
      .where('action', 'in', ['record.make-inaccessible', 'record.break-glass', 'record.read'])
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual([
      'record.break-glass',
      'record.make-inaccessible',
      // Refused: the officer's attempt and governance's before a reason;
      // then governance's reasoned read.
      'record.read',
      'record.read',
      'record.read',
    ]);

    // Ten years on the sweep destroys it, with its person.
    const early = await retention.sweep({ asOf: '2036-11-24', dryRun: false });
    expect(early.disposed).toBe(0);
    const report = await retention.sweep({ asOf: '2036-11-25', dryRun: false });
    expect(report.disposed).toBe(1);
    expect(await row(id)).toBeUndefined();
    const person = await database.db
      .selectFrom('person')
      .select('id')
      .where('id', '=', adult)
      .executeTakeFirst();
    expect(person).toBeUndefined();
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });
});

describe('returned to KSCMP (MeLearning: "at end of contract all information to be returned")', () => {
  async function learningRecord() {
    const learner = await createPerson(database.db, 'kscmp', { dateOfBirth: null });
    return casework.create(kscmpBusiness.context, {
      category: 'learning-system-record',
      subjectPersonId: learner,
      openedOn: '2024-01-10',
      facts: { contractEndDate: '2027-03-31' },
      detail: { summary: 'Synthetic course history' },
    });
  }

  it('is applied by the sweep on the due date: re-filed as training, with its new schedule', async () => {
    const id = await learningRecord();
    expect(await row(id)).toMatchObject({
      retention_status: 'scheduled',
      retention_action: 'return-to-partnership',
      retention_due: '2027-03-31',
    });
    const before = await retention.sweep({ asOf: '2027-03-30', dryRun: false });
    expect(before.applied).toBe(0);
    expect((await row(id))?.category).toBe('learning-system-record');

    const report = await retention.sweep({ asOf: '2027-03-31', dryRun: false });
    expect(report.applied).toBe(1);
    expect(report.disposed).toBe(0);
    // KSCMP keeps training information "Current year +6 years" from the date
    // of training, which MeLearning data does not carry: a person records it.
    const returned = await row(id);
    expect(returned).toMatchObject({
      category: 'training',
      record_state: 'active',
      retention_status: 'needs-review',
      retention_rule_id: 'kscmp/training/current-year-plus-6',
      retention_needs_review: true,
    });
    const refile = await database.db
      .selectFrom('record_refile')
      .selectAll()
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(refile).toMatchObject({
      from_category: 'learning-system-record',
      to_category: 'training',
      refiled_by: null,
    });
    expect(refile.reason).toMatch(/returned to KSCMP/);
    // Still KSCMP's, and its business team works with it as training information.
    expect((await casework.open(kscmpBusiness.context, id)).category).toBe('training');
    // A second sweep does nothing more.
    expect((await retention.sweep({ asOf: '2027-03-31', dryRun: false })).applied).toBe(0);
  });

  it('waits while a legal hold is in force', async () => {
    const id = await learningRecord();
    await retention.placeHold(kscmpIg.context, {
      scope: 'record',
      targetId: id,
      holdType: 'litigation',
      reason: 'Synthetic litigation hold for the test',
      reviewOn: '2028-01-01',
    });
    await retention.sweep({ asOf: '2027-06-01', dryRun: false });
    expect((await row(id))?.category).toBe('learning-system-record');
  });
});
