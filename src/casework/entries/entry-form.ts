/**
 * What the forms that record an entry on a record (a statutory visit, a
 * looked-after outcome) share: reading a posted value, putting the errors in
 * the page's order with date errors on their day box, and the GET/POST pair
 * that shows the form, records the entry and, when refused, shows the form
 * again with what was typed.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffContext } from '../../platform/auth/service.js';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../../platform/errors/errors.js';

export type Body = Record<string, unknown>;

/** A posted value as one trimmed string (the last, if sent twice). */
export function one(value: unknown): string {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last.trim() : '';
}

/**
 * A GOV.UK date's three boxes (`name-day`, `name-month`, `name-year`) as one
 * YYYY-MM-DD in `values`. Boxes that are not numbers are an error here, and
 * the value is still sent as "not a date" so the service refuses the whole
 * form and reports every other field too. All three empty: nothing sent.
 */
export function dateFromForm(
  body: Body,
  name: string,
  label: string,
  into: { values: Body; errors: FieldError[] },
): void {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => one(body[`${name}-${p}`]));
  if (!day && !month && !year) return;
  if (/^\d{1,2}$/.test(day ?? '') && /^\d{1,2}$/.test(month ?? '') && /^\d{4}$/.test(year ?? '')) {
    into.values[name] = `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`;
    return;
  }
  into.errors.push({ field: name, message: `Enter the ${label} as a real date, like 27 3 2026` });
  into.values[name] = 'not a date';
}

/** The date boxes as typed, to show the form again. */
export function typedDate(body: Body, name: string) {
  return {
    day: one(body[`${name}-day`]),
    month: one(body[`${name}-month`]),
    year: one(body[`${name}-year`]),
  };
}

/** A zod failure as one message per field, the first for each (GOV.UK: one message a field). */
export function fieldErrorsOf(issues: readonly { path: PropertyKey[]; message: string }[]) {
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const field = issue.path.map(String).join('.') || 'form';
    if (seen.has(field)) return [];
    seen.add(field);
    return [{ field, message: issue.message }];
  });
}

/** Errors in the form's field order; a date's error points at its day box. */
export function pageErrors(
  errors: FieldError[],
  order: readonly string[],
  dateFields: readonly string[],
): FieldError[] {
  const place = (field: string) => {
    const at = order.indexOf(field);
    return at === -1 ? order.length : at;
  };
  return [...errors]
    .sort((a, b) => place(a.field) - place(b.field))
    .map((e) => (dateFields.includes(e.field) ? { ...e, field: `${e.field}-day` } : e));
}

const idParams = z.object({ id: z.string() });

/** GET /records/:id/{section}/new shows the form; POST /records/:id/{section} records it. */
export function registerEntryForm(
  app: FastifyInstance,
  options: {
    section: string;
    renderForm: (
      reply: FastifyReply,
      recordId: string,
      errors: FieldError[],
      body?: Body,
    ) => Promise<unknown>;
    fromForm: (body: Body) => { values: Body; errors: FieldError[] };
    record: (staff: StaffContext, recordId: string, values: Body) => Promise<unknown>;
  },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    `/records/:id/${options.section}/new`,
    { schema: { params: idParams, hide: true } },
    async (request, reply) => options.renderForm(reply, request.params.id, []),
  );

  typed.post(
    `/records/:id/${options.section}`,
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (
        typeof request.body === 'object' && request.body !== null ? request.body : {}
      ) as Body;
      const form = options.fromForm(body);
      try {
        // A record the person may not see answers not found before any field is checked.
        await options.record(staff, request.params.id, form.values);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        // The page's own words for date boxes it could not read, the service's for the rest.
        const mine = new Set(form.errors.map((e) => e.field));
        const errors = [...form.errors, ...error.fieldErrors.filter((e) => !mine.has(e.field))];
        return options.renderForm(reply.status(400), request.params.id, errors, body);
      }
      return reply.redirect(`/records/${request.params.id}#${options.section}`, 303);
    },
  );
}
