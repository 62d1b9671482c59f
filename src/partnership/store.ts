import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StoredRetention } from './retention.js';
import type {
  Attendance,
  ConsentMethod,
  CourseKind,
  Delivery,
  MeetingAttendance,
  QuestionKind,
  Sector,
} from './tables.js';

/**
 * The partnership capability's SQL. Every query that reads or changes a
 * partnership's data takes its organisation id, so no query here can reach
 * another partnership's rows.
 */
export class PartnershipStore {
  constructor(private readonly db: Kysely<Database>) {}

  async organisation(slug: string) {
    return this.db
      .selectFrom('organisation')
      .select(['id', 'slug', 'name', 'short_name'])
      .where('slug', '=', slug)
      .executeTakeFirst();
  }

  // -------------------------------------------------------------------------
  // Training

  courses(organisationId: string) {
    return this.db
      .selectFrom('training_course as c')
      .leftJoin('training_booking as b', (join) =>
        join.onRef('b.course_id', '=', 'c.id').on('b.attendance', '<>', 'cancelled'),
      )
      .select((eb) => [
        'c.id',
        'c.title',
        'c.kind',
        'c.delivery',
        'c.start_date',
        'c.end_date',
        eb.fn.count<number>('b.id').as('bookings'),
      ])
      .where('c.organisation_id', '=', organisationId)
      .groupBy('c.id')
      .orderBy('c.start_date', 'desc')
      .orderBy('c.title')
      .execute();
  }

  course(organisationId: string, id: string) {
    return this.db
      .selectFrom('training_course')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertCourse(values: {
    organisation_id: string;
    title: string;
    kind: CourseKind;
    delivery: Delivery;
    start_date: string;
    end_date: string;
  }) {
    const { id } = await this.db
      .insertInto('training_course')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  bookings(organisationId: string, courseId: string) {
    return this.db
      .selectFrom('training_booking')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('course_id', '=', courseId)
      .orderBy('full_name')
      .execute();
  }

  booking(organisationId: string, id: string) {
    return this.db
      .selectFrom('training_booking')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertBooking(
    values: {
      organisation_id: string;
      course_id: string;
      full_name: string;
      job_role: string;
      employer: string;
      sector: Sector;
      email: string;
      telephone: string | null;
      postal_address: string | null;
      budget_reference: string | null;
      requirements: string | null;
    } & StoredRetention,
  ) {
    const { id } = await this.db
      .insertInto('training_booking')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async courseStart(organisationId: string, courseId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('training_course')
      .select('start_date')
      .where('organisation_id', '=', organisationId)
      .where('id', '=', courseId)
      .executeTakeFirst();
    return row?.start_date;
  }

  async setAttendance(organisationId: string, id: string, attendance: Attendance) {
    const result = await this.db
      .updateTable('training_booking')
      .set({ attendance })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Bookings of these partnerships whose course ended before `today` and still hold more than the record of attendance. */
  bookingsToMinimise(organisationIds: readonly string[], today: string) {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('training_booking as b')
      .innerJoin('training_course as c', 'c.id', 'b.course_id')
      .select(['b.id', 'b.organisation_id'])
      .where('b.organisation_id', 'in', organisationIds)
      .where('c.end_date', '<', today)
      .where('b.details_minimised_on', 'is', null)
      .orderBy('b.id')
      .forUpdate()
      .execute();
  }

  async minimiseBookings(ids: readonly string[], today: string) {
    if (ids.length === 0) return;
    await this.db
      .updateTable('training_booking')
      .set({
        telephone: null,
        postal_address: null,
        budget_reference: null,
        requirements: null,
        details_minimised_on: today,
      })
      .where('id', 'in', ids)
      .execute();
  }

  /** People who attended, by sector and by organisation, for courses that ended in the period. */
  async attendanceCounts(organisationId: string, from: string, to: string) {
    const base = this.db
      .selectFrom('training_booking as b')
      .innerJoin('training_course as c', 'c.id', 'b.course_id')
      .where('b.organisation_id', '=', organisationId)
      .where('c.end_date', '>=', from)
      .where('c.end_date', '<=', to);
    const bySector = await base
      .select((eb) => [
        'b.sector',
        eb.fn.count<number>('b.id').filterWhere('b.attendance', '<>', 'cancelled').as('booked'),
        eb.fn.count<number>('b.id').filterWhere('b.attendance', '=', 'attended').as('attended'),
      ])
      .groupBy('b.sector')
      .execute();
    // Organisations are typed by hand: group on a normalised name so that
    // "NHS Kent " and "nhs kent" count together.
    const byOrganisation = await base
      .select((eb) => [
        sql<string>`min(trim(b.employer))`.as('employer'),
        eb.fn.count<number>('b.id').filterWhere('b.attendance', '=', 'attended').as('attended'),
      ])
      .groupBy(sql`lower(trim(b.employer))`)
      .execute();
    const courses = await this.db
      .selectFrom('training_course')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', organisationId)
      .where('end_date', '>=', from)
      .where('end_date', '<=', to)
      .executeTakeFirstOrThrow();
    return { bySector, byOrganisation, courses: Number(courses.n) };
  }

  // -------------------------------------------------------------------------
  // Newsletter

  subscribers(organisationId: string) {
    return this.db
      .selectFrom('newsletter_subscriber')
      .select([
        'id',
        'full_name',
        'employer',
        'email',
        'consent_at',
        'consent_method',
        'consent_notice_version',
      ])
      .where('organisation_id', '=', organisationId)
      .orderBy('full_name')
      .execute();
  }

  subscriber(organisationId: string, id: string) {
    return this.db
      .selectFrom('newsletter_subscriber')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  subscriberByEmail(organisationId: string, email: string) {
    return this.db
      .selectFrom('newsletter_subscriber')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
      .executeTakeFirst();
  }

  async insertSubscriber(values: {
    organisation_id: string;
    full_name: string;
    employer: string;
    email: string;
    consent_notice_version: string;
    consent_at: Date;
    consent_method: ConsentMethod;
    retention_status: StoredRetention['retention_status'];
    retention_explanation: string;
  }) {
    const { id } = await this.db
      .insertInto('newsletter_subscriber')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async updateConsent(
    organisationId: string,
    id: string,
    values: {
      full_name: string;
      employer: string;
      consent_notice_version: string;
      consent_at: Date;
      consent_method: ConsentMethod;
    },
  ) {
    await this.db
      .updateTable('newsletter_subscriber')
      .set(values)
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .execute();
  }

  /** Deletes the subscriber row; returns its address, for the suppression hash, or null if gone. */
  async deleteSubscriber(organisationId: string, id: string) {
    const row = await this.db
      .deleteFrom('newsletter_subscriber')
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .returning('email')
      .executeTakeFirst();
    return row?.email ?? null;
  }

  async isSuppressed(organisationId: string, hash: string) {
    const row = await this.db
      .selectFrom('newsletter_suppression')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('email_hmac', '=', hash)
      .executeTakeFirst();
    return row !== undefined;
  }

  async suppress(
    organisationId: string,
    hash: string,
    reason: 'unsubscribed' | 'address-invalid',
    today: string,
  ) {
    await this.db
      .insertInto('newsletter_suppression')
      .values({ organisation_id: organisationId, email_hmac: hash, reason, suppressed_on: today })
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'email_hmac']).doUpdateSet({ reason, suppressed_on: today }),
      )
      .execute();
  }

  async unsuppress(organisationId: string, hash: string) {
    await this.db
      .deleteFrom('newsletter_suppression')
      .where('organisation_id', '=', organisationId)
      .where('email_hmac', '=', hash)
      .execute();
  }

  // -------------------------------------------------------------------------
  // Surveys

  surveys(organisationId: string) {
    return this.db
      .selectFrom('survey as s')
      .leftJoin('survey_response as r', 'r.survey_id', 's.id')
      .select((eb) => [
        's.id',
        's.title',
        's.status',
        's.opened_on',
        's.survey_date',
        's.report_date',
        's.retention_due',
        eb.fn.count<number>('r.id').as('responses'),
      ])
      .where('s.organisation_id', '=', organisationId)
      .groupBy('s.id')
      .orderBy('s.created_at', 'desc')
      .execute();
  }

  survey(organisationId: string | null, id: string) {
    let query = this.db.selectFrom('survey').selectAll().where('id', '=', id);
    if (organisationId !== null) query = query.where('organisation_id', '=', organisationId);
    return query.executeTakeFirst();
  }

  async insertSurvey(
    values: { organisation_id: string; title: string; purpose: string } & StoredRetention,
  ) {
    const { id } = await this.db
      .insertInto('survey')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async updateSurvey(
    id: string,
    values: Partial<{
      status: 'draft' | 'open' | 'closed';
      opened_on: string | null;
      survey_date: string | null;
      report_date: string | null;
    }> &
      Partial<StoredRetention>,
  ) {
    await this.db.updateTable('survey').set(values).where('id', '=', id).execute();
  }

  async questions(surveyId: string) {
    const questions = await this.db
      .selectFrom('survey_question')
      .select(['id', 'position', 'kind', 'prompt'])
      .where('survey_id', '=', surveyId)
      .orderBy('position')
      .execute();
    const options =
      questions.length === 0
        ? []
        : await this.db
            .selectFrom('survey_option')
            .select(['id', 'question_id', 'label', 'position'])
            .where(
              'question_id',
              'in',
              questions.map((q) => q.id),
            )
            .orderBy('position')
            .execute();
    return questions.map((q) => ({
      ...q,
      options: options
        .filter((o) => o.question_id === q.id)
        .map((o) => ({ id: o.id, label: o.label })),
    }));
  }

  async insertQuestion(surveyId: string, kind: QuestionKind, prompt: string, labels: string[]) {
    const last = await this.db
      .selectFrom('survey_question')
      .select((eb) => eb.fn.max<number | null>('position').as('max'))
      .where('survey_id', '=', surveyId)
      .executeTakeFirst();
    const { id } = await this.db
      .insertInto('survey_question')
      .values({ survey_id: surveyId, position: (last?.max ?? 0) + 1, kind, prompt })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (labels.length > 0) {
      await this.db
        .insertInto('survey_option')
        .values(labels.map((label, i) => ({ question_id: id, position: i + 1, label })))
        .execute();
    }
    return id;
  }

  async insertResponse(
    surveyId: string,
    receivedOn: string,
    answers: { questionId: string; optionId: string | null; freeText: string | null }[],
  ) {
    const { id } = await this.db
      .insertInto('survey_response')
      .values({ survey_id: surveyId, received_on: receivedOn })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('survey_answer')
      .values(
        answers.map((a) => ({
          response_id: id,
          question_id: a.questionId,
          option_id: a.optionId,
          free_text: a.freeText,
        })),
      )
      .execute();
    return id;
  }

  async responseCount(surveyId: string) {
    const row = await this.db
      .selectFrom('survey_response')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('survey_id', '=', surveyId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Per question: how many responses answered it, and each option's count. */
  async answerCounts(surveyId: string) {
    const answered = await this.db
      .selectFrom('survey_answer as a')
      .innerJoin('survey_question as q', 'q.id', 'a.question_id')
      .select((eb) => ['a.question_id', eb.fn.count<number>('a.response_id').distinct().as('n')])
      .where('q.survey_id', '=', surveyId)
      .groupBy('a.question_id')
      .execute();
    const byOption = await this.db
      .selectFrom('survey_answer as a')
      .innerJoin('survey_question as q', 'q.id', 'a.question_id')
      .select((eb) => ['a.option_id', eb.fn.countAll<number>().as('n')])
      .where('q.survey_id', '=', surveyId)
      .where('a.option_id', 'is not', null)
      .groupBy('a.option_id')
      .execute();
    return {
      answered: new Map(answered.map((r) => [r.question_id, Number(r.n)])),
      byOption: new Map(byOption.map((r) => [r.option_id ?? '', Number(r.n)])),
    };
  }

  freeTextAnswers(surveyId: string) {
    return (
      this.db
        .selectFrom('survey_answer as a')
        .innerJoin('survey_question as q', 'q.id', 'a.question_id')
        .select(['a.id', 'a.question_id', 'a.free_text', 'a.quote_selected'])
        .where('q.survey_id', '=', surveyId)
        .where('a.free_text', 'is not', null)
        // Ordered by content, not by arrival: the order must not hint at who answered when.
        .orderBy('a.question_id')
        .orderBy('a.free_text')
        .execute()
    );
  }

  async setQuotes(surveyId: string, selected: readonly string[]) {
    const questionIds = this.db
      .selectFrom('survey_question')
      .select('id')
      .where('survey_id', '=', surveyId);
    await this.db
      .updateTable('survey_answer')
      .set({
        quote_selected:
          selected.length > 0 ? sql<boolean>`id in (${sql.join(selected)})` : sql<boolean>`false`,
      })
      .where('question_id', 'in', questionIds)
      .where('free_text', 'is not', null)
      .execute();
  }

  // -------------------------------------------------------------------------
  // Meetings

  meetings(organisationId: string) {
    return this.db
      .selectFrom('partnership_meeting')
      .select(['id', 'body', 'title', 'meeting_date', 'retention_due'])
      .where('organisation_id', '=', organisationId)
      .orderBy('meeting_date', 'desc')
      .execute();
  }

  meeting(organisationId: string, id: string) {
    return this.db
      .selectFrom('partnership_meeting')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  attendees(meetingId: string) {
    return this.db
      .selectFrom('partnership_meeting_attendee')
      .select(['id', 'full_name', 'role_or_agency', 'attendance'])
      .where('meeting_id', '=', meetingId)
      .orderBy('full_name')
      .execute();
  }

  async insertMeeting(
    values: {
      organisation_id: string;
      body: string;
      title: string;
      meeting_date: string;
    } & StoredRetention,
  ) {
    const { id } = await this.db
      .insertInto('partnership_meeting')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async insertAttendee(values: {
    meeting_id: string;
    full_name: string;
    role_or_agency: string;
    attendance: MeetingAttendance;
  }) {
    const { id } = await this.db
      .insertInto('partnership_meeting_attendee')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async setMinutes(organisationId: string, id: string, minutes: string) {
    await this.db
      .updateTable('partnership_meeting')
      .set({ minutes })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .execute();
  }
}
