/**
 * Print and export routes (issue 13 item 10): /records/:id/export.pdf and
 * .csv, /chronologies/:personId/export.pdf and .csv (with the chronology
 * page's filter in the query), and the filter read from a query. Each is a
 * download; the rules and the audit are ExportService's. /people/:id/export.pdf
 * and .csv give a person's summary.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import type { FieldError } from '../../platform/errors/errors.js';
import { isRealDate } from '../../platform/validation/dates.js';
import { one, type Body } from '../entries/entry-form.js';
import { exportCsv } from './export-csv.js';
import { exportPdf, type ExportDocument } from './export-pdf.js';
import {
  chronologyKindWords,
  isChronologyKind,
  type ChronologyFilter,
  type ExportFormat,
  type ExportService,
} from './export-service.js';

const DATE_LABELS = { from: 'first date', to: 'last date' } as const;

/**
 * The chronology filter from a query: two GOV.UK dates (from-day, …) and
 * any number of `kind`s. A date that is not one is an error in words and is
 * left out of the filter, so the page still shows (unfiltered by it).
 */
export function chronologyFilterFrom(query: Body): {
  filter: ChronologyFilter;
  errors: FieldError[];
  values: Record<'from' | 'to', { day: string; month: string; year: string }>;
  kinds: string[];
} {
  const errors: FieldError[] = [];
  const filter: ChronologyFilter = { kinds: [] };
  const values = {} as Record<'from' | 'to', { day: string; month: string; year: string }>;
  for (const name of ['from', 'to'] as const) {
    const [day, month, year] = ['day', 'month', 'year'].map((p) => one(query[`${name}-${p}`]));
    values[name] = { day: day ?? '', month: month ?? '', year: year ?? '' };
    if (!day && !month && !year) continue;
    const iso = `${year}-${(month ?? '').padStart(2, '0')}-${(day ?? '').padStart(2, '0')}`;
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && isRealDate(iso)) filter[name] = iso;
    else {
      errors.push({
        field: `${name}-day`,
        message: `Enter the ${DATE_LABELS[name]} as a real date, like 27 3 2026`,
      });
    }
  }
  const raw = query.kind;
  const kinds = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (k): k is string => typeof k === 'string',
  );
  filter.kinds = kinds.filter(isChronologyKind);
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.push({
      field: 'to-day',
      message: 'The last date must be the same as or after the first date',
    });
    delete filter.to;
  }
  return { filter, errors, values, kinds: [...filter.kinds] };
}

/** The filter's checkboxes, for the chronology page. */
export function kindItems(chosen: readonly string[]) {
  return Object.entries(chronologyKindWords).map(([value, text]) => ({
    value,
    text,
    checked: chosen.includes(value),
  }));
}

async function send(
  reply: FastifyReply,
  document: ExportDocument,
  format: ExportFormat,
  name: string,
) {
  // Never cached: the file holds personal data (the page's own headers say the same).
  reply.header('cache-control', 'no-store');
  if (format === 'csv') {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .send(exportCsv(document));
  }
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${name}.pdf"`)
    .send(await exportPdf(document));
}

export function registerExportRoutes(app: FastifyInstance, deps: { exports: ExportService }) {
  const { exports } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const format of ['pdf', 'csv'] as const) {
    typed.get(
      `/records/:id/export.${format}`,
      { schema: { params: z.object({ id: z.string() }), hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        const document = await exports.record(staff, request.params.id, format);
        return send(reply, document, format, 'record');
      },
    );
    typed.get(
      `/people/:id/export.${format}`,
      { schema: { params: z.object({ id: z.string() }), hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        const document = await exports.person(staff, request.params.id, format);
        return send(reply, document, format, 'person-summary');
      },
    );
    typed.get(
      `/chronologies/:personId/export.${format}`,
      { schema: { params: z.object({ personId: z.string() }), hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        const query = (
          typeof request.query === 'object' && request.query !== null ? request.query : {}
        ) as Body;
        const { filter } = chronologyFilterFrom(query);
        const document = await exports.chronology(staff, request.params.personId, filter, format);
        return send(reply, document, format, 'chronology');
      },
    );
  }
}
