import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { bookingSchema, type BookingInput } from './schemas.js';
import { PartnershipService } from './service.js';
import { newsletterKeys, suppressionHash } from './signing.js';

const SECRET = 'test-session-secret-for-partnership-0000000000';
const TODAY = '2026-03-10';

let database: DatabaseHandle;
let service: PartnershipService;
let kscmp: CaseworkStaff;
let sscp: CaseworkStaff;
let practitioner: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  service = new PartnershipService(database.db, { sessionSecret: SECRET, today: () => TODAY });
  kscmp = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  sscp = await caseworkStaff(database.db, 'sscp', ['partnership-business']);
  practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner']);
});
afterAll(async () => {
  await database.close();
});

const booking = (overrides: Partial<BookingInput> = {}): BookingInput => ({
  fullName: 'Synthetic Trainee',
  jobRole: 'Health visitor',
  employer: 'Synthetic Health Trust',
  sector: 'health',
  email: 'trainee@synthetic.example',
  telephone: '01234 567890',
  postalAddress: '1 Synthetic Street',
  budgetReference: 'PO-12345',
  requirements: null,
  ...overrides,
});

const course = (delivery: 'face-to-face' | 'online', endDate = '2026-03-05') => ({
  title: `Safeguarding basics (${delivery})`,
  kind: 'course' as const,
  delivery,
  startDate: endDate,
  endDate,
});

/** Every row of every partnership table, as text, for "is this address anywhere?". */
async function everyPartnershipRow(): Promise<string> {
  const tables = [
    'training_course',
    'training_booking',
    'newsletter_subscriber',
    'newsletter_suppression',
    'survey',
    'survey_question',
    'survey_option',
    'survey_response',
    'survey_answer',
    'partnership_meeting',
    'partnership_meeting_attendee',
    'audit_event',
  ];
  const dumps: string[] = [];
  for (const table of tables) {
    const { rows } = await sql`select * from ${sql.table(table)}`.execute(database.db);
    dumps.push(JSON.stringify(rows));
  }
  return dumps.join('\n').toLowerCase();
}

describe('access', () => {
  it('is for the partnership business team of KSCMP or SSCP only', async () => {
    await expect(service.courses(practitioner.context)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.subscribers(practitioner.context)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.courses(kscmp.context)).resolves.toBeInstanceOf(Array);
  });

  it("keeps each partnership's data to itself", async () => {
    const id = await service.createCourse(kscmp.context, course('online'));
    await expect(service.course(sscp.context, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.book(sscp.context, id, booking())).rejects.toBeInstanceOf(NotFoundError);
    expect((await service.courses(sscp.context)).map((c) => c.id)).not.toContain(id);
  });
});

describe('training bookings', () => {
  it('refuses dietary or other requirements for an online course, and stores nothing', async () => {
    const id = await service.createCourse(kscmp.context, course('online'));
    const refused = service.book(kscmp.context, id, booking({ requirements: 'Vegetarian' }));
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toThrow(/face-to-face courses only/);
    expect((await service.course(kscmp.context, id)).bookings).toEqual([]);
  });

  it('takes requirements for a face-to-face course', async () => {
    const id = await service.createCourse(kscmp.context, course('face-to-face'));
    await service.book(kscmp.context, id, booking({ requirements: 'Vegetarian' }));
    const [stored] = (await service.course(kscmp.context, id)).bookings;
    expect(stored?.requirements).toBe('Vegetarian');
  });

  it('refuses any field the notices do not list', () => {
    const result = bookingSchema.safeParse({ ...booking(), dateOfBirth: '1990-01-01' });
    expect(result.success).toBe(false);
    expect(bookingSchema.safeParse(booking()).success).toBe(true);
  });

  it('stores each booking’s retention from the engine: KSCMP current year + 6, SSCP course + 4', async () => {
    const k = await service.createCourse(kscmp.context, course('online', '2026-03-05'));
    await service.book(kscmp.context, k, booking());
    const s = await service.createCourse(sscp.context, course('online', '2026-03-05'));
    await service.book(sscp.context, s, booking());
    const [kb] = (await service.course(kscmp.context, k)).bookings;
    const [sb] = (await service.course(sscp.context, s)).bookings;
    expect(kb).toMatchObject({
      retention_status: 'scheduled',
      retention_due: '2033-01-01',
      retention_rule_id: 'kscmp/training/current-year-plus-6',
    });
    expect(sb).toMatchObject({
      retention_status: 'scheduled',
      retention_due: '2030-03-05',
      retention_rule_id: 'sscp/training/course-date-plus-4',
    });
  });

  it('records attendance', async () => {
    const id = await service.createCourse(kscmp.context, course('online'));
    const bookingId = await service.book(kscmp.context, id, booking());
    await service.setAttendance(kscmp.context, bookingId, 'attended');
    const [stored] = (await service.course(kscmp.context, id)).bookings;
    expect(stored?.attendance).toBe('attended');
  });

  it('refuses attendance for a course not yet held, but takes a cancellation (issue 10 item 11)', async () => {
    const id = await service.createCourse(kscmp.context, course('online', '2026-04-20'));
    const bookingId = await service.book(kscmp.context, id, booking());
    for (const attendance of ['attended', 'did-not-attend'] as const) {
      const refused = await service.setAttendance(kscmp.context, bookingId, attendance).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).fieldErrors).toEqual([
        { field: 'attendance', message: 'Attendance can be recorded once the course has started' },
      ]);
    }
    await service.setAttendance(kscmp.context, bookingId, 'cancelled');
    const [stored] = (await service.course(kscmp.context, id)).bookings;
    expect(stored?.attendance).toBe('cancelled');
  });
});

describe('SSCP minimisation after the course', () => {
  it('clears everything but name, role, organisation, sector and email once the course is over', async () => {
    const over = await service.createCourse(sscp.context, course('face-to-face', '2026-04-01'));
    const ongoing = await service.createCourse(sscp.context, course('face-to-face', '2026-04-03'));
    const kentCourse = await service.createCourse(
      kscmp.context,
      course('face-to-face', '2026-04-01'),
    );
    const details = { requirements: 'Step-free access' };
    const overId = await service.book(sscp.context, over, booking(details));
    const ongoingId = await service.book(sscp.context, ongoing, booking(details));
    const kentId = await service.book(kscmp.context, kentCourse, booking(details));

    // The course's last day is still "the course": nothing goes that day.
    expect(await service.minimiseBookingsAfterCourse('2026-04-01')).not.toContain(overId);
    const cleared = await service.minimiseBookingsAfterCourse('2026-04-02');
    expect(cleared).toContain(overId);
    expect(cleared).not.toContain(ongoingId);
    expect(cleared).not.toContain(kentId);

    const [minimised] = (await service.course(sscp.context, over)).bookings;
    expect(minimised).toMatchObject({
      full_name: 'Synthetic Trainee',
      job_role: 'Health visitor',
      employer: 'Synthetic Health Trust',
      sector: 'health',
      email: 'trainee@synthetic.example',
      telephone: null,
      postal_address: null,
      budget_reference: null,
      requirements: null,
      details_minimised_on: '2026-04-02',
    });
    const [kept] = (await service.course(sscp.context, ongoing)).bookings;
    expect(kept?.telephone).toBe('01234 567890');
    // KSCMP keeps the whole booking to current year + 6.
    const [kent] = (await service.course(kscmp.context, kentCourse)).bookings;
    expect(kent?.requirements).toBe('Step-free access');
    // Idempotent: a second run finds nothing more.
    expect(await service.minimiseBookingsAfterCourse('2026-04-02')).toEqual([]);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['object_ids', 'actor_account_id'])
      .where('action', '=', 'partnership.booking.minimise')
      .execute();
    expect(audit.flatMap((a) => a.object_ids)).toContain(overId);
  });
});

describe('the learning and development report', () => {
  it('is aggregate, with small counts hidden', async () => {
    const id = await service.createCourse(sscp.context, course('online', '2025-06-10'));
    for (let i = 0; i < 9; i += 1) {
      const b = await service.book(sscp.context, id, booking({ employer: 'Big Trust' }));
      await service.setAttendance(sscp.context, b, 'attended');
    }
    for (let i = 0; i < 2; i += 1) {
      const b = await service.book(
        sscp.context,
        id,
        booking({ sector: 'police', employer: 'Small Force' }),
      );
      await service.setAttendance(sscp.context, b, 'attended');
    }
    const report = await service.learningReport(sscp.context, '2025-01-01', '2025-12-31');
    const health = report.bySector.find((r) => r.sector === 'health');
    const police = report.bySector.find((r) => r.sector === 'police');
    // 2 from the police is hidden, and so is health's 9, or 11 − 9 would give it away.
    expect(police?.attended).toBeNull();
    expect(health?.attended).toBeNull();
    expect(report.totals.attended).toBe(11);
    expect(report.byOrganisation).toEqual([]);
    expect(report.otherOrganisations).toBe(2);
    expect(JSON.stringify(report)).not.toContain('Synthetic Trainee');
  });
});

describe('the newsletter', () => {
  const person = {
    fullName: 'Synthetic Subscriber',
    employer: 'Synthetic School',
    email: 'Subscriber.Unique@Synthetic.example',
    consent: 'yes' as const,
  };

  it('records consent with the notice version, the time and how', async () => {
    await service.signUp('kscmp', {
      ...person,
      fullName: 'Consent Person',
      employer: 'Consent Org',
      email: 'consent@synthetic.example',
    });
    const row = await database.db
      .selectFrom('newsletter_subscriber')
      .selectAll()
      .where('email', '=', 'consent@synthetic.example')
      .executeTakeFirstOrThrow();
    expect(row.consent_method).toBe('web-form');
    expect(row.consent_notice_version).toContain('000_69cac5fa93a9a0d7.txt');
    expect(row.consent_at).toBeInstanceOf(Date);
    expect(row.retention_status).toBe('pending');
  });

  it('unsubscribes from a signed link, leaving nothing but the suppression hash', async () => {
    await service.signUp('kscmp', person);
    const [subscriber] = (await service.subscribers(kscmp.context)).filter(
      (s) => s.email === person.email,
    );
    const email = await service.emailFor(kscmp.context, subscriber!.id, 'https://safekeep.test');
    expect(email.text).toContain(email.unsubscribeUrl);
    const token = email.unsubscribeUrl.split('/').at(-1)!;

    // Tampered: a changed signature, another subscriber's id, the other partnership.
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    await expect(service.unsubscribe('kscmp', token.slice(0, -1) + last)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const otherId = '00000000-0000-4000-8000-000000000000';
    await expect(
      service.unsubscribe('kscmp', `${otherId}.${token.split('.')[1]}`),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.unsubscribe('sscp', token)).rejects.toBeInstanceOf(NotFoundError);
    expect((await service.subscribers(kscmp.context)).map((s) => s.id)).toContain(subscriber!.id);

    expect(await service.unsubscribe('kscmp', token)).toBe(true);
    expect(await service.unsubscribe('kscmp', token)).toBe(false);

    const everything = await everyPartnershipRow();
    expect(everything.includes('subscriber.unique'), 'address left behind').toBe(false);
    expect(everything.includes('synthetic subscriber'), 'name left behind').toBe(false);
    expect(everything.includes('synthetic school'), 'organisation left behind').toBe(false);
    const organisationId = kscmp.context.organisation!.id;
    const hash = suppressionHash(newsletterKeys(SECRET).suppression, organisationId, person.email);
    const suppression = await database.db
      .selectFrom('newsletter_suppression')
      .selectAll()
      .where('email_hmac', '=', hash)
      .execute();
    expect(suppression).toEqual([
      expect.objectContaining({ organisation_id: organisationId, reason: 'unsubscribed' }),
    ]);

    // Staff cannot add the address back; the person's own fresh consent can.
    const imported = await service.importSubscribers(
      kscmp.context,
      `Synthetic Subscriber, Synthetic School, ${person.email.toUpperCase()}`,
      'paper-form',
    );
    expect(imported).toEqual({ added: 0, suppressed: 1, alreadySubscribed: 0 });
    await service.signUp('kscmp', person);
    expect((await service.subscribers(kscmp.context)).map((s) => s.email)).toContain(person.email);
  });

  it('deletes an address that no longer exists', async () => {
    await service.signUp('sscp', {
      ...person,
      fullName: 'Bounce Person',
      employer: 'Bounce Org',
      email: 'bounced@synthetic.example',
    });
    expect(await service.bouncedAddress(sscp.context, 'BOUNCED@synthetic.example')).toBe(true);
    expect((await everyPartnershipRow()).includes('bounced@synthetic.example')).toBe(false);
    const imported = await service.importSubscribers(
      sscp.context,
      'A Person, An Org, bounced@synthetic.example\nB Person, B Org, fresh@synthetic.example',
      'event-sign-up',
    );
    expect(imported).toEqual({ added: 1, suppressed: 1, alreadySubscribed: 0 });
  });
});

describe('surveys', () => {
  async function openSurvey(staff: CaseworkStaff) {
    const id = await service.createSurvey(staff.context, {
      title: 'Training feedback',
      purpose: 'To improve our training.',
    });
    await service.addQuestion(staff.context, id, {
      kind: 'single-choice',
      prompt: 'Was it useful?',
      options: ['Yes', 'No'],
    });
    await service.addQuestion(staff.context, id, {
      kind: 'multiple-choice',
      prompt: 'Which parts?',
      options: ['Morning', 'Afternoon'],
    });
    await service.addQuestion(staff.context, id, {
      kind: 'free-text',
      prompt: 'Anything else?',
      options: [],
    });
    await service.openSurvey(staff.context, id);
    return { id, questions: (await service.survey(staff.context, id)).questions };
  }

  it('stores an anonymous response with nothing that identifies the respondent', async () => {
    const { id, questions } = await openSurvey(kscmp);
    const [single, multiple, free] = questions;
    const auditBefore = await database.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await service.respond(id, {
      [single!.id]: single!.options[0]!.id,
      [multiple!.id]: [multiple!.options[0]!.id, multiple!.options[1]!.id],
      [free!.id]: 'Really helpful session',
    });
    const { rows: responses } = await sql<Record<string, unknown>>`
      select * from survey_response where survey_id = ${id}`.execute(database.db);
    expect(responses).toHaveLength(1);
    expect(Object.keys(responses[0]!).sort()).toEqual(['id', 'received_on', 'survey_id']);
    expect(responses[0]!.received_on).toBe(TODAY);
    const { rows: columns } = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns
      where table_schema = current_schema() and table_name in ('survey_response', 'survey_answer')`.execute(
      database.db,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual(
      [
        'free_text',
        'id',
        'id',
        'option_id',
        'question_id',
        'quote_selected',
        'received_on',
        'response_id',
        'survey_id',
      ].sort(),
    );
    expect(columns.filter((c) => c.data_type.startsWith('timestamp'))).toEqual([]);
    // No audit event either: its exact time would date the response.
    const auditAfter = await database.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
  });

  it('refuses answers that are not among the options, and closed surveys', async () => {
    const { id, questions } = await openSurvey(kscmp);
    await expect(
      service.respond(id, { [questions[0]!.id]: questions[1]!.options[0]!.id }),
    ).rejects.toBeInstanceOf(ValidationError);
    await service.closeSurvey(kscmp.context, id);
    await expect(service.respond(id, { [questions[2]!.id]: 'late' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('refuses a free-text answer holding a NUL, with a message (issue 10 item 10)', async () => {
    const { id, questions } = await openSurvey(kscmp);
    const free = questions[2]!;
    const refused = await service.respond(id, { [free.id]: 'Good\u0000course' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors).toEqual([
      {
        field: free.id,
        message:
          'Your answer contains a hidden character that cannot be saved. Remove it and try again',
      },
    ]);
  });

  it('hides counts under the threshold and shows them from 8', async () => {
    const { id, questions } = await openSurvey(sscp);
    const [single, , free] = questions;
    for (let i = 0; i < 3; i += 1) {
      await service.respond(id, { [single!.id]: single!.options[0]!.id, [free!.id]: `Quote ${i}` });
    }
    let results = await service.results(sscp.context, id);
    expect(results.respondents).toBeNull();
    expect(results.questions[0]!.options.map((o) => o.count)).toEqual([null, null]);
    for (let i = 0; i < 8; i += 1) {
      await service.respond(id, { [single!.id]: single!.options[1]!.id });
    }
    results = await service.results(sscp.context, id);
    expect(results.respondents).toBe(11);
    // 3 "Yes" is hidden; 8 "No" too, since 11 − 8 would give it away.
    expect(results.questions[0]!.options.map((o) => o.count)).toEqual([null, null]);
    for (let i = 0; i < 5; i += 1) {
      await service.respond(id, { [single!.id]: single!.options[0]!.id });
    }
    results = await service.results(sscp.context, id);
    expect(results.questions[0]!.options.map((o) => o.count)).toEqual([8, 8]);

    // Quotes: only what staff select reaches the results.
    expect(results.quotes).toEqual([]);
    const answers = await service.freeTextAnswers(sscp.context, id);
    await service.selectQuotes(sscp.context, id, [answers[1]!.id]);
    results = await service.results(sscp.context, id);
    expect(results.quotes).toEqual([{ questionId: free!.id, text: answers[1]!.free_text }]);
  });

  it('keeps KSCMP surveys 6 years from the survey, or from the report once there is one', async () => {
    const { id } = await openSurvey(kscmp);
    expect((await service.survey(kscmp.context, id)).survey.retention_status).toBe('pending');
    await service.closeSurvey(kscmp.context, id);
    expect((await service.survey(kscmp.context, id)).survey).toMatchObject({
      survey_date: TODAY,
      retention_due: '2032-03-10',
      retention_rule_id: 'kscmp/survey/survey-plus-6-no-report',
    });
    await service.setReportDate(kscmp.context, id, '2026-06-30');
    expect((await service.survey(kscmp.context, id)).survey).toMatchObject({
      retention_due: '2032-06-30',
      retention_rule_id: 'kscmp/survey/report-plus-6',
    });
    // SSCP publishes no period: a person decides.
    const { id: sscpId } = await openSurvey(sscp);
    await service.closeSurvey(sscp.context, sscpId);
    expect((await service.survey(sscp.context, sscpId)).survey).toMatchObject({
      retention_status: 'no-rule',
      retention_needs_review: true,
    });
  });
});

describe('meetings', () => {
  it('keeps KSCMP meeting records to current year + 6, with attendees and minutes', async () => {
    const id = await service.createMeeting(kscmp.context, {
      body: 'Board',
      title: 'Spring board',
      meetingDate: '2026-02-01',
    });
    await service.addAttendee(kscmp.context, id, {
      fullName: 'Synthetic Chair',
      roleOrAgency: 'Independent scrutineer',
      attendance: 'present',
    });
    await service.saveMinutes(kscmp.context, id, 'Minutes of the meeting.');
    const { meeting, attendees } = await service.meeting(kscmp.context, id);
    expect(meeting).toMatchObject({
      retention_due: '2033-01-01',
      retention_rule_id: 'kscmp/meeting-admin/current-year-plus-6',
      minutes: 'Minutes of the meeting.',
    });
    expect(attendees).toHaveLength(1);
    await expect(service.meeting(sscp.context, id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses SSCP meeting records: its notice has no category for them', async () => {
    await expect(
      service.createMeeting(sscp.context, { body: 'Board', title: 'x', meetingDate: '2026-02-01' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
