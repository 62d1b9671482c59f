import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addressSchema, identifierSchema } from '../people/schemas.js';
import {
  annotationSchema,
  carryOutErasureSchema,
  dashboardRowSchema,
  decisionSchema,
  outcomeLineSchema,
  personCorrectionSchema,
  recipientNoticeSchema,
  liftSchema,
  newRequestSchema,
  reminderSchema,
  requestDetailSchema,
  restrictionSchema,
  supplementarySchema,
  toldSchema,
  transitionSchema,
} from './schemas.js';
import { idParams, staffOf } from './request-view.js';
import type { RightsService } from './service.js';

/** The rights requests API under /api/v1/rights. Registered by routes.ts. */

export function registerRightsApi(app: FastifyInstance, rights: RightsService): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  const tags = ['rights'];
  const problem = z.object({ error: z.string(), message: z.string() });

  typed.get(
    '/api/v1/rights/requests',
    {
      schema: {
        summary: 'Open rights requests, overdue first, then by days left',
        tags,
        response: { 200: z.array(dashboardRowSchema) },
      },
    },
    async (request) => rights.dashboard(staffOf(request)),
  );

  typed.post(
    '/api/v1/rights/requests',
    {
      schema: {
        summary: 'Record a rights request (intake); starts its statutory clock',
        tags,
        body: newRequestSchema,
        response: { 201: z.object({ id: z.uuid() }), 400: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.create(staffOf(request), request.body);
      return reply.status(201).send({ id });
    },
  );

  typed.get(
    '/api/v1/rights/requests/:id',
    {
      schema: {
        summary: 'A rights request with its clock, timeline and decisions',
        tags,
        params: idParams,
        response: { 200: requestDetailSchema },
      },
    },
    async (request) => {
      const page = await rights.get(staffOf(request), request.params.id);
      const r = page.request;
      return {
        id: r.id,
        type: r.type,
        state: r.state,
        version: r.version,
        receivedOn: r.received_on,
        requesterRole: r.requester_role,
        identityCheck: r.identity_check,
        authorityEvidence: r.authority_evidence,
        subjectPersonId: r.subject_person_id,
        categories: r.categories,
        clock: page.clock,
        nextStates: [...page.nextStates],
        events: page.events.map((e) => ({
          kind: e.kind,
          fromState: e.from_state,
          toState: e.to_state,
          onDate: e.on_date,
          occurredAt: e.occurred_at,
        })),
        outcomes: page.outcomes.map((o) => ({
          action: o.action,
          source: o.source,
          itemId: o.item_id,
          category: o.category,
          ground: o.ground,
          reason: o.reason,
        })),
        annotations: page.annotations.map((a) => ({
          id: a.id,
          kind: a.kind,
          recordId: a.record_id,
          noteId: a.note_id,
          text: a.text,
        })),
        recipients: page.recipients.map((x) => ({
          disclosureId: x.disclosureId,
          recipient: x.recipient,
          disclosedOn: x.disclosedOn,
          recordIds: x.recordIds,
          notice: x.notice && {
            outcome: x.notice.outcome,
            toldOn: x.notice.toldOn,
            method: x.notice.method,
            reason: x.notice.reason,
          },
        })),
        decisions: page.decisions.map((d) => ({
          kind: d.kind,
          category: d.category,
          outcome: d.outcome,
          ground: d.ground,
          reasoning: d.reasoning,
        })),
      };
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/transitions',
    {
      schema: {
        summary: 'Move a request along its state machine; refused (409) with the reason if illegal',
        tags,
        params: idParams,
        body: transitionSchema,
        response: { 200: z.object({ state: z.string() }), 409: problem },
      },
    },
    async (request) => ({
      state: await rights.transition(staffOf(request), request.params.id, request.body),
    }),
  );

  typed.post(
    '/api/v1/rights/requests/:id/decisions',
    {
      schema: {
        summary:
          'Record the decision the request type takes (generated from policy where it can be)',
        tags,
        params: idParams,
        body: decisionSchema,
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.decide(staffOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/restrictions',
    {
      schema: {
        summary: 'Restrict processing of a person or record (Art 18): storage only',
        tags,
        params: idParams,
        body: restrictionSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const id = await rights.restrict(staffOf(request), request.params.id, request.body);
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/restrictions/:id/told',
    {
      schema: {
        summary: 'Record the day the person was told the restriction will be lifted (Art 18(3))',
        tags,
        params: idParams,
        body: toldSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await rights.restrictionTold(staffOf(request), request.params.id, request.body.toldOn);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/rights/restrictions/:id/lift',
    {
      schema: {
        summary: 'Lift a restriction; refused (409) until the person has been told',
        tags,
        params: idParams,
        body: liftSchema,
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.liftRestriction(staffOf(request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/v1/rights/supplementary-information',
    {
      schema: {
        summary: 'The Art 15 supplementary information, generated from the organisation’s policy',
        tags,
        querystring: z.object({ category: z.union([z.string(), z.array(z.string())]).optional() }),
        response: { 200: supplementarySchema },
      },
    },
    async (request) => {
      const category = request.query.category;
      const categories = category === undefined ? [] : [category].flat();
      return rights.supplementary(staffOf(request), categories);
    },
  );

  typed.get(
    '/api/v1/rights/reminders',
    {
      schema: {
        summary: 'Open requests of your organisation due within N days, or overdue',
        tags,
        querystring: z.object({ withinDays: z.coerce.number().int().min(0).max(90).default(7) }),
        response: { 200: z.array(reminderSchema) },
      },
    },
    async (request) => rights.reminders(staffOf(request), request.query.withinDays),
  );

  typed.post(
    '/api/v1/rights/requests/:id/erasure',
    {
      schema: {
        summary:
          'Carry out an erasure or consent withdrawal: erase the confirmed entries discovery found, where the decision and any legal hold allow',
        tags,
        params: idParams,
        body: carryOutErasureSchema,
        response: { 200: z.object({ outcomes: z.array(outcomeLineSchema) }), 409: problem },
      },
    },
    async (request) => ({
      outcomes: await rights.carryOutErasure(
        staffOf(request),
        request.params.id,
        request.body.items,
      ),
    }),
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/person',
    {
      schema: {
        summary:
          'Correct facts about the confirmed person (Art 16); history is kept and retention recomputed',
        tags,
        params: idParams,
        body: personCorrectionSchema,
        response: { 200: z.object({ version: z.number() }), 409: problem },
      },
    },
    async (request) => ({
      version: await rights.rectification.rectifyPerson(
        staffOf(request),
        request.params.id,
        request.body,
      ),
    }),
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/identifier',
    {
      schema: {
        summary:
          'Add an identifier the person says is missing (Art 16); one held for someone else is refused',
        tags,
        params: idParams,
        body: identifierSchema,
        response: { 201: z.object({ id: z.uuid() }), 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.rectification.completePerson(staffOf(request), request.params.id, {
        kind: 'identifier',
        identifier: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/address',
    {
      schema: {
        summary: 'Add the correct address (Art 16); the wrong one stays in the history',
        tags,
        params: idParams,
        body: addressSchema,
        response: { 201: z.object({ id: z.uuid() }), 409: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.rectification.completePerson(staffOf(request), request.params.id, {
        kind: 'address',
        address: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/annotations',
    {
      schema: {
        summary:
          'Attach what the person disputes (an opinion is not rewritten), or their statement on a refusal, to a record or note',
        tags,
        params: idParams,
        body: annotationSchema,
        response: { 201: z.object({ id: z.uuid() }), 409: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.rectification.annotate(
        staffOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/recipient-notices',
    {
      schema: {
        summary:
          'Art 19: record that a recipient was told of the rectification, erasure or restriction, or why not',
        tags,
        params: idParams,
        body: recipientNoticeSchema,
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.recordRecipientNotice(staffOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
}
