/**
 * The conference and looked after review form on a record (issue 13 item 2):
 * GET shows it, POST records the meeting and returns to the record's
 * reviews; a refused form is shown again with what was typed and a message
 * for each field. The rules are ReviewService's.
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
import { participationCodes } from '../../returns/ssda903/codes.js';
import {
  conferenceDecisions,
  decisionWords,
  participationChoices,
  reviewKindWords,
} from './review-schema.js';
import type { ReviewService } from './review-service.js';

function reviewFromForm(body: Body): { values: Body; errors: FieldError[] } {
  const form = { values: {} as Body, errors: [] as FieldError[] };
  dateFromForm(body, 'heldOn', 'date it was held', form);
  for (const name of [
    'kind',
    'decision',
    'childParticipated',
    'participation',
    'chair',
    'summary',
  ]) {
    const value = one(body[name]);
    if (value) form.values[name] = value;
  }
  return form;
}

/** The order of the questions on the page, which the error summary follows. */
const ORDER = [
  'kind',
  'heldOn',
  'decision',
  'childParticipated',
  'participation',
  'chair',
  'summary',
];

export function registerReviewRoutes(app: FastifyInstance, deps: { reviews: ReviewService }) {
  const { reviews } = deps;

  async function renderForm(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    body: Body = {},
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const form = await reviews.form(staff, recordId);
    const kind = one(body.kind) || (form.kinds.length === 1 ? form.kinds[0] : '');
    const decision = one(body.decision);
    const participation = one(body.participation);
    const conferences = form.kinds.includes('initial-conference');
    return reply.render('casework/entries/views/review-form.njk', {
      title: conferences ? 'Record a child protection conference' : 'Record a looked after review',
      backLink: `/records/${form.recordId}#reviews`,
      form,
      conferences,
      kinds: form.kinds.map((k) => ({ value: k, text: reviewKindWords[k], checked: kind === k })),
      decisions: conferenceDecisions.map((d) => ({
        value: d,
        text: decisionWords[d],
        checked: decision === d,
      })),
      // A looked after review asks how the child took part, in the DfE's terms (in words).
      participations: participationChoices.map((p) => ({
        value: p,
        text: participationCodes.codes[p].label,
        checked: participation === p,
      })),
      values: {
        heldOn: typedDate(body, 'heldOn'),
        childParticipated: one(body.childParticipated),
        chair: typeof body.chair === 'string' ? body.chair : '',
        summary: typeof body.summary === 'string' ? body.summary : '',
      },
      ...errorView(pageErrors(errors, ORDER, ['heldOn'])),
    });
  }

  registerEntryForm(app, {
    section: 'reviews',
    renderForm,
    fromForm: reviewFromForm,
    record: (staff, recordId, values) => reviews.record(staff, recordId, values),
  });
}
