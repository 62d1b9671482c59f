import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import { canRetention, type RetentionAction } from '../platform/access/access.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../platform/http/date-input.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import { formatDate } from '../platform/http/views.js';
import { personFileRetention } from '../casework/retention.js';
import type { PeopleService } from '../people/service.js';
import { PeopleStore } from '../people/store.js';
import { isRestricted } from '../rights/restriction.js';
import { itemRetention, partnershipItemKind } from './partnership-items.js';
import type { RetentionService } from './service.js';
import { holdTypeNames, holdTypes } from './tables.js';
import { findOf, holdBodyFromChoice, holdChoices, holdErrorsForChoice } from './hold-choices.js';
import type { Kysely } from 'kysely';
import { findCategory, isCategorySlug, isOrganisationSlug } from '../policy/index.js';
import { retentionActionsFor } from '../policy/retention-actions.js';
import { registerKeptRecordsPage } from './kept.js';
import type { Database } from '../db/schema.js';

const views = 'retention/views';

const RESTRICTED_RETENTION =
  'This person’s data is restricted (UK GDPR Article 18): it may only be stored. Nothing about ' +
  'them is destroyed while the restriction is in force. When it is lifted, the rules below ' +
  'apply again. Their dates are not shown while it is restricted.';
const today = () => Temporal.Now.plainDateISO('Europe/London').toString();
const idParams = z.object({ id: z.uuid() });
// Any kind is accepted here and an unknown one is "not found", as an unknown page is.
const itemParams = z.object({ kind: singleLineText('the kind').max(40), id: z.uuid() });

/** How the decision page names each partnership row, and where staff can look at it. */
const itemNames: Record<string, { name: string; destroyHint: string; link: string }> = {
  'training-booking': {
    name: 'training booking',
    destroyHint: 'The booking is destroyed and a certificate is kept.',
    link: '/partnership/training',
  },
  survey: {
    name: 'survey',
    destroyHint:
      'The survey, its questions and every response are destroyed and a certificate is kept.',
    link: '/partnership/surveys',
  },
  'partnership-meeting': {
    name: 'meeting',
    destroyHint: 'The meeting, its minutes and attendees are destroyed and a certificate is kept.',
    link: '/partnership/meetings',
  },
};

const rationale = z
  .string()
  .trim()
  .min(10, 'Explain the decision in at least 10 characters')
  .max(4000, 'The rationale must be 4,000 characters or fewer');

const decisionChoice = z.object({
  decision: z.enum(['destroy', 'keep-until', 'hold', 'archive', 'make-inaccessible'], {
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
  const chosen = choice.data.decision;
  if (chosen === 'archive' || chosen === 'make-inaccessible') {
    return { ok: true as const, data: { decision: chosen, rationale: text } };
  }
  return { ok: true as const, data: { decision: 'destroy' as const, rationale: text } };
}

const holdForm = z
  .object({
    scope: z.enum(['record', 'person', 'category'], { error: 'Select what the hold covers' }),
    targetId: singleLineText('the record id, person id or category')
      .min(1, 'Enter the record id, person id or category')
      .max(200),
    holdType: z.enum(holdTypes, { error: 'Select the type of hold' }),
    reason: multiLineText('the reason')
      .min(10, 'Give the reason in at least 10 characters')
      .max(2000),
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
  registerKeptRecordsPage(app, { db: deps.db });

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
      queue: queue.map((item) => ({
        ...item,
        href:
          item.kind === 'case-record'
            ? `/retention/records/${item.id}`
            : `/retention/items/${item.kind}/${item.id}`,
        what: item.kind === 'case-record' ? 'Case record' : capitalise(itemNames[item.kind]?.name),
        // Words, not slugs: the category's name from policy, the action as a verb.
        categoryName: categoryNameFor(staff.organisation?.slug, item.category),
        actionWords: item.action ? (retentionActionWords[item.action] ?? item.action) : 'Decide',
      })),
      decided: (request.query as { decided?: string }).decided === '1',
      // The LADO reviews allegations but places no holds: no link to a page it may not open.
      mayHold: canRetention(staff, 'retention.hold'),
      // Archived and inaccessible records: information governance opens them.
      mayOpenKept: staff.roles.includes('information-governance'),
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
      categoryName: categoryNameFor(staff.organisation?.slug, record.category),
      // Archive or make inaccessible: offered only where the notice allows it.
      keepChoices: retentionActionsFor(staff.organisation?.slug ?? '', record.category)
        .reviewChoices,
      values,
      keepUntilItems: dateInputValues(body, 'keepUntil'),
      reviewOnItems: dateInputValues(body, 'reviewOn'),
      holdTypes,
      holdTypeNames,
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

  /**
   * The same decision page for the partnerships' own rows (bookings,
   * surveys, meetings): it shows their retention only, never their contents.
   */
  async function renderItemDecision(
    reply: FastifyReply,
    params: { kind: string; id: string },
    errors: FieldError[],
    body: unknown = {},
  ) {
    const staff = staffInOrganisation(reply.request).staff;
    const item = partnershipItemKind(params.kind);
    const names = itemNames[params.kind];
    if (!item || !names) throw new NotFoundError();
    const row = await deps.db.transaction().execute(async (trx) => {
      const found = await itemRetention(trx, item, staff.organisation?.id ?? '', params.id);
      if (!found) throw new NotFoundError();
      // The explanation quotes the row's dates (a course date, say): a read, audited.
      await recordAudit(trx, {
        action: 'retention.review.view',
        actorAccountId: staff.accountId,
        organisationId: staff.organisation?.id ?? null,
        objectType: item.kind,
        objectIds: [params.id],
        purpose: 'retention',
      });
      return found;
    });
    const values = (body ?? {}) as Record<string, string | undefined>;
    return reply.render(`${views}/decide.njk`, {
      title: `Decide what happens to this ${names.name}`,
      backLink: '/retention',
      record: { ...row, category: item.category },
      item: { ...names, kind: item.kind },
      keepChoices: [],
      values,
      keepUntilItems: dateInputValues(body, 'keepUntil'),
      reviewOnItems: dateInputValues(body, 'reviewOn'),
      holdTypes,
      holdTypeNames,
      ...errorView(errors),
    });
  }

  typed.get(
    '/retention/items/:kind/:id',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      allowed(request, 'retention.decide');
      return renderItemDecision(reply, request.params, []);
    },
  );

  typed.post(
    '/retention/items/:kind/:id',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      const staff = allowed(request, 'retention.decide');
      const item = partnershipItemKind(request.params.kind);
      if (!item) throw new NotFoundError();
      const form = parseDecision(request.body);
      if (!form.ok)
        return renderItemDecision(reply.status(400), request.params, form.errors, request.body);
      await retention.decideItem(staff, item, request.params.id, form.data);
      return reply.redirect('/retention?decided=1', 303);
    },
  );

  typed.get(
    '/retention/holds',
    { schema: { hide: true, querystring: z.object({ find: z.string().optional() }) } },
    async (request, reply) => renderHolds(reply, [], {}, request.query.find),
  );

  async function renderHolds(
    reply: FastifyReply,
    errors: FieldError[],
    body: unknown,
    findText?: string,
  ) {
    const staff = allowed(reply.request, 'retention.hold');
    // What the hold covers is chosen from a search, never typed as an id (issue 13 item 4).
    const choose = await holdChoices(deps, staff, findText);
    if (choose.find.state === 'error') {
      errors = [...errors, { field: 'find', message: choose.find.message }];
      if (reply.statusCode === 200) reply.status(400);
    }
    return reply.render(`${views}/holds.njk`, {
      ...choose,
      title: 'Legal holds',
      backLink: '/retention',
      holds: (await retention.activeHolds(staff)).map((hold) => ({
        ...hold,
        // Words, never an id: "Sam Taylor", "Child in need record opened 3 March 2024".
        covers:
          hold.scope === 'person'
            ? `${hold.person_given_name ?? ''} ${hold.person_family_name ?? ''}`.trim()
            : hold.scope === 'record'
              ? `${categoryNameFor(staff.organisation?.slug, hold.record_category ?? '')} record opened ${formatDate(hold.record_opened_on)}`
              : `Every ${categoryNameFor(staff.organisation?.slug, hold.category ?? '').toLowerCase()} record`,
      })),
      values: (body ?? {}) as Record<string, string | undefined>,
      reviewOnItems: dateInputValues(body, 'reviewOn'),
      holdTypes,
      holdTypeNames,
      ...errorView(errors),
    });
  }

  typed.post('/retention/holds', { schema: { hide: true } }, async (request, reply) => {
    const staff = allowed(request, 'retention.hold');
    const body = holdBodyFromChoice(request.body);
    const form = parseForm(holdForm, body);
    if (!form.ok) {
      return renderHolds(
        reply.status(400),
        holdErrorsForChoice(form.errors, request.body),
        request.body,
        findOf(request.body),
      );
    }
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
   * Whether a person hidden by isVisible is hidden only because their data
   * is restricted (Art 18): someone who could otherwise see them is told so,
   * as the person pages do; anyone else gets "not found".
   */
  async function restrictedButOtherwiseVisible(
    staff: import('../platform/auth/service.js').StaffContext,
    personId: string,
  ): Promise<boolean> {
    if (!(await isRestricted(deps.db, { personId }))) return false;
    const visibility = await deps.people.visibilityFor(staff, 'person.read').catch(() => null);
    if (!visibility) return false;
    return new PeopleStore(deps.db).isVisible({ ...visibility, restricted: 'include' }, personId);
  }

  /**
   * What is kept about one person across all their records: the latest date
   * and the most protective action govern (issue 4), with the rule that won.
   *
   * For a restricted person (Art 18(2): "with the exception of storage")
   * the answer is about storage only: that nothing is disposed of while the
   * restriction is in force (the sweep treats it as a hold) and which rules
   * govern afterwards. The due dates and the explanation are left out: they
   * are counted from, and quote, the person's own dates (birth, death,
   * closure), so showing them would be a use of the restricted data.
   */
  async function personRetention(request: import('fastify').FastifyRequest, personId: string) {
    const { staff, organisation } = staffInOrganisation(request);
    const visible = await deps.people.isVisible(staff, personId);
    const restricted = !visible && (await restrictedButOtherwiseVisible(staff, personId));
    if (!visible && !restricted) throw new NotFoundError();
    const summary = await deps.db.transaction().execute(async (trx) => {
      const result = await personFileRetention(trx, personId);
      await recordAudit(trx, {
        action: restricted ? 'retention.person.view.restricted' : 'retention.person.view',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [personId],
        purpose: 'retention',
      });
      return result;
    });
    const rules = {
      action: summary.action,
      dateSetBy: summary.dateSetBy?.rule.id ?? null,
      actionSetBy: summary.actionSetBy?.rule.id ?? null,
    };
    if (restricted) {
      return {
        restricted: true,
        status: summary.status,
        due: null,
        latestKnownDue: null,
        ...rules,
        explanation: RESTRICTED_RETENTION,
      };
    }
    return {
      restricted: false,
      status: summary.status,
      due: summary.due?.toString() ?? null,
      latestKnownDue: summary.latestKnownDue?.toString() ?? null,
      ...rules,
      explanation: summary.explanation,
    };
  }

  typed.get(
    '/people/:id/retention',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const summary = await personRetention(request, request.params.id);
      return reply.render(`${views}/person.njk`, {
        title: 'How long this person’s information is kept',
        // A restricted person's own page only says they are restricted.
        backLink: summary.restricted ? '/people' : `/people/${request.params.id}`,
        summary,
      });
    },
  );

  typed.get(
    '/api/v1/people/:id/retention',
    {
      schema: {
        summary: 'How long a person’s information is kept, across all their records',
        description:
          'For a person whose data is restricted (UK GDPR Art 18), `restricted` is true and the ' +
          'dates and explanation, which come from their own data, are left out: nothing is ' +
          'disposed of while the restriction is in force.',
        tags: ['retention'],
        params: idParams,
        response: {
          200: z.object({
            restricted: z.boolean().describe('The person’s data may only be stored (Art 18)'),
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

function capitalise(text: string | undefined): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : '';
}

const retentionActionWords: Record<string, string> = {
  destroy: 'Destroy',
  'make-inaccessible': 'Make inaccessible',
  'return-to-partnership': 'Return to the partnership',
  review: 'Review',
  archive: 'Archive',
};

function categoryNameFor(organisation: string | undefined, category: string): string {
  const found =
    organisation && isOrganisationSlug(organisation) && isCategorySlug(category)
      ? findCategory(organisation, category)
      : undefined;
  return found?.name ?? capitalise(category.replace(/-/g, ' '));
}
