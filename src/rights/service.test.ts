import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { recordWith } from '../../test/support/people.js';
import { testDatabase } from '../../test/support/database.js';
import type { Database } from '../db/schema.js';
import type { DatabaseHandle } from '../db/connection.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { isRestricted, remindersDue, RightsService, type NewRequest } from './service.js';

const TODAY = '2025-10-20';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let ig: CaseworkStaff;
let dpo: CaseworkStaff;
let practitioner: CaseworkStaff;
let otherOrgIg: CaseworkStaff;
let partnershipIg: CaseworkStaff;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  rights = new RightsService(db, () => TODAY);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  dpo = await caseworkStaff(db, 'kent-scs', ['data-protection-officer']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner']);
  otherOrgIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  partnershipIg = await caseworkStaff(db, 'kscmp', ['information-governance']);
});

afterAll(async () => {
  await handle.close();
});

function request(over: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'access',
    receivedOn: '2025-09-03',
    channel: 'email',
    description: 'Please send me everything you hold about my son.',
    requesterRole: 'parent',
    requesterName: 'Synthetic Parent',
    requesterContact: 'parent@example.test',
    identityCheck: 'photo-id-seen',
    authorityEvidence: 'birth-certificate',
    subject: {
      givenName: 'Synthetic',
      familyName: 'Child',
      dateOfBirth: '2014-02-11',
      identifiers: [{ type: 'nhs-number', value: '9990000018' }],
    },
    ...over,
  };
}

async function row(id: string) {
  return db.selectFrom('rights_request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('intake and the stored clock', () => {
  it('starts the clock on the day of receipt and stores the due date', async () => {
    const id = await rights.create(ig.context, request());
    const r = await row(id);
    expect(r).toMatchObject({
      state: 'received',
      clock_status: 'running',
      clock_start: '2025-09-03',
      clock_due: '2025-10-03',
    });
    expect(r.subject_identifiers).toEqual([{ type: 'nhs-number', value: '9990000018' }]);
  });

  it('refuses a received date in the future and a category the organisation does not hold', async () => {
    await expect(rights.create(ig.context, request({ receivedOn: '2025-10-21' }))).rejects.toThrow(
      ValidationError,
    );
    await expect(
      rights.create(
        ig.context,
        request({ type: 'erasure', categories: ['newsletter-subscription'] }),
      ),
    ).rejects.toThrow(/holds no category/);
  });

  it('waits while ID is awaited, then restarts from the day it arrives', async () => {
    const id = await rights.create(
      ig.context,
      request({ receivedOn: '2025-07-25', identityCheck: 'not-yet-checked' }),
    );
    await rights.transition(ig.context, id, { to: 'awaiting-id', on: '2025-07-25' });
    expect(await row(id)).toMatchObject({ clock_status: 'waiting', clock_due: null });
    await rights.transition(ig.context, id, {
      to: 'in-progress',
      on: '2025-08-04',
      identityCheck: 'documents-copied',
    });
    expect(await row(id)).toMatchObject({
      state: 'in-progress',
      clock_status: 'running',
      clock_start: '2025-08-04',
      clock_started_by: 'identity',
      clock_due: '2025-09-04',
      id_received_on: '2025-08-04',
    });
  });

  it('restarts from the day proof of authority arrives', async () => {
    const id = await rights.create(
      ig.context,
      request({
        receivedOn: '2025-08-01',
        requesterRole: 'solicitor',
        authorityEvidence: undefined,
      }),
    );
    await expect(rights.transition(ig.context, id, { to: 'in-progress' })).rejects.toThrow(
      /proof of authority/,
    );
    await rights.transition(ig.context, id, { to: 'awaiting-authority', on: '2025-08-01' });
    await rights.transition(ig.context, id, {
      to: 'in-progress',
      on: '2025-08-11',
      authorityEvidence: 'signed-authority-from-subject',
    });
    expect(await row(id)).toMatchObject({
      clock_started_by: 'authority',
      clock_due: '2025-09-11',
      authority_evidence: 'signed-authority-from-subject',
    });
  });

  it('clarification before work starts moves the start; after, it pauses the clock', async () => {
    const before = await rights.create(ig.context, request({ receivedOn: '2025-07-01' }));
    await rights.transition(ig.context, before, { to: 'awaiting-clarification', on: '2025-07-01' });
    await rights.transition(ig.context, before, { to: 'in-progress', on: '2025-07-15' });
    expect(await row(before)).toMatchObject({
      clock_started_by: 'clarification',
      clock_due: '2025-08-15',
    });

    // Received 25 July, due 25 August (bank holiday) → 26 August; paused 28 July – 4 August (7 days).
    const after = await rights.create(ig.context, request({ receivedOn: '2025-07-25' }));
    await rights.transition(ig.context, after, { to: 'in-progress', on: '2025-07-25' });
    expect((await row(after)).clock_due).toBe('2025-08-26');
    await rights.transition(ig.context, after, { to: 'awaiting-clarification', on: '2025-07-28' });
    expect(await row(after)).toMatchObject({
      clock_status: 'paused',
      clock_due: null,
      clock_paused_since: '2025-07-28',
    });
    await rights.transition(ig.context, after, { to: 'in-progress', on: '2025-08-04' });
    expect(await row(after)).toMatchObject({
      clock_status: 'running',
      clock_paused_days: 7,
      clock_due: '2025-09-01',
    });
    const pauses = await db
      .selectFrom('rights_pause')
      .select(['from_date', 'to_date'])
      .where('request_id', '=', after)
      .execute();
    expect(pauses).toEqual([{ from_date: '2025-07-28', to_date: '2025-08-04' }]);
  });

  it('refuses a pause asked for after the response was due, changing nothing', async () => {
    const id = await rights.create(ig.context, request({ receivedOn: '2025-08-01' }));
    await rights.transition(ig.context, id, { to: 'in-progress', on: '2025-08-01' });
    await expect(
      rights.transition(ig.context, id, { to: 'awaiting-clarification', on: '2025-09-10' }),
    ).rejects.toThrow(/expired clock cannot be paused/);
    expect(await row(id)).toMatchObject({ state: 'in-progress', clock_due: '2025-09-01' });
  });
});

describe('extension', () => {
  it('extends by two months when the requester was told within the first month', async () => {
    const id = await rights.create(ig.context, request({ receivedOn: '2025-01-31' }));
    await rights.transition(ig.context, id, { to: 'in-progress', on: '2025-01-31' });
    await rights.transition(ig.context, id, {
      to: 'extended',
      extension: { toldOn: '2025-02-20', reason: 'Records span three services', months: 2 },
    });
    expect(await row(id)).toMatchObject({
      state: 'extended',
      clock_first_month_due: '2025-02-28',
      clock_due: '2025-04-30',
      extension_reason: 'Records span three services',
    });
    const events = await db
      .selectFrom('rights_event')
      .select(['kind', 'note'])
      .where('request_id', '=', id)
      .execute();
    expect(events.map((e) => e.kind)).toEqual(['received', 'work-started', 'extended']);
  });

  it('refuses an extension told after the first month, and one without a reason', async () => {
    const id = await rights.create(ig.context, request({ receivedOn: '2025-08-01' }));
    await rights.transition(ig.context, id, { to: 'in-progress', on: '2025-08-01' });
    await expect(
      rights.transition(ig.context, id, {
        to: 'extended',
        extension: { toldOn: '2025-09-02', reason: 'Complex', months: 2 },
      }),
    ).rejects.toThrow(/only if they are told within the first month/);
    await expect(
      rights.transition(ig.context, id, {
        to: 'extended',
        extension: { toldOn: '2025-08-20', reason: '  ', months: 1 },
      }),
    ).rejects.toThrow(/reason/);
    expect(await row(id)).toMatchObject({ state: 'in-progress', extension_told_on: null });
  });
});

describe('the whole lifecycle, approval by a second person, audit', () => {
  it('runs from receipt to closed, refusing self-approval', async () => {
    const id = await rights.create(ig.context, request({ receivedOn: '2025-10-01' }));
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.transition(ig.context, id, { to: 'review' });
    await expect(rights.transition(ig.context, id, { to: 'approved' })).rejects.toThrow(
      /someone else must approve/,
    );
    await rights.transition(dpo.context, id, { to: 'approved' });
    await rights.transition(ig.context, id, {
      to: 'responded-in-part',
      note: 'Third-party information withheld (DPA 2018 Sch 2 para 16)',
    });
    await rights.transition(ig.context, id, { to: 'closed' });
    const r = await row(id);
    expect(r).toMatchObject({
      state: 'closed',
      prepared_by: ig.accountId,
      approved_by: dpo.accountId,
      responded_on: TODAY,
    });
    expect(r.closed_at).not.toBeNull();

    const page = await rights.get(ig.context, id);
    expect(page.events.map((e) => e.kind)).toEqual([
      'received',
      'work-started',
      'sent-for-review',
      'approved',
      'responded',
      'closed',
    ]);
    const audit = await db
      .selectFrom('audit_event')
      .select(['action', 'object_ids', 'purpose'])
      .where(sql<boolean>`${id} = any(object_ids)`)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['rights.received', 'rights.approved', 'rights.request.view']),
    );
    // Ids and codes only: no name typed into the request reaches the audit log.
    const all = await db.selectFrom('audit_event').selectAll().execute();
    expect(JSON.stringify(all)).not.toMatch(/Synthetic Parent|parent@example|Third-party/);
  });

  it('refuses a stale edit (optimistic locking)', async () => {
    const id = await rights.create(ig.context, request({ receivedOn: '2025-10-01' }));
    await expect(
      rights.transition(ig.context, id, { to: 'in-progress', expectedVersion: 7 }),
    ).rejects.toThrow(ConflictError);
  });

  it('only information governance and the DPO of the organisation see requests', async () => {
    const id = await rights.create(ig.context, request());
    await expect(rights.get(practitioner.context, id)).rejects.toThrow(NotFoundError);
    await expect(rights.get(otherOrgIg.context, id)).rejects.toThrow(NotFoundError);
    await expect(rights.create(practitioner.context, request())).rejects.toThrow(NotFoundError);
    expect((await rights.get(dpo.context, id)).request.id).toBe(id);
  });
});

describe('decisions that need no discovery', () => {
  it('erasure: consent-based categories erased, statutory ones refused with their Art 17(3) ground', async () => {
    const id = await rights.create(
      partnershipIg.context,
      request({ type: 'erasure', requesterRole: 'self', authorityEvidence: undefined }),
    );
    await rights.decide(partnershipIg.context, id, { kind: 'erasure' });
    const { decisions } = await rights.get(partnershipIg.context, id);
    const by = Object.fromEntries(decisions.map((d) => [d.category, d]));
    expect(by.training).toMatchObject({ outcome: 'erase', ground: 'Art 17(1)(b) UK GDPR' });
    expect(by['newsletter-subscription']?.outcome).toBe('erase');
    expect(by.survey?.outcome).toBe('erase');
    expect(by['practice-review']).toMatchObject({
      outcome: 'refuse',
      ground: 'Art 17(3)(b) UK GDPR',
    });
    expect(by['practice-review']?.reasoning).toMatch(/legal obligation/);
  });

  it('erasure: never past a legal hold', async () => {
    const orgId = partnershipIg.context.organisation!.id;
    await db
      .insertInto('retention_hold')
      .values({
        organisation_id: orgId,
        scope: 'category',
        category: 'training',
        record_id: null,
        person_id: null,
        hold_type: 'litigation',
        reason: 'Claim about a training incident',
        placed_by: partnershipIg.accountId,
        review_on: '2026-01-01',
      })
      .execute();
    const id = await rights.create(
      partnershipIg.context,
      request({ type: 'erasure', categories: ['training'], requesterRole: 'self' }),
    );
    await rights.decide(partnershipIg.context, id, { kind: 'erasure' });
    const { decisions } = await rights.get(partnershipIg.context, id);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ outcome: 'refuse', ground: 'Art 17(3)(e) UK GDPR' });
  });

  it('portability applies to consent-based data, not to public-task data, and offers an access request', async () => {
    const id = await rights.create(
      partnershipIg.context,
      request({ type: 'portability', requesterRole: 'self' }),
    );
    await rights.decide(partnershipIg.context, id, { kind: 'portability' });
    const { decisions } = await rights.get(partnershipIg.context, id);
    const by = Object.fromEntries(decisions.map((d) => [d.category, d]));
    expect(by.training?.outcome).toBe('applies');
    expect(by['practice-review']).toMatchObject({
      outcome: 'does-not-apply',
      ground: 'Art 20(3) UK GDPR',
    });
    expect(by['practice-review']?.reasoning).toMatch(/subject access request/);

    const accessId = await rights.offerAccessRequest(partnershipIg.context, id);
    expect(await row(accessId)).toMatchObject({
      type: 'access',
      related_request_id: id,
      received_on: '2025-09-03',
      subject_family_name: 'Child',
    });
  });

  it('refuses a decision the request type does not take', async () => {
    const id = await rights.create(ig.context, request({ type: 'access' }));
    await expect(rights.decide(ig.context, id, { kind: 'erasure' })).rejects.toThrow(
      /does not take/,
    );
  });

  it('objection to public task: not upheld only with compelling grounds written down', async () => {
    const id = await rights.create(ig.context, request({ type: 'objection-public-task' }));
    const objection = {
      kind: 'objection-public-task' as const,
      category: 'child-in-need',
      subjectGrounds: 'The family has moved away and no longer needs support',
    };
    await expect(
      rights.decide(ig.context, id, { ...objection, outcome: 'not-upheld' }),
    ).rejects.toThrow(/compelling legitimate grounds/);
    await rights.decide(ig.context, id, {
      ...objection,
      outcome: 'not-upheld',
      compellingGrounds:
        'Records of children in need must be kept to safeguard the child and meet statutory duties',
    });
    const { decisions } = await rights.get(ig.context, id);
    expect(decisions[0]).toMatchObject({
      outcome: 'not-upheld',
      subject_grounds: objection.subjectGrounds,
    });
    expect(decisions[0]?.reasoning).toMatch(/safeguard the child/);
  });

  it('direct-marketing objection is upheld at once, at intake', async () => {
    const id = await rights.create(
      partnershipIg.context,
      request({ type: 'objection-direct-marketing', requesterRole: 'self' }),
    );
    const { decisions } = await rights.get(partnershipIg.context, id);
    expect(decisions).toEqual([
      expect.objectContaining({
        kind: 'objection-direct-marketing',
        category: 'newsletter-subscription',
        outcome: 'upheld',
        ground: 'Art 21(3) UK GDPR',
      }),
    ]);
  });

  it('objection to automated decisions is recorded: there are none', async () => {
    const id = await rights.create(ig.context, request({ type: 'automated-decision-objection' }));
    await rights.decide(ig.context, id, { kind: 'automated-decision-objection' });
    const { decisions } = await rights.get(ig.context, id);
    expect(decisions[0]).toMatchObject({ outcome: 'no-automated-decisions' });
  });
});

describe('restriction', () => {
  it('blocks until lifted, and is lifted only after the person is told', async () => {
    const id = await rights.create(ig.context, request({ type: 'restriction' }));
    // The organisation's own person and record: ids that name nothing are refused (idor.test.ts).
    const personId = await createPerson(db, 'kent-scs');
    const recordId = await recordWith(db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [],
    });
    expect(await isRestricted(db, { personId })).toBe(false);
    const restriction = await rights.restrict(ig.context, id, {
      scope: 'person',
      targetId: personId,
      ground: 'accuracy-contested',
    });
    const onRecord = await rights.restrict(ig.context, id, {
      scope: 'record',
      targetId: recordId,
      ground: 'objection-pending',
    });
    expect(await isRestricted(db, { personId })).toBe(true);
    expect(await isRestricted(db, { recordId })).toBe(true);
    expect(await isRestricted(db, { recordId: personId })).toBe(false);
    expect(await isRestricted(db, {})).toBe(false);

    await expect(
      rights.liftRestriction(ig.context, restriction, 'Accuracy checked and confirmed'),
    ).rejects.toThrow(/Tell the person before lifting/);
    expect(await isRestricted(db, { personId })).toBe(true);

    await rights.restrictionTold(ig.context, restriction, '2025-10-15');
    await rights.liftRestriction(ig.context, restriction, 'Accuracy checked and confirmed');
    expect(await isRestricted(db, { personId })).toBe(false);
    expect(await isRestricted(db, { recordId })).toBe(true);
    await expect(
      rights.liftRestriction(ig.context, onRecord, 'Objection decided and rejected'),
    ).rejects.toThrow(ConflictError);
  });

  it('the database itself refuses a lift with no told-on date', async () => {
    const id = await rights.create(ig.context, request({ type: 'restriction' }));
    const restriction = await rights.restrict(ig.context, id, {
      scope: 'person',
      targetId: await createPerson(db, 'kent-scs'),
      ground: 'needed-for-legal-claims',
    });
    await expect(
      db
        .updateTable('restriction')
        .set({ lifted_at: new Date(), lift_reason: 'direct SQL' })
        .where('id', '=', restriction)
        .execute(),
    ).rejects.toThrow();
  });
});

describe('dashboard and reminders', () => {
  it('lists open requests overdue first, then by days left, then those with no date', async () => {
    const staff = await caseworkStaff(db, 'sscp', ['information-governance']);
    const soon = await rights.create(staff.context, request({ receivedOn: '2025-09-25' }));
    const overdueLess = await rights.create(staff.context, request({ receivedOn: '2025-09-15' }));
    const overdueMost = await rights.create(staff.context, request({ receivedOn: '2025-09-01' }));
    const later = await rights.create(staff.context, request({ receivedOn: '2025-10-10' }));
    const waiting = await rights.create(staff.context, request({ receivedOn: '2025-08-01' }));
    await rights.transition(staff.context, waiting, { to: 'awaiting-id', on: '2025-08-01' });
    const done = await rights.create(staff.context, request({ receivedOn: '2025-08-20' }));
    await rights.transition(staff.context, done, { to: 'awaiting-id', on: '2025-08-20' });
    await rights.transition(staff.context, done, { to: 'closed', note: 'No ID ever came' });

    const rows = await rights.dashboard(staff.context);
    expect(rows.map((r) => r.id)).toEqual([overdueMost, overdueLess, soon, later, waiting]);
    expect(rows[0]?.clock).toMatchObject({ overdue: true, daysLeft: -19 });
    expect(rows[2]?.clock).toMatchObject({ overdue: false, daysLeft: 7 });
    expect(rows[4]?.clock.status).toBe('waiting');

    const reminders = await remindersDue(db, { today: TODAY, withinDays: 7 });
    const mine = reminders.filter((r) => r.organisationId === staff.context.organisation!.id);
    expect(mine.map((r) => r.requestId)).toEqual([overdueMost, overdueLess, soon]);
    expect(Object.keys(mine[0]!)).not.toContain('subjectName');
  });
});
