import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { canPartnership } from '../platform/access/access.js';
import { annualReport, reportingYearsTo, type AnnualReport } from './annual-report.js';
import { recordAudit, type AuditEntry } from '../platform/audit/audit-log.js';
import type { StaffContext } from '../platform/auth/service.js';
import { NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { textProblem } from '../platform/validation/text.js';
import { findCategory, policyFor } from '../policy/index.js';
import { assessFor, londonToday } from './retention.js';
import type { BookingInput, CourseInput, QuestionInput, SignUpInput } from './schemas.js';
import {
  newsletterKeys,
  signUnsubscribe,
  suppressionHash,
  verifyUnsubscribe,
  type NewsletterKeys,
} from './signing.js';
import { suppressEach, suppressPartition, type Published } from './statistics.js';
import { PartnershipStore } from './store.js';
import type { Attendance, ConsentMethod, MeetingAttendance, Sector } from './tables.js';
import { sectors } from './tables.js';

export const partnershipSlugs = ['kscmp', 'sscp'] as const;
export type PartnershipSlug = (typeof partnershipSlugs)[number];

export function isPartnershipSlug(value: string): value is PartnershipSlug {
  return (partnershipSlugs as readonly string[]).includes(value);
}

interface Partnership {
  organisationId: string;
  slug: PartnershipSlug;
  actorAccountId: string | null;
}

export interface PartnershipServiceOptions {
  /** The app's session secret (src/config.ts): the newsletter keys derive from it. */
  sessionSecret: string;
  /** Today in England; tests move it. */
  today?: () => string;
  now?: () => Date;
}

/** The version of the privacy notice a subscriber consented under. */
export function noticeVersion(slug: PartnershipSlug): string {
  const notice = policyFor(slug).notice;
  // The wording stored as consent evidence since the first subscriptions: keep it stable.
  return `${notice.seedFile} (last updated ${notice.lastUpdated ?? 'not stated'})`;
}

/**
 * Whether the partnership's policy keeps only the attendance record past the
 * course. SSCP's notice: "The following information is held for 4 years
 * after the course dates …: name; job role, organisation, and sector; email
 * address" — so telephone, address, budget codes and requirements go once
 * the course is over. Its policy models them as a category of their own
 * (training-booking-details); KSCMP keeps the whole booking (current year + 6).
 */
function minimisesAfterCourse(slug: PartnershipSlug): boolean {
  return findCategory(slug, 'training-booking-details') !== undefined;
}

export interface SurveyResults {
  respondents: Published;
  questions: {
    id: string;
    prompt: string;
    kind: string;
    answered: Published;
    options: { id: string; label: string; count: Published }[];
  }[];
  quotes: { questionId: string; text: string }[];
}

/**
 * The partnerships' own services (issue 6): training, the newsletter,
 * anonymous surveys and meetings. Staff calls need the partnership business
 * role (canPartnership) and see only their partnership's rows; a record of
 * another partnership is "not found". Every change runs in one transaction
 * with its audit event (ids only). The public calls (newsletter sign-up and
 * unsubscribe, survey response) need no sign-in.
 */
export class PartnershipService {
  private readonly keys: NewsletterKeys;
  private readonly today: () => string;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    options: PartnershipServiceOptions,
  ) {
    this.keys = newsletterKeys(options.sessionSecret);
    this.today = options.today ?? londonToday;
    this.now = options.now ?? (() => new Date());
  }

  private partnership(staff: StaffContext): Partnership {
    if (!canPartnership(staff) || !staff.organisation) throw new NotFoundError();
    return {
      organisationId: staff.organisation.id,
      slug: staff.organisation.slug as PartnershipSlug,
      actorAccountId: staff.accountId,
    };
  }

  private async publicPartnership(slug: string): Promise<Partnership & { name: string }> {
    if (!isPartnershipSlug(slug)) throw new NotFoundError();
    const row = await new PartnershipStore(this.db).organisation(slug);
    if (!row) throw new NotFoundError();
    return { organisationId: row.id, slug, actorAccountId: null, name: row.name };
  }

  private change<T>(
    p: Partnership,
    audit: Omit<AuditEntry, 'actorAccountId' | 'organisationId'> | null,
    work: (store: PartnershipStore, trx: Transaction<Database>) => Promise<T>,
    auditIds?: (result: T) => readonly string[],
  ): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const result = await work(new PartnershipStore(trx), trx);
      if (audit) {
        await recordAudit(trx, {
          ...audit,
          actorAccountId: p.actorAccountId,
          organisationId: p.organisationId,
          ...(auditIds ? { objectIds: auditIds(result) } : {}),
        });
      }
      return result;
    });
  }

  /** Names shown on public pages. */
  async partnershipName(slug: string): Promise<string> {
    return (await this.publicPartnership(slug)).name;
  }

  // -------------------------------------------------------------------------
  // Training

  async courses(staff: StaffContext) {
    const p = this.partnership(staff);
    const rows = await new PartnershipStore(this.db).courses(p.organisationId);
    return rows.map((r) => ({ ...r, bookings: Number(r.bookings) }));
  }

  async createCourse(staff: StaffContext, input: CourseInput): Promise<string> {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.course.create', objectType: 'training-course' },
      (store) =>
        store.insertCourse({
          organisation_id: p.organisationId,
          title: input.title,
          kind: input.kind,
          delivery: input.delivery,
          start_date: input.startDate,
          end_date: input.endDate,
        }),
      (id) => [id],
    );
  }

  /** A course with its bookings (personal data: the read is audited). */
  async course(staff: StaffContext, id: string) {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.course.view', objectType: 'training-course', objectIds: [id] },
      async (store) => {
        const course = await store.course(p.organisationId, id);
        if (!course) throw new NotFoundError();
        return { course, bookings: await store.bookings(p.organisationId, id) };
      },
    );
  }

  /** Minimal course details for a form (no personal data). */
  async courseSummary(staff: StaffContext, id: string) {
    const p = this.partnership(staff);
    const course = await new PartnershipStore(this.db).course(p.organisationId, id);
    if (!course) throw new NotFoundError();
    return course;
  }

  /**
   * Books a place. Dietary or other requirements are "face-to-face courses
   * only" in both notices, so they are refused for an online course rather
   * than stored. Retention is assessed now from the course's last day.
   */
  async book(staff: StaffContext, courseId: string, input: BookingInput): Promise<string> {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.booking.create', objectType: 'training-booking' },
      async (store) => {
        const course = await store.course(p.organisationId, courseId);
        if (!course) throw new NotFoundError();
        if (course.delivery === 'online' && input.requirements !== null) {
          throw new ValidationError([
            {
              field: 'requirements',
              message:
                'Dietary or other requirements are collected for face-to-face courses only. Leave this blank for an online course.',
            },
          ]);
        }
        const retention = assessFor(
          p.slug,
          'training',
          { trainingDate: course.end_date },
          this.today(),
        );
        const id = await store.insertBooking({
          organisation_id: p.organisationId,
          course_id: courseId,
          full_name: input.fullName,
          job_role: input.jobRole,
          employer: input.employer,
          sector: input.sector,
          email: input.email,
          telephone: input.telephone,
          postal_address: input.postalAddress,
          budget_reference: input.budgetReference,
          requirements: input.requirements,
          ...retention,
        });
        return id;
      },
      (id) => [courseId, id],
    );
  }

  async setAttendance(staff: StaffContext, bookingId: string, attendance: Attendance) {
    const p = this.partnership(staff);
    return this.change(
      p,
      {
        action: 'partnership.booking.attendance',
        objectType: 'training-booking',
        objectIds: [bookingId],
      },
      async (store) => {
        const booking = await store.booking(p.organisationId, bookingId);
        if (!booking) throw new NotFoundError();
        // Whether someone came can only be known once the course has begun
        // (docs/decisions/0011-date-ranges.md); booked and cancelled can be set any time.
        if (attendance === 'attended' || attendance === 'did-not-attend') {
          const startsOn = await store.courseStart(p.organisationId, booking.course_id);
          if (startsOn !== undefined && startsOn > this.today()) {
            throw new ValidationError([
              {
                field: 'attendance',
                message: 'Attendance can be recorded once the course has started',
              },
            ]);
          }
        }
        await store.setAttendance(p.organisationId, bookingId, attendance);
        return booking.course_id;
      },
    );
  }

  /**
   * The daily minimisation (SSCP notice: only name, role, organisation,
   * sector and email are "held for 4 years after the course dates"): once a
   * course is over, clear each booking's telephone, address, budget
   * reference and requirements. Idempotent; for the in-process scheduler and
   * the CLI. Returns the bookings cleared.
   */
  async minimiseBookingsAfterCourse(today: string = this.today()): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const store = new PartnershipStore(trx);
      const organisations: { id: string }[] = [];
      for (const slug of partnershipSlugs.filter(minimisesAfterCourse)) {
        const row = await store.organisation(slug);
        if (row) organisations.push(row);
      }
      const due = await store.bookingsToMinimise(
        organisations.map((o) => o.id),
        today,
      );
      await store.minimiseBookings(
        due.map((b) => b.id),
        today,
      );
      for (const organisation of organisations) {
        const ids = due.filter((b) => b.organisation_id === organisation.id).map((b) => b.id);
        if (ids.length === 0) continue;
        await recordAudit(trx, {
          action: 'partnership.booking.minimise',
          actorAccountId: null,
          organisationId: organisation.id,
          objectType: 'training-booking',
          objectIds: ids,
          purpose: 'retention-minimisation',
        });
      }
      return due.map((b) => b.id);
    });
  }

  /**
   * The learning and development report: aggregate and anonymous, people
   * who attended by sector and by organisation for courses that ended in
   * the period, small counts hidden (statistics.ts).
   */
  async learningReport(staff: StaffContext, from: string, to: string) {
    const p = this.partnership(staff);
    const counts = await new PartnershipStore(this.db).attendanceCounts(p.organisationId, from, to);
    const sectorRows = sectors.map((sector: Sector) => {
      const row = counts.bySector.find((r) => r.sector === sector);
      return { sector, booked: Number(row?.booked ?? 0), attended: Number(row?.attended ?? 0) };
    });
    const booked = suppressPartition(sectorRows.map((r) => r.booked));
    const attended = suppressPartition(sectorRows.map((r) => r.attended));
    const organisations = counts.byOrganisation
      .map((r) => ({ employer: r.employer, attended: Number(r.attended) }))
      .filter((r) => r.attended > 0)
      .sort((a, b) => a.employer.localeCompare(b.employer));
    const byOrganisation = suppressPartition(organisations.map((r) => r.attended));
    return {
      from,
      to,
      courses: counts.courses,
      bySector: sectorRows.map((r, i) => ({
        sector: r.sector,
        booked: booked.cells[i] ?? null,
        attended: attended.cells[i] ?? null,
      })),
      totals: { booked: booked.total, attended: attended.total },
      // An organisation's name next to a hidden count still says that someone
      // from there attended: hidden rows are folded into one line.
      byOrganisation: organisations
        .map((r, i) => ({ employer: r.employer, attended: byOrganisation.cells[i] ?? null }))
        .filter((r) => r.attended !== null),
      otherOrganisations: organisations.filter((_, i) => byOrganisation.cells[i] === null).length,
    };
  }

  /** The annual report for the reporting year starting in April of `startYear` (annual-report.ts). */
  async annualReport(staff: StaffContext, startYear: number): Promise<AnnualReport> {
    return annualReport(this.db, this, staff, startYear);
  }

  /** The reporting years a report can be had for: those ended by today, latest first. */
  reportingYears(): number[] {
    return reportingYearsTo(this.today());
  }

  // -------------------------------------------------------------------------
  // Newsletter: public

  /**
   * A public sign-up, with consent recorded: the notice version, the time,
   * and how ("web-form"). A fresh consent also lifts an earlier unsubscribe:
   * the suppression entry goes, since the person has asked again.
   */
  async signUp(slug: string, input: SignUpInput): Promise<void> {
    const p = await this.publicPartnership(slug);
    const hash = suppressionHash(this.keys.suppression, p.organisationId, input.email);
    await this.change(
      p,
      { action: 'partnership.newsletter.sign-up', objectType: 'newsletter-subscriber' },
      async (store) => {
        await store.unsuppress(p.organisationId, hash);
        return this.subscribe(store, p, input, 'web-form');
      },
      (id) => [id],
    );
  }

  private async subscribe(
    store: PartnershipStore,
    p: Partnership,
    input: { fullName: string; employer: string; email: string },
    method: ConsentMethod,
  ): Promise<string> {
    const consent = {
      full_name: input.fullName,
      employer: input.employer,
      consent_notice_version: noticeVersion(p.slug),
      consent_at: this.now(),
      consent_method: method,
    };
    const existing = await store.subscriberByEmail(p.organisationId, input.email);
    if (existing) {
      await store.updateConsent(p.organisationId, existing.id, consent);
      return existing.id;
    }
    // While subscribed nothing is due: the engine says "pending" until an
    // unsubscribe or a dead address (both delete at once, below).
    const retention = assessFor(p.slug, 'newsletter-subscription', {}, this.today());
    return store.insertSubscriber({
      organisation_id: p.organisationId,
      email: input.email.trim(),
      ...consent,
      retention_status: retention.retention_status,
      retention_explanation: retention.retention_explanation,
    });
  }

  /** Whether an unsubscribe link is genuine (a tampered one is "not found"). */
  checkUnsubscribeLink(slug: string, token: string): void {
    if (!isPartnershipSlug(slug) || !verifyUnsubscribe(this.keys.link, slug, token)) {
      throw new NotFoundError('This unsubscribe link is not valid');
    }
  }

  /**
   * Unsubscribes from a signed link, without signing in: deletes the
   * subscriber at once ("in which case they will be deleted from the
   * system") and keeps only the keyed hash of the address on the
   * suppression list. Returns false if they had already gone.
   */
  async unsubscribe(slug: string, token: string): Promise<boolean> {
    this.checkUnsubscribeLink(slug, token);
    const p = await this.publicPartnership(slug);
    const id = verifyUnsubscribe(this.keys.link, p.slug, token) ?? '';
    return this.removeSubscriber(p, id, 'unsubscribed');
  }

  private async removeSubscriber(
    p: Partnership,
    id: string,
    reason: 'unsubscribed' | 'address-invalid',
  ): Promise<boolean> {
    const today = this.today();
    return this.change(
      p,
      {
        action:
          reason === 'unsubscribed'
            ? 'partnership.newsletter.unsubscribe'
            : 'partnership.newsletter.address-invalid',
        objectType: 'newsletter-subscriber',
        objectIds: [id],
        // Both notices: deleted when the person asks, or when the address no
        // longer exists (KSCMP retention table) — at once, not by a later sweep.
        purpose: reason === 'unsubscribed' ? 'consent-withdrawn' : 'address-invalid',
      },
      async (store) => {
        const email = await store.deleteSubscriber(p.organisationId, id);
        if (email === null) return false;
        await store.suppress(
          p.organisationId,
          suppressionHash(this.keys.suppression, p.organisationId, email),
          reason,
          today,
        );
        return true;
      },
    );
  }

  // -------------------------------------------------------------------------
  // Newsletter: staff

  /** The list, for the partnership business team only (no sharing path exists). */
  async subscribers(staff: StaffContext) {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.newsletter.list', objectType: 'newsletter-subscriber' },
      (store) => store.subscribers(p.organisationId),
    );
  }

  /**
   * Adds people who consented elsewhere (a paper form, an event). An address
   * on the suppression list is never re-added this way: only the person's
   * own fresh sign-up lifts it. Lines: "name, organisation, email".
   */
  async importSubscribers(staff: StaffContext, lines: string, method: ConsentMethod) {
    const p = this.partnership(staff);
    const parsed: { fullName: string; employer: string; email: string }[] = [];
    const errors: string[] = [];
    lines
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .forEach((line, i) => {
        const parts = line.split(',').map((s) => s.trim());
        const [fullName, employer, email] = parts;
        if (
          parts.length !== 3 ||
          !fullName ||
          !employer ||
          !email ||
          !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
        ) {
          errors.push(`Line ${i + 1} must be a name, an organisation and an email address`);
        } else parsed.push({ fullName, employer, email });
      });
    if (errors.length > 0) {
      throw new ValidationError(
        errors.slice(0, 10).map((message) => ({ field: 'lines', message })),
      );
    }
    const result = { added: [] as string[], suppressed: 0, alreadySubscribed: 0 };
    await this.change(
      p,
      { action: 'partnership.newsletter.import', objectType: 'newsletter-subscriber' },
      async (store) => {
        for (const person of parsed) {
          const hash = suppressionHash(this.keys.suppression, p.organisationId, person.email);
          if (await store.isSuppressed(p.organisationId, hash)) {
            result.suppressed += 1;
            continue;
          }
          if (await store.subscriberByEmail(p.organisationId, person.email)) {
            result.alreadySubscribed += 1;
            continue;
          }
          result.added.push(await this.subscribe(store, p, person, method));
        }
        return result;
      },
      (r) => r.added,
    );
    return {
      added: result.added.length,
      suppressed: result.suppressed,
      alreadySubscribed: result.alreadySubscribed,
    };
  }

  /** An address that no longer exists (a permanent bounce): deleted at once. */
  async markBounced(staff: StaffContext, subscriberId: string): Promise<void> {
    const p = this.partnership(staff);
    if (!(await this.removeSubscriber(p, subscriberId, 'address-invalid'))) {
      throw new NotFoundError();
    }
  }

  /** The same, by address, for a mail system's bounce report. */
  async bouncedAddress(staff: StaffContext, email: string): Promise<boolean> {
    const p = this.partnership(staff);
    const row = await new PartnershipStore(this.db).subscriberByEmail(p.organisationId, email);
    if (!row) return false;
    return this.removeSubscriber(p, row.id, 'address-invalid');
  }

  /**
   * The text of an email to one subscriber, with its signed unsubscribe
   * link. Safekeep sends no email: this is what a mail system would send.
   */
  async emailFor(staff: StaffContext, subscriberId: string, origin: string) {
    const p = this.partnership(staff);
    return this.change(
      p,
      {
        action: 'partnership.newsletter.email',
        objectType: 'newsletter-subscriber',
        objectIds: [subscriberId],
      },
      async (store) => {
        const subscriber = await store.subscriber(p.organisationId, subscriberId);
        if (!subscriber) throw new NotFoundError();
        const unsubscribeUrl = `${origin}${this.unsubscribePath(p.slug, subscriberId)}`;
        const shortName = policyFor(p.slug).shortName;
        return {
          to: subscriber.email,
          subject: `${shortName} newsletter`,
          unsubscribeUrl,
          text: [
            `Dear ${subscriber.full_name},`,
            '',
            `This is the ${shortName} newsletter, sent because you signed up to receive communications from us.`,
            '',
            `To stop receiving it, use this link. Your details will be deleted at once: ${unsubscribeUrl}`,
          ].join('\n'),
        };
      },
    );
  }

  unsubscribePath(slug: PartnershipSlug, subscriberId: string): string {
    return `/partnerships/${slug}/newsletter/unsubscribe/${signUnsubscribe(this.keys.link, slug, subscriberId)}`;
  }

  // -------------------------------------------------------------------------
  // Surveys

  async surveys(staff: StaffContext) {
    const p = this.partnership(staff);
    const rows = await new PartnershipStore(this.db).surveys(p.organisationId);
    return rows.map((r) => ({ ...r, responses: Number(r.responses) }));
  }

  async createSurvey(staff: StaffContext, input: { title: string; purpose: string }) {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.survey.create', objectType: 'survey' },
      (store) =>
        store.insertSurvey({
          organisation_id: p.organisationId,
          title: input.title,
          purpose: input.purpose,
          ...this.surveyRetention(p.slug, null, null),
        }),
      (id) => [id],
    );
  }

  /**
   * KSCMP: "+6 years from date of report or date of survey if no report"; the
   * date of the survey is the day it closed. Before that nothing is due. SSCP
   * publishes no period: the engine says "no rule: needs a decision".
   */
  private surveyRetention(
    slug: PartnershipSlug,
    surveyDate: string | null,
    reportDate: string | null,
  ) {
    if (findCategory(slug, 'survey')?.retention.kind === 'schedule' && !surveyDate && !reportDate) {
      return {
        retention_status: 'pending' as const,
        retention_due: null,
        retention_action: null,
        retention_rule_id: null,
        retention_needs_review: false,
        retention_explanation:
          'Nothing is due yet: the survey has not closed, and its retention counts from the date of the survey or of its report.',
      };
    }
    const facts: Record<string, string> = {};
    if (surveyDate) facts.surveyDate = surveyDate;
    if (reportDate) facts.reportDate = reportDate;
    return assessFor(slug, 'survey', facts, this.today());
  }

  async survey(staff: StaffContext, id: string) {
    const p = this.partnership(staff);
    const store = new PartnershipStore(this.db);
    const survey = await store.survey(p.organisationId, id);
    if (!survey) throw new NotFoundError();
    return { survey, questions: await store.questions(id) };
  }

  async addQuestion(staff: StaffContext, surveyId: string, input: QuestionInput) {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.survey.question', objectType: 'survey', objectIds: [surveyId] },
      async (store) => {
        const survey = await store.survey(p.organisationId, surveyId);
        if (!survey) throw new NotFoundError();
        if (survey.status !== 'draft') {
          throw new ValidationError([
            { field: 'prompt', message: 'Questions cannot be added once the survey is open' },
          ]);
        }
        return store.insertQuestion(surveyId, input.kind, input.prompt, input.options);
      },
    );
  }

  async openSurvey(staff: StaffContext, surveyId: string) {
    const p = this.partnership(staff);
    await this.change(
      p,
      { action: 'partnership.survey.open', objectType: 'survey', objectIds: [surveyId] },
      async (store) => {
        const survey = await store.survey(p.organisationId, surveyId);
        if (!survey) throw new NotFoundError();
        if (survey.status !== 'draft') return;
        if ((await store.questions(surveyId)).length === 0) {
          throw new ValidationError([
            { field: 'survey', message: 'Add at least one question before opening the survey' },
          ]);
        }
        await store.updateSurvey(surveyId, { status: 'open', opened_on: this.today() });
      },
    );
  }

  async closeSurvey(staff: StaffContext, surveyId: string) {
    const p = this.partnership(staff);
    await this.change(
      p,
      { action: 'partnership.survey.close', objectType: 'survey', objectIds: [surveyId] },
      async (store) => {
        const survey = await store.survey(p.organisationId, surveyId);
        if (!survey) throw new NotFoundError();
        if (survey.status !== 'open') return;
        const surveyDate = this.today();
        await store.updateSurvey(surveyId, {
          status: 'closed',
          survey_date: surveyDate,
          ...this.surveyRetention(p.slug, surveyDate, survey.report_date),
        });
      },
    );
  }

  /** A report written from the survey moves KSCMP's retention to report date + 6. */
  async setReportDate(staff: StaffContext, surveyId: string, reportDate: string) {
    const p = this.partnership(staff);
    await this.change(
      p,
      { action: 'partnership.survey.report-date', objectType: 'survey', objectIds: [surveyId] },
      async (store) => {
        const survey = await store.survey(p.organisationId, surveyId);
        if (!survey) throw new NotFoundError();
        await store.updateSurvey(surveyId, {
          report_date: reportDate,
          ...this.surveyRetention(p.slug, survey.survey_date, reportDate),
        });
      },
    );
  }

  /** An open survey as the public sees it; anything else is "not found". */
  /** A survey's title, for the thank-you page: open or since closed, not found if never there. */
  async publicSurveyTitle(id: string): Promise<string> {
    const survey = await new PartnershipStore(this.db).survey(null, id);
    if (!survey || survey.status === 'draft') throw new NotFoundError();
    return survey.title;
  }

  async publicSurvey(id: string) {
    const store = new PartnershipStore(this.db);
    const survey = await store.survey(null, id);
    if (!survey || survey.status !== 'open') throw new NotFoundError();
    const organisation = await this.db
      .selectFrom('organisation')
      .select(['name', 'slug'])
      .where('id', '=', survey.organisation_id)
      .executeTakeFirstOrThrow();
    return {
      id: survey.id,
      title: survey.title,
      purpose: survey.purpose,
      partnershipName: organisation.name,
      noticeUrl: `/privacy/${organisation.slug}`,
      questions: await store.questions(id),
    };
  }

  /**
   * An anonymous response. Stored: the answers and the day received —
   * nothing about who answered, from where or with what (no account, no IP
   * address, no user agent, no time of day). Not audited either: an audit
   * event's exact time beside the response's id would put back the time the
   * anonymous response removed. `answers` maps question ids to the chosen
   * option id(s) or the text typed.
   */
  async respond(surveyId: string, answers: Record<string, string | string[] | undefined>) {
    const survey = await this.publicSurvey(surveyId);
    const rows: { questionId: string; optionId: string | null; freeText: string | null }[] = [];
    const errors: { field: string; message: string }[] = [];
    for (const question of survey.questions) {
      const raw = answers[question.id];
      const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
        .map((v) => v.trim())
        .filter(Boolean);
      if (values.length === 0) continue;
      if (question.kind === 'free-text') {
        const text = values.join('\n');
        const problem = textProblem(text, 'your answer', { multiLine: true });
        if (problem) {
          errors.push({ field: question.id, message: problem });
        } else if (text.length > 2000) {
          errors.push({
            field: question.id,
            message: 'Your answer must be 2000 characters or fewer',
          });
        } else rows.push({ questionId: question.id, optionId: null, freeText: text });
        continue;
      }
      const known = new Set(question.options.map((o) => o.id));
      const chosen = [...new Set(values)];
      if (
        chosen.some((v) => !known.has(v)) ||
        (question.kind === 'single-choice' && chosen.length > 1)
      ) {
        errors.push({ field: question.id, message: 'Select one of the options' });
        continue;
      }
      for (const optionId of chosen)
        rows.push({ questionId: question.id, optionId, freeText: null });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    if (rows.length === 0) {
      throw new ValidationError([
        { field: survey.questions[0]?.id ?? 'survey', message: 'Answer at least one question' },
      ]);
    }
    await this.db
      .transaction()
      .execute((trx) => new PartnershipStore(trx).insertResponse(surveyId, this.today(), rows));
  }

  /** Aggregated results, small counts hidden; the selected quotes. */
  async results(staff: StaffContext, surveyId: string): Promise<SurveyResults> {
    const { questions } = await this.survey(staff, surveyId);
    const store = new PartnershipStore(this.db);
    const respondents = await store.responseCount(surveyId);
    const counts = await store.answerCounts(surveyId);
    const quotes = (await store.freeTextAnswers(surveyId))
      .filter((a) => a.quote_selected)
      .map((a) => ({ questionId: a.question_id, text: a.free_text ?? '' }));
    return {
      respondents: suppressPartition([respondents]).total,
      questions: questions.map((q) => {
        const answered = counts.answered.get(q.id) ?? 0;
        const optionCounts = q.options.map((o) => counts.byOption.get(o.id) ?? 0);
        const shown =
          q.kind === 'multiple-choice'
            ? suppressEach(optionCounts, answered)
            : suppressPartition(optionCounts);
        return {
          id: q.id,
          prompt: q.prompt,
          kind: q.kind,
          answered: q.kind === 'free-text' ? suppressPartition([answered]).total : shown.total,
          options: q.options.map((o, i) => ({ ...o, count: shown.cells[i] ?? null })),
        };
      }),
      quotes,
    };
  }

  /** Free-text answers, for staff to choose quotes from. */
  async freeTextAnswers(staff: StaffContext, surveyId: string) {
    await this.survey(staff, surveyId);
    return new PartnershipStore(this.db).freeTextAnswers(surveyId);
  }

  async selectQuotes(staff: StaffContext, surveyId: string, answerIds: readonly string[]) {
    const p = this.partnership(staff);
    await this.change(
      p,
      { action: 'partnership.survey.quotes', objectType: 'survey', objectIds: [surveyId] },
      async (store) => {
        if (!(await store.survey(p.organisationId, surveyId))) throw new NotFoundError();
        const known = new Set((await store.freeTextAnswers(surveyId)).map((a) => a.id));
        await store.setQuotes(
          surveyId,
          answerIds.filter((id) => known.has(id)),
        );
      },
    );
  }

  // -------------------------------------------------------------------------
  // Meetings

  async meetings(staff: StaffContext) {
    const p = this.partnership(staff);
    return new PartnershipStore(this.db).meetings(p.organisationId);
  }

  /**
   * A board or sub-group meeting. KSCMP's notice keeps "records relating to
   * the administration of meetings of the board and the sub groups" for
   * current year + 6. SSCP's notice lists no such records, so its policy has
   * no category for them: refused until it has one (design.md principle 3,
   * "nothing is stored without one").
   */
  async createMeeting(
    staff: StaffContext,
    input: { body: string; title: string; meetingDate: string },
  ) {
    const p = this.partnership(staff);
    if (!findCategory(p.slug, 'meeting-admin')) {
      throw new ValidationError([
        {
          field: 'body',
          message: `${policyFor(p.slug).shortName}'s privacy notice does not cover meeting records, so they cannot be kept here yet`,
        },
      ]);
    }
    return this.change(
      p,
      { action: 'partnership.meeting.create', objectType: 'partnership-meeting' },
      (store) =>
        store.insertMeeting({
          organisation_id: p.organisationId,
          body: input.body,
          title: input.title,
          meeting_date: input.meetingDate,
          ...assessFor(p.slug, 'meeting-admin', { meetingDate: input.meetingDate }, this.today()),
        }),
      (id) => [id],
    );
  }

  meetingsAllowed(staff: StaffContext): boolean {
    const p = this.partnership(staff);
    return findCategory(p.slug, 'meeting-admin') !== undefined;
  }

  async meeting(staff: StaffContext, id: string) {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.meeting.view', objectType: 'partnership-meeting', objectIds: [id] },
      async (store) => {
        const meeting = await store.meeting(p.organisationId, id);
        if (!meeting) throw new NotFoundError();
        return { meeting, attendees: await store.attendees(id) };
      },
    );
  }

  async addAttendee(
    staff: StaffContext,
    meetingId: string,
    input: { fullName: string; roleOrAgency: string; attendance: MeetingAttendance },
  ) {
    const p = this.partnership(staff);
    return this.change(
      p,
      { action: 'partnership.meeting.attendee', objectType: 'partnership-meeting' },
      async (store) => {
        if (!(await store.meeting(p.organisationId, meetingId))) throw new NotFoundError();
        return store.insertAttendee({
          meeting_id: meetingId,
          full_name: input.fullName,
          role_or_agency: input.roleOrAgency,
          attendance: input.attendance,
        });
      },
      (id) => [meetingId, id],
    );
  }

  async saveMinutes(staff: StaffContext, meetingId: string, minutes: string) {
    const p = this.partnership(staff);
    await this.change(
      p,
      {
        action: 'partnership.meeting.minutes',
        objectType: 'partnership-meeting',
        objectIds: [meetingId],
      },
      async (store) => {
        if (!(await store.meeting(p.organisationId, meetingId))) throw new NotFoundError();
        await store.setMinutes(p.organisationId, meetingId, minutes);
      },
    );
  }
}
