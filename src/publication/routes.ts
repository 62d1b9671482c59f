/**
 * Pages for anonymising a practice review's report (staff, through the
 * review's access decision in ReportReview) and the partnerships' public
 * pages of published reviews (no sign-in; only what is published and not
 * yet taken down). Forms only: nothing needs script.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffContext } from '../platform/auth/service.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';
import { PublishedReviews } from './publications.js';
import { KIND_NAMES, RESIDUAL_RISKS, type ReportReview } from './report-review.js';
import { SPAN_KINDS } from './types.js';

const views = 'publication/views';
const recordParams = z.object({ id: z.string() });
const orgParams = z.object({ org: z.string().max(100) });
const publicationParams = z.object({ org: z.string().max(100), publicationId: z.string() });

/** The partnerships that publish practice reviews (policy: the review category). */
function partnership(slug: string) {
  if (!isOrganisationSlug(slug)) throw new NotFoundError();
  const policy = policyFor(slug);
  if (!policy.categories.some((c) => c.slug === 'practice-review')) throw new NotFoundError();
  return policy;
}

export function registerPublicationRoutes(
  app: FastifyInstance,
  deps: { review: ReportReview; published: PublishedReviews },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { review, published } = deps;
  const base = '/records/:id/practice-review/anonymise';

  const show = async (
    reply: FastifyReply,
    staff: StaffContext,
    recordId: string,
    submitted: Record<string, unknown> = {},
    errors: FieldError[] = [],
  ) => {
    const screen = await review.screen(staff, recordId);
    return reply.render(`${views}/anonymise.njk`, {
      title: 'Anonymise the report',
      backLink: `/records/${recordId}/practice-review`,
      action: `/records/${recordId}/practice-review/anonymise`,
      ...screen,
      risks: RESIDUAL_RISKS,
      kinds: SPAN_KINDS.map((k) => ({ value: k, text: KIND_NAMES[k] })),
      submitted,
      errors: errors.map((e) => ({
        text: e.message,
        href: `#${e.field === 'form' ? 'main-content' : e.field}`,
      })),
      fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
    });
  };

  typed.get(base, { schema: { params: recordParams, hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    return show(reply, staff, request.params.id);
  });

  const forms: {
    path: string;
    run: (staff: StaffContext, id: string, body: Record<string, unknown>) => Promise<unknown>;
  }[] = [
    { path: '', run: (staff, id) => review.start(staff, id) },
    { path: '/decisions', run: (staff, id, body) => review.decide(staff, id, body) },
    { path: '/additions', run: (staff, id, body) => review.add(staff, id, body) },
    { path: '/approval', run: (staff, id, body) => review.approve(staff, id, body) },
  ];
  for (const form of forms) {
    typed.post(
      `${base}${form.path}`,
      { schema: { params: recordParams, hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        const id = request.params.id;
        const body = (request.body ?? {}) as Record<string, unknown>;
        return submitForm(reply, {
          errors: [],
          save: () => form.run(staff, id, body),
          redirectTo: `/records/${id}/practice-review/anonymise`,
          conflictField: 'form',
          render: (shown, { errors }) => show(shown, staff, id, body, errors),
        });
      },
    );
  }

  // Public: the partnership's published reviews.
  typed.get(
    '/partnerships/:org/reviews',
    { config: { access: 'public' }, schema: { params: orgParams, hide: true } },
    async (request, reply) => {
      const policy = partnership(request.params.org);
      return reply.render(`${views}/public-list.njk`, {
        title: `Published practice reviews: ${policy.name}`,
        partnership: { slug: policy.slug, name: policy.name },
        reviews: await published.list(policy.slug),
      });
    },
  );
  typed.get(
    '/partnerships/:org/reviews/:publicationId',
    { config: { access: 'public' }, schema: { params: publicationParams, hide: true } },
    async (request, reply) => {
      const policy = partnership(request.params.org);
      const one = await published.one(policy.slug, request.params.publicationId);
      if (!one) throw new NotFoundError();
      return reply.render(`${views}/public-review.njk`, {
        title: one.title,
        backLink: `/partnerships/${policy.slug}/reviews`,
        partnership: { slug: policy.slug, name: policy.name },
        review: one,
      });
    },
  );
  typed.get(
    '/partnerships/:org/reviews/:publicationId/report.pdf',
    { config: { access: 'public' }, schema: { params: publicationParams, hide: true } },
    async (request, reply) => {
      const policy = partnership(request.params.org);
      const pdf = await published.pdf(policy.slug, request.params.publicationId);
      if (!pdf) throw new NotFoundError();
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'inline; filename="practice-review.pdf"')
        .send(pdf);
    },
  );
}
