import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../platform/errors/errors.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import {
  datasetCsv,
  portabilityJson,
  portableDatasets,
  type PortableDataset,
} from './portability.js';
import type { RightsService } from './service.js';

/**
 * Data portability pages and API (portability.ts): choosing which entries
 * discovery found go in the export, and the downloads — one JSON document,
 * and one CSV file per data set. Registered by routes.ts.
 */

const views = 'rights/views';
const idParams = z.object({ id: z.uuid() });
const sources = ['training-booking', 'newsletter-subscriber'] as const;

export const portabilitySelectionSchema = z.object({
  items: z
    .array(z.object({ source: z.enum(sources), id: z.uuid() }))
    .max(200)
    .describe(
      'Entries the latest discovery found that a person confirmed are the subject’s; replaces any earlier choice',
    ),
});

export const datasetQuery = z.object({
  dataset: z
    .enum(portableDatasets, {
      error: 'Choose a data set: training-bookings or newsletter-subscriptions',
    })
    .describe('One CSV file per data set, each with one header row'),
});

const portableRecordSchema = z.record(z.string(), z.string().nullable());

export const portabilityExportSchema = z.object({
  format: z.literal('safekeep-portability-export/1'),
  requestId: z.uuid(),
  controller: z.string(),
  generatedOn: z.iso.date(),
  about: z.string(),
  datasets: z.array(
    z.object({
      dataset: z.enum(portableDatasets),
      category: z.string(),
      categoryName: z.string(),
      ground: z.string(),
      columns: z.array(z.string()),
      records: z.array(portableRecordSchema),
    }),
  ),
});

const labels: Record<(typeof sources)[number], string> = {
  'training-booking': 'Training booking',
  'newsletter-subscriber': 'Newsletter subscription',
};

export const datasetLabels: Record<PortableDataset, string> = {
  'training-bookings': 'Training bookings',
  'newsletter-subscriptions': 'Newsletter subscriptions',
};

type Body = Record<string, unknown>;
const list = (body: Body, name: string) => {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
};

/** "training-booking:<uuid>" checkbox values, as the selection schema's items. */
function itemsOf(values: readonly string[]) {
  return values.map((value) => {
    const [source, id] = value.split(':');
    return { source, id };
  });
}

function download(reply: FastifyReply, filename: string, type: string, body: string) {
  return reply
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .type(type)
    .send(body);
}

const CSV_TYPE = 'text/csv; charset=utf-8; header=present';

export function registerPortabilityRoutes(app: FastifyInstance, rights: RightsService): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const staffOf = (request: FastifyRequest) => staffInOrganisation(request).staff;

  async function renderChoose(reply: FastifyReply, id: string, errors: FieldError[] = []) {
    const staff = staffOf(reply.request);
    const { request: r } = await rights.review.latestDiscovery(staff, id);
    const view = await rights.portability.view(staff, id);
    const chosen = new Set(
      reply.request.method === 'POST'
        ? list((reply.request.body ?? {}) as Body, 'items')
        : view.confirmed.map((c) => `${c.source}:${c.id}`),
    );
    return reply.render(`${views}/portability.njk`, {
      title: 'What goes in the portability export',
      backLink: `/rights/${id}`,
      r,
      view,
      foundItems: (view.found ?? []).map((f) => ({
        value: `${f.source}:${f.id}`,
        text: `${labels[f.source]}: ${f.name}`,
        hint: { text: f.reasons.join('; ') },
        checked: chosen.has(`${f.source}:${f.id}`),
      })),
      ...errorView(errors),
    });
  }

  typed.get(
    '/rights/:id/portability',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => renderChoose(reply, request.params.id),
  );

  typed.post(
    '/rights/:id/portability',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      const form = parseForm(portabilitySelectionSchema, {
        items: itemsOf(list((request.body ?? {}) as Body, 'items')),
      });
      if (!form.ok) {
        return renderChoose(reply.status(400), id, [
          { field: 'items', message: 'Select entries from the list discovery found' },
        ]);
      }
      try {
        await rights.portability.confirm(staffOf(request), id, form.data.items);
      } catch (error) {
        if (error instanceof ValidationError) {
          return renderChoose(reply.status(400), id, error.fieldErrors);
        }
        if (error instanceof ConflictError || error instanceof NotFoundError) {
          return renderChoose(reply.status(error instanceof ConflictError ? 409 : 404), id, [
            { field: 'items', message: error.message },
          ]);
        }
        throw error;
      }
      return reply.redirect(`/rights/${id}#portability`, 303);
    },
  );

  typed.get(
    '/rights/:id/portability.json',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = request.params.id;
      const data = await rights.portability.export(staffOf(request), id, 'json');
      return download(
        reply,
        `portability-${id}.json`,
        'application/json; charset=utf-8',
        JSON.stringify(portabilityJson(data), null, 2),
      );
    },
  );

  typed.get(
    '/rights/:id/portability.csv',
    { schema: { params: idParams, querystring: datasetQuery, hide: true } },
    async (request, reply) => {
      const { id } = request.params;
      const { dataset } = request.query;
      const data = await rights.portability.export(staffOf(request), id, 'csv');
      return download(
        reply,
        `portability-${id}-${dataset}.csv`,
        CSV_TYPE,
        datasetCsv(data, dataset),
      );
    },
  );

  // -------------------------------------------------------------------------
  // API

  const tags = ['rights'];
  const problem = z.object({ error: z.string(), message: z.string() });

  typed.put(
    '/api/v1/rights/requests/:id/portability',
    {
      schema: {
        summary:
          'Art 20: choose which entries discovery found go in the portability export (only where the right applies)',
        tags,
        params: idParams,
        body: portabilitySelectionSchema,
        response: { 204: z.null(), 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      await rights.portability.confirm(staffOf(request), request.params.id, request.body.items);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/v1/rights/requests/:id/portability.json',
    {
      schema: {
        summary:
          'Art 20: the portability export as JSON, once a second person has approved the response',
        tags,
        params: idParams,
        response: { 200: portabilityExportSchema, 409: problem },
      },
    },
    async (request) =>
      portabilityJson(await rights.portability.export(staffOf(request), request.params.id, 'json')),
  );

  typed.get(
    '/api/v1/rights/requests/:id/portability.csv',
    {
      schema: {
        summary:
          'Art 20: one data set of the portability export as CSV (RFC 4180, header row, formulas escaped)',
        tags,
        params: idParams,
        querystring: datasetQuery,
        produces: ['text/csv'],
        response: {
          200: z.string().describe('text/csv; one header row, then one row per record'),
          409: problem,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const data = await rights.portability.export(staffOf(request), id, 'csv');
      return download(
        reply,
        `portability-${id}-${request.query.dataset}.csv`,
        CSV_TYPE,
        datasetCsv(data, request.query.dataset),
      );
    },
  );
}
