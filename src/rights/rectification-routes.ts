import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pastDate } from '../platform/validation/dates.js';
import { factLabels, humanise, type RecordFact } from '../casework/categories.js';
import { dateParts, readForm } from '../casework/form-input.js';
import { recordCorrectionSchema } from '../casework/schemas.js';
import { formatNhsNumber } from '../people/identifiers.js';
import { identifierLabels } from '../people/service.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { dateInputFields } from '../platform/http/date-input.js';
import { submitForm } from '../platform/http/form-route.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import { ladoOutcomes } from '../policy/index.js';
import type { RightsService } from './service.js';
import type { RightsRectification } from './rectification-service.js';

/**
 * Rectification pages and API beyond the request page (Art 16): correcting
 * a fact of a record in the subject's file, and removing or ending a wrong
 * identifier or address of the person. Registered by routes.ts.
 */

const views = 'rights/views';
const recordParams = z.object({ id: z.uuid(), recordId: z.uuid() });
const entryParams = z.object({
  id: z.uuid(),
  entry: z.enum(['identifiers', 'addresses']),
  entryId: z.uuid(),
});
const idParams = z.object({ id: z.uuid() });
const endAddressSchema = z.object({
  toDate: dateInputFields('toDate', 'the date moved out', { notAfter: 'today' }),
});
export const endAddressBodySchema = z.object({
  toDate: pastDate('date the person moved out').describe(
    'The date the person moved out, YYYY-MM-DD, not after today',
  ),
});

type RecordFacts = Awaited<ReturnType<RightsRectification['recordToRectify']>>;
type Entries = Awaited<ReturnType<RightsRectification['subjectEntries']>>;

/** The correction form's fields, from the record as held or the form as posted. */
function factFields(record: RecordFacts, values: Record<string, unknown>, errors: FieldError[]) {
  const { fieldErrors } = errorView(errors);
  const facts = (values.facts ?? {}) as Record<string, unknown>;
  const choose = (options: { value: string; text: string }[], selected: unknown) =>
    options.map((o) => ({ ...o, selected: o.value === (selected ?? '') }));
  return {
    openedOn: dateParts(values.openedOn),
    closedOn: dateParts(values.closedOn),
    facts: record.factNames.map((name: RecordFact) => ({
      name,
      label: factLabels[name],
      kind: name === 'childDied' || name === 'outcome' ? 'select' : 'date',
      options:
        name === 'outcome'
          ? choose(
              [
                { value: '', text: 'Not recorded' },
                ...ladoOutcomes.map((o) => ({ value: o, text: humanise(o) })),
              ],
              facts.outcome,
            )
          : name === 'childDied'
            ? choose(
                [
                  { value: '', text: 'Not recorded' },
                  { value: 'yes', text: 'Yes' },
                  { value: 'no', text: 'No' },
                ],
                facts.childDied === true ? 'yes' : facts.childDied === false ? 'no' : '',
              )
            : [],
      value: dateParts(facts[name]),
      error: fieldErrors[`facts.${name}-day`] ?? fieldErrors[`facts.${name}`],
    })),
    fieldErrors,
  };
}

function describeEntry(entries: Entries, kind: 'identifiers' | 'addresses', entryId: string) {
  if (kind === 'identifiers') {
    const found = entries.identifiers.find((i) => i.id === entryId);
    if (!found) return undefined;
    const shown = found.type === 'nhs-number' ? formatNhsNumber(found.value) : found.value;
    return { label: identifierLabels[found.type], text: shown, fromDate: null };
  }
  const found = entries.addresses.find((a) => a.id === entryId);
  if (!found) return undefined;
  return {
    label: 'address',
    text: [found.line1, found.line2, found.town, found.postcode].filter(Boolean).join(', '),
    fromDate: found.fromDate,
  };
}

export function registerRectificationRoutes(
  app: FastifyInstance,
  deps: { rights: RightsService },
): void {
  const { rights } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const staffOf = (request: FastifyRequest) => staffInOrganisation(request).staff;

  // -------------------------------------------------------------------------
  // Pages

  const recordPage = (
    reply: FastifyReply,
    id: string,
    record: RecordFacts,
    values: Record<string, unknown>,
    errors: FieldError[] = [],
    conflict = false,
  ) =>
    reply.render(`${views}/rectify-record.njk`, {
      title: `Correct the ${record.categoryName.toLowerCase()} record`,
      backLink: `/rights/${id}#rectification`,
      requestId: id,
      record,
      form: factFields(record, values, errors),
      version: values.version ?? record.version,
      conflict,
      ...(errors.length ? errorView(errors) : {}),
    });

  typed.get(
    '/rights/:id/rectification/records/:recordId',
    { schema: { params: recordParams, hide: true } },
    async (request, reply) => {
      const { id, recordId } = request.params;
      const record = await rights.rectification.recordToRectify(staffOf(request), id, recordId);
      return recordPage(reply, id, record, {
        openedOn: record.openedOn,
        closedOn: record.closedOn,
        facts: record.facts,
      });
    },
  );

  typed.post(
    '/rights/:id/rectification/records/:recordId',
    { schema: { params: recordParams, hide: true } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, recordId } = request.params;
      const form = readForm(request.body, { emptyAs: null });
      const values = form.values;
      const parsed = parseForm(recordCorrectionSchema, {
        version: values.version,
        openedOn: values.openedOn ?? undefined,
        closedOn: values.closedOn,
        facts: values.facts ?? {},
      });
      const dateNames: Record<string, string> = {
        openedOn: 'Date opened',
        closedOn: 'Date closed',
      };
      // A date the calendar lacks (30 February) is named as the GOV.UK pattern asks.
      const named = (parsed.ok ? [] : parsed.errors).map((e) => {
        const fact = e.field.replace(/^facts\./, '') as RecordFact;
        const label = dateNames[e.field] ?? (e.field.startsWith('facts.') ? factLabels[fact] : '');
        return label && /real date/.test(e.message)
          ? { ...e, message: `${label} must be a real date` }
          : e;
      });
      return submitForm(reply, {
        errors: [...form.errors, ...named],
        save: async () => {
          if (parsed.ok) await rights.rectification.rectifyRecord(staff, id, recordId, parsed.data);
        },
        redirectTo: `/rights/${id}#rectification`,
        conflictField: 'version',
        render: async (shown, { errors, conflict }) => {
          const record = await rights.rectification.recordToRectify(staff, id, recordId);
          // After a conflict, show the record as it now is; otherwise what was typed.
          return recordPage(
            shown,
            id,
            record,
            conflict
              ? { openedOn: record.openedOn, closedOn: record.closedOn, facts: record.facts }
              : values,
            errors,
            conflict,
          );
        },
      });
    },
  );

  typed.get(
    '/rights/:id/rectification/entries',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const entries = await rights.rectification.subjectEntries(
        staffOf(request),
        request.params.id,
      );
      return reply.render(`${views}/rectify-entries.njk`, {
        title: 'Correct identifiers and addresses',
        backLink: `/rights/${request.params.id}#rectification`,
        requestId: request.params.id,
        entries,
        identifierLabels,
        formatNhsNumber,
      });
    },
  );

  const entryPage = async (
    reply: FastifyReply,
    request: FastifyRequest,
    params: z.infer<typeof entryParams>,
    action: 'remove' | 'end',
    errors: FieldError[] = [],
    values: Record<string, unknown> = {},
  ) => {
    const entries = await rights.rectification.subjectEntries(staffOf(request), params.id);
    const entry = describeEntry(entries, params.entry, params.entryId);
    if (!entry) throw new NotFoundError();
    return reply.render(`${views}/rectify-entry.njk`, {
      title:
        action === 'end'
          ? 'When did they move out?'
          : `Remove this ${params.entry === 'identifiers' ? 'identifier' : 'address'}?`,
      backLink: `/rights/${params.id}/rectification/entries`,
      requestId: params.id,
      action,
      params,
      entry,
      name: entries.name,
      toDate: (values.toDate as ReturnType<typeof dateParts> | undefined) ?? dateParts(null),
      ...(errors.length ? errorView(errors) : {}),
    });
  };

  typed.get(
    '/rights/:id/rectification/:entry/:entryId/remove',
    { schema: { params: entryParams, hide: true } },
    async (request, reply) => entryPage(reply, request, request.params, 'remove'),
  );

  typed.post(
    '/rights/:id/rectification/:entry/:entryId/remove',
    { schema: { params: entryParams, hide: true } },
    async (request, reply) => {
      const { id, entry, entryId } = request.params;
      await rights.rectification.rectifyPersonEntry(staffOf(request), id, {
        kind: entry === 'identifiers' ? 'remove-identifier' : 'remove-address',
        entryId,
      });
      return reply.redirect(`/rights/${id}/rectification/entries`, 303);
    },
  );

  typed.get(
    '/rights/:id/rectification/:entry/:entryId/end',
    { schema: { params: entryParams, hide: true } },
    async (request, reply) => {
      if (request.params.entry !== 'addresses') throw new NotFoundError();
      return entryPage(reply, request, request.params, 'end');
    },
  );

  typed.post(
    '/rights/:id/rectification/:entry/:entryId/end',
    { schema: { params: entryParams, hide: true } },
    async (request, reply) => {
      const { id, entry, entryId } = request.params;
      if (entry !== 'addresses') throw new NotFoundError();
      const body = (request.body ?? {}) as Record<string, unknown>;
      const parsed = parseForm(endAddressSchema, { toDate: body });
      const errors = parsed.ok
        ? []
        : parsed.errors.map((e) => ({ ...e, field: 'toDate' }) satisfies FieldError);
      const shownDate = {
        day: String(body['toDate-day'] ?? ''),
        month: String(body['toDate-month'] ?? ''),
        year: String(body['toDate-year'] ?? ''),
      };
      return submitForm(reply, {
        errors,
        save: async () => {
          if (parsed.ok) {
            await rights.rectification.rectifyPersonEntry(staffOf(request), id, {
              kind: 'end-address',
              entryId,
              toDate: parsed.data.toDate.toDate,
            });
          }
        },
        redirectTo: `/rights/${id}/rectification/entries`,
        render: (shown, refusal) =>
          entryPage(shown, request, request.params, 'end', refusal.errors, { toDate: shownDate }),
      });
    },
  );

  // -------------------------------------------------------------------------
  // API

  const tags = ['rights'];
  const problem = z.object({ error: z.string(), message: z.string() });

  typed.get(
    '/api/v1/rights/requests/:id/rectification/records/:recordId',
    {
      schema: {
        summary:
          'The facts of a record in the confirmed subject’s file, to correct them (Art 16); read audited with the request',
        tags,
        params: recordParams,
        response: {
          200: z.object({
            id: z.uuid(),
            category: z.string(),
            categoryName: z.string(),
            version: z.number().int(),
            openedOn: z.string(),
            closedOn: z.string().nullable(),
            factNames: z.array(z.string()),
            facts: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
          }),
          404: problem,
          409: problem,
        },
      },
    },
    async (request) =>
      rights.rectification.recordToRectify(
        staffOf(request),
        request.params.id,
        request.params.recordId,
      ),
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/records/:recordId',
    {
      schema: {
        summary:
          'Correct facts of a record in the confirmed subject’s file (Art 16): the same edit as a practitioner’s — field history, retention recomputed, 409 on a stale version',
        tags,
        params: recordParams,
        body: recordCorrectionSchema,
        response: { 200: z.object({ version: z.number().int() }), 404: problem, 409: problem },
      },
    },
    async (request) => ({
      version: await rights.rectification.rectifyRecord(
        staffOf(request),
        request.params.id,
        request.params.recordId,
        request.body,
      ),
    }),
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/:entry/:entryId/removal',
    {
      schema: {
        summary:
          'Remove a wrong identifier or address of the confirmed person (Art 16); what it was stays in their history',
        tags,
        params: entryParams,
        response: { 204: z.null(), 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { id, entry, entryId } = request.params;
      await rights.rectification.rectifyPersonEntry(staffOf(request), id, {
        kind: entry === 'identifiers' ? 'remove-identifier' : 'remove-address',
        entryId,
      });
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/addresses/:entryId/end',
    {
      schema: {
        summary:
          'End an address of the confirmed person on the date they moved out (Art 16); the change stays in their history',
        tags,
        params: z.object({ id: z.uuid(), entryId: z.uuid() }),
        body: endAddressBodySchema,
        response: { 204: z.null(), 400: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      await rights.rectification.rectifyPersonEntry(staffOf(request), request.params.id, {
        kind: 'end-address',
        entryId: request.params.entryId,
        toDate: request.body.toDate,
      });
      return reply.status(204).send(null);
    },
  );
}
