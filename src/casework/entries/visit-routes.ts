/**
 * The statutory visit form on a record (issue 13 item 5): GET shows it, POST
 * records the visit and returns to the record's visits; a refused form is
 * shown again with what was typed and a message for each field. The rules
 * are VisitService's.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import type { FieldError } from '../../platform/errors/errors.js';
import { errorView } from '../../platform/http/forms.js';
import { dateParts } from '../form-input.js';
import { one, pageErrors, registerEntryForm, type Body } from './entry-form.js';
import type { VisitService } from './visit-service.js';

const DATE_FIELDS = { visitedOn: 'date of the visit', nextDueOn: 'date the next visit is due' };

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
export function registerVisitRoutes(app: FastifyInstance, deps: { visits: VisitService }) {
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
      ...errorView(pageErrors(errors, FIELD_ORDER, Object.keys(DATE_FIELDS))),
    });
  }

  registerEntryForm(app, {
    section: 'visits',
    renderForm,
    fromForm: visitFromForm,
    record: (staff, recordId, values) => visits.record(staff, recordId, values),
  });
}
