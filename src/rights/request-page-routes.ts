import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseForm } from '../platform/http/forms.js';
import { decisionSchema, liftSchema, restrictionSchema } from './schemas.js';
import { list, requireDate, text, transitionInput, type Body } from './request-forms.js';
import { idParams, requestPageView, staffOf } from './request-view.js';
import type { RightsService } from './service.js';

/**
 * The request page and what is done from it: moving the request along,
 * asking for gathering, recording the decision, offering an access request,
 * and placing, telling of and lifting restrictions. Registered by routes.ts.
 */

export function registerRequestPageRoutes(app: FastifyInstance, rights: RightsService): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { renderRequest, onRequestPage } = requestPageView(rights);

  typed.get('/rights/:id', { schema: { params: idParams, hide: true } }, async (request, reply) =>
    renderRequest(reply, request.params.id),
  );

  typed.post(
    '/rights/:id/transition',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const form = transitionInput((request.body ?? {}) as Body);
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(reply, request.params.id, () =>
        rights.transition(staffOf(request), request.params.id, form.data),
      );
    },
  );

  typed.post(
    '/rights/:id/gathering',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const note = text((request.body ?? {}) as Body, 'gatheringNote');
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.gathering.request(staffOf(request), request.params.id, note || undefined),
        '#subject-access',
        'gatheringNote',
      );
    },
  );

  typed.post(
    '/rights/:id/decision',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const form = parseForm(decisionSchema, {
        kind: text(body, 'kind'),
        subscriberIds:
          text(body, 'kind') === 'objection-direct-marketing'
            ? list(body, 'items').flatMap((v) =>
                v.startsWith('newsletter-subscriber:') ? [v.slice(22)] : [],
              )
            : undefined,
        category: text(body, 'category') || undefined,
        outcome: text(body, 'outcome') || undefined,
        subjectGrounds: text(body, 'subjectGrounds'),
        compellingGrounds: text(body, 'compellingGrounds'),
      });
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.decide(staffOf(request), request.params.id, form.data),
        '#decisions',
      );
    },
  );

  typed.post(
    '/rights/:id/offer-access',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = await rights.offerAccessRequest(staffOf(request), request.params.id);
      return reply.redirect(`/rights/${id}`, 303);
    },
  );

  typed.post(
    '/rights/:id/restrictions',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const form = parseForm(restrictionSchema, request.body);
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.restrict(staffOf(request), request.params.id, form.data),
        '#restrictions',
      );
    },
  );

  const restrictionParams = z.object({ id: z.uuid(), restrictionId: z.uuid() });

  typed.post(
    '/rights/:id/restrictions/:restrictionId/told',
    { schema: { params: restrictionParams, hide: true } },
    async (request, reply) => {
      const told = requireDate((request.body ?? {}) as Body, 'toldOn', 'the date they were told');
      if (!told.value) return renderRequest(reply.status(400), request.params.id, told.errors);
      const toldOn = told.value;
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.restrictionTold(staffOf(request), request.params.restrictionId, toldOn),
        '#restrictions',
      );
    },
  );

  typed.post(
    '/rights/:id/restrictions/:restrictionId/lift',
    { schema: { params: restrictionParams, hide: true } },
    async (request, reply) => {
      const form = parseForm(liftSchema, request.body);
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(
        reply,
        request.params.id,
        () =>
          rights.liftRestriction(staffOf(request), request.params.restrictionId, form.data.reason),
        '#restrictions',
      );
    },
  );
}
