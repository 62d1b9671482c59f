import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  createPerson,
  organisationId,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { PartnershipService } from '../partnership/service.js';
import { newsletterKeys, suppressionHash } from '../partnership/signing.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { createRetentionService } from '../services.js';
import { seedAgreements } from '../sharing/agreements.js';
import { SharingService } from '../sharing/service.js';
import { notLinkableReason } from './erasure.js';
import { RightsService, type NewRequest } from './service.js';

const SECRET = 'test-session-secret-for-rights-outcomes-000000';
const TODAY = '2026-03-10';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let partnership: PartnershipService;
let casework: CaseworkService;
let kscmpIg: CaseworkStaff;
let kscmpTeam: CaseworkStaff;
let sscpIg: CaseworkStaff;
let sscpTeam: CaseworkStaff;
let ig: CaseworkStaff;
let worker: CaseworkStaff;
let kscmpId: string;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  await seedAgreements(db);
  rights = new RightsService(db, () => TODAY, { sessionSecret: SECRET });
  partnership = new PartnershipService(db, { sessionSecret: SECRET, today: () => TODAY });
  casework = new CaseworkService(db, { today: () => TODAY });
  kscmpIg = await caseworkStaff(db, 'kscmp', ['information-governance']);
  kscmpTeam = await caseworkStaff(db, 'kscmp', ['partnership-business']);
  sscpIg = await caseworkStaff(db, 'sscp', ['information-governance']);
  sscpTeam = await caseworkStaff(db, 'sscp', ['partnership-business']);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  kscmpId = await organisationId(db, 'kscmp');
});

afterAll(async () => {
  await handle?.close();
});

function request(over: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'erasure',
    receivedOn: '2026-03-02',
    channel: 'email',
    description: 'Please erase what you hold about me.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: 'requester@synthetic.example',
    identityCheck: 'known-to-us',
    subject: { givenName: 'Synthetic', familyName: 'Requester' },
    ...over,
  };
}

async function booking(staff: CaseworkStaff, fullName: string, email: string) {
  const courseId = await partnership.createCourse(staff.context, {
    title: 'Safeguarding basics',
    kind: 'course',
    delivery: 'online',
    startDate: '2026-04-01',
    endDate: '2026-04-01',
  });
  return partnership.book(staff.context, courseId, {
    fullName,
    jobRole: 'Health visitor',
    employer: 'Synthetic Health Trust',
    sector: 'health',
    email,
    telephone: '01234 567890',
    postalAddress: null,
    budgetReference: null,
    requirements: null,
  });
}

async function subscriberId(organisation: string, email: string) {
  const row = await db
    .selectFrom('newsletter_subscriber')
    .select('id')
    .where('organisation_id', '=', organisation)
    .where('email', '=', email)
    .executeTakeFirst();
  return row?.id;
}

/** Every row of the partnership tables and the rights outcome record, as text. */
async function everything(): Promise<string> {
  const tables = [
    'training_booking',
    'newsletter_subscriber',
    'newsletter_suppression',
    'rights_outcome_item',
    'rights_event',
  ];
  const texts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{
      row: string;
    }>`select t::text as row from ${sql.table(table)} t`.execute(db);
    texts.push(...rows.map((r) => r.row));
  }
  return texts.join('\n');
}

async function startedWithDiscovery(staff: CaseworkStaff, over: Partial<NewRequest>) {
  const id = await rights.create(staff.context, request(over));
  await rights.transition(staff.context, id, { to: 'in-progress' });
  const found = await rights.review.discover(staff.context, id);
  return { id, found };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('erasure carried out', () => {
  it('erases the confirmed booking and subscription, leaving only the suppression hash', async () => {
    const bookingId = await booking(kscmpTeam, 'Aurelia Quillfeather', 'aurelia@synthetic.example');
    await partnership.signUp('kscmp', {
      fullName: 'Aurelia Quillfeather',
      employer: 'Synthetic Health Trust',
      email: 'aurelia@synthetic.example',
      consent: 'yes',
    });
    // Someone else with another name stays.
    const otherBooking = await booking(kscmpTeam, 'Bartholomew Other', 'bart@synthetic.example');
    const subscriber = await subscriberId(kscmpId, 'aurelia@synthetic.example');
    const { id, found } = await startedWithDiscovery(kscmpIg, {
      subject: { givenName: 'Aurelia', familyName: 'Quillfeather' },
      requesterContact: 'by post only',
    });
    expect(found.partnership.map((p) => p.id).sort()).toEqual([bookingId, subscriber].sort());
    await rights.decide(kscmpIg.context, id, { kind: 'erasure' });

    const lines = await rights.carryOutErasure(kscmpIg.context, id, [
      { source: 'training-booking', id: bookingId },
      { source: 'newsletter-subscriber', id: subscriber ?? '' },
    ]);
    expect(lines.map((l) => [l.action, l.source, l.itemId])).toEqual(
      expect.arrayContaining([
        ['erased', 'training-booking', bookingId],
        ['unsubscribed', 'newsletter-subscriber', subscriber],
        ['not-linkable', 'survey-response', null],
      ]),
    );
    expect(lines.find((l) => l.action === 'not-linkable')?.reason).toBe(notLinkableReason);

    const text = await everything();
    expect(text).not.toContain('aurelia@synthetic.example');
    expect(text).not.toContain('Quillfeather');
    const hash = suppressionHash(
      newsletterKeys(SECRET).suppression,
      kscmpId,
      'aurelia@synthetic.example',
    );
    const suppression = await db
      .selectFrom('newsletter_suppression')
      .selectAll()
      .where('email_hmac', '=', hash)
      .executeTakeFirst();
    expect(suppression?.reason).toBe('unsubscribed');
    expect(
      await db.selectFrom('training_booking').select('id').where('id', '=', otherBooking).execute(),
    ).toHaveLength(1);

    const page = await rights.get(kscmpIg.context, id);
    expect(page.outcomes.map((o) => o.action).sort()).toEqual([
      'erased',
      'not-linkable',
      'unsubscribed',
    ]);
    expect(page.events.map((e) => e.kind)).toContain('erasure-carried-out');
    const audit = await db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('action', '=', 'rights.erasure.carry-out')
      .execute();
    expect(audit.some((a) => a.object_ids.includes(bookingId))).toBe(true);
  });

  it('refuses what discovery did not find, and what the request type does not carry out', async () => {
    const { id } = await startedWithDiscovery(kscmpIg, {
      subject: { givenName: 'Nobody', familyName: 'Found' },
    });
    await rights.decide(kscmpIg.context, id, { kind: 'erasure' });
    const stranger = await booking(kscmpTeam, 'Cassius Stranger', 'cassius@synthetic.example');
    expect(
      await rejection(
        rights.carryOutErasure(kscmpIg.context, id, [{ source: 'training-booking', id: stranger }]),
      ),
    ).toBeInstanceOf(ValidationError);
    expect(
      await db.selectFrom('training_booking').select('id').where('id', '=', stranger).execute(),
    ).toHaveLength(1);
    const access = await rights.create(kscmpIg.context, request({ type: 'access' }));
    await rights.transition(kscmpIg.context, access, { to: 'in-progress' });
    expect(await rejection(rights.carryOutErasure(kscmpIg.context, access, []))).toBeInstanceOf(
      ConflictError,
    );
  });

  it('refuses SSCP training bookings: held for a public task (Art 17(3)(b))', async () => {
    const sscpBooking = await booking(
      sscpTeam,
      'Delphine Sscptrainee',
      'delphine@synthetic.example',
    );
    const { id } = await startedWithDiscovery(sscpIg, {
      subject: { givenName: 'Delphine', familyName: 'Sscptrainee' },
    });
    await rights.decide(sscpIg.context, id, { kind: 'erasure' });
    const lines = await rights.carryOutErasure(sscpIg.context, id, [
      { source: 'training-booking', id: sscpBooking },
    ]);
    expect(lines[0]).toMatchObject({ action: 'refused', ground: 'Art 17(3)(b) UK GDPR' });
    expect(
      await db.selectFrom('training_booking').select('id').where('id', '=', sscpBooking).execute(),
    ).toHaveLength(1);
  });

  it('never erases past a legal hold placed after the decision', async () => {
    const heldBooking = await booking(kscmpTeam, 'Evander Heldfast', 'evander@synthetic.example');
    const { id } = await startedWithDiscovery(kscmpIg, {
      subject: { givenName: 'Evander', familyName: 'Heldfast' },
    });
    await rights.decide(kscmpIg.context, id, { kind: 'erasure' });
    const retention = createRetentionService(db);
    const holdId = await retention.placeHold(kscmpIg.context, {
      scope: 'category',
      targetId: 'training',
      holdType: 'litigation',
      reason: 'Synthetic claim about a training event',
      reviewOn: '2026-12-01',
    });
    try {
      const lines = await rights.carryOutErasure(kscmpIg.context, id, [
        { source: 'training-booking', id: heldBooking },
      ]);
      expect(lines[0]).toMatchObject({ action: 'refused', ground: 'Art 17(3)(e) UK GDPR' });
      expect(
        await db
          .selectFrom('training_booking')
          .select('id')
          .where('id', '=', heldBooking)
          .execute(),
      ).toHaveLength(1);
    } finally {
      await retention.releaseHold(kscmpIg.context, holdId);
    }
  });
});

describe('direct marketing objection and consent withdrawal', () => {
  it('unsubscribes at once when the objection arrives, keeping the suppression hash', async () => {
    await partnership.signUp('kscmp', {
      fullName: 'Fenella Marketless',
      employer: 'Synthetic School',
      email: 'fenella@synthetic.example',
      consent: 'yes',
    });
    const id = await rights.create(
      kscmpIg.context,
      request({
        type: 'objection-direct-marketing',
        requesterContact: 'Fenella@Synthetic.example',
        subject: { givenName: 'Fenella', familyName: 'Marketless' },
      }),
    );
    expect(await subscriberId(kscmpId, 'fenella@synthetic.example')).toBeUndefined();
    const page = await rights.get(kscmpIg.context, id);
    expect(page.decisions[0]).toMatchObject({ outcome: 'upheld', ground: 'Art 21(3) UK GDPR' });
    expect(page.outcomes).toEqual([
      expect.objectContaining({ action: 'unsubscribed', ground: 'Art 21(3) UK GDPR' }),
    ]);
    const hash = suppressionHash(
      newsletterKeys(SECRET).suppression,
      kscmpId,
      'fenella@synthetic.example',
    );
    expect(
      await db
        .selectFrom('newsletter_suppression')
        .select('id')
        .where('email_hmac', '=', hash)
        .execute(),
    ).toHaveLength(1);
  });

  it('unsubscribes the subscriptions confirmed from discovery when the objection is decided', async () => {
    await partnership.signUp('kscmp', {
      fullName: 'Gideon Parentsent',
      employer: 'Synthetic School',
      email: 'gideon@synthetic.example',
      consent: 'yes',
    });
    const subscriber = await subscriberId(kscmpId, 'gideon@synthetic.example');
    const { id } = await startedWithDiscovery(kscmpIg, {
      type: 'objection-direct-marketing',
      requesterRole: 'solicitor',
      requesterContact: 'solicitor@synthetic.example',
      authorityEvidence: 'signed-authority-from-subject',
      subject: { givenName: 'Gideon', familyName: 'Parentsent' },
    });
    // The solicitor's address is not the subscriber's: nothing went at intake.
    expect(await subscriberId(kscmpId, 'gideon@synthetic.example')).toBe(subscriber);
    await rights.decide(kscmpIg.context, id, {
      kind: 'objection-direct-marketing',
      subscriberIds: [subscriber ?? ''],
    });
    expect(await subscriberId(kscmpId, 'gideon@synthetic.example')).toBeUndefined();
  });
});

describe('rectification', () => {
  async function rectificationFor(personId: string) {
    const id = await rights.create(
      ig.context,
      request({
        type: 'rectification',
        subject: { givenName: 'Hollis', familyName: 'Rectifyme' },
      }),
    );
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.confirmSubject(ig.context, id, personId);
    return id;
  }

  it('corrects a date of birth through people: history kept, retention recomputed', async () => {
    const child = await createPerson(db, 'kent-scs', {
      givenName: 'Hollis',
      familyName: 'Rectifyme',
      dateOfBirth: '2012-05-17',
    });
    const recordId = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2025-01-10',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const before = await db
      .selectFrom('case_record')
      .select('retention_due')
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow();
    const id = await rectificationFor(child);
    const page = await rights.get(ig.context, id);
    expect(page.person?.date_of_birth).toBe('2012-05-17');
    await rights.rectification.rectifyPerson(ig.context, id, {
      version: page.person?.version ?? 0,
      dateOfBirth: '2013-05-17',
    });
    const person = await db
      .selectFrom('person')
      .select(['date_of_birth', 'given_name'])
      .where('id', '=', child)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ date_of_birth: '2013-05-17', given_name: 'Hollis' });
    const history = await db
      .selectFrom('person_change')
      .select(['field', 'from_value', 'to_value', 'changed_by'])
      .where('person_id', '=', child)
      .execute();
    expect(history).toEqual([
      {
        field: 'date_of_birth',
        from_value: '2012-05-17',
        to_value: '2013-05-17',
        changed_by: ig.accountId,
      },
    ]);
    const after = await db
      .selectFrom('case_record')
      .select('retention_due')
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow();
    expect(before.retention_due).not.toBeNull();
    expect(after.retention_due).not.toBe(before.retention_due);
    const events = (await rights.get(ig.context, id)).events.map((e) => e.kind);
    expect(events).toContain('rectified-person');

    // A stale version changes nothing, on the person or the request.
    expect(
      await rejection(
        rights.rectification.rectifyPerson(ig.context, id, { version: 1, givenName: 'Changed' }),
      ),
    ).toBeInstanceOf(ConflictError);
    const unchanged = await db
      .selectFrom('person')
      .select('given_name')
      .where('id', '=', child)
      .executeTakeFirstOrThrow();
    expect(unchanged.given_name).toBe('Hollis');
    const kinds = (await rights.get(ig.context, id)).events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'rectified-person')).toHaveLength(1);
  });

  it('adds a missing identifier and the correct address through people, refusing one held for someone else', async () => {
    const child = await createPerson(db, 'kent-scs', {
      givenName: 'Kestrel',
      familyName: 'Incomplete',
      dateOfBirth: '2012-02-02',
    });
    const other = await createPerson(db, 'kent-scs');
    const id = await rectificationFor(child);
    await rights.rectification.completePerson(ig.context, id, {
      kind: 'identifier',
      identifier: { type: 'nhs-number', value: '9990000026' },
    });
    const addressId = await rights.rectification.completePerson(ig.context, id, {
      kind: 'address',
      address: {
        line1: '1 Synthetic Row',
        line2: null,
        town: 'Maidstone',
        postcode: null,
        fromDate: null,
        toDate: null,
      },
    });
    const held = await db
      .selectFrom('person_identifier')
      .select(['person_id', 'value'])
      .where('value', '=', '9990000026')
      .execute();
    expect(held).toEqual([{ person_id: child, value: '9990000026' }]);
    const address = await db
      .selectFrom('person_address')
      .select('person_id')
      .where('id', '=', addressId)
      .executeTakeFirstOrThrow();
    expect(address.person_id).toBe(child);

    // The people service's own rule holds: one number, one person.
    const second = await rectificationFor(other);
    expect(
      await rejection(
        rights.rectification.completePerson(ig.context, second, {
          kind: 'identifier',
          identifier: { type: 'nhs-number', value: '9990000026' },
        }),
      ),
    ).toBeInstanceOf(ValidationError);
    const kinds = (await rights.get(ig.context, second)).events.map((e) => e.kind);
    expect(kinds).not.toContain('rectified-person');
  });

  it('annotates a disputed opinion without rewriting it, shown on the record page', async () => {
    const child = await createPerson(db, 'kent-scs', {
      givenName: 'Iona',
      familyName: 'Disputer',
      dateOfBirth: '2014-01-01',
    });
    const recordId = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2025-01-10',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const opinion = 'In my view the family did not engage with the plan.';
    const noteId = await casework.addNote(worker.context, recordId, {
      occurredOn: '2025-02-01',
      kind: 'visit',
      text: opinion,
    });
    const id = await rectificationFor(child);
    await rights.rectification.annotate(ig.context, id, {
      kind: 'disputed-opinion',
      recordId,
      noteId,
      text: 'Iona’s mother says the family attended every meeting.',
    });
    await rights.rectification.annotate(ig.context, id, {
      kind: 'refusal-statement',
      recordId,
      text: 'I do not accept that the plan was needed.',
    });
    const view = await casework.open(worker.context, recordId);
    expect(view.notes.find((n) => n.id === noteId)?.text).toBe(opinion);
    expect(view.annotations?.map((a) => [a.kind, a.noteId])).toEqual([
      ['disputed-opinion', noteId],
      ['refusal-statement', null],
    ]);
    // Only the subject's records, and only notes in them.
    const elsewhere = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: await createPerson(db, 'kent-scs'),
      openedOn: '2025-01-10',
      detail: { categoryOfAbuse: 'neglect' },
    });
    expect(
      await rejection(
        rights.rectification.annotate(ig.context, id, {
          kind: 'disputed-opinion',
          recordId: elsewhere,
          text: 'x',
        }),
      ),
    ).toBeInstanceOf(NotFoundError);
  });
});

describe('Art 19: telling the recipients', () => {
  it('lists the recipients of a real disclosure and who is still to be told', async () => {
    const child = await createPerson(db, 'kent-scs', {
      givenName: 'Jasper',
      familyName: 'Sharedwith',
      dateOfBirth: '2015-01-01',
    });
    const recordId = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2025-01-10',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const kmisa = await db
      .selectFrom('sharing_agreement')
      .select('id')
      .where('slug', '=', 'kmisa')
      .executeTakeFirstOrThrow();
    const sharing = new SharingService(db, { now: () => new Date('2026-03-01T10:00:00Z') });
    const disclosureId = await sharing.create(worker.context, {
      items: [{ recordId, kind: 'record', id: recordId }],
      recipientId: 'kcc-teams',
      recipientName: 'Kent LADO duty officer',
      recipientOrganisation: 'kent-lado',
      purpose: 'allegation-management',
      agreementId: kmisa.id,
      lawfulBasis: '6(1)(e)',
      specialCondition: '9(2)(g)',
      consent: 'not-sought',
      consentReason: 'risk-to-child',
    });
    const id = await rights.create(
      ig.context,
      request({ type: 'restriction', subject: { givenName: 'Jasper', familyName: 'Sharedwith' } }),
    );
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.confirmSubject(ig.context, id, child);

    const page = await rights.get(ig.context, id);
    expect(page.recipients).toEqual([
      expect.objectContaining({ disclosureId, recordIds: [recordId], notice: null }),
    ]);
    await expect(
      rights.recordRecipientNotice(ig.context, id, { disclosureId, outcome: 'impossible' }),
    ).rejects.toThrow(ValidationError);
    await expect(
      rights.recordRecipientNotice(ig.context, id, {
        disclosureId,
        outcome: 'told',
        toldOn: '2026-03-11',
        method: 'Secure email',
      }),
    ).rejects.toThrow(ValidationError);
    await rights.recordRecipientNotice(ig.context, id, {
      disclosureId,
      outcome: 'told',
      toldOn: '2026-03-09',
      method: 'Secure email to the duty officer',
    });
    const after = await rights.get(ig.context, id);
    expect(after.recipients[0]?.notice).toMatchObject({ outcome: 'told', toldOn: '2026-03-09' });
    await expect(
      rights.recordRecipientNotice(ig.context, id, {
        disclosureId,
        outcome: 'disproportionate',
        reason: 'Recorded twice by mistake',
      }),
    ).rejects.toThrow(ConflictError);
  });
});
