import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { canRetention, type RetentionAction } from '../platform/access/access.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../platform/http/date-input.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import { personFileRetention } from '../casework/retention.js';
import type { PeopleService } from '../people/service.js';
import type { RetentionService } from './service.js';
import { holdTypes } from './tables.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const views = 'retention/views';
const today = () => Temporal.Now.plainDateISO('Europe/London').toString();
const idParams = z.object({ id: z.uuid() });

const rationale = z
  .string()
  .trim()
  .min(10, 'Explain the decision in at least 10 characters')
  .max(4000, 'The rationale must be 4,000 characters or fewer');

const decisionChoice = z.object({
  decision: z.enum(['destroy', 'keep-until', 'hold'], {
    error: 'Select what should happen to the record',
  }),
  rationale,
});
const keepUntilForm = dateInputFields('keepUntil', 'the date to keep it until');
const holdDecisionForm = z
  .object({ holdType: z.enum(holdTypes, { error: 'Select the type of hold' }) })
  .and(dateInputFields('reviewOn', 'the date to review the hold'));

/** The decision form: the fields that apply depend on the decision chosen. */
function parseDecision(body: unknown) {
  const choice = parseForm(decisionChoice, body);
  const decision = (body as { decision?: string } | undefined)?.decision;
  const extra =
    decision === 'keep-until'
      ? parseForm(keepUntilForm, body)
      : decision === 'hold'
        ? parseForm(holdDecisionForm, body)
        : null;
  const errors = [...(choice.ok ? [] : choice.errors), ...(extra && !extra.ok ? extra.errors : [])];
  if (!choice.ok || (extra && !extra.ok)) return { ok: false as const, errors };
  const { rationale: text } = choice.data;
  if (choice.data.decision === 'keep-until' && extra?.ok && 'keepUntil' in extra.data) {
    return {
      ok: true as const,
      data: { decision: 'keep-until' as const, rationale: text, keepUntil: extra.data.keepUntil },
    };
  }
  if (choice.data.decision === 'hold' && extra?.ok && 'holdType' in extra.data) {
    return {
      ok: true as const,
      data: {
        decision: 'hold' as const,
        rationale: text,
        holdType: extra.data.holdType,
        reviewOn: extra.data.reviewOn,
      },
    };
  }
  return { ok: true as const, data: { decision: 'destroy' as const, rationale: text } };
}

const holdForm = z
  .object({
    scope: z.enum(['record', 'person', 'category'], { error: 'Select what the hold covers' }),
    targetId: z.string().trim().min(1, 'Enter the record id, person id or category'),
    holdType: z.enum(holdTypes, { error: 'Select the type of hold' }),
    reason: z.string().trim().min(10, 'Give the reason in at least 10 characters').max(2000),
  })
  .and(dateInputFields('reviewOn', 'the date to review the hold'))
  .superRefine((form, ctx) => {
    if (form.scope !== 'category' && !z.uuid().safeParse(form.targetId).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetId'],
        message: 'Enter the id shown on the record or person page',
      });
    }
  });

/** Retention pages and API: dashboard, review decisions, holds, certificates. */
export function registerRetentionRoutes(
  app: FastifyInstance,
  deps: { retention: RetentionService; people: PeopleService; db: Kysely<Database> },
): void {
  const { retention } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  function allowed(request: import('fastify').FastifyRequest, action: RetentionAction) {
    const { staff } = staffInOrganisation(request);
    if (!canRetention(staff, action)) throw new NotFoundError();
    return staff;
  }

  typed.get('/retention', { schema: { hide: true } }, async (request, reply) => {
    const staff = allowed(request, 'retention.view');
    const asOf = today();
    const [dashboard, queue] = await Promise.all([
      retention.dashboard(staff, asOf),
      retention.reviewQueue(staff, asOf),
    ]);
    return reply.render(`${views}/dashboard.njk`, {
      title: 'Retention',
      dashboard,
      queue,
      decided: (request.query as { decided?: string }).decided === '1',
    });
  });

  typed.get(
    '/api/v1/retention/dashboard',
    {
      schema: {
        summary:
          'Retention counts for your organisation: overdue, due in 90 days, to review, no rule, held',
        tags: ['retention'],
        response: {
          200: z.object({
            asOf: z.string(),
            overdue: z.number(),
            dueSoon: z.number(),
            needsReview: z.number(),
            noRule: z.number(),
            held: z.number(),
          }),
        },
      },
    },
    async (request) => retention.dashboard(allowed(request, 'retention.view'), today()),
  );

  async function renderDecision(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    body: unknown = {},
  ) {
    const staff = staffInOrganisation(reply.request).staff;
    const record = await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('case_record')
        .select([
          'id',
          'category',
          'retention_status',
          'retention_due',
          'retention_action',
          'retention_explanation',
        ])
        .where('id', '=', recordId)
        .where('organisation_id', '=', staff.organisation?.id ?? '')
        .executeTakeFirst();
      if (!row) throw new NotFoundError();
      // The explanation quotes the record's dates: reading it is a read of personal data.
      await recordAudit(trx, {
        action: 'retention.review.view',
        actorAccountId: staff.accountId,
        organisationId: staff.organisation?.id ?? null,
        objectType: 'record',
        objectIds: [recordId],
        purpose: 'retention',
      });
      return row;
    });
    const values = (body ?? {}) as Record<string, string | undefined>;
    return reply.render(`${views}/decide.njk`, {
      title: 'Decide what happens to this record',
      backLink: '/retention',
      record,
      values,
      keepUntilItems: dateInputValues(body, 'keepUntil'),
      reviewOnItems: dateInputValues(body, 'reviewOn'),
      holdTypes,
      ...errorView(errors),
    });
  }

  typed.get(
    '/retention/records/:id',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      allowed(request, 'retention.decide');
      return renderDecision(reply, request.params.id, []);
    },
  );

  typed.post(
    '/retention/records/:id',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const staff = allowed(request, 'retention.decide');
      const form = parseDecision(request.body);
      if (!form.ok)
        return renderDecision(reply.status(400), request.params.id, form.errors, request.body);
      await retention.decide(staff, request.params.id, form.data);
      return reply.redirect('/retention?decided=1', 303);
    },
  );

  typed.get('/retention/holds', { schema: { hide: true } }, async (request, reply) =>
    renderHolds(reply, [], {}),
  );

  async function renderHolds(reply: FastifyReply, errors: FieldError[], body: unknown) {
    const staff = allowed(reply.request, 'retention.hold');
    return reply.render(`${views}/holds.njk`, {
      title: 'Legal holds',
      backLink: '/retention',
      holds: await retention.activeHolds(staff),
      values: (body ?? {}) as Record<string, string | undefined>,
      reviewOnItems: dateInputValues(body, 'reviewOn'),
      holdTypes,
      ...errorView(errors),
    });
  }

  typed.post('/retention/holds', { schema: { hide: true } }, async (request, reply) => {
    const staff = allowed(request, 'retention.hold');
    const form = parseForm(holdForm, request.body);
    if (!form.ok) return renderHolds(reply.status(400), form.errors, request.body);
    await retention.placeHold(staff, {
      scope: form.data.scope,
      targetId: form.data.targetId,
      holdType: form.data.holdType,
      reason: form.data.reason,
      reviewOn: form.data.reviewOn,
    });
    return reply.redirect('/retention/holds', 303);
  });

  typed.post(
    '/retention/holds/:id/release',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      await retention.releaseHold(allowed(request, 'retention.hold'), request.params.id);
      return reply.redirect('/retention/holds', 303);
    },
  );

  /**
   * What is kept about one person across all their records: the latest date
   * and the most protective action govern (issue 4), with the rule that won.
   */
  async function personRetention(request: import('fastify').FastifyRequest, personId: string) {
    const { staff, organisation } = staffInOrganisation(request);
    if (!(await deps.people.isVisible(staff, personId))) throw new NotFoundError();
    const summary = await deps.db.transaction().execute(async (trx) => {
      const result = await personFileRetention(trx, personId);
      await recordAudit(trx, {
        action: 'retention.person.view',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [personId],
        purpose: 'retention',
      });
      return result;
    });
    return {
      status: summary.status,
      due: summary.due?.toString() ?? null,
      latestKnownDue: summary.latestKnownDue?.toString() ?? null,
      action: summary.action,
      dateSetBy: summary.dateSetBy?.rule.id ?? null,
      actionSetBy: summary.actionSetBy?.rule.id ?? null,
      explanation: summary.explanation,
    };
  }

  typed.get(
    '/people/:id/retention',
    { schema: { params: idParams, hide: true } },
    async (request, reply) =>
      reply.render(`${views}/person.njk`, {
        title: 'How long this person’s information is kept',
        backLink: `/people/${request.params.id}`,
        summary: await personRetention(request, request.params.id),
      }),
  );

  typed.get(
    '/api/v1/people/:id/retention',
    {
      schema: {
        summary: 'How long a person’s information is kept, across all their records',
        tags: ['retention'],
        params: idParams,
        response: {
          200: z.object({
            status: z.enum(['scheduled', 'pending', 'needs-review', 'no-records']),
            due: z.string().nullable(),
            latestKnownDue: z.string().nullable(),
            action: z.string().nullable(),
            dateSetBy: z.string().nullable().describe('The rule that set the date'),
            actionSetBy: z.string().nullable().describe('The rule that set the action'),
            explanation: z.string(),
          }),
        },
      },
    },
    async (request) => personRetention(request, request.params.id),
  );

  typed.get('/retention/certificates', { schema: { hide: true } }, async (request, reply) => {
    const staff = allowed(request, 'retention.view');
    return reply.render(`${views}/certificates.njk`, {
      title: 'Disposal certificates',
      backLink: '/retention',
      certificates: await retention.certificates(staff),
    });
  });
}
