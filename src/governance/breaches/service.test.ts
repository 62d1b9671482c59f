import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  createPerson,
  organisationId,
  type CaseworkStaff,
} from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { recordWith } from '../../../test/support/people.js';
import { CaseworkService } from '../../casework/service.js';
import type { DatabaseHandle } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { breachClocksFor, recordBreachReminders } from './reminders.js';
import { BreachService, type ReportInput } from './service.js';

/**
 * The breach register's service: who may use it, the four-eyes closure,
 * finding the people affected from each of the three sources, the
 * reminders, and what the audit log keeps (ids, never the facts).
 */
let handle: DatabaseHandle;
let db: Kysely<Database>;
let ig: CaseworkStaff;
let dpo: CaseworkStaff;
let worker: CaseworkStaff;
let ladoIg: CaseworkStaff;
let breaches: BreachService;

const facts = (over: Partial<ReportInput> = {}): ReportInput => ({
  summary: 'Synthetic: a laptop was left on a train',
  occurredAt: new Date('2026-11-30T08:00:00Z'),
  awareAt: new Date('2026-11-30T10:00:00Z'),
  reportedBy: 'Synthetic Worker',
  discovery: 'They noticed at the station',
  dataCategories: ['safeguarding'],
  approxPeople: 10,
  approxRecords: 4,
  ...over,
});

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  dpo = await caseworkStaff(db, 'kent-scs', ['data-protection-officer']);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  breaches = new BreachService(db, { now: () => new Date('2026-12-01T09:00:00Z') });
}, 60_000);
afterAll(async () => {
  await handle?.close();
});

const notFound = (promise: Promise<unknown>) =>
  expect(promise).rejects.toBeInstanceOf(NotFoundError);

describe('who may use the register', () => {
  it('is information governance and the DPO of the breach’s organisation, and no one else', async () => {
    const id = await breaches.report(ig.context, facts());
    expect((await breaches.get(dpo.context, id)).reference).toBeGreaterThan(0);
    await notFound(breaches.get(worker.context, id));
    await notFound(breaches.get(ladoIg.context, id));
    await notFound(breaches.register(worker.context));
    await notFound(breaches.report(worker.context, facts()));
    await notFound(breaches.assess(ladoIg.context, id, assessment));
    await notFound(breaches.get(ig.context, 'not-an-id'));
    await notFound(breaches.get(ig.context, '00000000-0000-4000-8000-000000000000'));
    // Another organisation's register does not list it.
    expect((await breaches.register(ladoIg.context)).map((b) => b.id)).not.toContain(id);
    expect(await breachClocksFor(db, worker.context)).toBeNull();
  });

  it('writes a denied event on a refused id, and only ids, never what happened', async () => {
    const id = await breaches.report(ig.context, facts({ summary: 'Synthetic secret words' }));
    await notFound(breaches.get(ladoIg.context, id));
    const events = await db
      .selectFrom('audit_event')
      .selectAll()
      .where(sql<boolean>`${id} = any(object_ids)`)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['breach.report', 'success'],
      ['breach.read', 'denied'],
    ]);
    expect(JSON.stringify(events)).not.toContain('Synthetic secret words');
  });

  it('numbers each organisation’s breaches 1, 2, 3', async () => {
    const first = await breaches.report(ladoIg.context, facts());
    const second = await breaches.report(ladoIg.context, facts());
    expect((await breaches.get(ladoIg.context, first)).reference).toBe(1);
    expect((await breaches.get(ladoIg.context, second)).reference).toBe(2);
  });

  it('refuses awareness before the breach, or in the future', async () => {
    await expect(
      breaches.report(ig.context, facts({ awareAt: new Date('2026-11-30T07:00:00Z') })),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      breaches.report(ig.context, facts({ awareAt: new Date('2026-12-02T07:00:00Z') })),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

const assessment = {
  likelihood: 'likely',
  severity: 'severe',
  consequences: 'Synthetic consequences',
  measures: 'Synthetic measures',
} as const;

describe('deciding and closing', () => {
  it('needs an assessment first, stops the clock at the ICO decision, and closes with the DPO’s sign-off only', async () => {
    const id = await breaches.report(ig.context, facts());
    await expect(
      breaches.decideIco(ig.context, id, {
        decision: 'not-notify',
        reasons: 'x',
        lateReasons: null,
        dpoContact: 'Synthetic DPO',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await breaches.assess(ig.context, id, assessment);
    expect((await breaches.get(ig.context, id)).risk).toBe('high');
    await breaches.decideIco(ig.context, id, {
      decision: 'notify',
      reasons: 'High risk',
      lateReasons: null,
      dpoContact: 'Synthetic DPO',
    });
    const decided = await breaches.get(ig.context, id);
    expect(decided.clock).toMatchObject({
      state: 'decided',
      withinDeadline: true,
      minutesTaken: 23 * 60,
    });
    // The assessment the decision rests on no longer changes.
    await expect(breaches.assess(ig.context, id, assessment)).rejects.toBeInstanceOf(
      ValidationError,
    );

    await breaches.decideSubjects(ig.context, id, {
      decision: 'not-tell',
      exemption: '34-3-a',
      reasons: 'The laptop was encrypted',
    });
    await breaches.addAction(ig.context, id, {
      description: 'Remind staff',
      owner: 'Synthetic IG',
    });
    const [action] = (await breaches.get(ig.context, id)).actions;

    const closeAs = (who: CaseworkStaff) => breaches.close(who.context, id, 'Synthetic lessons');
    // Information governance may not sign off; nor may the DPO while an action is open.
    await expect(closeAs(ig)).rejects.toThrow(ValidationError);
    await expect(closeAs(dpo)).rejects.toThrow(ValidationError);
    await breaches.completeAction(ig.context, id, action!.id);
    await closeAs(dpo);
    const closed = await breaches.get(ig.context, id);
    expect(closed.closedAt).not.toBeNull();
    // Nothing changes once closed.
    await expect(
      breaches.addAction(ig.context, id, { description: 'Late', owner: 'Synthetic IG' }),
    ).rejects.toThrow('closed');
  });

  it('is never closed by the person who recorded it', async () => {
    const id = await breaches.report(dpo.context, facts());
    await breaches.assess(dpo.context, id, {
      ...assessment,
      likelihood: 'remote',
      severity: 'minimal',
    });
    await breaches.decideIco(dpo.context, id, {
      decision: 'not-notify',
      reasons: 'No risk',
      lateReasons: null,
      dpoContact: 'Synthetic DPO',
    });
    await breaches.decideSubjects(dpo.context, id, {
      decision: 'not-tell',
      exemption: '34-3-b',
      reasons: 'Not high risk',
    });
    expect((await breaches.get(dpo.context, id)).mayClose).toBe(false);
    await expect(breaches.close(dpo.context, id, 'Lessons')).rejects.toThrow(
      /another data protection officer/,
    );
    const secondDpo = await caseworkStaff(db, 'kent-scs', ['data-protection-officer']);
    await breaches.close(secondDpo.context, id, 'Lessons');
  });
});

describe('finding who is affected', () => {
  async function people() {
    return {
      child: await createPerson(db, 'kent-scs', { givenName: 'Synthetic', familyName: 'Child' }),
      parent: await createPerson(db, 'kent-scs', { givenName: 'Synthetic', familyName: 'Parent' }),
    };
  }
  const subjects = async (id: string) =>
    (await breaches.get(ig.context, id)).subjects.map((s) => [s.personId, s.source]);

  it('(a) from a disclosure: everyone in the records it took items from', async () => {
    const { child, parent } = await people();
    const other = await createPerson(db, 'kent-scs');
    const recordId = await recordWith(db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [child, parent],
    });
    await recordWith(db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [other],
    });
    const { id: disclosureId } = await db
      .insertInto('disclosure')
      .values({
        organisation_id: await organisationId(db, 'kent-scs'),
        requested_by: worker.accountId,
        requested_at: new Date('2026-11-29T10:00:00Z'),
        recipient_id: 'kcc-teams',
        recipient_name: 'Synthetic wrong recipient',
        purpose: 'care-and-support',
        lawful_basis: '6(1)(e)',
        consent: 'given',
        justification: 'Synthetic: shared outside any agreement for the test',
        status: 'approved',
        approved_by: ig.accountId,
        approved_at: new Date('2026-11-29T11:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('disclosure_item')
      .values({
        disclosure_id: disclosureId,
        record_id: recordId,
        item_kind: 'record',
        item_id: recordId,
      })
      .execute();

    const id = await breaches.report(ig.context, facts());
    expect(await breaches.addFromDisclosure(ig.context, id, disclosureId)).toEqual({
      found: 2,
      added: 2,
    });
    expect((await subjects(id)).sort()).toEqual(
      [
        [child, 'disclosure'],
        [parent, 'disclosure'],
      ].sort(),
    );
    // Again: nobody twice.
    expect(await breaches.addFromDisclosure(ig.context, id, disclosureId)).toEqual({
      found: 2,
      added: 0,
    });
    // Another organisation's breach cannot use this disclosure, nor this one another's.
    const ladoBreach = await breaches.report(ladoIg.context, facts());
    await notFound(breaches.addFromDisclosure(ladoIg.context, ladoBreach, disclosureId));
    await notFound(
      breaches.addFromDisclosure(ig.context, id, '00000000-0000-4000-8000-000000000000'),
    );
  });

  it('(b) from a staff account: everyone whose records it opened between two moments, from the audit log', async () => {
    const casework = new CaseworkService(db);
    const { child, parent } = await people();
    const early = await createPerson(db, 'kent-scs');
    const recordOf = (personIds: string[]) =>
      casework.create(worker.context, {
        category: 'child-in-need',
        subjectPersonId: personIds[0]!,
        openedOn: '2025-02-03',
      });
    const earlyRecord = await recordOf([early]);
    const laterRecord = await recordOf([child]);
    await db
      .insertInto('record_party')
      .values({ record_id: laterRecord, person_id: parent, role: 'parent' })
      .execute();
    // Creating the records was before the window; so is this read.
    await casework.open(worker.context, earlyRecord);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const from = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await casework.open(worker.context, laterRecord);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const to = new Date();

    const id = await breaches.report(ig.context, facts());
    const result = await breaches.addFromStaffAccount(ig.context, id, {
      accountId: worker.accountId,
      from,
      to,
    });
    expect(result).toEqual({ found: 2, added: 2 });
    expect((await subjects(id)).sort()).toEqual(
      [
        [child, 'staff-account'],
        [parent, 'staff-account'],
      ].sort(),
    );
    // The whole day finds the early one too.
    await breaches.addFromStaffAccount(ig.context, id, {
      accountId: worker.accountId,
      from: new Date(from.getTime() - 3_600_000),
      to,
    });
    expect((await subjects(id)).map(([p]) => p)).toContain(early);
    // Another organisation's account is not one of Kent's staff; an empty period is refused in words.
    await notFound(
      breaches.addFromStaffAccount(ig.context, id, { accountId: ladoIg.accountId, from, to }),
    );
    await expect(
      breaches.addFromStaffAccount(ig.context, id, {
        accountId: worker.accountId,
        from: to,
        to: from,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('(c) picked by hand: the organisation’s own people only, the whole pick refused otherwise', async () => {
    const { child } = await people();
    const ladoPerson = await createPerson(db, 'kent-lado');
    const id = await breaches.report(ig.context, facts());
    expect(
      (await breaches.searchPeople(ig.context, id, 'synthetic child')).map((p) => p.id),
    ).toContain(child);
    expect((await breaches.searchPeople(ig.context, id, 'nobody-called-this')).length).toBe(0);
    await notFound(breaches.addPicked(ig.context, id, [child, ladoPerson]));
    expect(await subjects(id)).toEqual([]);
    expect(await breaches.addPicked(ig.context, id, [child])).toEqual({ found: 1, added: 1 });
    await breaches.removeSubject(ig.context, id, child);
    expect(await subjects(id)).toEqual([]);
    await notFound(breaches.removeSubject(ig.context, id, child));
  });

  it('writes a letter for each person to be told, with the Art 34(2) contents', async () => {
    const { child, parent } = await people();
    const id = await breaches.report(ig.context, facts());
    await breaches.addPicked(ig.context, id, [child, parent]);
    expect((await breaches.letters(ig.context, id)).letters).toEqual([]);
    await breaches.assess(ig.context, id, assessment);
    await breaches.decideSubjects(ig.context, id, {
      decision: 'tell',
      notice: 'Synthetic plain words',
      dpoContact: 'Synthetic DPO, dpo@synthetic.example',
    });
    const { letters, breach } = await breaches.letters(ig.context, id);
    expect(letters.map((l) => l.name).sort()).toEqual(['Synthetic Child', 'Synthetic Parent']);
    expect(breach).toMatchObject({
      subjectsNotice: 'Synthetic plain words',
      dpoContact: 'Synthetic DPO, dpo@synthetic.example',
      consequences: 'Synthetic consequences',
      measures: 'Synthetic measures',
    });
  });
});

describe('reminders', () => {
  it('records a reminder once per breach and kind, in the last 24 hours and when overdue', async () => {
    const handle2 = await testDatabase();
    try {
      const staff = await caseworkStaff(handle2.db, 'kent-scs', ['information-governance']);
      const service = new BreachService(handle2.db, {
        now: () => new Date('2026-12-01T09:00:00Z'),
      });
      const soon = await service.report(
        staff.context,
        facts({
          awareAt: new Date('2026-11-28T20:00:00Z'),
          occurredAt: new Date('2026-11-28T09:00:00Z'),
        }),
      );
      const over = await service.report(
        staff.context,
        facts({
          awareAt: new Date('2026-11-20T10:00:00Z'),
          occurredAt: new Date('2026-11-20T09:00:00Z'),
        }),
      );
      await service.report(staff.context, facts());
      const now = new Date('2026-12-01T09:00:00Z');
      expect(await recordBreachReminders(handle2.db, now)).toEqual({ reminders: 3, recorded: 3 });
      expect(await recordBreachReminders(handle2.db, now)).toEqual({ reminders: 3, recorded: 0 });
      const clocks = await breachClocksFor(handle2.db, staff.context, now);
      expect(clocks?.overdue).toBe(1);
      expect(clocks?.waiting.map((w) => [w.id, w.reminded])).toEqual([
        [over, true],
        [soon, true],
        [expect.any(String), false],
      ]);
    } finally {
      await handle2.close();
    }
  });
});
