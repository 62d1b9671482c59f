/**
 * The statutory visit form on a record (issue 13 item 5): GET shows it, POST
 * records the visit and returns to the record's visits; a refused form is
 * shown again with what was typed and a message for each field. The rules
 * are VisitService's.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../../platform/errors/errors.js';
import { errorView } from '../../platform/http/forms.js';
import { dateParts } from '../form-input.js';
import type { VisitService } from './visit-service.js';

const idParams = z.object({ id: z.string() });
const DATE_FIELDS = { visitedOn: 'date of the visit', nextDueOn: 'date the next visit is due' };

type Body = Record<string, unknown>;

function one(value: unknown): string {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last.trim() : '';
}

/**
 * The posted form as the service takes it: GOV.UK date parts joined into
 * YYYY-MM-DD, empty answers left out. A date whose parts are not numbers is
 * an error here, in the same words the service uses for a date that does
 * not exist.
 */
export function visitFromForm(body: Body): { values: Body; errors: FieldError[] } {
  const values: Body = {};
  const errors: FieldError[] = [];
  for (const [name, label] of Object.entries(DATE_FIELDS)) {
    const [day, month, year] = ['day', 'month', 'year'].map((p) => one(body[`${name}-${p}`]));
    if (!day && !month && !year) continue;
    if (
      !/^\d{1,2}$/.test(day ?? '') ||
      !/^\d{1,2}$/.test(month ?? '') ||
      !/^\d{4}$/.test(year ?? '')
    ) {
      errors.push({ field: name, message: `Enter the ${label} as a real date, like 27 3 2026` });
      // Still sent, so the service refuses the whole form and reports every other field too.
      values[name] = 'not a date';
      continue;
    }
    values[name] = `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`;
  }
  for (const name of ['childSeen', 'seenAlone', 'bedroomSeen', 'present', 'wishesAndFeelings']) {
    const value = one(body[name]);
    if (value) values[name] = value;
  }
  return { values, errors };
}

/** The order of the questions on the page, which the error summary follows. */
const FIELD_ORDER = [
  'visitedOn',
  'childSeen',
  'seenAlone',
  'bedroomSeen',
  'present',
  'wishesAndFeelings',
  'nextDueOn',
];

/** A date field's errors belong to its first box ("visitedOn-day"), where the summary links. */
function pageErrors(errors: FieldError[]): FieldError[] {
  const place = (field: string) => {
    const at = FIELD_ORDER.indexOf(field);
    return at === -1 ? FIELD_ORDER.length : at;
  };
  return [...errors]
    .sort((a, b) => place(a.field) - place(b.field))
    .map((e) => (e.field in DATE_FIELDS ? { ...e, field: `${e.field}-day` } : e));
}

export function registerVisitRoutes(app: FastifyInstance, deps: { visits: VisitService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { visits } = deps;

  async function renderForm(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    submitted?: Body,
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const form = await visits.form(staff, recordId);
    const shown = submitted ?? {};
    const dateValue = (name: string, fallback: string | null) =>
      submitted
        ? {
            day: one(shown[`${name}-day`]),
            month: one(shown[`${name}-month`]),
            year: one(shown[`${name}-year`]),
          }
        : dateParts(fallback);
    return reply.render('casework/entries/views/visit-form.njk', {
      title: 'Record a statutory visit',
      backLink: `/records/${form.recordId}#visits`,
      form,
      values: {
        childSeen: one(shown.childSeen),
        seenAlone: one(shown.seenAlone),
        bedroomSeen: one(shown.bedroomSeen),
        present: typeof shown.present === 'string' ? shown.present : '',
        wishesAndFeelings:
          typeof shown.wishesAndFeelings === 'string' ? shown.wishesAndFeelings : '',
        visitedOn: dateValue('visitedOn', null),
        nextDueOn: dateValue('nextDueOn', form.suggestedNextDue),
      },
      ...errorView(pageErrors(errors)),
    });
  }

  typed.get(
    '/records/:id/visits/new',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => renderForm(reply, request.params.id, []),
  );

  typed.post(
    '/records/:id/visits',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (
        typeof request.body === 'object' && request.body !== null ? request.body : {}
      ) as Body;
      const form = visitFromForm(body);
      try {
        // A record the person may not see answers not found before any field is checked.
        await visits.record(staff, request.params.id, form.values);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        // The page's own words for date boxes it could not read, the service's for the rest.
        const mine = new Set(form.errors.map((e) => e.field));
        const errors = [...form.errors, ...error.fieldErrors.filter((e) => !mine.has(e.field))];
        return renderForm(reply.status(400), request.params.id, errors, body);
      }
      return reply.redirect(`/records/${request.params.id}#visits`, 303);
    },
  );
}
