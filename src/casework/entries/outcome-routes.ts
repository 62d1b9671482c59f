/**
 * The looked-after outcomes form (issue 12 item 8): GET shows it, POST
 * records the fact and returns to the record; a refused form comes back with
 * what was typed and a message for each field. Rules: OutcomeService.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../../platform/errors/errors.js';
import { errorView } from '../../platform/http/forms.js';
import { outcomeKinds, outcomeKindWords } from './outcome-schema.js';
import type { OutcomeService } from './outcome-service.js';

const idParams = z.object({ id: z.string() });
type Body = Record<string, unknown>;

function one(value: unknown): string {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last.trim() : '';
}

/** The posted form as the service takes it: the date's three boxes as one YYYY-MM-DD. */
function outcomeFromForm(body: Body): { values: Body; errors: FieldError[] } {
  const values: Body = {};
  const errors: FieldError[] = [];
  const [day, month, year] = ['day', 'month', 'year'].map((p) => one(body[`occurredOn-${p}`]));
  if (day || month || year) {
    if (
      /^\d{1,2}$/.test(day ?? '') &&
      /^\d{1,2}$/.test(month ?? '') &&
      /^\d{4}$/.test(year ?? '')
    ) {
      values.occurredOn = `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`;
    } else {
      errors.push({
        field: 'occurredOn',
        message: 'Enter the date it happened as a real date, like 27 3 2026',
      });
      values.occurredOn = 'not a date';
    }
  }
  for (const name of ['kind', 'sdqScore', 'note']) {
    const value = one(body[name]);
    if (value) values[name] = value;
  }
  return { values, errors };
}

const ORDER = ['kind', 'occurredOn', 'sdqScore', 'note'];

function pageErrors(errors: FieldError[]): FieldError[] {
  const place = (field: string) => (ORDER.includes(field) ? ORDER.indexOf(field) : ORDER.length);
  return [...errors]
    .sort((a, b) => place(a.field) - place(b.field))
    .map((e) => (e.field === 'occurredOn' ? { ...e, field: 'occurredOn-day' } : e));
}

export function registerOutcomeRoutes(app: FastifyInstance, deps: { outcomes: OutcomeService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { outcomes } = deps;

  async function renderForm(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    body: Body = {},
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const form = await outcomes.form(staff, recordId);
    const kind = one(body.kind);
    return reply.render('casework/entries/views/outcome-form.njk', {
      title: 'Record a health or education check',
      backLink: `/records/${form.recordId}#outcomes`,
      recordId: form.recordId,
      kinds: outcomeKinds.map((k) => ({
        value: k,
        text: outcomeKindWords[k],
        checked: kind === k,
      })),
      values: {
        occurredOn: {
          day: one(body['occurredOn-day']),
          month: one(body['occurredOn-month']),
          year: one(body['occurredOn-year']),
        },
        sdqScore: one(body.sdqScore),
        note: typeof body.note === 'string' ? body.note : '',
      },
      ...errorView(pageErrors(errors)),
    });
  }

  typed.get(
    '/records/:id/outcomes/new',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => renderForm(reply, request.params.id, []),
  );

  typed.post(
    '/records/:id/outcomes',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (
        typeof request.body === 'object' && request.body !== null ? request.body : {}
      ) as Body;
      const form = outcomeFromForm(body);
      try {
        await outcomes.record(staff, request.params.id, form.values);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const mine = new Set(form.errors.map((e) => e.field));
        const errors = [...form.errors, ...error.fieldErrors.filter((e) => !mine.has(e.field))];
        return renderForm(reply.status(400), request.params.id, errors, body);
      }
      return reply.redirect(`/records/${request.params.id}#outcomes`, 303);
    },
  );
}
