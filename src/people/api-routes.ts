/** The people JSON API (src/people/routes.ts registers it). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation, staffOf } from '../platform/auth/session-hook.js';
import {
  addressSchema,
  contactSchema,
  createPersonSchema,
  identifierSchema,
  mergeSchema,
  nameSchema,
  offenceDataSchema,
  relationshipSchema,
  searchSchema,
  specialCategorySchema,
  updatePersonSchema,
} from './schemas.js';
import type { PeopleService } from './service.js';
import {
  birthPrecisions,
  contactKinds,
  genders,
  identifierTypes,
  nameKinds,
  offenceDataKinds,
  relationshipTypes,
  specialCharacteristics,
} from './tables.js';
import { idParams, pageQuery } from './page-shared.js';

// ---------------------------------------------------------------------------
// API shapes (also the OpenAPI description at /api/docs)

export const personSummarySchema = z.object({
  id: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string().nullable().describe('Calendar date, YYYY-MM-DD, or null when unknown'),
});

const searchHitSchema = personSummarySchema.extend({
  dateOfBirthPrecision: z.enum(birthPrecisions).nullable(),
  matchedName: z
    .object({ kind: z.enum(nameKinds), givenName: z.string(), familyName: z.string() })
    .nullable()
    .describe('The alias or previous name that matched, when not the current name'),
  score: z.number(),
});
const likelyMatchSchema = searchHitSchema.extend({ reasons: z.array(z.string()) });

const personSchema = personSummarySchema.extend({
  organisationId: z.uuid(),
  dateOfBirthPrecision: z.enum(birthPrecisions).nullable(),
  dateOfDeath: z.string().nullable(),
  gender: z.enum(genders).nullable(),
  version: z.number().int().describe('Send back with an edit: optimistic locking'),
  names: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(nameKinds),
      givenName: z.string(),
      familyName: z.string(),
      fromDate: z.string().nullable(),
      toDate: z.string().nullable(),
    }),
  ),
  addresses: z.array(
    z.object({
      id: z.uuid(),
      line1: z.string(),
      line2: z.string().nullable(),
      town: z.string().nullable(),
      postcode: z.string().nullable(),
      fromDate: z.string().nullable(),
      toDate: z.string().nullable(),
    }),
  ),
  contacts: z.array(z.object({ id: z.uuid(), kind: z.enum(contactKinds), value: z.string() })),
  identifiers: z.array(
    z.object({ id: z.uuid(), type: z.enum(identifierTypes), value: z.string() }),
  ),
  relationships: z.array(
    z.object({
      id: z.uuid(),
      type: z.enum(relationshipTypes),
      description: z.string().nullable(),
      relatedPersonId: z.uuid(),
      relatedPersonName: z.string(),
      direction: z.enum(['to', 'from']),
    }),
  ),
  merges: z.array(
    z.object({
      id: z.uuid(),
      mergedId: z.uuid(),
      mergedAt: z.date(),
      givenName: z.string(),
      familyName: z.string(),
      dateOfBirth: z.string().nullable(),
    }),
  ),
});

const sensitiveSchema = z.object({
  specialCategory: z
    .array(
      z.object({
        id: z.uuid(),
        characteristic: z.enum(specialCharacteristics),
        value: z.string(),
        recordedOn: z.string().nullable(),
      }),
    )
    .describe('SPECIAL CATEGORY DATA (UK GDPR Art 9)'),
  offenceData: z
    .array(
      z.object({
        id: z.uuid(),
        kind: z.enum(offenceDataKinds),
        description: z.string(),
        occurredOn: z.string().nullable(),
      }),
    )
    .describe('CRIMINAL OFFENCE DATA (UK GDPR Art 10)'),
});

const created = z.object({ id: z.uuid() });

/** The JSON API: the same operations as the pages, the same access function and audit. */
export function registerPeopleApi(app: FastifyInstance, deps: { people: PeopleService }): void {
  const { people } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  const api = <T extends object>(summary: string, extra: T) => ({
    schema: { summary, tags: ['people'], ...extra },
  });

  typed.get(
    '/api/v1/people',
    api('People held by your current organisation that you may see', {
      querystring: pageQuery,
      response: {
        200: z.object({
          total: z.number().int(),
          page: z.number().int(),
          pageSize: z.number().int(),
          people: z.array(personSummarySchema),
        }),
      },
    }),
    async (request) => people.list(staffOf(request), request.query.page),
  );

  typed.get(
    '/api/v1/people/search',
    api(
      'Find people by name (spelling variants too), date of birth, NHS number or UPN; all given criteria must match. Only people you may see are found.',
      {
        querystring: searchSchema,
        response: { 200: z.object({ people: z.array(searchHitSchema) }) },
      },
    ),
    async (request) => ({ people: await people.search(staffOf(request), request.query) }),
  );

  typed.post(
    '/api/v1/people/likely-matches',
    api('People who may already be the one you are about to add (duplicate check)', {
      body: createPersonSchema,
      response: { 200: z.object({ matches: z.array(likelyMatchSchema) }) },
    }),
    async (request) => ({ matches: await people.likelyMatches(staffOf(request), request.body) }),
  );

  typed.post(
    '/api/v1/people',
    api(
      'Add a person. Refused with 409 and the likely matches unless none exist or confirmedNotDuplicate is true.',
      {
        body: createPersonSchema,
        response: {
          201: created,
          409: z.object({
            error: z.literal('possible-duplicate'),
            message: z.string(),
            matches: z.array(likelyMatchSchema),
          }),
        },
      },
    ),
    async (request, reply) => {
      const staff = staffOf(request);
      if (!request.body.confirmedNotDuplicate) {
        const matches = await people.likelyMatches(staff, request.body);
        if (matches.length > 0) {
          return reply.status(409).send({
            error: 'possible-duplicate' as const,
            message:
              'This may be someone already held. Check the matches; send confirmedNotDuplicate: true if it is someone else.',
            matches,
          });
        }
      }
      return reply.status(201).send({ id: await people.create(staff, request.body) });
    },
  );

  typed.get(
    '/api/v1/people/:id',
    api('A person (not their special category or offence data)', {
      params: idParams,
      response: { 200: personSchema },
    }),
    async (request) => people.get(staffOf(request), request.params.id),
  );

  typed.put(
    '/api/v1/people/:id',
    api('Change a person’s details. 409 when someone else saved since your version.', {
      params: idParams,
      body: updatePersonSchema,
      response: { 200: z.object({ version: z.number().int() }) },
    }),
    async (request) => ({
      version: await people.update(staffOf(request), request.params.id, request.body),
    }),
  );

  const addApi = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    save: (staff: ReturnType<typeof staffOf>, id: string, data: z.output<S>) => Promise<string>,
  ) =>
    typed.post(
      `/api/v1/people/:id/${path}`,
      api(summary, { params: idParams, body, response: { 201: created } }),
      async (request, reply) => {
        const id = await save(staffOf(request), request.params.id, request.body as z.output<S>);
        return reply.status(201).send({ id });
      },
    );

  addApi('names', 'Add a previous name or alias', nameSchema, (s, id, d) =>
    people.addName(s, id, d),
  );
  addApi(
    'addresses',
    'Add an address (postcode validated and normalised)',
    addressSchema,
    (s, id, d) => people.addAddress(s, id, d),
  );
  addApi('contacts', 'Add a contact detail', contactSchema, (s, id, d) =>
    people.addContact(s, id, d),
  );
  addApi(
    'identifiers',
    'Add an identifier: NHS number, UPN, Home Office or port reference. Refused with the reason when invalid or already held.',
    identifierSchema,
    (s, id, d) => people.addIdentifier(s, id, d),
  );
  addApi(
    'relationships',
    'Relate this person to another you may see',
    relationshipSchema,
    (s, id, d) => people.addRelationship(s, id, d),
  );
  addApi(
    'special-category',
    'Add SPECIAL CATEGORY DATA (UK GDPR Art 9)',
    specialCategorySchema,
    (s, id, d) => people.addSpecialCategory(s, id, d),
  );
  addApi(
    'offence-data',
    'Add CRIMINAL OFFENCE DATA (UK GDPR Art 10)',
    offenceDataSchema,
    (s, id, d) => people.addOffenceData(s, id, d),
  );

  const entryApiParams = z.object({ id: z.string(), entryId: z.string() });
  typed.delete(
    '/api/v1/people/:id/identifiers/:entryId',
    api('Remove a wrong identifier; what it was stays in the person’s history', {
      params: entryApiParams,
      response: { 204: z.null() },
    }),
    async (request, reply) => {
      await people.removeIdentifier(staffOf(request), request.params.id, request.params.entryId);
      return reply.status(204).send(null);
    },
  );
  typed.delete(
    '/api/v1/people/:id/addresses/:entryId',
    api('Remove an address that was wrong; what it was stays in the person’s history', {
      params: entryApiParams,
      response: { 204: z.null() },
    }),
    async (request, reply) => {
      await people.removeAddress(staffOf(request), request.params.id, request.params.entryId);
      return reply.status(204).send(null);
    },
  );
  typed.post(
    '/api/v1/people/:id/addresses/:entryId/end',
    api('End an address on the date the person moved out; the change stays in their history', {
      params: entryApiParams,
      body: z.object({ toDate: z.iso.date() }),
      response: { 204: z.null() },
    }),
    async (request, reply) => {
      await people.endAddress(
        staffOf(request),
        request.params.id,
        request.params.entryId,
        request.body.toDate,
      );
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/v1/people/:id/sensitive',
    api('Special category and criminal offence data, read and audited on its own', {
      params: idParams,
      response: { 200: sensitiveSchema },
    }),
    async (request) => people.sensitive(staffOf(request), request.params.id),
  );

  typed.post(
    '/api/v1/people/:id/merge',
    api('Merge another entry (duplicateId) into this person; undo with the returned merge id', {
      params: idParams,
      body: mergeSchema,
      response: { 201: z.object({ mergeId: z.uuid() }) },
    }),
    async (request, reply) => {
      const mergeId = await people.merge(
        staffOf(request),
        request.params.id,
        request.body.duplicateId,
      );
      return reply.status(201).send({ mergeId });
    },
  );

  typed.post(
    '/api/v1/people/merges/:mergeId/undo',
    api('Undo a merge exactly', {
      params: z.object({ mergeId: z.string() }),
      response: { 200: z.object({ survivorId: z.uuid(), restoredId: z.uuid() }) },
    }),
    async (request) => {
      staffInOrganisation(request);
      return people.undoMerge(staffOf(request), request.params.mergeId);
    },
  );
}
