/**
 * Casework's JSON API (/api/v1/records, /api/v1/chronologies,
 * /api/v1/governance): the same service, access decision and audit as the
 * pages; OpenAPI is generated from the shapes below.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { categorySlugs } from '../policy/index.js';
import { sendDocument } from './document-download.js';
import {
  documentParams,
  idParams,
  listQuery,
  monitoringQuery,
  personParams,
} from './route-params.js';
import {
  allowedDocumentTypes,
  breakGlassSchema,
  createRecordSchema,
  documentApiSchema,
  MAX_DOCUMENT_BYTES,
  noteSchema,
  partySchema,
  sourceSchema,
  updateRecordSchema,
} from './schemas.js';
import type { CaseworkService, RecordView } from './service.js';

/* ------------------------------------------------------------------ */
/* API shapes (OpenAPI is generated from these)                        */
/* ------------------------------------------------------------------ */

const retentionSchema = z.object({
  status: z.enum(['scheduled', 'pending', 'needs-review', 'no-rule']),
  due: z.string().nullable().describe('First day the action is due, YYYY-MM-DD'),
  action: z.string().nullable(),
  ruleId: z.string().nullable(),
  needsReview: z.boolean(),
  explanation: z.string(),
});

const recordSchema = z.object({
  id: z.uuid(),
  category: z.enum(categorySlugs),
  categoryName: z.string(),
  status: z.enum(['open', 'closed']),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  version: z.number().int().describe('Send back with an edit: a stale version is refused'),
  allocatedAccountId: z.string().nullable(),
  allocatedWorker: z.string().nullable(),
  allocatedTeamId: z.string().nullable(),
  allocatedTeam: z.string().nullable(),
  facts: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
  detail: z.record(z.string(), z.unknown()),
  retention: retentionSchema,
  parties: z.array(
    z.object({
      personId: z.string(),
      role: z.string(),
      givenName: z.string(),
      familyName: z.string(),
      dateOfBirth: z.string().nullable(),
    }),
  ),
  notes: z.array(
    z.object({
      id: z.string(),
      writtenAt: z.string(),
      occurredOn: z.string(),
      kind: z.string(),
      text: z.string(),
      author: z.string(),
    }),
  ),
  sources: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      provider: z.string(),
      receivedOn: z.string(),
      reference: z.string().nullable(),
      summary: z.string(),
    }),
  ),
  documents: z.array(
    z.object({
      id: z.string(),
      filename: z.string(),
      mediaType: z.string(),
      sizeBytes: z.number().int(),
      uploadedAt: z.string(),
      uploadedBy: z.string(),
    }),
  ),
  access: z.object({ via: z.enum(['role', 'break-glass', 'grant']), canWrite: z.boolean() }),
  sharedWithUs: z
    .array(
      z.object({
        from: z.string(),
        purpose: z.string(),
        agreement: z.string().nullable(),
        until: z.string().nullable(),
        items: z.string(),
      }),
    )
    .optional()
    .describe('Read through a sharing grant: who shared it, why, under what, until when'),
});

function apiRecord(view: RecordView): z.infer<typeof recordSchema> {
  const { sharedWithUs, ...rest } = view;
  return {
    ...rest,
    facts: view.facts as Record<string, string | boolean | null>,
    notes: view.notes.map((n) => ({ ...n, writtenAt: n.writtenAt.toISOString() })),
    documents: view.documents.map((d) => ({ ...d, uploadedAt: d.uploadedAt.toISOString() })),
    ...(sharedWithUs
      ? {
          sharedWithUs: sharedWithUs.map((s) => ({
            ...s,
            until: s.until ? s.until.toISOString() : null,
          })),
        }
      : {}),
  };
}

const created = z.object({ id: z.uuid() });
const versionOut = z.object({ id: z.uuid(), version: z.number().int() });
const ok = z.object({ ok: z.literal(true) });

export function registerCaseworkApiRoutes(
  app: FastifyInstance,
  deps: { casework: CaseworkService },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { casework } = deps;

  const tags = ['records'];

  typed.get(
    '/api/v1/records',
    {
      schema: {
        summary: 'Records you may find in your current organisation',
        tags,
        querystring: listQuery,
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            records: z.array(
              z.object({
                id: z.uuid(),
                category: z.enum(categorySlugs),
                categoryName: z.string(),
                status: z.enum(['open', 'closed']),
                openedOn: z.string(),
                closedOn: z.string().nullable(),
                subject: z.object({ id: z.string(), name: z.string() }).nullable(),
                retentionDue: z.string().nullable(),
                needsReview: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => casework.list(staffInOrganisation(request).staff, request.query),
  );

  typed.post(
    '/api/v1/records',
    {
      schema: {
        summary:
          'Create a record in a category your organisation’s policy declares, about a person you can already see (decision 0005); anyone else is answered as not found',
        tags,
        body: createRecordSchema,
        response: { 201: created },
      },
    },
    async (request, reply) => {
      const id = await casework.create(staffInOrganisation(request).staff, request.body);
      return reply.status(201).send({ id });
    },
  );

  typed.get(
    '/api/v1/records/:id',
    {
      schema: {
        summary: 'A record, with its people, notes, sources, documents and retention',
        tags,
        params: idParams,
        response: { 200: recordSchema },
      },
    },
    async (request) =>
      apiRecord(await casework.open(staffInOrganisation(request).staff, request.params.id)),
  );

  typed.patch(
    '/api/v1/records/:id',
    {
      schema: {
        summary: 'Change a record made on `version` (409 if someone changed it since)',
        tags,
        params: idParams,
        body: updateRecordSchema,
        response: { 200: versionOut },
      },
    },
    async (request) => {
      const version = await casework.update(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      );
      return { id: request.params.id, version };
    },
  );

  typed.post(
    '/api/v1/records/:id/notes',
    {
      schema: {
        summary: 'Add a case note',
        tags,
        params: idParams,
        body: noteSchema,
        response: { 201: created },
      },
    },
    async (request, reply) => {
      const id = await casework.addNote(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/records/:id/parties',
    {
      schema: {
        summary: 'Add a person to the record with their role',
        tags,
        params: idParams,
        body: partySchema,
        response: { 200: ok },
      },
    },
    async (request) => {
      await casework.addParty(staffInOrganisation(request).staff, request.params.id, request.body);
      return { ok: true as const };
    },
  );

  typed.delete(
    '/api/v1/records/:id/parties',
    {
      schema: {
        summary: 'Remove a person’s role in the record',
        tags,
        params: idParams,
        body: partySchema,
        response: { 200: ok },
      },
    },
    async (request) => {
      await casework.removeParty(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      );
      return { ok: true as const };
    },
  );

  typed.post(
    '/api/v1/records/:id/sources',
    {
      schema: {
        summary: 'Record where some of the record’s information came from',
        tags,
        params: idParams,
        body: sourceSchema,
        response: { 201: created },
      },
    },
    async (request, reply) => {
      const id = await casework.addSource(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/records/:id/documents',
    {
      bodyLimit: Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        summary: `Attach a document (${Object.values(allowedDocumentTypes).join(', ')}; up to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)`,
        tags,
        params: idParams,
        body: documentApiSchema,
        response: { 201: created },
      },
    },
    async (request, reply) => {
      const id = await casework.addDocument(staffInOrganisation(request).staff, request.params.id, {
        filename: request.body.filename,
        mediaType: request.body.mediaType,
        content: Buffer.from(request.body.contentBase64, 'base64'),
      });
      return reply.status(201).send({ id });
    },
  );

  typed.get(
    '/api/v1/records/:id/documents/:documentId',
    {
      schema: { summary: 'Download a document', tags, params: documentParams },
    },
    async (request, reply) => {
      const document = await casework.readDocument(
        staffInOrganisation(request).staff,
        request.params.id,
        request.params.documentId,
      );
      return sendDocument(reply, document);
    },
  );

  typed.get(
    '/api/v1/records/:id/history',
    {
      schema: {
        summary: 'The record’s change history, field by field',
        tags,
        params: idParams,
        response: {
          200: z.object({
            recordId: z.string(),
            changes: z.array(
              z.object({
                version: z.number().int(),
                field: z.string(),
                from: z.string().nullable(),
                to: z.string().nullable(),
                changedBy: z.string(),
                changedAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const history = await casework.history(staffInOrganisation(request).staff, request.params.id);
      return {
        recordId: history.recordId,
        changes: history.changes.map((c) => ({ ...c, changedAt: c.changedAt.toISOString() })),
      };
    },
  );

  typed.post(
    '/api/v1/records/:id/break-glass',
    {
      schema: {
        summary: 'Open a record beyond your allocation, giving a reason (audited, reviewed)',
        tags,
        params: idParams,
        body: breakGlassSchema,
        response: { 200: ok },
      },
    },
    async (request) => {
      await casework.breakGlass(
        staffInOrganisation(request).staff,
        request.params.id,
        request.body,
      );
      return { ok: true as const };
    },
  );

  typed.get(
    '/api/v1/records/:id/access-log',
    {
      schema: {
        summary: 'Who has seen this record (governance)',
        tags,
        params: idParams,
        response: {
          200: z.object({
            recordId: z.string(),
            entries: z.array(
              z.object({
                at: z.string(),
                action: z.string(),
                purpose: z.string().nullable(),
                outcome: z.string(),
                accountId: z.string().nullable(),
                user: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const log = await casework.accessLog(staffInOrganisation(request).staff, request.params.id);
      return {
        recordId: log.recordId,
        entries: log.entries.map((e) => ({ ...e, at: e.at.toISOString() })),
      };
    },
  );

  typed.get(
    '/api/v1/chronologies/:personId',
    {
      schema: {
        summary: 'A person’s chronology across the records you may read',
        tags,
        params: personParams,
        response: {
          200: z.object({
            person: z.object({
              id: z.string(),
              name: z.string(),
              dateOfBirth: z.string().nullable(),
            }),
            entries: z.array(
              z.object({
                date: z.string(),
                kind: z.string(),
                text: z.string(),
                // Null for what a partner's file put on the person (kind "partner").
                recordId: z.string().nullable(),
                category: z.string().nullable(),
                categoryName: z.string().nullable(),
                source: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) =>
      casework.chronology(staffInOrganisation(request).staff, request.params.personId),
  );

  typed.get(
    '/api/v1/governance/access-monitoring',
    {
      schema: {
        summary:
          'Break-glass, unallocated opening, shared surnames and unusual volumes (governance)',
        tags,
        querystring: monitoringQuery,
      },
    },
    async (request) => casework.accessMonitoring(staffInOrganisation(request).staff, request.query),
  );
}
