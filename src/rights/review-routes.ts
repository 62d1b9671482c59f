import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { ConflictError, ValidationError } from '../platform/errors/errors.js';
import { groundCodes, groundOf } from './exemptions.js';
import { isGatherer } from './gathering.js';
import type { RightsService } from './service.js';
import { reviewDecisions, thirdPartyKinds, type ThirdPartyKind } from './tables.js';

/**
 * Subject access pages and API after intake: discovery, confirming the
 * subject, review with redaction, and the bundle download (review.ts,
 * bundle.ts). Registered by routes.ts.
 */

const views = 'rights/views';
const idParams = z.object({ id: z.uuid() });
const itemParams = z.object({ id: z.uuid(), itemId: z.uuid() });
const redactionParams = z.object({ id: z.uuid(), itemId: z.uuid(), redactionId: z.uuid() });

type Body = Record<string, unknown>;
const text = (body: Body, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
};

const thirdPartyLabels: Record<ThirdPartyKind, string> = {
  'family-member': 'A family member',
  referrer: 'A referrer (including an anonymous one)',
  'other-individual': 'Another individual',
  professional: 'A professional (normally disclosed)',
};

export const decisionBodySchema = z.object({
  decision: z.enum(reviewDecisions, { error: 'Select disclose or withhold' }),
  ground: z.enum(groundCodes).optional(),
  reason: multiLineText('the reason').max(2000).optional(),
});

export const redactionBodySchema = z
  .object({
    phrase: multiLineText('the words to redact')
      .max(2000)
      .optional()
      .describe('The words to redact, as they appear'),
    occurrence: z.number().int().min(1).optional(),
    start: z.number().int().min(0).optional().describe('Or: the span, in UTF-16 code units'),
    end: z.number().int().min(1).optional(),
    ground: singleLineText('the legal ground').min(1, 'Select the legal ground').max(100),
    thirdParty: z.enum(thirdPartyKinds).optional(),
    note: multiLineText('the note').max(2000).optional(),
  })
  .refine(
    (b) => (b.phrase?.trim() ?? '') !== '' || (b.start !== undefined && b.end !== undefined),
    {
      message: 'Enter the words to redact',
      path: ['phrase'],
    },
  );

export const ncndBodySchema = z.object({
  ground: z.enum(groundCodes, {
    error: 'Select the exemption that allows neither confirm nor deny',
  }),
  reason: z
    .string({ error: 'Write down why confirming or denying would itself cause prejudice' })
    .trim()
    .min(
      10,
      'Write down why confirming or denying would itself cause prejudice (at least 10 characters)',
    )
    .max(2000, 'The reason must be 2,000 characters or fewer'),
});

const candidateSchema = z.object({
  personId: z.string(),
  name: z.string(),
  dateOfBirth: z.string().nullable(),
  reasons: z.array(z.string()),
  score: z.number(),
  records: z.array(
    z.object({
      recordId: z.string(),
      category: z.string(),
      categoryName: z.string(),
      role: z.string(),
    }),
  ),
  restricted: z.boolean().optional().describe('Processing restricted (Art 18): records not listed'),
});

const discoverySchema = z.object({
  sources: z.array(z.string()),
  criteria: z.object({
    names: z.array(z.string()),
    dateOfBirth: z.string().nullable(),
    nhsNumbers: z.array(z.string()),
    upns: z.array(z.string()),
    notSearched: z.array(z.string()),
  }),
  candidates: z.array(candidateSchema),
  mentions: z.array(
    z.object({
      recordId: z.string(),
      noteId: z.string(),
      categoryName: z.string(),
      occurredOn: z.string(),
      reason: z.string(),
    }),
  ),
  partnership: z.array(
    z.object({
      source: z.string(),
      id: z.string(),
      name: z.string(),
      reasons: z.array(z.string()),
    }),
  ),
  notes: z.array(z.string()),
});

const reviewItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  decision: z.enum(reviewDecisions).nullable(),
  ground: z.string().nullable(),
  text: z.string().describe('The item’s text as it would be disclosed'),
  redactions: z.array(
    z.object({
      id: z.string(),
      start: z.number(),
      end: z.number(),
      ground: z.string(),
      thirdParty: z.string().nullable(),
    }),
  ),
  suggestions: z.array(
    z.object({ start: z.number(), end: z.number(), text: z.string(), role: z.string() }),
  ),
});

export function registerReviewPages(
  app: FastifyInstance,
  rights: RightsService,
  labels: { role: Record<string, string>; state: Record<string, string> },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const staffOf = (request: FastifyRequest) => staffInOrganisation(request).staff;

  async function renderDiscovery(reply: FastifyReply, id: string, message?: string) {
    const { request: r, result } = await rights.review.latestDiscovery(staffOf(reply.request), id);
    const gatherer = isGatherer(staffOf(reply.request));
    return reply.render(`${views}/discovery.njk`, {
      title: 'Discovery',
      backLink: gatherer ? '/rights/gathering' : `/rights/${id}`,
      gatherer,
      r,
      result,
      labels,
      errors: message ? [{ text: message, href: '#main-content' }] : [],
      fieldErrors: {},
    });
  }

  async function renderReview(
    reply: FastifyReply,
    id: string,
    error?: { message: string; itemId?: string; ncnd?: boolean },
  ) {
    const page = await rights.review.review(staffOf(reply.request), id);
    const index = error?.itemId ? page.items.findIndex((i) => i.id === error.itemId) + 1 : 0;
    return reply.render(`${views}/review.njk`, {
      title: 'Review and redaction',
      backLink: page.gatherer ? `/rights/${id}/discovery` : `/rights/${id}`,
      gatherer: page.gatherer,
      beingGathered: page.beingGathered,
      r: page.request,
      items: page.items,
      editable: page.editable,
      undecided: page.undecided,
      ncnd: page.ncnd,
      ncndGround: page.ncnd ? groundOf(page.ncnd.ground) : undefined,
      ncndGroundItems: [
        { value: '', text: 'Select an exemption' },
        ...page.ncndGrounds.map((g) => ({ value: g.code, text: `${g.reference}: ${g.label}` })),
      ],
      labels,
      groundItems: [
        { value: '', text: 'Select a ground' },
        ...page.grounds.map((g) => ({ value: g.code, text: `${g.reference}: ${g.label}` })),
      ],
      thirdPartyItems: [
        { value: '', text: 'Not a third party' },
        ...thirdPartyKinds.map((value) => ({ value, text: thirdPartyLabels[value] })),
      ],
      errors: error
        ? [
            {
              text: error.message,
              href: error.ncnd ? '#ncnd-ground' : index > 0 ? `#item-${index}` : '#main-content',
            },
          ]
        : [],
      fieldErrors: {},
    });
  }

  /** Runs a change; a refusal is shown on the page it came from, with its reason. */
  async function attempt(
    reply: FastifyReply,
    work: () => Promise<unknown>,
    then: string,
    onError: (message: string) => Promise<unknown>,
  ) {
    try {
      await work();
      return reply.redirect(then, 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        reply.status(400);
        return onError(error.fieldErrors.map((e) => e.message).join('. '));
      }
      if (error instanceof ConflictError) {
        reply.status(409);
        return onError(error.message);
      }
      throw error;
    }
  }

  // Gathering by the officers who alone may read the records (gathering.ts).
  typed.get('/rights/gathering', { schema: { hide: true } }, async (request, reply) =>
    reply.render(`${views}/gathering.njk`, {
      title: 'Subject access requests to gather',
      rows: await rights.gathering.list(staffOf(request)),
    }),
  );

  typed.post(
    '/rights/:id/gathering/submit',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      return attempt(
        reply,
        () => rights.gathering.submit(staffOf(request), id),
        '/rights/gathering',
        (message) => renderReview(reply, id, { message }),
      );
    },
  );

  typed.get(
    '/rights/:id/discovery',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => renderDiscovery(reply, request.params.id),
  );

  typed.post(
    '/rights/:id/discovery',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      return attempt(
        reply,
        () => rights.review.discover(staffOf(request), id),
        `/rights/${id}/discovery`,
        (message) => renderDiscovery(reply, id, message),
      );
    },
  );

  typed.post(
    '/rights/:id/subject',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      const personId = text((request.body ?? {}) as Body, 'personId');
      return attempt(
        reply,
        () => rights.confirmSubject(staffOf(request), id, personId),
        `/rights/${id}/review`,
        (message) => renderDiscovery(reply, id, message),
      );
    },
  );

  typed.get(
    '/rights/:id/review',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => renderReview(reply, request.params.id),
  );

  typed.post(
    '/rights/:id/review/prepare',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      return attempt(
        reply,
        () => rights.review.prepare(staffOf(request), id),
        `/rights/${id}/review`,
        (message) => renderReview(reply, id, { message }),
      );
    },
  );

  typed.post(
    '/rights/:id/review/items/:itemId/decision',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      const { id, itemId } = request.params;
      const body = (request.body ?? {}) as Body;
      const parsed = decisionBodySchema.safeParse({
        decision: text(body, 'decision') || undefined,
        ground: text(body, 'ground') || undefined,
      });
      if (!parsed.success) {
        return renderReview(reply.status(400), id, {
          message: parsed.error.issues[0]?.message ?? 'Check the decision',
          itemId,
        });
      }
      return attempt(
        reply,
        () => rights.review.decide(staffOf(request), id, itemId, parsed.data),
        `/rights/${id}/review`,
        (message) => renderReview(reply, id, { message, itemId }),
      );
    },
  );

  typed.post(
    '/rights/:id/review/items/:itemId/redactions',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      const { id, itemId } = request.params;
      const body = (request.body ?? {}) as Body;
      const number = (name: string) => (text(body, name) ? Number(text(body, name)) : undefined);
      const parsed = redactionBodySchema.safeParse({
        phrase: text(body, 'phrase') || undefined,
        start: number('start'),
        end: number('end'),
        ground: text(body, 'ground'),
        thirdParty: text(body, 'thirdParty') || undefined,
        note: text(body, 'note') || undefined,
      });
      if (!parsed.success) {
        return renderReview(reply.status(400), id, {
          message: parsed.error.issues[0]?.message ?? 'Check the redaction',
          itemId,
        });
      }
      return attempt(
        reply,
        () => rights.review.redact(staffOf(request), id, itemId, parsed.data),
        `/rights/${id}/review`,
        (message) => renderReview(reply, id, { message, itemId }),
      );
    },
  );

  typed.post(
    '/rights/:id/review/items/:itemId/redactions/:redactionId/remove',
    { schema: { params: redactionParams, hide: true } },
    async (request, reply) => {
      const { id, itemId, redactionId } = request.params;
      return attempt(
        reply,
        () => rights.review.unredact(staffOf(request), id, itemId, redactionId),
        `/rights/${id}/review`,
        (message) => renderReview(reply, id, { message, itemId }),
      );
    },
  );

  typed.post(
    '/rights/:id/review/ncnd',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      const body = (request.body ?? {}) as Body;
      const parsed = ncndBodySchema.safeParse({
        ground: text(body, 'ground') || undefined,
        reason: text(body, 'reason'),
      });
      if (!parsed.success) {
        return renderReview(reply.status(400), id, {
          message: parsed.error.issues[0]?.message ?? 'Check the response',
          ncnd: true,
        });
      }
      return attempt(
        reply,
        () => rights.review.neitherConfirmNorDeny(staffOf(request), id, parsed.data),
        `/rights/${id}/review`,
        (message) => renderReview(reply, id, { message, ncnd: true }),
      );
    },
  );

  typed.post(
    '/rights/:id/review/disclose-undecided',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      return attempt(
        reply,
        () => rights.review.discloseUndecided(staffOf(request), id),
        `/rights/${id}/review`,
        (message) => renderReview(reply, id, { message }),
      );
    },
  );

  typed.post(
    '/rights/:id/review/ncnd/withdraw',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      return attempt(
        reply,
        () => rights.review.withdrawNeitherConfirmNorDeny(staffOf(request), id),
        `/rights/${id}/review`,
        (message) => renderReview(reply, id, { message }),
      );
    },
  );

  for (const format of ['pdf', 'json'] as const) {
    typed.get(
      `/rights/:id/bundle.${format}`,
      { schema: { params: idParams, hide: true } },
      async (request, reply) => {
        const bundle = await rights.bundle(staffOf(request), request.params.id, format);
        reply
          .header('content-disposition', `attachment; filename="${bundle.filename}"`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .type(format === 'pdf' ? 'application/pdf' : 'application/json; charset=utf-8');
        return reply.send(format === 'pdf' ? bundle.body : JSON.stringify(bundle.body, null, 2));
      },
    );
  }
}

export function registerReviewApi(app: FastifyInstance, rights: RightsService): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const staffOf = (request: FastifyRequest) => staffInOrganisation(request).staff;
  const tags = ['rights'];
  const problem = z.object({ error: z.string(), message: z.string() });

  typed.post(
    '/api/v1/rights/requests/:id/discovery',
    {
      schema: {
        summary:
          'Search everything the organisation holds for the subject; candidates say why they matched',
        tags,
        params: idParams,
        response: { 200: discoverySchema, 409: problem },
      },
    },
    async (request) => rights.review.discover(staffOf(request), request.params.id),
  );

  typed.post(
    '/api/v1/rights/requests/:id/subject',
    {
      schema: {
        summary: 'Confirm the person discovery found as the subject',
        tags,
        params: idParams,
        body: z.object({ personId: z.uuid() }),
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.confirmSubject(staffOf(request), request.params.id, request.body.personId);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/review',
    {
      schema: {
        summary: 'Gather the bundle’s items from the confirmed subject’s records',
        tags,
        params: idParams,
        response: { 200: z.object({ added: z.number() }), 409: problem },
      },
    },
    async (request) => ({
      added: await rights.review.prepare(staffOf(request), request.params.id),
    }),
  );

  typed.get(
    '/api/v1/rights/requests/:id/review',
    {
      schema: {
        summary: 'The bundle’s items, each with its decision, redactions and suggested redactions',
        tags,
        params: idParams,
        response: { 200: z.array(reviewItemSchema) },
      },
    },
    async (request) => {
      const page = await rights.review.review(staffOf(request), request.params.id);
      return page.items.map((i) => ({
        id: i.id,
        kind: i.kind,
        title: i.title,
        date: i.item_date,
        decision: i.decision,
        ground: i.ground,
        text: i.preview,
        redactions: i.redactions.map((x) => ({
          id: x.id,
          start: x.start_offset,
          end: x.end_offset,
          ground: x.ground,
          thirdParty: x.third_party,
        })),
        suggestions: i.suggestions.map((s) => ({
          start: s.start,
          end: s.end,
          text: s.text,
          role: s.role,
        })),
      }));
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/review/items/:itemId/decision',
    {
      schema: {
        summary: 'Disclose, or withhold on a legal ground (refused if the requester rules it out)',
        tags,
        params: itemParams,
        body: decisionBodySchema,
        response: { 204: z.null(), 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { id, itemId } = request.params;
      await rights.review.decide(staffOf(request), id, itemId, request.body);
      return reply.status(204).send(null);
    },
  );

  typed.put(
    '/api/v1/rights/requests/:id/review/ncnd',
    {
      schema: {
        summary:
          'Answer neither confirm nor deny on an exemption that allows it; items withheld on it leave no trace',
        tags,
        params: idParams,
        body: ncndBodySchema,
        response: { 204: z.null(), 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      await rights.review.neitherConfirmNorDeny(staffOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  typed.delete(
    '/api/v1/rights/requests/:id/review/ncnd',
    {
      schema: {
        summary: 'Go back to an ordinary response',
        tags,
        params: idParams,
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.review.withdrawNeitherConfirmNorDeny(staffOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/review/items/:itemId/redactions',
    {
      schema: {
        summary: 'Redact a span of an item’s text on a legal ground',
        tags,
        params: itemParams,
        body: redactionBodySchema,
        response: { 201: z.object({ id: z.uuid() }), 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { id, itemId } = request.params;
      const redactionId = await rights.review.redact(staffOf(request), id, itemId, request.body);
      return reply.status(201).send({ id: redactionId });
    },
  );
}
