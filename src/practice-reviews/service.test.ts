import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { destroyRecords } from '../casework/destruction.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { chainAndVerify } from '../../test/support/audit.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../platform/errors/errors.js';
import { seedAgreements } from '../sharing/agreements.js';
import { confidentialityStatement } from './confidentiality.js';
import { PracticeReviewService } from './service.js';

let database: DatabaseHandle;
let casework: CaseworkService;
let reviews: PracticeReviewService;
let business: CaseworkStaff;
let governance: CaseworkStaff;
let sscpBusiness: CaseworkStaff;
let socialWorker: CaseworkStaff;
let kmisa: string;

const TODAY = '2026-11-25';
const clock = { now: () => new Date(`${TODAY}T10:00:00Z`), today: () => TODAY };

const outsideAgreement = {
  consent: 'not-sought',
  consentReason: 'not-reasonably-expected',
  justification: 'Statutory practice review: the group needs the referral to decide on a review.',
} as const;

beforeAll(async () => {
  database = await testDatabase();
  await seedAgreements(database.db);
  casework = new CaseworkService(database.db, clock);
  reviews = new PracticeReviewService(database.db, clock);
  business = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  governance = await caseworkStaff(database.db, 'kscmp', ['information-governance']);
  sscpBusiness = await caseworkStaff(database.db, 'sscp', ['partnership-business']);
  socialWorker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  kmisa = (
    await database.db
      .selectFrom('sharing_agreement')
      .select('id')
      .where('slug', '=', 'kmisa')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await database?.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function reviewRecord(
  staff = business,
  organisation: 'kscmp' | 'sscp' = 'kscmp',
  child: { givenName?: string; familyName?: string } = {},
) {
  const subject = await createPerson(database.db, organisation, child);
  return casework.create(staff.context, {
    category: 'practice-review',
    subjectPersonId: subject,
    openedOn: '2026-11-02',
    detail: { reviewType: 'rapid-review' },
  });
}

async function started(staff = business, organisation: 'kscmp' | 'sscp' = 'kscmp') {
  const recordId = await reviewRecord(staff, organisation);
  await reviews.start(staff.context, recordId, {
    referralReceivedOn: '2026-11-03',
    referredBy: 'Synthetic Children’s Services duty team',
    awareOn: '2026-11-02',
    summary: 'Synthetic referral: a child was seriously harmed; neglect is suspected.',
    ...(organisation === 'kscmp' ? { incidentDate: '2026-11-01' } : {}),
  });
  return recordId;
}

async function notified(staff = business, organisation: 'kscmp' | 'sscp' = 'kscmp') {
  const recordId = await started(staff, organisation);
  await reviews.decideNotification(staff.context, recordId, {
    notified: true,
    decidedOn: '2026-11-05',
  });
  return recordId;
}

async function inLcspr() {
  const recordId = await notified();
  await reviews.sendToRapidReview(business.context, recordId, {
    sentOn: '2026-11-06',
    recipientName: 'KSCMP Rapid Review Group',
    ...outsideAgreement,
  });
  await reviews.decideReview(business.context, recordId, {
    lcspr: true,
    decidedOn: '2026-11-20',
    reasons: 'Synthetic reasons: learning about multi-agency practice.',
  });
  return recordId;
}

async function itemsOf(disclosureId: string) {
  const rows = await database.db
    .selectFrom('disclosure_item')
    .select(['item_kind', 'item_id'])
    .where('disclosure_id', '=', disclosureId)
    .execute();
  return rows.map((r) => `${r.item_kind}:${r.item_id}`).sort();
}

async function disclosureCount() {
  const row = await database.db
    .selectFrom('disclosure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('a referral', () => {
  it('starts the workflow, keeps the referral as a note and writes the record’s summary through casework', async () => {
    const recordId = await started();
    const overview = await reviews.overview(business.context, recordId);
    expect(overview.review?.stage).toBe('referred');
    expect(overview.review?.steps).toEqual(['decide-notification']);
    // 5 working days after Monday 2 November 2026.
    expect(overview.review?.notification.dueOn).toBe('2026-11-09');

    const record = await casework.open(business.context, recordId);
    expect(record.detail).toMatchObject({
      reviewType: 'rapid-review',
      nationalPanelNotification: { decision: 'pending' },
    });
    expect(record.facts.incidentDate).toBe('2026-11-01');
    expect(record.notes.map((n) => n.id)).toEqual([overview.review?.referral.noteId]);
    const history = await casework.history(business.context, recordId);
    expect(JSON.stringify(history)).toContain('facts.incidentDate');

    expect(
      await rejection(
        reviews.start(business.context, recordId, {
          referralReceivedOn: '2026-11-03',
          referredBy: 'Again',
          awareOn: '2026-11-02',
          summary: 'Again',
        }),
      ),
    ).toBeInstanceOf(ConflictError);
  });

  it('keeps what was entered on the record by hand as a note before the workflow takes over', async () => {
    const subject = await createPerson(database.db, 'kscmp');
    const recordId = await casework.create(business.context, {
      category: 'practice-review',
      subjectPersonId: subject,
      openedOn: '2026-11-02',
      detail: {
        reviewType: 'lcspr',
        leadReviewer: 'Synthetic Hand-entered Reviewer',
        chronologiesRequested: [{ agency: 'Synthetic Police', requestedOn: '2026-11-03' }],
      },
    });
    await reviews.start(business.context, recordId, {
      referralReceivedOn: '2026-11-03',
      referredBy: 'Synthetic duty team',
      awareOn: '2026-11-02',
      summary: 'Synthetic referral.',
    });
    const record = await casework.open(business.context, recordId);
    expect(record.detail.leadReviewer).toBeUndefined();
    expect(record.detail.chronologiesRequested).toEqual([]);
    const kept = record.notes.map((n) => n.text).join('\n');
    expect(kept).toContain('Lead reviewer: Synthetic Hand-entered Reviewer.');
    expect(kept).toContain('Chronology requested from Synthetic Police on 3 November 2026.');
  });

  it('refuses a referral with missing or impossible dates', async () => {
    const recordId = await reviewRecord();
    const error = await rejection(
      reviews.start(business.context, recordId, {
        referralReceivedOn: '2026-02-30',
        referredBy: '',
        awareOn: '2027-01-01',
        summary: 'x',
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.map((e) => e.field).sort()).toEqual([
      'referralReceivedOn',
      'referredBy',
    ]);
    const future = await rejection(
      reviews.start(business.context, recordId, {
        referralReceivedOn: '2026-11-03',
        referredBy: 'Duty team',
        awareOn: '2027-01-01',
        summary: 'x',
      }),
    );
    expect((future as ValidationError).fieldErrors.map((e) => e.field)).toEqual(['awareOn']);
  });

  it('refuses a NUL in the summary and an incident in year 0000, in words (issue 10 item 10)', async () => {
    const recordId = await reviewRecord();
    const error = await rejection(
      reviews.start(business.context, recordId, {
        referralReceivedOn: '2026-11-03',
        referredBy: 'Duty\u0000team',
        awareOn: '2026-11-01',
        summary: 'What\u0007happened',
        incidentDate: '0000-01-01',
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual([
      {
        field: 'referredBy',
        message:
          'This answer contains a hidden character that cannot be saved. Remove it and try again',
      },
      {
        field: 'summary',
        message: 'This answer contains a hidden control character. Remove it and try again',
      },
      { field: 'incidentDate', message: 'Enter a date between 1900 and 2200' },
    ]);
  });
});

describe('the National Panel notification', () => {
  it('needs a reason when notified after the fifth working day, and reasons when not notified', async () => {
    const recordId = await started();
    const late = await rejection(
      reviews.decideNotification(business.context, recordId, {
        notified: true,
        decidedOn: '2026-11-10',
      }),
    );
    expect((late as ValidationError).fieldErrors[0]).toMatchObject({
      field: 'lateReason',
      message: expect.stringContaining('9 November 2026'),
    });
    const noReasons = await rejection(
      reviews.decideNotification(business.context, recordId, {
        notified: false,
        decidedOn: '2026-11-04',
      }),
    );
    expect((noReasons as ValidationError).fieldErrors[0]?.field).toBe('reasons');

    await reviews.decideNotification(business.context, recordId, {
      notified: true,
      decidedOn: '2026-11-10',
      lateReason: 'Synthetic: the incident was first reported to the wrong authority.',
    });
    const overview = await reviews.overview(business.context, recordId);
    expect(overview.review?.notification).toMatchObject({ notified: true, late: true });
    const record = await casework.open(business.context, recordId);
    expect(record.detail.nationalPanelNotification).toEqual({
      decision: 'notified',
      decidedOn: '2026-11-10',
    });
  });

  it('closes a referral that is not notified', async () => {
    const recordId = await started();
    await reviews.decideNotification(business.context, recordId, {
      notified: false,
      decidedOn: '2026-11-04',
      reasons: 'Synthetic: the harm was not caused by abuse or neglect.',
    });
    const overview = await reviews.overview(business.context, recordId);
    expect(overview.review?.stage).toBe('not-notified');
    expect(overview.review?.steps).toEqual([]);
    // Re-filed at once under KSCMP's "Date of incident +12 years" (decision 0020).
    expect(overview.review?.refiledAsNotNotified).toBe(true);
    const refiled = await casework.open(business.context, recordId);
    expect(refiled.category).toBe('panel-referral-not-notified');
    expect(refiled.retention.ruleId).toBe('kscmp/panel-referral-not-notified/incident-plus-12');
    expect(
      await rejection(
        reviews.sendToRapidReview(business.context, recordId, {
          sentOn: '2026-11-05',
          recipientName: 'Group',
          ...outsideAgreement,
        }),
      ),
    ).toBeInstanceOf(ConflictError);
  });
});

describe('steps out of order', () => {
  it('are refused and change nothing', async () => {
    const recordId = await started();
    const before = await disclosureCount();
    const notesBefore = (await casework.open(business.context, recordId)).notes.length;
    const error = await rejection(
      reviews.sendToRapidReview(business.context, recordId, {
        sentOn: '2026-11-06',
        recipientName: 'KSCMP Rapid Review Group',
        ...outsideAgreement,
      }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/notification to the National Panel before/);
    expect(
      await rejection(
        reviews.requestChronology(business.context, recordId, {
          recipientId: 'partner-agencies',
          agencyName: 'Synthetic Health Trust',
          requestedOn: '2026-11-06',
          dueOn: '2026-11-20',
          scope: 'Involvement with the child since birth',
          agreementId: kmisa,
          consent: 'not-sought',
          consentReason: 'not-reasonably-expected',
        }),
      ),
    ).toBeInstanceOf(ConflictError);
    expect(
      await rejection(
        reviews.appoint(business.context, recordId, {
          role: 'lead-reviewer',
          name: 'A Reviewer',
          agency: 'Independent',
          appointedOn: '2026-11-06',
          ...outsideAgreement,
        }),
      ),
    ).toBeInstanceOf(ConflictError);
    expect(await disclosureCount()).toBe(before);
    expect((await casework.open(business.context, recordId)).notes.length).toBe(notesBefore);
  });

  it('roll back the whole step when sharing refuses it', async () => {
    const recordId = await notified();
    const notesBefore = (await casework.open(business.context, recordId)).notes.length;
    const before = await disclosureCount();
    // A chronology request outside every agreement with no justification.
    const error = await rejection(
      reviews.requestChronology(business.context, recordId, {
        recipientId: 'partner-agencies',
        agencyName: 'Synthetic Health Trust',
        requestedOn: '2026-11-06',
        dueOn: '2026-11-20',
        scope: 'Involvement with the child since birth',
        consent: 'not-sought',
        consentReason: 'not-reasonably-expected',
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors[0]?.field).toBe('justification');
    expect(await disclosureCount()).toBe(before);
    const record = await casework.open(business.context, recordId);
    expect(record.notes.length).toBe(notesBefore);
    expect(record.detail.chronologiesRequested).toEqual([]);
  });
});

describe('each step that sends information', () => {
  it('shares exactly that step’s items through one disclosure', async () => {
    const recordId = await notified();
    const rapid = await reviews.sendToRapidReview(business.context, recordId, {
      sentOn: '2026-11-06',
      recipientName: 'KSCMP Rapid Review Group',
      ...outsideAgreement,
    });
    let overview = await reviews.overview(business.context, recordId);
    const referralNote = overview.review!.referral.noteId!;
    expect(await itemsOf(rapid)).toEqual([`record:${recordId}`, `note:${referralNote}`].sort());
    const rapidRow = await database.db
      .selectFrom('disclosure')
      .selectAll()
      .where('id', '=', rapid)
      .executeTakeFirstOrThrow();
    // Outside every agreement: a package, waiting for a second person.
    expect(rapidRow).toMatchObject({
      recipient_id: 'rapid-review-group',
      purpose: 'practice-review',
      status: 'awaiting-approval',
      recipient_organisation_id: null,
    });
    expect(overview.review?.rapidReview.disclosure).toMatchObject({
      status: 'awaiting-approval',
      kind: 'package',
    });

    // A chronology request to Kent SCS under KMISA: a grant of the record and the request.
    const chronologyId = await reviews.requestChronology(business.context, recordId, {
      recipientId: 'partner-agencies',
      recipientOrganisation: 'kent-scs',
      agencyName: 'Kent Children’s Services',
      requestedOn: '2026-11-06',
      dueOn: '2026-11-20',
      scope: 'Involvement with the child and family over the last two years',
      agreementId: kmisa,
      consent: 'not-sought',
      consentReason: 'not-reasonably-expected',
    });
    const chronology = await database.db
      .selectFrom('practice_review_chronology')
      .selectAll()
      .where('id', '=', chronologyId)
      .executeTakeFirstOrThrow();
    expect(await itemsOf(chronology.disclosure_id!)).toEqual(
      [`record:${recordId}`, `note:${chronology.request_note_id}`].sort(),
    );
    // Kent SCS staff now read the record through the grant.
    const shared = await casework.open(socialWorker.context, recordId);
    expect(shared.access.via).toBe('grant');
    expect(shared.notes.map((n) => n.id)).toEqual([chronology.request_note_id]);

    await reviews.recordChronologyOutcome(
      business.context,
      recordId,
      chronologyId,
      { outcome: 'returned', on: '2026-11-18' },
      {
        filename: 'chronology.txt',
        mediaType: 'text/plain',
        content: Buffer.from('Synthetic chronology of involvement.'),
      },
    );
    await reviews.decideReview(business.context, recordId, {
      lcspr: true,
      decidedOn: '2026-11-20',
      reasons: 'Synthetic reasons: learning about multi-agency practice.',
    });
    overview = await reviews.overview(business.context, recordId);
    const returned = overview.review!.chronologies[0]!;
    expect(returned.status).toBe('returned');
    expect(returned.returnedDocument?.filename).toBe('chronology.txt');
    const decisionNote = (
      await database.db
        .selectFrom('practice_review')
        .select('decision_note_id')
        .where('record_id', '=', recordId)
        .executeTakeFirstOrThrow()
    ).decision_note_id!;

    // The lead reviewer: record, referral, decision and what came back.
    await reviews.appoint(business.context, recordId, {
      role: 'lead-reviewer',
      name: 'Synthetic Lead Reviewer',
      agency: 'Independent reviewer',
      appointedOn: '2026-11-23',
      ...outsideAgreement,
    });
    overview = await reviews.overview(business.context, recordId);
    expect(await itemsOf(overview.review!.leadReviewer!.disclosure!.id)).toEqual(
      [
        `record:${recordId}`,
        `note:${referralNote}`,
        `note:${decisionNote}`,
        `document:${returned.returnedDocument!.id}`,
      ].sort(),
    );
    const record = await casework.open(business.context, recordId);
    expect(record.detail).toMatchObject({
      reviewType: 'lcspr',
      leadReviewer: 'Synthetic Lead Reviewer',
      chronologiesRequested: [
        { agency: 'Kent Children’s Services', requestedOn: '2026-11-06', receivedOn: '2026-11-18' },
      ],
    });
  });
});

describe('chronology requests', () => {
  it('are listed as overdue once past their due date with nothing back', async () => {
    const recordId = await notified();
    const request = (agencyName: string, dueOn: string) =>
      reviews.requestChronology(business.context, recordId, {
        recipientId: 'partner-agencies',
        agencyName,
        requestedOn: '2026-11-06',
        dueOn,
        scope: 'Involvement with the family',
        agreementId: kmisa,
        consent: 'not-sought',
        consentReason: 'not-reasonably-expected',
      });
    const late = await request('Synthetic Police', '2026-11-20');
    await request('Synthetic Health', '2026-12-04');
    const declined = await request('Synthetic School', '2026-11-13');
    await reviews.recordChronologyOutcome(business.context, recordId, declined, {
      outcome: 'declined',
      on: '2026-11-12',
      declinedReason: 'Synthetic: no involvement with the family.',
    });
    const overview = await reviews.overview(business.context, recordId);
    expect(overview.review?.overdueChronologies.map((c) => c.id)).toEqual([late]);
    expect(
      await rejection(
        reviews.recordChronologyOutcome(business.context, recordId, declined, {
          outcome: 'returned',
          on: '2026-11-20',
          note: 'x',
        }),
      ),
    ).toBeInstanceOf(ConflictError);
    const nothing = await rejection(
      reviews.recordChronologyOutcome(business.context, recordId, late, {
        outcome: 'returned',
        on: '2026-11-21',
      }),
    );
    expect((nothing as ValidationError).fieldErrors[0]?.field).toBe('note');
  });
});

describe('practitioners contributing', () => {
  it('are sent nothing before their confidentiality acknowledgement', async () => {
    const recordId = await inLcspr();
    const practitionerId = await reviews.addPractitioner(business.context, recordId, {
      name: 'Synthetic Health Visitor',
      agency: 'Synthetic Community Health',
      jobRole: 'Health visitor',
      appointedOn: '2026-11-23',
    });
    const before = await disclosureCount();
    const error = await rejection(
      reviews.shareWithPractitioner(business.context, recordId, practitionerId, outsideAgreement),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/confidentiality acknowledgement/);
    expect(await disclosureCount()).toBe(before);

    await reviews.acknowledge(business.context, recordId, practitionerId, {
      acknowledgedOn: '2026-11-24',
      confirmed: 'yes',
    });
    const disclosureId = await reviews.shareWithPractitioner(
      business.context,
      recordId,
      practitionerId,
      outsideAgreement,
    );
    const decisionNote = (
      await database.db
        .selectFrom('practice_review')
        .select('decision_note_id')
        .where('record_id', '=', recordId)
        .executeTakeFirstOrThrow()
    ).decision_note_id!;
    expect(await itemsOf(disclosureId)).toEqual(
      [`record:${recordId}`, `note:${decisionNote}`].sort(),
    );
    const overview = await reviews.overview(business.context, recordId);
    expect(overview.review?.practitioners[0]).toMatchObject({
      acknowledgedOn: '2026-11-24',
      acknowledgementVersion: confidentialityStatement.version,
      disclosure: { id: disclosureId },
    });
    const record = await casework.open(business.context, recordId);
    expect(record.detail.practitioners).toEqual([
      {
        name: 'Synthetic Health Visitor',
        agency: 'Synthetic Community Health',
        role: 'Health visitor',
      },
    ]);
  });
});

describe('the report and its publication', () => {
  async function withFinalReport(report: string) {
    const recordId = await inLcspr();
    await reviews.appoint(business.context, recordId, {
      role: 'lead-reviewer',
      name: 'Synthetic Lead Reviewer',
      agency: 'Independent reviewer',
      appointedOn: '2026-11-23',
      ...outsideAgreement,
    });
    await reviews.attachReport(
      business.context,
      recordId,
      { final: 'yes' },
      {
        filename: 'report.txt',
        mediaType: 'text/plain',
        content: Buffer.from(report),
      },
    );
    return recordId;
  }

  it('must stay published for at least a year', async () => {
    const recordId = await withFinalReport('Child A was known to several agencies.');
    const short = await rejection(
      reviews.publish(business.context, recordId, {
        publishedOn: '2026-11-24',
        withdrawNotBefore: '2027-11-23',
        anonymised: 'yes',
      }),
    );
    expect((short as ValidationError).fieldErrors[0]).toMatchObject({
      field: 'withdrawNotBefore',
      message: expect.stringContaining('24 November 2027'),
    });
    const unconfirmed = await rejection(
      reviews.publish(business.context, recordId, { publishedOn: '2026-11-24' } as never),
    );
    expect((unconfirmed as ValidationError).fieldErrors[0]?.field).toBe('anonymised');

    await reviews.publish(business.context, recordId, {
      publishedOn: '2026-11-24',
      anonymised: 'yes',
      url: 'https://www.example.org/reviews/child-a',
    });
    const overview = await reviews.overview(business.context, recordId);
    expect(overview.review?.stage).toBe('published');
    expect(overview.review?.publication).toEqual({
      publishedOn: '2026-11-24',
      withdrawNotBefore: '2027-11-24',
      url: 'https://www.example.org/reviews/child-a',
    });
  });

  it('is refused while a text report names someone in the record', async () => {
    const recordId = await inLcspr();
    const record = await casework.open(business.context, recordId);
    const subject = record.parties.find((p) => p.role === 'subject')!;
    const familyName = (subject as unknown as { familyName: string }).familyName;
    await reviews.appoint(business.context, recordId, {
      role: 'lead-reviewer',
      name: 'Synthetic Lead Reviewer',
      agency: 'Independent reviewer',
      appointedOn: '2026-11-23',
      ...outsideAgreement,
    });
    await reviews.attachReport(
      business.context,
      recordId,
      { final: 'yes' },
      {
        filename: 'report.txt',
        mediaType: 'text/plain',
        content: Buffer.from(`The ${familyName} family were known to agencies.`),
      },
    );
    const error = await rejection(
      reviews.publish(business.context, recordId, { publishedOn: '2026-11-24', anonymised: 'yes' }),
    );
    expect((error as ValidationError).fieldErrors[0]?.field).toBe('anonymised');
    expect((error as Error).message).not.toContain(familyName);
  });

  it('needs the lead reviewer before the final report', async () => {
    const recordId = await inLcspr();
    const error = await rejection(
      reviews.attachReport(
        business.context,
        recordId,
        { final: 'yes' },
        {
          filename: 'report.txt',
          mediaType: 'text/plain',
          content: Buffer.from('Anonymised report.'),
        },
      ),
    );
    expect(error).toBeInstanceOf(ConflictError);
  });
});

describe('who may run a review', () => {
  it('is the partnership’s review staff; governance reads; others see nothing', async () => {
    const recordId = await started();
    expect(await rejection(reviews.overview(socialWorker.context, recordId))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(reviews.overview(sscpBusiness.context, recordId))).toBeInstanceOf(
      NotFoundError,
    );
    const read = await reviews.overview(governance.context, recordId);
    expect(read.review?.steps).toEqual([]);
    expect(
      await rejection(
        reviews.decideNotification(governance.context, recordId, {
          notified: true,
          decidedOn: '2026-11-05',
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);
  });

  it('is refused, and says why, while the record is restricted (Art 18)', async () => {
    const recordId = await started();
    const organisationId = business.context.organisation!.id;
    // Placed directly: how a restriction comes about is the rights tests' concern.
    const { id } = await database.db
      .insertInto('restriction')
      .values({
        organisation_id: organisationId,
        request_id: null,
        scope: 'record',
        person_id: null,
        record_id: recordId,
        ground: 'accuracy-contested',
        placed_by: business.context.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const attempt of [
      reviews.overview(business.context, recordId),
      reviews.decideNotification(business.context, recordId, {
        notified: true,
        decidedOn: '2026-11-05',
      }),
    ]) {
      expect(await rejection(attempt)).toBeInstanceOf(ConflictError);
    }
    // Someone who could not see it before learns nothing more now.
    expect(await rejection(reviews.overview(socialWorker.context, recordId))).toBeInstanceOf(
      NotFoundError,
    );
    await database.db
      .updateTable('restriction')
      .set({
        person_told_on: TODAY, // Art 18(3): told before it is lifted (a database check)
        person_told_by: business.context.accountId,
        lifted_at: new Date(),
        lifted_by: business.context.accountId,
        lift_reason: 'Synthetic: accuracy checked',
      })
      .where('id', '=', id)
      .execute();
    expect((await reviews.overview(business.context, recordId)).record.id).toBe(recordId);
  });

  it('works the same way for SSCP, whose panel is its review team', async () => {
    const recordId = await notified(sscpBusiness, 'sscp');
    await reviews.sendToRapidReview(sscpBusiness.context, recordId, {
      sentOn: '2026-11-06',
      recipientName: 'SSCP Rapid Review Group',
      ...outsideAgreement,
    });
    await reviews.decideReview(sscpBusiness.context, recordId, {
      lcspr: true,
      decidedOn: '2026-11-20',
      reasons: 'Synthetic reasons.',
    });
    await reviews.appoint(sscpBusiness.context, recordId, {
      role: 'panel-member',
      name: 'Synthetic Panel Member',
      agency: 'Synthetic Police',
      appointedOn: '2026-11-23',
      ...outsideAgreement,
    });
    const overview = await reviews.overview(sscpBusiness.context, recordId);
    const disclosure = await database.db
      .selectFrom('disclosure')
      .select('recipient_id')
      .where('id', '=', overview.review!.panel[0]!.disclosure!.id)
      .executeTakeFirstOrThrow();
    expect(disclosure.recipient_id).toBe('review-team');
  });

  it('goes with its record when the record is destroyed; the disclosures stay in the log', async () => {
    const recordId = await inLcspr();
    await reviews.addPractitioner(business.context, recordId, {
      name: 'Synthetic Practitioner',
      agency: 'Synthetic Agency',
      appointedOn: '2026-11-23',
    });
    const { id: reviewId, rapid_review_disclosure_id: disclosureId } = await database.db
      .selectFrom('practice_review')
      .select(['id', 'rapid_review_disclosure_id'])
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow();
    await database.db.transaction().execute((trx) => destroyRecords(trx, [recordId]));
    const left = await database.db
      .selectFrom('practice_review_appointment')
      .select('id')
      .where('review_id', '=', reviewId)
      .execute();
    expect(left).toEqual([]);
    expect(
      await database.db
        .selectFrom('practice_review')
        .select('id')
        .where('id', '=', reviewId)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await database.db
        .selectFrom('disclosure')
        .select('id')
        .where('id', '=', disclosureId!)
        .executeTakeFirst(),
    ).toBeDefined();
  });

  it('leaves the audit chain intact', async () => {
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });
});
