import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { ConflictError, ValidationError, type FieldError } from '../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../platform/http/date-input.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import { stateLabels } from './machine.js';
import {
  dashboardRowSchema,
  decisionSchema,
  liftSchema,
  newRequestSchema,
  reminderSchema,
  requestDetailSchema,
  restrictionSchema,
  supplementarySchema,
  toldSchema,
  transitionSchema,
} from './schemas.js';
import { registerReviewApi, registerReviewPages } from './review-routes.js';
import { describeClock, type RightsService } from './service.js';
import {
  authorityEvidenceKinds,
  channels,
  identityChecks,
  requestTypes,
  requesterRoles,
  restrictionGrounds,
} from './tables.js';

const views = 'rights/views';
const idParams = z.object({ id: z.uuid() });

/** Words shown on pages for the stored codes. */
export const labels = {
  type: {
    access: 'Access (subject access request)',
    rectification: 'Rectification',
    erasure: 'Erasure',
    restriction: 'Restriction',
    'objection-public-task': 'Objection to processing for a public task',
    'objection-direct-marketing': 'Objection to direct marketing',
    'consent-withdrawal': 'Consent withdrawal or unsubscribe',
    portability: 'Data portability',
    'automated-decision-objection': 'Objection to automated decisions',
  },
  role: {
    self: 'The person themselves',
    parent: 'A parent with parental responsibility',
    solicitor: 'A solicitor',
    'court-appointee': 'A person appointed by a court',
  },
  channel: {
    email: 'Email',
    letter: 'Letter',
    phone: 'Phone',
    'in-person': 'In person',
    'web-form': 'Web form',
    other: 'Other',
  },
  identity: {
    'not-yet-checked': 'Not checked yet',
    'known-to-us': 'Already known to us',
    'photo-id-seen': 'Photo ID seen',
    'documents-copied': 'Documents copied',
    'verified-in-person': 'Verified in person',
    'not-required': 'Not required (no reasonable doubt)',
  },
  authority: {
    'birth-certificate': 'Birth certificate',
    'parental-responsibility-order': 'Parental responsibility order or agreement',
    'signed-authority-from-subject': 'Signed authority from the subject',
    'court-order': 'Court order',
    'lasting-power-of-attorney': 'Lasting power of attorney',
    other: 'Other',
  },
  ground: {
    'accuracy-contested': 'Accuracy contested (Art 18(1)(a))',
    'unlawful-erasure-opposed': 'Unlawful, but the person opposes erasure (Art 18(1)(b))',
    'needed-for-legal-claims': 'Needed by the person for legal claims (Art 18(1)(c))',
    'objection-pending': 'Objection being considered (Art 18(1)(d))',
  },
  state: stateLabels,
} as const;

const optionText = (record: Record<string, string>, selected?: string) =>
  Object.entries(record).map(([value, text]) => ({ value, text, selected: value === selected }));

type Body = Record<string, unknown>;
const text = (body: Body, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
};
const list = (body: Body, name: string) => {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
};

/** A GOV.UK date input that may be left blank. */
function optionalDate(body: Body, name: string, label: string) {
  const parts = ['day', 'month', 'year'].map((p) => text(body, `${name}-${p}`));
  if (parts.every((p) => p === '')) return { value: undefined, errors: [] as FieldError[] };
  const parsed = parseForm(dateInputFields(name, label), body);
  return parsed.ok
    ? { value: (parsed.data as Record<string, string>)[name], errors: [] as FieldError[] }
    : { value: undefined, errors: parsed.errors };
}

function requireDate(body: Body, name: string, label: string) {
  const parsed = parseForm(dateInputFields(name, label), body);
  return parsed.ok
    ? { value: (parsed.data as Record<string, string>)[name], errors: [] as FieldError[] }
    : { value: undefined, errors: parsed.errors };
}

/** The intake form's flat fields, shaped for newRequestSchema. */
function intakeInput(body: Body) {
  const received = requireDate(body, 'receivedOn', 'the date the request was received');
  const dob = optionalDate(body, 'subjectDateOfBirth', 'the subject’s date of birth');
  const identifiers = [
    ...(text(body, 'nhsNumber') ? [{ type: 'nhs-number', value: text(body, 'nhsNumber') }] : []),
    ...(text(body, 'upn') ? [{ type: 'upn', value: text(body, 'upn') }] : []),
  ];
  const parsed = parseForm(newRequestSchema, {
    type: text(body, 'type') || undefined,
    receivedOn: received.value ?? '2000-01-01',
    channel: text(body, 'channel') || undefined,
    description: text(body, 'description'),
    categories: list(body, 'categories'),
    requesterRole: text(body, 'requesterRole') || undefined,
    requesterName: text(body, 'requesterName'),
    requesterContact: text(body, 'requesterContact'),
    identityCheck: text(body, 'identityCheck') || undefined,
    authorityEvidence: text(body, 'authorityEvidence') || undefined,
    authorityNote: text(body, 'authorityNote'),
    subject: {
      givenName: text(body, 'subjectGivenName'),
      familyName: text(body, 'subjectFamilyName'),
      otherNames: text(body, 'subjectOtherNames'),
      dateOfBirth: dob.value,
      identifiers,
    },
  });
  const errors = [
    ...received.errors,
    ...dob.errors,
    ...(parsed.ok ? [] : parsed.errors).map((e) => ({
      ...e,
      field: e.field.replace(/^subject\.(\w)/, (_m, c: string) => `subject${c.toUpperCase()}`),
    })),
  ];
  if (errors.length > 0 || !parsed.ok) return { ok: false as const, errors };
  return { ok: true as const, data: parsed.data };
}

/** The transition form's flat fields, shaped for transitionSchema. */
function transitionInput(body: Body) {
  const on = optionalDate(body, 'on', 'the date');
  const to = text(body, 'to');
  const extending = to === 'extended' && text(body, 'extensionReason') !== '';
  const told = extending
    ? requireDate(body, 'toldOn', 'the date the requester was told')
    : { value: undefined, errors: [] };
  const parsed = parseForm(transitionSchema, {
    to: to || undefined,
    on: on.value,
    note: text(body, 'note'),
    identityCheck: text(body, 'identityCheck') || undefined,
    authorityEvidence: text(body, 'authorityEvidence') || undefined,
    expectedVersion: Number(text(body, 'version')) || undefined,
    extension:
      extending && told.value
        ? {
            toldOn: told.value,
            reason: text(body, 'extensionReason'),
            months: text(body, 'extensionMonths') === '1' ? 1 : 2,
          }
        : undefined,
  });
  const errors = [...on.errors, ...told.errors, ...(parsed.ok ? [] : parsed.errors)];
  if (errors.length > 0 || !parsed.ok) return { ok: false as const, errors };
  return { ok: true as const, data: parsed.data };
}

/** Rights request pages and the API under /api/v1/rights. */
export function registerRightsRoutes(app: FastifyInstance, deps: { rights: RightsService }): void {
  const { rights } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const staffOf = (request: FastifyRequest) => staffInOrganisation(request).staff;

  // -------------------------------------------------------------------------
  // Pages

  typed.get('/rights', { schema: { hide: true } }, async (request, reply) => {
    const rows = await rights.dashboard(staffOf(request));
    return reply.render(`${views}/dashboard.njk`, {
      title: 'Rights requests',
      rows: rows.map((r) => ({ ...r, clockText: describeClock(r.clock) })),
      labels,
    });
  });

  function renderIntake(reply: FastifyReply, errors: FieldError[], body: Body) {
    const staff = staffOf(reply.request);
    const categories = rights.supplementary(staff).categories;
    const chosen = list(body, 'categories');
    return reply.render(`${views}/new.njk`, {
      title: 'Record a rights request',
      backLink: '/rights',
      values: body,
      labels,
      typeItems: requestTypes.map((value) => ({
        value,
        text: labels.type[value],
        checked: body.type === value,
      })),
      roleItems: requesterRoles.map((value) => ({
        value,
        text: labels.role[value],
        checked: body.requesterRole === value,
      })),
      channelItems: [
        { value: '', text: 'Select' },
        ...optionText(labels.channel, text(body, 'channel')),
      ],
      identityItems: [
        { value: '', text: 'Select' },
        ...optionText(labels.identity, text(body, 'identityCheck')),
      ],
      authorityItems: [
        { value: '', text: 'None yet' },
        ...optionText(labels.authority, text(body, 'authorityEvidence')),
      ],
      categoryItems: categories.map((c) => ({
        value: c.category,
        text: c.name,
        checked: chosen.includes(c.category),
      })),
      receivedOnItems: dateInputValues(body, 'receivedOn'),
      dobItems: dateInputValues(body, 'subjectDateOfBirth'),
      ...errorView(errors),
    });
  }

  typed.get('/rights/new', { schema: { hide: true } }, async (request, reply) => {
    rights.supplementary(staffOf(request)); // refuses (not found) without a rights role
    return renderIntake(reply, [], {});
  });

  typed.post('/rights/new', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const form = intakeInput(body);
    if (!form.ok) return renderIntake(reply.status(400), form.errors, body);
    try {
      const id = await rights.create(staffOf(request), form.data);
      return reply.redirect(`/rights/${id}`, 303);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderIntake(reply.status(400), error.fieldErrors, body);
      throw error;
    }
  });

  async function renderRequest(reply: FastifyReply, id: string, errors: FieldError[] = []) {
    const staff = staffOf(reply.request);
    const page = await rights.get(staff, id);
    const r = page.request;
    return reply.render(`${views}/request.njk`, {
      title: `${labels.type[r.type]} request`,
      backLink: '/rights',
      page,
      r,
      labels,
      clockText: describeClock(page.clock),
      supplementary: r.type === 'access' ? rights.supplementary(staff, r.categories) : undefined,
      bundleReady:
        r.type === 'access' &&
        r.approved_by !== null &&
        ['approved', 'responded-in-full', 'responded-in-part', 'closed'].includes(r.state),
      nextItems: page.nextStates.map((s) => ({ value: s, text: labels.state[s] })),
      identityItems: identityChecks.map((value) => ({ value, text: labels.identity[value] })),
      authorityItems: [
        { value: '', text: 'Select' },
        ...authorityEvidenceKinds.map((value) => ({ value, text: labels.authority[value] })),
      ],
      groundItems: restrictionGrounds.map((value) => ({ value, text: labels.ground[value] })),
      categoryItems: rights
        .supplementary(staff)
        .categories.map((c) => ({ value: c.category, text: c.name })),
      channels,
      ...errorView(errors),
    });
  }

  /** Runs a change from a request page; a refusal is shown on that page, not as an error page. */
  async function onRequestPage(
    reply: FastifyReply,
    id: string,
    work: () => Promise<unknown>,
    fragment = '',
  ) {
    try {
      await work();
      return reply.redirect(`/rights/${id}${fragment}`, 303);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderRequest(reply.status(400), id, error.fieldErrors);
      if (error instanceof ConflictError)
        return renderRequest(reply.status(409), id, [{ field: 'to', message: error.message }]);
      throw error;
    }
  }

  typed.get('/rights/:id', { schema: { params: idParams, hide: true } }, async (request, reply) =>
    renderRequest(reply, request.params.id),
  );

  typed.post(
    '/rights/:id/transition',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const form = transitionInput((request.body ?? {}) as Body);
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(reply, request.params.id, () =>
        rights.transition(staffOf(request), request.params.id, form.data),
      );
    },
  );

  typed.post(
    '/rights/:id/decision',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const form = parseForm(decisionSchema, {
        kind: text(body, 'kind'),
        category: text(body, 'category') || undefined,
        outcome: text(body, 'outcome') || undefined,
        subjectGrounds: text(body, 'subjectGrounds'),
        compellingGrounds: text(body, 'compellingGrounds'),
      });
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.decide(staffOf(request), request.params.id, form.data),
        '#decisions',
      );
    },
  );

  typed.post(
    '/rights/:id/offer-access',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const id = await rights.offerAccessRequest(staffOf(request), request.params.id);
      return reply.redirect(`/rights/${id}`, 303);
    },
  );

  typed.post(
    '/rights/:id/restrictions',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const form = parseForm(restrictionSchema, request.body);
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.restrict(staffOf(request), request.params.id, form.data),
        '#restrictions',
      );
    },
  );

  const restrictionParams = z.object({ id: z.uuid(), restrictionId: z.uuid() });

  typed.post(
    '/rights/:id/restrictions/:restrictionId/told',
    { schema: { params: restrictionParams, hide: true } },
    async (request, reply) => {
      const told = requireDate((request.body ?? {}) as Body, 'toldOn', 'the date they were told');
      if (!told.value) return renderRequest(reply.status(400), request.params.id, told.errors);
      const toldOn = told.value;
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.restrictionTold(staffOf(request), request.params.restrictionId, toldOn),
        '#restrictions',
      );
    },
  );

  typed.post(
    '/rights/:id/restrictions/:restrictionId/lift',
    { schema: { params: restrictionParams, hide: true } },
    async (request, reply) => {
      const form = parseForm(liftSchema, request.body);
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      return onRequestPage(
        reply,
        request.params.id,
        () =>
          rights.liftRestriction(staffOf(request), request.params.restrictionId, form.data.reason),
        '#restrictions',
      );
    },
  );

  registerReviewPages(app, rights, labels);

  // -------------------------------------------------------------------------
  // API

  const tags = ['rights'];
  const problem = z.object({ error: z.string(), message: z.string() });

  typed.get(
    '/api/v1/rights/requests',
    {
      schema: {
        summary: 'Open rights requests, overdue first, then by days left',
        tags,
        response: { 200: z.array(dashboardRowSchema) },
      },
    },
    async (request) => rights.dashboard(staffOf(request)),
  );

  typed.post(
    '/api/v1/rights/requests',
    {
      schema: {
        summary: 'Record a rights request (intake); starts its statutory clock',
        tags,
        body: newRequestSchema,
        response: { 201: z.object({ id: z.uuid() }), 400: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.create(staffOf(request), request.body);
      return reply.status(201).send({ id });
    },
  );

  typed.get(
    '/api/v1/rights/requests/:id',
    {
      schema: {
        summary: 'A rights request with its clock, timeline and decisions',
        tags,
        params: idParams,
        response: { 200: requestDetailSchema },
      },
    },
    async (request) => {
      const page = await rights.get(staffOf(request), request.params.id);
      const r = page.request;
      return {
        id: r.id,
        type: r.type,
        state: r.state,
        version: r.version,
        receivedOn: r.received_on,
        requesterRole: r.requester_role,
        identityCheck: r.identity_check,
        authorityEvidence: r.authority_evidence,
        subjectPersonId: r.subject_person_id,
        categories: r.categories,
        clock: page.clock,
        nextStates: [...page.nextStates],
        events: page.events.map((e) => ({
          kind: e.kind,
          fromState: e.from_state,
          toState: e.to_state,
          onDate: e.on_date,
          occurredAt: e.occurred_at,
        })),
        decisions: page.decisions.map((d) => ({
          kind: d.kind,
          category: d.category,
          outcome: d.outcome,
          ground: d.ground,
          reasoning: d.reasoning,
        })),
      };
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/transitions',
    {
      schema: {
        summary: 'Move a request along its state machine; refused (409) with the reason if illegal',
        tags,
        params: idParams,
        body: transitionSchema,
        response: { 200: z.object({ state: z.string() }), 409: problem },
      },
    },
    async (request) => ({
      state: await rights.transition(staffOf(request), request.params.id, request.body),
    }),
  );

  typed.post(
    '/api/v1/rights/requests/:id/decisions',
    {
      schema: {
        summary:
          'Record the decision the request type takes (generated from policy where it can be)',
        tags,
        params: idParams,
        body: decisionSchema,
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.decide(staffOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/restrictions',
    {
      schema: {
        summary: 'Restrict processing of a person or record (Art 18): storage only',
        tags,
        params: idParams,
        body: restrictionSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const id = await rights.restrict(staffOf(request), request.params.id, request.body);
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/restrictions/:id/told',
    {
      schema: {
        summary: 'Record the day the person was told the restriction will be lifted (Art 18(3))',
        tags,
        params: idParams,
        body: toldSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await rights.restrictionTold(staffOf(request), request.params.id, request.body.toldOn);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/rights/restrictions/:id/lift',
    {
      schema: {
        summary: 'Lift a restriction; refused (409) until the person has been told',
        tags,
        params: idParams,
        body: liftSchema,
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.liftRestriction(staffOf(request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/v1/rights/supplementary-information',
    {
      schema: {
        summary: 'The Art 15 supplementary information, generated from the organisation’s policy',
        tags,
        querystring: z.object({ category: z.union([z.string(), z.array(z.string())]).optional() }),
        response: { 200: supplementarySchema },
      },
    },
    async (request) => {
      const category = request.query.category;
      const categories = category === undefined ? [] : [category].flat();
      return rights.supplementary(staffOf(request), categories);
    },
  );

  typed.get(
    '/api/v1/rights/reminders',
    {
      schema: {
        summary: 'Open requests of your organisation due within N days, or overdue',
        tags,
        querystring: z.object({ withinDays: z.coerce.number().int().min(0).max(90).default(7) }),
        response: { 200: z.array(reminderSchema) },
      },
    },
    async (request) => rights.reminders(staffOf(request), request.query.withinDays),
  );

  registerReviewApi(app, rights);
}
