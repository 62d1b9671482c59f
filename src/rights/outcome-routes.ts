import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FieldError } from '../platform/errors/errors.js';
import { parseForm } from '../platform/http/forms.js';
import { addressSchema, identifierSchema } from '../people/schemas.js';
import {
  annotationSchema,
  carryOutErasureSchema,
  personCorrectionSchema,
  recipientNoticeSchema,
} from './schemas.js';
import { list, optionalDate, requireDate, text, type Body } from './request-forms.js';
import { idParams, requestPageView, staffOf } from './request-view.js';
import type { RightsService } from './service.js';

/**
 * Carrying out what was decided, from the request page: erasure,
 * rectification (correcting and completing the person, annotations) and
 * Art 19 notices to recipients. Registered by routes.ts.
 */

export function registerOutcomeRoutes(app: FastifyInstance, rights: RightsService): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { renderRequest, onRequestPage } = requestPageView(rights);

  typed.post(
    '/rights/:id/erasure',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const items = list((request.body ?? {}) as Body, 'items').map((value) => {
        const [source, id] = value.split(':');
        return { source, id };
      });
      const form = parseForm(carryOutErasureSchema, { items });
      if (!form.ok) {
        return renderRequest(reply.status(400), request.params.id, [
          { field: 'items', message: 'Select entries from the list discovery found' },
        ]);
      }
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.carryOutErasure(staffOf(request), request.params.id, form.data.items),
        '#outcomes',
        'items',
      );
    },
  );

  typed.post(
    '/rights/:id/rectification/person',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const dob = optionalDate(body, 'dateOfBirth', 'the date of birth');
      const dod = optionalDate(body, 'dateOfDeath', 'the date of death');
      const form = parseForm(personCorrectionSchema, {
        version: Number(text(body, 'version')) || 0,
        givenName: text(body, 'givenName'),
        familyName: text(body, 'familyName'),
        dateOfBirth: dob.value ?? null,
        dateOfDeath: dod.value ?? null,
      });
      const errors = [...dob.errors, ...dod.errors, ...(form.ok ? [] : form.errors)];
      if (errors.length > 0 || !form.ok) {
        return renderRequest(reply.status(400), request.params.id, errors);
      }
      const input = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.rectification.rectifyPerson(staffOf(request), request.params.id, input),
        '#rectification',
        'givenName',
      );
    },
  );

  typed.post(
    '/rights/:id/rectification/identifier',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const form = parseForm(identifierSchema, {
        type: text(body, 'identifierType') || undefined,
        value: text(body, 'identifierValue'),
      });
      if (!form.ok) {
        return renderRequest(
          reply.status(400),
          request.params.id,
          form.errors.map((e) => ({
            ...e,
            field: e.field === 'type' ? 'identifierType' : 'identifierValue',
          })),
        );
      }
      const identifier = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () =>
          rights.rectification.completePerson(staffOf(request), request.params.id, {
            kind: 'identifier',
            identifier,
          }),
        '#rectification',
        'identifierValue',
      );
    },
  );

  typed.post(
    '/rights/:id/rectification/address',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const form = parseForm(addressSchema, {
        line1: text(body, 'line1'),
        line2: text(body, 'line2'),
        town: text(body, 'town'),
        postcode: text(body, 'postcode'),
      });
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      const address = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () =>
          rights.rectification.completePerson(staffOf(request), request.params.id, {
            kind: 'address',
            address,
          }),
        '#rectification',
        'line1',
      );
    },
  );

  typed.post(
    '/rights/:id/annotations',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const [recordId, noteId] = text(body, 'target').split(':');
      const form = parseForm(annotationSchema, {
        kind: text(body, 'kind') || undefined,
        recordId: recordId || undefined,
        noteId: noteId || undefined,
        text: text(body, 'text'),
      });
      if (!form.ok) {
        return renderRequest(
          reply.status(400),
          request.params.id,
          form.errors.map((e) => (e.field === 'recordId' ? { ...e, field: 'target' } : e)),
        );
      }
      const input = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.rectification.annotate(staffOf(request), request.params.id, input),
        '#rectification',
        'target',
      );
    },
  );

  const recipientParams = z.object({ id: z.uuid(), disclosureId: z.uuid() });

  typed.post(
    '/rights/:id/recipients/:disclosureId',
    { schema: { params: recipientParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const { id, disclosureId } = request.params;
      const outcome = text(body, 'outcome');
      const told =
        outcome === 'told'
          ? requireDate(body, 'toldOn', 'the date they were told')
          : { value: undefined, errors: [] as FieldError[] };
      const form = parseForm(recipientNoticeSchema, {
        disclosureId,
        outcome: outcome || undefined,
        toldOn: told.value,
        method: text(body, 'method'),
        reason: text(body, 'reason'),
      });
      const errors = [...told.errors, ...(form.ok ? [] : form.errors)];
      if (errors.length > 0 || !form.ok) return renderRequest(reply.status(400), id, errors);
      const input = form.data;
      return onRequestPage(
        reply,
        id,
        () => rights.recordRecipientNotice(staffOf(request), id, input),
        '#recipients',
        'outcome',
      );
    },
  );
}
