/**
 * The looked-after outcomes form (issue 12 item 8): GET shows it, POST
 * records the fact and returns to the record; a refused form comes back with
 * what was typed and a message for each field. Rules: OutcomeService.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import type { FieldError } from '../../platform/errors/errors.js';
import { errorView } from '../../platform/http/forms.js';
import { one, pageErrors, registerEntryForm, type Body } from './entry-form.js';
import { outcomeKinds, outcomeKindWords } from './outcome-schema.js';
import type { OutcomeService } from './outcome-service.js';

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

export function registerOutcomeRoutes(app: FastifyInstance, deps: { outcomes: OutcomeService }) {
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
      ...errorView(pageErrors(errors, ORDER, ['occurredOn'])),
    });
  }

  registerEntryForm(app, {
    section: 'outcomes',
    renderForm,
    fromForm: outcomeFromForm,
    record: (staff, recordId, values) => outcomes.record(staff, recordId, values),
  });
}
