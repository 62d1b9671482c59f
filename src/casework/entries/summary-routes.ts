/**
 * The case summary and management oversight forms on a record (issue 13
 * item 5): GET shows each, POST records it and returns to the record; a
 * refused form is shown again with what was typed and a message for each
 * field. The rules are SummaryService's.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import type { FieldError } from '../../platform/errors/errors.js';
import { errorView } from '../../platform/http/forms.js';
import {
  dateFromForm,
  one,
  pageErrors,
  registerEntryForm,
  typedDate,
  type Body,
} from './entry-form.js';
import type { SummaryService } from './summary-service.js';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function summaryFromForm(body: Body): { values: Body; errors: FieldError[] } {
  const values: Body = {};
  for (const name of ['currentPlan', 'risks', 'keyPeople']) {
    const value = one(body[name]);
    if (value) values[name] = value;
  }
  return { values, errors: [] };
}

function oversightFromForm(body: Body): { values: Body; errors: FieldError[] } {
  const form = { values: {} as Body, errors: [] as FieldError[] };
  dateFromForm(body, 'givenOn', 'date of the oversight', form);
  dateFromForm(body, 'nextReviewOn', 'date of the next management review', form);
  const direction = one(body.direction);
  if (direction) form.values.direction = direction;
  return form;
}

export function registerSummaryRoutes(app: FastifyInstance, deps: { summaries: SummaryService }) {
  const { summaries } = deps;

  async function renderSummaryForm(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    body?: Body,
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const form = await summaries.summaryForm(staff, recordId);
    const current = form.current;
    return reply.render('casework/entries/views/summary-form.njk', {
      title: current ? 'Update the case summary' : 'Write the case summary',
      backLink: `/records/${form.recordId}#summary`,
      form,
      values: body
        ? {
            currentPlan: text(body.currentPlan),
            risks: text(body.risks),
            keyPeople: text(body.keyPeople),
          }
        : {
            currentPlan: current?.currentPlan ?? '',
            risks: current?.risks ?? '',
            keyPeople: current?.keyPeople ?? '',
          },
      ...errorView(pageErrors(errors, ['currentPlan', 'risks', 'keyPeople'], [])),
    });
  }

  async function renderOversightForm(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    body: Body = {},
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const form = await summaries.oversightForm(staff, recordId);
    return reply.render('casework/entries/views/oversight-form.njk', {
      title: 'Record management oversight',
      backLink: `/records/${form.recordId}#oversight`,
      form,
      values: {
        givenOn: typedDate(body, 'givenOn'),
        direction: text(body.direction),
        nextReviewOn: typedDate(body, 'nextReviewOn'),
      },
      ...errorView(
        pageErrors(errors, ['givenOn', 'direction', 'nextReviewOn'], ['givenOn', 'nextReviewOn']),
      ),
    });
  }

  registerEntryForm(app, {
    section: 'summary',
    renderForm: renderSummaryForm,
    fromForm: summaryFromForm,
    record: (staff, recordId, values) => summaries.recordSummary(staff, recordId, values),
  });
  registerEntryForm(app, {
    section: 'oversight',
    renderForm: renderOversightForm,
    fromForm: oversightFromForm,
    record: (staff, recordId, values) => summaries.recordOversight(staff, recordId, values),
  });
}
