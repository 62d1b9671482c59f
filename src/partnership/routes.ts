import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../platform/http/date-input.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import {
  attendanceSchema,
  attendeeSchema,
  bookingSchema,
  bounceSchema,
  courseSchema,
  importSchema,
  meetingSchema,
  minutesSchema,
  questionSchema,
  reportDateSchema,
  reportPeriodFields,
  reportQuerySchema,
  signUpSchema,
  surveySchema,
} from './schemas.js';
import { registerAnnualReportRoutes } from './annual-report-routes.js';
import type { PartnershipService } from './service.js';
import { SUPPRESSED_MARK } from './statistics.js';
import {
  attendances,
  consentMethods,
  deliveries,
  meetingAttendances,
  questionKinds,
  sectors,
  type ConsentMethod,
} from './tables.js';

const views = 'partnership/views';
const idParams = z.object({ id: z.uuid() });
const publicRoute = { access: 'public' as const };

const labels = {
  sector: {
    'local-authority': 'Local authority',
    health: 'Health',
    police: 'Police',
    education: 'Education',
    'early-years': 'Early years',
    'voluntary-community': 'Voluntary and community',
    'probation-justice': 'Probation and justice',
    other: 'Other',
  },
  attendance: {
    booked: 'Booked',
    attended: 'Attended',
    'did-not-attend': 'Did not attend',
    cancelled: 'Cancelled',
  },
  delivery: { 'face-to-face': 'Face-to-face', online: 'Online' },
  kind: { course: 'Course', event: 'Event' },
  consent: {
    'web-form': 'Sign-up page',
    'paper-form': 'Paper form',
    'email-request': 'Email request',
    'event-sign-up': 'Sign-up at an event',
  },
  questionKind: {
    'single-choice': 'Choose one',
    'multiple-choice': 'Choose any',
    'free-text': 'Free text',
  },
  meetingAttendance: { present: 'Present', apologies: 'Apologies', absent: 'Absent' },
} as const;

function body(request: FastifyRequest): Record<string, unknown> {
  return (request.body ?? {}) as Record<string, unknown>;
}

function textOf(source: Record<string, unknown>, key: string): string {
  const value = source[key];
  return typeof value === 'string' ? value : '';
}

/** Form text fields plus GOV.UK date inputs, put together for one schema. */
function formInput(
  source: Record<string, unknown>,
  fields: readonly string[],
  dates: readonly [string, string][] = [],
): { input: Record<string, unknown>; errors: FieldError[] } {
  const input: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const field of fields) input[field] = textOf(source, field);
  for (const [name, label] of dates) {
    const parsed = dateInputFields(name, label).safeParse(source);
    if (parsed.success) Object.assign(input, parsed.data);
    else errors.push({ field: name, message: parsed.error.issues[0]?.message ?? 'Enter a date' });
  }
  return { input, errors };
}

function parseWith<S extends z.ZodType>(
  schema: S,
  source: Record<string, unknown>,
  fields: readonly string[],
  dates: readonly [string, string][] = [],
) {
  const { input, errors } = formInput(source, fields, dates);
  const form = parseForm(schema, input);
  const dateFields = new Set(dates.map(([name]) => name));
  const all = [
    ...errors,
    ...(form.ok ? [] : form.errors.filter((e) => !(dateFields.has(e.field) && errors.length))),
  ];
  return all.length === 0 && form.ok
    ? { ok: true as const, data: form.data as z.infer<S> }
    : { ok: false as const, errors: all };
}

/** The origin the unsubscribe link points at (Safekeep sends no email itself). */
function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Pages and JSON API for the partnerships' own services. Staff pages need
 * the partnership business role (the service refuses others as "not
 * found"); the newsletter sign-up and unsubscribe and the survey response
 * pages are public (`access: 'public'`) and need no sign-in.
 */
export function registerPartnershipRoutes(
  app: FastifyInstance,
  deps: { partnership: PartnershipService },
): void {
  const { partnership } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  const subNavigation = (active: string) =>
    [
      ['Training', '/partnership/training'],
      ['Newsletter', '/partnership/newsletter'],
      ['Surveys', '/partnership/surveys'],
      ['Meetings', '/partnership/meetings'],
      ['Annual report', '/partnership/annual-report'],
    ].map(([text, href]) => ({ text, href, active: href === active }));

  const page = (
    reply: FastifyReply,
    template: string,
    section: string,
    context: Record<string, unknown>,
  ) =>
    reply.render(`${views}/${template}`, {
      labels,
      subNavigation: subNavigation(section),
      ...context,
    });

  registerAnnualReportRoutes(app, {
    partnership,
    page,
    sectorLabel: (sector) => labels.sector[sector as keyof typeof labels.sector] ?? sector,
  });

  // =========================================================================
  // Staff pages

  app.get('/partnership', { schema: { hide: true } }, async (request, reply) => {
    await partnership.courses(staffOf(request)); // refuses those without the role
    return page(reply, 'index.njk', '', { title: 'Partnership services' });
  });

  // --- Training -------------------------------------------------------------

  const trainingPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) =>
    page(reply, 'training.njk', '/partnership/training', {
      title: 'Training',
      courses: await partnership.courses(staffOf(request)),
      deliveries,
      values: {},
      startDateItems: dateInputValues(body(request), 'startDate'),
      endDateItems: dateInputValues(body(request), 'endDate'),
      ...extra,
    });

  app.get('/partnership/training', { schema: { hide: true } }, (request, reply) =>
    trainingPage(request, reply),
  );

  app.post('/partnership/training', { schema: { hide: true } }, async (request, reply) => {
    const form = parseWith(
      courseSchema,
      body(request),
      ['title', 'kind', 'delivery'],
      [
        ['startDate', 'the first day'],
        ['endDate', 'the last day'],
      ],
    );
    if (!form.ok) {
      return trainingPage(request, reply.status(400), {
        values: body(request),
        ...errorView(form.errors),
      });
    }
    const id = await partnership.createCourse(staffOf(request), form.data);
    return reply.redirect(`/partnership/training/${id}`, 303);
  });

  typed.get(
    '/partnership/training/:id',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ saved: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const { course, bookings } = await partnership.course(staffOf(request), request.params.id);
      return page(reply, 'course.njk', '/partnership/training', {
        title: course.title,
        backLink: '/partnership/training',
        course,
        bookings,
        attendances,
        saved: request.query.saved ?? null,
      });
    },
  );

  const bookingFields = [
    'fullName',
    'jobRole',
    'employer',
    'sector',
    'email',
    'telephone',
    'postalAddress',
    'budgetReference',
    'requirements',
  ] as const;

  const bookingPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Record<string, unknown> = {},
  ) => {
    const course = await partnership.courseSummary(staffOf(request), id);
    return page(reply, 'booking.njk', '/partnership/training', {
      title: 'Book a place',
      backLink: `/partnership/training/${id}`,
      // The notice the person booked is told about (issue 11).
      noticeUrl: `/privacy/${staffOf(request).organisation?.slug ?? ''}`,
      course,
      sectors,
      values: {},
      ...extra,
    });
  };

  typed.get(
    '/partnership/training/:id/book',
    { schema: { hide: true, params: idParams } },
    (request, reply) => bookingPage(request, reply, request.params.id),
  );

  typed.post(
    '/partnership/training/:id/book',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const form = parseWith(bookingSchema, body(request), bookingFields);
      const again = (errors: FieldError[]) =>
        bookingPage(request, reply.status(400), request.params.id, {
          values: body(request),
          ...errorView(errors),
        });
      if (!form.ok) return again(form.errors);
      try {
        await partnership.book(staffOf(request), request.params.id, form.data);
      } catch (error) {
        if (error instanceof ValidationError) return again(error.fieldErrors);
        throw error;
      }
      return reply.redirect(`/partnership/training/${request.params.id}?saved=booked`, 303);
    },
  );

  typed.post(
    '/partnership/training/:id/bookings/:bookingId/attendance',
    { schema: { hide: true, params: z.object({ id: z.uuid(), bookingId: z.uuid() }) } },
    async (request, reply) => {
      // The course in the path is resolved first: another partnership's (or
      // no) course answers as not found, whatever the form says.
      await partnership.courseSummary(staffOf(request), request.params.id);
      const form = parseForm(attendanceSchema, { attendance: textOf(body(request), 'attendance') });
      if (!form.ok) throw new ValidationError(form.errors);
      await partnership.setAttendance(
        staffOf(request),
        request.params.bookingId,
        form.data.attendance,
      );
      return reply.redirect(`/partnership/training/${request.params.id}?saved=attendance`, 303);
    },
  );

  typed.get(
    '/partnership/training/report',
    {
      schema: {
        hide: true,
        querystring: z.record(z.string(), z.string()),
      },
    },
    async (request, reply) => {
      // The calendar year so far, until the user chooses a period.
      const year = String(new Date().getFullYear());
      const asked = Object.keys(request.query).some((k) => /^(from|to)-(day|month|year)$/.test(k));
      const query: Record<string, string> = asked
        ? request.query
        : {
            'from-day': '1',
            'from-month': '1',
            'from-year': year,
            'to-day': '31',
            'to-month': '12',
            'to-year': year,
          };
      const dates = { from: dateInputValues(query, 'from'), to: dateInputValues(query, 'to') };
      const parsed = parseForm(reportPeriodFields, query);
      if (!parsed.ok) {
        return page(reply.status(400), 'report.njk', '/partnership/training', {
          title: 'Learning and development report',
          dates,
          ...errorView(parsed.errors),
        });
      }
      const report = await partnership.learningReport(
        staffOf(request),
        parsed.data.from,
        parsed.data.to,
      );
      return page(reply, 'report.njk', '/partnership/training', {
        title: 'Learning and development report',
        backLink: '/partnership/training',
        dates,
        report,
        mark: SUPPRESSED_MARK,
      });
    },
  );

  // --- Newsletter (staff) ------------------------------------------------------

  const newsletterPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) =>
    page(reply, 'newsletter.njk', '/partnership/newsletter', {
      title: 'Newsletter',
      subscribers: await partnership.subscribers(staffOf(request)),
      methods: consentMethods.filter((m) => m !== 'web-form'),
      signUpPath: `/partnerships/${staffOf(request).organisation?.slug ?? ''}/newsletter`,
      values: {},
      ...extra,
    });

  typed.get(
    '/partnership/newsletter',
    {
      schema: {
        hide: true,
        querystring: z.object({
          added: z.coerce.number().int().optional(),
          suppressed: z.coerce.number().int().optional(),
          already: z.coerce.number().int().optional(),
          bounced: z.string().optional(),
        }),
      },
    },
    (request, reply) => newsletterPage(request, reply, { result: request.query }),
  );

  app.post('/partnership/newsletter/import', { schema: { hide: true } }, async (request, reply) => {
    const form = parseForm(importSchema, {
      lines: textOf(body(request), 'lines'),
      consentMethod: textOf(body(request), 'consentMethod'),
    });
    const again = (errors: FieldError[]) =>
      newsletterPage(request, reply.status(400), { values: body(request), ...errorView(errors) });
    if (!form.ok) return again(form.errors);
    try {
      const result = await partnership.importSubscribers(
        staffOf(request),
        form.data.lines,
        form.data.consentMethod as ConsentMethod,
      );
      return reply.redirect(
        `/partnership/newsletter?added=${result.added}&suppressed=${result.suppressed}&already=${result.alreadySubscribed}`,
        303,
      );
    } catch (error) {
      if (error instanceof ValidationError) return again(error.fieldErrors);
      throw error;
    }
  });

  typed.post(
    '/partnership/newsletter/:id/bounced',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      await partnership.markBounced(staffOf(request), request.params.id);
      return reply.redirect('/partnership/newsletter?bounced=1', 303);
    },
  );

  typed.get(
    '/partnership/newsletter/:id/email',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const email = await partnership.emailFor(
        staffOf(request),
        request.params.id,
        originOf(request),
      );
      return page(reply, 'email.njk', '/partnership/newsletter', {
        title: 'Newsletter email',
        backLink: '/partnership/newsletter',
        email,
      });
    },
  );

  // --- Surveys (staff) ---------------------------------------------------------

  const surveysPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) =>
    page(reply, 'surveys.njk', '/partnership/surveys', {
      title: 'Surveys',
      surveys: await partnership.surveys(staffOf(request)),
      values: {},
      ...extra,
    });

  app.get('/partnership/surveys', { schema: { hide: true } }, (request, reply) =>
    surveysPage(request, reply),
  );

  app.post('/partnership/surveys', { schema: { hide: true } }, async (request, reply) => {
    const form = parseForm(surveySchema, {
      title: textOf(body(request), 'title'),
      purpose: textOf(body(request), 'purpose'),
    });
    if (!form.ok) {
      return surveysPage(request, reply.status(400), {
        values: body(request),
        ...errorView(form.errors),
      });
    }
    const id = await partnership.createSurvey(staffOf(request), form.data);
    return reply.redirect(`/partnership/surveys/${id}`, 303);
  });

  const surveyPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Record<string, unknown> = {},
  ) => {
    const staff = staffOf(request);
    const { survey, questions } = await partnership.survey(staff, id);
    const results = survey.status === 'draft' ? null : await partnership.results(staff, id);
    const freeText = survey.status === 'draft' ? [] : await partnership.freeTextAnswers(staff, id);
    return page(reply, 'survey.njk', '/partnership/surveys', {
      title: survey.title,
      backLink: '/partnership/surveys',
      survey,
      questions,
      results,
      freeText,
      questionKinds,
      mark: SUPPRESSED_MARK,
      publicPath: `/surveys/${survey.id}`,
      values: {},
      reportDateItems: dateInputValues(body(request), 'reportDate'),
      ...extra,
    });
  };

  typed.get(
    '/partnership/surveys/:id',
    { schema: { hide: true, params: idParams } },
    (request, reply) => surveyPage(request, reply, request.params.id),
  );

  typed.post(
    '/partnership/surveys/:id/questions',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const source = body(request);
      const form = parseForm(questionSchema, {
        kind: textOf(source, 'kind'),
        prompt: textOf(source, 'prompt'),
        options: textOf(source, 'options')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      });
      const again = (errors: FieldError[]) =>
        surveyPage(request, reply.status(400), request.params.id, {
          values: source,
          ...errorView(errors),
        });
      if (!form.ok) return again(form.errors);
      try {
        await partnership.addQuestion(staffOf(request), request.params.id, form.data);
      } catch (error) {
        if (error instanceof ValidationError) return again(error.fieldErrors);
        throw error;
      }
      return reply.redirect(`/partnership/surveys/${request.params.id}`, 303);
    },
  );

  typed.post(
    '/partnership/surveys/:id/status',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const action = textOf(body(request), 'action');
      // Resolved before anything else: no action must not answer "done" for
      // a survey that is not this partnership's.
      await partnership.survey(staffOf(request), request.params.id);
      try {
        if (action === 'open') await partnership.openSurvey(staffOf(request), request.params.id);
        else if (action === 'close')
          await partnership.closeSurvey(staffOf(request), request.params.id);
      } catch (error) {
        if (error instanceof ValidationError) {
          return surveyPage(
            request,
            reply.status(400),
            request.params.id,
            errorView(error.fieldErrors),
          );
        }
        throw error;
      }
      return reply.redirect(`/partnership/surveys/${request.params.id}`, 303);
    },
  );

  typed.post(
    '/partnership/surveys/:id/report-date',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const form = parseWith(
        reportDateSchema,
        body(request),
        [],
        [['reportDate', 'the report date']],
      );
      if (!form.ok) {
        return surveyPage(request, reply.status(400), request.params.id, errorView(form.errors));
      }
      await partnership.setReportDate(staffOf(request), request.params.id, form.data.reportDate);
      return reply.redirect(`/partnership/surveys/${request.params.id}`, 303);
    },
  );

  typed.post(
    '/partnership/surveys/:id/quotes',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const raw = body(request).quotes;
      const ids = (Array.isArray(raw) ? raw : [raw]).filter(
        (v): v is string => typeof v === 'string',
      );
      await partnership.selectQuotes(staffOf(request), request.params.id, ids);
      return reply.redirect(`/partnership/surveys/${request.params.id}`, 303);
    },
  );

  // --- Meetings ----------------------------------------------------------------

  const meetingsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) =>
    page(reply, 'meetings.njk', '/partnership/meetings', {
      title: 'Meetings',
      meetings: await partnership.meetings(staffOf(request)),
      allowed: partnership.meetingsAllowed(staffOf(request)),
      values: {},
      meetingDateItems: dateInputValues(body(request), 'meetingDate'),
      ...extra,
    });

  app.get('/partnership/meetings', { schema: { hide: true } }, (request, reply) =>
    meetingsPage(request, reply),
  );

  app.post('/partnership/meetings', { schema: { hide: true } }, async (request, reply) => {
    const form = parseWith(
      meetingSchema,
      body(request),
      ['body', 'title'],
      [['meetingDate', 'the date of the meeting']],
    );
    const again = (errors: FieldError[]) =>
      meetingsPage(request, reply.status(400), { values: body(request), ...errorView(errors) });
    if (!form.ok) return again(form.errors);
    try {
      const id = await partnership.createMeeting(staffOf(request), form.data);
      return reply.redirect(`/partnership/meetings/${id}`, 303);
    } catch (error) {
      if (error instanceof ValidationError) return again(error.fieldErrors);
      throw error;
    }
  });

  const meetingPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Record<string, unknown> = {},
  ) => {
    const { meeting, attendees } = await partnership.meeting(staffOf(request), id);
    return page(reply, 'meeting.njk', '/partnership/meetings', {
      title: meeting.title,
      backLink: '/partnership/meetings',
      meeting,
      attendees,
      meetingAttendances,
      values: { minutes: meeting.minutes ?? '' },
      ...extra,
    });
  };

  typed.get(
    '/partnership/meetings/:id',
    { schema: { hide: true, params: idParams } },
    (request, reply) => meetingPage(request, reply, request.params.id),
  );

  typed.post(
    '/partnership/meetings/:id/attendees',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const form = parseWith(attendeeSchema, body(request), [
        'fullName',
        'roleOrAgency',
        'attendance',
      ]);
      if (!form.ok) {
        return meetingPage(request, reply.status(400), request.params.id, {
          values: body(request),
          ...errorView(form.errors),
        });
      }
      await partnership.addAttendee(staffOf(request), request.params.id, form.data);
      return reply.redirect(`/partnership/meetings/${request.params.id}`, 303);
    },
  );

  typed.post(
    '/partnership/meetings/:id/minutes',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const form = parseWith(minutesSchema, body(request), ['minutes']);
      if (!form.ok) {
        return meetingPage(request, reply.status(400), request.params.id, {
          values: body(request),
          ...errorView(form.errors),
        });
      }
      await partnership.saveMinutes(staffOf(request), request.params.id, form.data.minutes);
      return reply.redirect(`/partnership/meetings/${request.params.id}`, 303);
    },
  );

  // =========================================================================
  // Public pages: no sign-in

  const orgParams = z.object({ org: z.enum(['kscmp', 'sscp']) });

  const signUpPage = async (
    reply: FastifyReply,
    org: string,
    extra: Record<string, unknown> = {},
  ) =>
    reply.render(`${views}/public/sign-up.njk`, {
      title: 'Sign up for our newsletter',
      partnershipName: await partnership.partnershipName(org),
      action: `/partnerships/${org}/newsletter`,
      noticeUrl: `/privacy/${org}`,
      values: {},
      ...extra,
    });

  typed.get(
    '/partnerships/:org/newsletter',
    { config: publicRoute, schema: { hide: true, params: orgParams } },
    (request, reply) => signUpPage(reply, request.params.org),
  );

  typed.post(
    '/partnerships/:org/newsletter',
    {
      config: { ...publicRoute, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { hide: true, params: orgParams },
    },
    async (request, reply) => {
      const source = body(request);
      const form = parseForm(signUpSchema, {
        fullName: textOf(source, 'fullName'),
        employer: textOf(source, 'employer'),
        email: textOf(source, 'email'),
        consent: textOf(source, 'consent'),
      });
      if (!form.ok) {
        return signUpPage(reply.status(400), request.params.org, {
          values: source,
          ...errorView(form.errors),
        });
      }
      await partnership.signUp(request.params.org, form.data);
      return reply.redirect(`/partnerships/${request.params.org}/newsletter/signed-up`, 303);
    },
  );

  typed.get(
    '/partnerships/:org/newsletter/signed-up',
    { config: publicRoute, schema: { hide: true, params: orgParams } },
    async (request, reply) =>
      reply.render(`${views}/public/done.njk`, {
        title: 'You have signed up',
        partnershipName: await partnership.partnershipName(request.params.org),
        body: 'We will send you our newsletters, updates, campaigns and event details. Every email has a link to unsubscribe; your details are then deleted at once.',
        testId: 'signed-up',
      }),
  );

  const tokenParams = orgParams.extend({ token: z.string().max(200) });

  // The link opens a page with one button rather than unsubscribing on the
  // GET itself: mail security scanners (such as link checkers in council mail
  // systems) open every link in an email, and would otherwise delete people
  // who never asked.
  typed.get(
    '/partnerships/:org/newsletter/unsubscribe/:token',
    { config: publicRoute, schema: { hide: true, params: tokenParams } },
    async (request, reply) => {
      partnership.checkUnsubscribeLink(request.params.org, request.params.token);
      return reply.render(`${views}/public/unsubscribe.njk`, {
        title: 'Unsubscribe from our newsletter',
        partnershipName: await partnership.partnershipName(request.params.org),
        action: `/partnerships/${request.params.org}/newsletter/unsubscribe/${request.params.token}`,
      });
    },
  );

  typed.post(
    '/partnerships/:org/newsletter/unsubscribe/:token',
    { config: publicRoute, schema: { hide: true, params: tokenParams } },
    async (request, reply) => {
      await partnership.unsubscribe(request.params.org, request.params.token);
      return reply.redirect(`/partnerships/${request.params.org}/newsletter/unsubscribed`, 303);
    },
  );

  typed.get(
    '/partnerships/:org/newsletter/unsubscribed',
    { config: publicRoute, schema: { hide: true, params: orgParams } },
    async (request, reply) =>
      reply.render(`${views}/public/done.njk`, {
        title: 'You have unsubscribed',
        partnershipName: await partnership.partnershipName(request.params.org),
        body: 'Your name, organisation and email address have been deleted. We keep only a scrambled code made from your address, so that it is not added back without your say. You can sign up again at any time.',
        testId: 'unsubscribed',
      }),
  );

  const surveyResponsePage = async (
    reply: FastifyReply,
    id: string,
    extra: Record<string, unknown> = {},
  ) =>
    reply.render(`${views}/public/survey.njk`, {
      survey: await partnership.publicSurvey(id),
      title: 'Survey',
      values: {},
      ...extra,
    });

  typed.get(
    '/surveys/:id',
    { config: publicRoute, schema: { hide: true, params: idParams } },
    (request, reply) => surveyResponsePage(reply, request.params.id),
  );

  typed.post(
    '/surveys/:id',
    { config: publicRoute, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const source = body(request);
      const answers: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(source)) {
        const questionId = /^q_(.+)$/.exec(key)?.[1];
        if (!questionId) continue;
        if (typeof value === 'string') answers[questionId] = value;
        else if (Array.isArray(value))
          answers[questionId] = value.filter((v) => typeof v === 'string');
      }
      try {
        await partnership.respond(request.params.id, answers);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const errors = error.fieldErrors.map((e) => ({ ...e, field: `q_${e.field}` }));
        return surveyResponsePage(reply.status(400), request.params.id, {
          values: source,
          ...errorView(errors),
        });
      }
      return reply.redirect(`/surveys/${request.params.id}/thank-you`, 303);
    },
  );

  typed.get(
    '/surveys/:id/thank-you',
    { config: publicRoute, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      // Thanks only for a survey there is: any other id is not found.
      await partnership.publicSurveyTitle(request.params.id);
      return reply.render(`${views}/public/done.njk`, {
        title: 'Thank you for your response',
        body: 'Your answers were saved without your name or any way to tell who gave them.',
        testId: 'survey-thanks',
      });
    },
  );

  // =========================================================================
  // JSON API (staff): the same rules, for integrations

  const tags = ['partnership'];
  const courseOut = z.object({
    id: z.uuid(),
    title: z.string(),
    kind: z.string(),
    delivery: z.string(),
    startDate: z.string(),
    endDate: z.string(),
  });
  const bookingOut = z.object({
    id: z.uuid(),
    fullName: z.string(),
    jobRole: z.string(),
    employer: z.string(),
    sector: z.string(),
    email: z.string(),
    telephone: z.string().nullable(),
    postalAddress: z.string().nullable(),
    budgetReference: z.string().nullable(),
    requirements: z.string().nullable(),
    attendance: z.string(),
    retentionDue: z.string().nullable(),
    detailsMinimisedOn: z.string().nullable(),
  });
  const published = z.number().int().nullable().describe('null: fewer than 8, hidden');

  typed.get(
    '/api/v1/partnership/courses',
    {
      schema: {
        summary: 'Courses and events',
        tags,
        response: { 200: z.array(courseOut.extend({ bookings: z.number() })) },
      },
    },
    async (request) =>
      (await partnership.courses(staffOf(request))).map((c) => ({
        id: c.id,
        title: c.title,
        kind: c.kind,
        delivery: c.delivery,
        startDate: c.start_date,
        endDate: c.end_date,
        bookings: c.bookings,
      })),
  );

  typed.post(
    '/api/v1/partnership/courses',
    {
      schema: {
        summary: 'Add a course or event',
        tags,
        body: courseSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ id: await partnership.createCourse(staffOf(request), request.body) }),
  );

  typed.get(
    '/api/v1/partnership/courses/:id',
    {
      schema: {
        summary: 'A course with its bookings',
        tags,
        params: idParams,
        response: { 200: courseOut.extend({ bookings: z.array(bookingOut) }) },
      },
    },
    async (request) => {
      const { course, bookings } = await partnership.course(staffOf(request), request.params.id);
      return {
        id: course.id,
        title: course.title,
        kind: course.kind,
        delivery: course.delivery,
        startDate: course.start_date,
        endDate: course.end_date,
        bookings: bookings.map((b) => ({
          id: b.id,
          fullName: b.full_name,
          jobRole: b.job_role,
          employer: b.employer,
          sector: b.sector,
          email: b.email,
          telephone: b.telephone,
          postalAddress: b.postal_address,
          budgetReference: b.budget_reference,
          requirements: b.requirements,
          attendance: b.attendance,
          retentionDue: b.retention_due,
          detailsMinimisedOn: b.details_minimised_on,
        })),
      };
    },
  );

  typed.post(
    '/api/v1/partnership/courses/:id/bookings',
    {
      schema: {
        summary:
          'Book a place (only the fields the notices list; requirements for face-to-face courses only)',
        tags,
        params: idParams,
        body: bookingSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ id: await partnership.book(staffOf(request), request.params.id, request.body) }),
  );

  typed.put(
    '/api/v1/partnership/bookings/:id/attendance',
    {
      schema: {
        summary: 'Record attendance',
        tags,
        params: idParams,
        body: attendanceSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await partnership.setAttendance(staffOf(request), request.params.id, request.body.attendance);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/v1/partnership/training-report',
    {
      schema: {
        summary: 'Learning and development report: aggregate, small counts hidden',
        tags,
        querystring: reportQuerySchema,
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            courses: z.number(),
            bySector: z.array(
              z.object({ sector: z.string(), booked: published, attended: published }),
            ),
            totals: z.object({ booked: published, attended: published }),
            byOrganisation: z.array(z.object({ employer: z.string(), attended: published })),
            otherOrganisations: z.number(),
          }),
        },
      },
    },
    async (request) =>
      partnership.learningReport(staffOf(request), request.query.from, request.query.to),
  );

  typed.get(
    '/api/v1/partnership/newsletter/subscribers',
    {
      schema: {
        summary: 'Newsletter subscribers (never shared outside the partnership)',
        tags,
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              fullName: z.string(),
              employer: z.string(),
              email: z.string(),
              consentAt: z.date(),
              consentMethod: z.string(),
              consentNoticeVersion: z.string(),
            }),
          ),
        },
      },
    },
    async (request) =>
      (await partnership.subscribers(staffOf(request))).map((s) => ({
        id: s.id,
        fullName: s.full_name,
        employer: s.employer,
        email: s.email,
        consentAt: s.consent_at,
        consentMethod: s.consent_method,
        consentNoticeVersion: s.consent_notice_version,
      })),
  );

  typed.post(
    '/api/v1/partnership/newsletter/bounces',
    {
      schema: {
        summary: 'Report an address that no longer exists: the subscriber is deleted at once',
        tags,
        body: bounceSchema,
        response: { 200: z.object({ deleted: z.boolean() }) },
      },
    },
    async (request) => ({
      deleted: await partnership.bouncedAddress(staffOf(request), request.body.email),
    }),
  );

  typed.get(
    '/api/v1/partnership/newsletter/subscribers/:id/email',
    {
      schema: {
        summary:
          'The email text for a subscriber, with its signed unsubscribe link (Safekeep sends no email)',
        tags,
        params: idParams,
        response: {
          200: z.object({
            to: z.string(),
            subject: z.string(),
            text: z.string(),
            unsubscribeUrl: z.string(),
          }),
        },
      },
    },
    async (request) => partnership.emailFor(staffOf(request), request.params.id, originOf(request)),
  );

  typed.get(
    '/api/v1/partnership/surveys/:id/results',
    {
      schema: {
        summary: 'Aggregated survey results: counts under 8 hidden (null), selected quotes',
        tags,
        params: idParams,
        response: {
          200: z.object({
            respondents: published,
            questions: z.array(
              z.object({
                id: z.uuid(),
                prompt: z.string(),
                kind: z.string(),
                answered: published,
                options: z.array(z.object({ id: z.uuid(), label: z.string(), count: published })),
              }),
            ),
            quotes: z.array(z.object({ questionId: z.uuid(), text: z.string() })),
          }),
        },
      },
    },
    async (request) => partnership.results(staffOf(request), request.params.id),
  );

  typed.get(
    '/api/v1/partnership/meetings',
    {
      schema: {
        summary: 'Board and sub-group meetings',
        tags,
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              body: z.string(),
              title: z.string(),
              meetingDate: z.string(),
              retentionDue: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) =>
      (await partnership.meetings(staffOf(request))).map((m) => ({
        id: m.id,
        body: m.body,
        title: m.title,
        meetingDate: m.meeting_date,
        retentionDue: m.retention_due,
      })),
  );

  typed.post(
    '/api/v1/partnership/meetings',
    {
      schema: {
        summary: 'Add a meeting',
        tags,
        body: meetingSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ id: await partnership.createMeeting(staffOf(request), request.body) }),
  );
}
