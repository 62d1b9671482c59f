import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canManageAgreements } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { errorView } from '../platform/http/forms.js';
import { categorySlugs, organisationSlugSchema } from '../policy/index.js';
import {
  REVIEW_DUE_WITHIN_DAYS,
  type AgreementTerms,
  type SharingAgreements,
} from './agreement-service.js';
import {
  agreementEndSchema,
  agreementReviewSchema,
  agreementTermsSchema,
  agreementUpdateSchema,
  article6,
  article9,
  type AgreementTermsInput,
} from './schemas.js';
import { agreementChanges, sharingPurposeSlugs } from './tables.js';

const views = 'sharing/views';
const idParams = z.object({ id: z.string() });
const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() });
const dateFields = ['reviewDate', 'reviewedOn', 'nextReviewDate'];

type Body = Record<string, unknown>;

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? [value] : [];
}

function text(body: Body, name: string): string {
  return typeof body[name] === 'string' ? (body[name] as string) : '';
}

/** A GOV.UK date input's three boxes as the user filled them, to show again. */
function dateBoxes(body: Body, name: string) {
  return {
    day: text(body, `${name}-day`),
    month: text(body, `${name}-month`),
    year: text(body, `${name}-year`),
  };
}

/** A GOV.UK date input's three boxes as YYYY-MM-DD ('' when all are empty). */
function dateFrom(body: Body, name: string): string {
  const day = text(body, `${name}-day`).trim();
  const month = text(body, `${name}-month`).trim();
  const year = text(body, `${name}-year`).trim();
  if (!day && !month && !year) return '';
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function dateParts(iso: string | null | undefined) {
  const [year = '', month = '', day = ''] = (iso ?? '').split('-');
  return { day, month, year };
}

function versionFrom(body: Body): number {
  return Number(text(body, 'version'));
}

function termsFromForm(body: Body): AgreementTermsInput {
  return {
    title: text(body, 'title'),
    parties: list(body.parties),
    externalRecipients: list(body.externalRecipients),
    purposes: list(body.purposes),
    dataCategories: list(body.dataCategories),
    lawfulBases: list(body.lawfulBases),
    specialConditions: list(body.specialConditions),
    reviewDate: dateFrom(body, 'reviewDate'),
  } as AgreementTermsInput;
}

/** Errors pointed at the first box of a date input, as the error summary needs. */
function pageErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => (dateFields.includes(e.field) ? { ...e, field: `${e.field}-day` } : e));
}

function termsBody(terms: AgreementTerms, version: number): Body {
  const review = dateParts(terms.reviewDate);
  return {
    title: terms.title,
    parties: terms.parties,
    externalRecipients: terms.externalRecipients,
    purposes: terms.purposes,
    dataCategories: terms.dataCategories,
    lawfulBases: terms.lawfulBases,
    specialConditions: terms.specialConditions,
    'reviewDate-day': review.day,
    'reviewDate-month': review.month,
    'reviewDate-year': review.year,
    version: String(version),
  };
}

function renderAgreementForm(
  reply: FastifyReply,
  agreements: SharingAgreements,
  options: { action: string; heading: string; agreementId?: string },
  submitted: Body,
  errors: FieldError[] = [],
  status: 200 | 400 | 409 = errors.length ? 400 : 200,
) {
  const chosen = (name: string) => list(submitted[name]);
  const boxes = (name: string, items: { value: string; text: string; hint?: string }[]) =>
    items.map((i) => ({
      value: i.value,
      text: i.text,
      ...(i.hint ? { hint: { text: i.hint } } : {}),
      checked: chosen(name).includes(i.value),
    }));
  const form = agreements.formOptions();
  reply.status(status);
  return reply.render(`${views}/agreement-form.njk`, {
    title: options.heading,
    backLink: options.agreementId ? `/sharing/agreements/${options.agreementId}` : '/sharing',
    ...options,
    submitted,
    review: dateBoxes(submitted, 'reviewDate'),
    parties: boxes(
      'parties',
      form.organisations.map((o) => ({ value: o.slug, text: o.name })),
    ),
    recipients: boxes(
      'externalRecipients',
      form.recipients.map((r) => ({
        value: r.id,
        text: r.name,
        hint: `Listed by ${r.organisations.join(', ')}`,
      })),
    ),
    purposes: boxes(
      'purposes',
      form.purposes.map((p) => ({ value: p.slug, text: p.name })),
    ),
    categories: boxes(
      'dataCategories',
      form.categories.map((c) => ({
        value: c.slug,
        text: c.name,
        hint: `Declared by ${c.organisations.join(', ')}`,
      })),
    ),
    bases: boxes(
      'lawfulBases',
      form.lawfulBases.map((b) => ({ value: b.article, text: `Article ${b.article}: ${b.name}` })),
    ),
    conditions: boxes(
      'specialConditions',
      form.specialConditions.map((c) => ({
        value: c.article,
        text: `Article ${c.article}: ${c.name}`,
      })),
    ),
    ...errorView(pageErrors(errors)),
  });
}

function canSetUp(staff: StaffContext): boolean {
  return canManageAgreements(staff, staff.organisation?.id ?? '');
}

type Agreement = Awaited<ReturnType<SharingAgreements['get']>>;

/** The record-a-review page; with the form as sent and its errors when a save was refused. */
function renderReview(
  reply: FastifyReply,
  agreement: Agreement,
  body?: Body,
  errors: FieldError[] = [],
) {
  return reply.render(`${views}/agreement-review.njk`, {
    title: `Record a review – ${agreement.title}`,
    backLink: `/sharing/agreements/${agreement.id}`,
    agreement,
    submitted: { version: String(agreement.version) },
    ...(body
      ? {
          reviewedOn: dateBoxes(body, 'reviewedOn'),
          nextReviewDate: dateBoxes(body, 'nextReviewDate'),
          ...errorView(pageErrors(errors)),
        }
      : { reviewedOn: {}, nextReviewDate: {} }),
  });
}

/** The end-the-agreement page; with the form as sent and its errors when a save was refused. */
function renderEnd(
  reply: FastifyReply,
  agreement: Agreement,
  grantsInForce: number,
  body?: Body,
  errors: FieldError[] = [],
) {
  return reply.render(`${views}/agreement-end.njk`, {
    title: `End ${agreement.title}`,
    backLink: `/sharing/agreements/${agreement.id}`,
    agreement,
    grantsInForce,
    ...(body
      ? { submitted: { reason: text(body, 'reason') }, ...errorView(errors) }
      : { submitted: {} }),
  });
}

/* ------------------------------------------------------------------ */
/* API shapes                                                          */
/* ------------------------------------------------------------------ */

const named = z.object({ slug: z.string(), name: z.string() });
const agreementSummary = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  parties: z.array(named),
  externalRecipients: z.array(z.object({ id: z.string(), name: z.string() })),
  purposes: z.array(named),
  dataCategories: z.array(named.extend({ organisations: z.array(z.string()) })),
  lawfulBases: z.array(z.object({ article: z.enum(article6), name: z.string() })),
  specialConditions: z.array(
    z.object({ article: z.enum(article9), name: z.string(), schedule1: z.array(z.string()) }),
  ),
  reviewDate: z.string(),
  status: z.enum(['in-force', 'review-due', 'past-review', 'ended']),
  statusText: z.string(),
  version: z.number().int(),
});
const agreementDetail = agreementSummary.extend({
  terms: z.object({
    title: z.string(),
    parties: z.array(organisationSlugSchema()),
    externalRecipients: z.array(z.string()),
    purposes: z.array(z.enum(sharingPurposeSlugs)),
    dataCategories: z.array(z.enum(categorySlugs)),
    lawfulBases: z.array(z.enum(article6)),
    specialConditions: z.array(z.enum(article9)),
    reviewDate: z.string(),
  }),
  leadOrganisation: z.string(),
  currentVersion: z.number().int(),
  lastReviewedOn: z.string().nullable(),
  lastReviewedBy: z.string().nullable(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      change: z.enum(agreementChanges),
      changedBy: z.string(),
      changedAt: z.string(),
    }),
  ),
  can: z.object({ manage: z.boolean() }),
});
const versionOut = z.object({ id: z.uuid(), version: z.number().int() });

/** Sharing agreement pages (for information governance) and the API under /api/v1/sharing/agreements. */
export function registerAgreementRoutes(
  app: FastifyInstance,
  deps: { agreements: SharingAgreements },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { agreements } = deps;

  typed.get('/sharing', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    return reply.render(`${views}/index.njk`, {
      title: 'Sharing agreements',
      agreements: await agreements.list(staff),
      canGovern: canSetUp(staff),
      reviewDueDays: REVIEW_DUE_WITHIN_DAYS,
    });
  });

  typed.get('/sharing/agreements/new', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    if (!canSetUp(staff)) throw new NotFoundError();
    return renderAgreementForm(
      reply,
      agreements,
      { action: '/sharing/agreements', heading: 'Set up a sharing agreement' },
      { parties: [staff.organisation?.slug ?? ''] },
    );
  });

  typed.post('/sharing/agreements', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const body = (request.body ?? {}) as Body;
    let id = '';
    return submitForm(reply, {
      errors: [],
      save: async () => {
        id = await agreements.create(staff, termsFromForm(body));
      },
      redirectTo: () => `/sharing/agreements/${id}`,
      render: (shown, { errors }) =>
        renderAgreementForm(
          shown,
          agreements,
          { action: '/sharing/agreements', heading: 'Set up a sharing agreement' },
          body,
          errors,
        ),
    });
  });

  typed.get(
    '/sharing/agreements/:id',
    { schema: { params: idParams, querystring: versionQuery, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const agreement = await agreements.get(staff, request.params.id, request.query.version);
      return reply.render(`${views}/agreement.njk`, {
        title: agreement.title,
        backLink: '/sharing',
        agreement,
        past: request.query.version !== undefined && agreement.version !== agreement.currentVersion,
      });
    },
  );

  const editForm = (id: string) => ({
    action: `/sharing/agreements/${id}`,
    heading: 'Change the agreement',
    agreementId: id,
  });

  typed.get(
    '/sharing/agreements/:id/edit',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const agreement = await agreements.get(staff, request.params.id);
      if (!agreement.can.manage) throw new NotFoundError();
      return renderAgreementForm(
        reply,
        agreements,
        editForm(agreement.id),
        termsBody(agreement.terms, agreement.version),
      );
    },
  );

  typed.post(
    '/sharing/agreements/:id',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (request.body ?? {}) as Body;
      return submitForm(reply, {
        errors: [],
        save: () =>
          agreements.update(staff, request.params.id, {
            ...termsFromForm(body),
            version: versionFrom(body),
          }),
        redirectTo: `/sharing/agreements/${request.params.id}`,
        conflictField: 'title',
        render: async (shown, { errors, conflict }) => {
          // On a conflict someone else's change wins: show theirs, with the reason, to redo ours on it.
          const current = conflict ? await agreements.get(staff, request.params.id) : undefined;
          const submitted = current ? termsBody(current.terms, current.version) : body;
          return renderAgreementForm(
            shown,
            agreements,
            editForm(request.params.id),
            submitted,
            errors,
            conflict ? 409 : 400,
          );
        },
      });
    },
  );

  /**
   * A page that acts on one agreement: shown to those who may manage it,
   * saved through submitForm, and on a refusal shown again on the agreement
   * as it now stands.
   */
  const agreementAction = (
    action: string,
    options: {
      /** Where the error summary points when someone else saved first (409). */
      conflictField: string;
      save: (staff: StaffContext, id: string, body: Body) => Promise<unknown>;
      /** The page; with the form as sent and its errors when a save was refused. */
      render: (
        reply: FastifyReply,
        agreement: Agreement,
        staff: StaffContext,
        body?: Body,
        errors?: FieldError[],
      ) => unknown;
    },
  ) => {
    const url = `/sharing/agreements/:id/${action}`;
    typed.get(url, { schema: { params: idParams, hide: true } }, async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const agreement = await agreements.get(staff, request.params.id);
      if (!agreement.can.manage) throw new NotFoundError();
      return options.render(reply, agreement, staff);
    });
    typed.post(url, { schema: { params: idParams, hide: true } }, async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (request.body ?? {}) as Body;
      return submitForm(reply, {
        errors: [],
        save: () => options.save(staff, request.params.id, body),
        redirectTo: `/sharing/agreements/${request.params.id}`,
        conflictField: options.conflictField,
        render: async (shown, { errors }) =>
          options.render(
            shown,
            await agreements.get(staff, request.params.id),
            staff,
            body,
            errors,
          ),
      });
    });
  };

  agreementAction('review', {
    conflictField: 'reviewedOn',
    save: (staff, id, body) =>
      agreements.review(staff, id, {
        version: versionFrom(body),
        reviewedOn: dateFrom(body, 'reviewedOn'),
        nextReviewDate: dateFrom(body, 'nextReviewDate'),
      }),
    render: (reply, agreement, _staff, body, errors) =>
      renderReview(reply, agreement, body, errors),
  });

  agreementAction('end', {
    conflictField: 'reason',
    save: (staff, id, body) =>
      agreements.end(staff, id, { version: versionFrom(body), reason: text(body, 'reason') }),
    render: async (reply, agreement, staff, body, errors) =>
      renderEnd(
        reply,
        agreement,
        await agreements.grantsInForce(staff, agreement.id),
        body,
        errors,
      ),
  });

  /* ---------------------------------------------------------------- */
  /* API                                                               */
  /* ---------------------------------------------------------------- */

  const tags = ['sharing'];

  typed.get(
    '/api/v1/sharing/agreements',
    {
      schema: {
        summary: 'Sharing agreements your organisation leads or is party to, with their status',
        tags,
        response: { 200: z.object({ agreements: z.array(agreementSummary) }) },
      },
    },
    async (request) => ({
      agreements: await agreements.list(staffInOrganisation(request).staff),
    }),
  );

  typed.post(
    '/api/v1/sharing/agreements',
    {
      schema: {
        summary:
          'Set up an agreement led by your organisation (information governance or the DPO); terms are checked against the parties’ privacy notices',
        tags,
        body: agreementTermsSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const id = await agreements.create(staffInOrganisation(request).staff, request.body);
      return reply.status(201).send({ id });
    },
  );

  typed.get(
    '/api/v1/sharing/agreements/:id',
    {
      schema: {
        summary: 'An agreement as it stands, or as it stood at `version`, with its history',
        tags,
        params: idParams,
        querystring: versionQuery,
        response: { 200: agreementDetail },
      },
    },
    async (request) => {
      const agreement = await agreements.get(
        staffInOrganisation(request).staff,
        request.params.id,
        request.query.version,
      );
      return {
        ...agreement,
        versions: agreement.versions.map((v) => ({
          ...v,
          changedAt: new Date(v.changedAt).toISOString(),
        })),
      };
    },
  );

  typed.put(
    '/api/v1/sharing/agreements/:id',
    {
      schema: {
        summary: 'Change the terms of an agreement made on `version` (409 if it changed since)',
        tags,
        params: idParams,
        body: agreementUpdateSchema,
        response: { 200: versionOut },
      },
    },
    async (request) => ({
      id: request.params.id,
      version: await agreements.update(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      ),
    }),
  );

  typed.post(
    '/api/v1/sharing/agreements/:id/reviews',
    {
      schema: {
        summary: 'Record a review of the agreement and its next review date',
        tags,
        params: idParams,
        body: agreementReviewSchema,
        response: { 200: versionOut },
      },
    },
    async (request) => ({
      id: request.params.id,
      version: await agreements.review(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      ),
    }),
  );

  typed.post(
    '/api/v1/sharing/agreements/:id/end',
    {
      schema: {
        summary:
          'End the agreement today: nothing more can be shared under it, and every grant still in force under it is revoked',
        tags,
        params: idParams,
        body: agreementEndSchema,
        response: { 200: versionOut },
      },
    },
    async (request) => ({
      id: request.params.id,
      version: await agreements.end(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      ),
    }),
  );
}
