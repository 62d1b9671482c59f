import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../platform/http/date-input.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import { formatDate } from '../platform/http/views.js';
import { needsGathering } from '../platform/access/access.js';
import { stateLabels } from './machine.js';
import {
  annotationSchema,
  carryOutErasureSchema,
  dashboardRowSchema,
  decisionSchema,
  outcomeLineSchema,
  personCorrectionSchema,
  recipientNoticeSchema,
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
import { registerRectificationRoutes } from './rectification-routes.js';
import { registerPortabilityRoutes } from './portability-routes.js';
import { describeClock, type RightsService } from './service.js';
import { addressSchema, identifierSchema } from '../people/schemas.js';
import { identifierLabels } from '../people/service.js';
import { identifierTypes } from '../people/tables.js';
import { erasureTypes } from './erasure.js';
import { noticeTypes } from './recipients-notice.js';
import { annotationLabels } from './rectification.js';
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
    'objection-upheld': 'Objection upheld: processing for this purpose has stopped (Art 21(1))',
  },
  state: stateLabels,
  outcome: {
    erased: 'Erased',
    unsubscribed: 'Unsubscribed and deleted',
    refused: 'Refused',
    'not-linkable': 'Cannot be linked to the person',
  },
  source: {
    'training-booking': 'Training booking',
    'newsletter-subscriber': 'Newsletter subscription',
    'survey-response': 'Survey responses',
    'case-record': 'Case record',
  },
  notice: {
    told: 'Told',
    impossible: 'Telling them is impossible',
    disproportionate: 'Telling them would take disproportionate effort',
  },
  annotation: annotationLabels,
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

/** Three date-input boxes showing a stored ISO date, or what was typed after an error. */
function dateItems(body: Body | undefined, name: string, iso: string | null | undefined) {
  if (body && [`${name}-day`, `${name}-month`, `${name}-year`].some((k) => k in body)) {
    return dateInputValues(body, name);
  }
  const [year = '', month = '', day = ''] = (iso ?? '').split('-');
  return dateInputValues(
    {
      [`${name}-day`]: day.replace(/^0/, ''),
      [`${name}-month`]: month.replace(/^0/, ''),
      [`${name}-year`]: year,
    },
    name,
  );
}

/**
 * What each restriction covers, in words: "Sam Taylor", "Sam Taylor’s child
 * in need records" (an upheld objection), or "Child in need record opened
 * 3 March 2024" — never an id.
 */
function restrictionTitles(
  restrictions: Awaited<ReturnType<RightsService['get']>>['restrictions'],
  categories: readonly { value: string; text: string }[],
): Record<string, string> {
  const nameOf = (slug: string | null) =>
    categories.find((c) => c.value === slug)?.text ?? 'Record';
  return Object.fromEntries(
    restrictions.map((x) => {
      const person = `${x.person_given_name ?? ''} ${x.person_family_name ?? ''}`.trim();
      const title =
        x.scope === 'record'
          ? `${nameOf(x.record_category)} record opened ${formatDate(x.record_opened_on)}`
          : x.category
            ? `${person}’s ${nameOf(x.category).toLowerCase()} records`
            : person;
      return [x.id, title];
    }),
  );
}

/** What the request page needs to carry out what was decided. */
function outcomeView(page: Awaited<ReturnType<RightsService['get']>>, body: Body | undefined) {
  const r = page.request;
  const chosen = body ? list(body, 'items') : [];
  const found = page.partnershipFound ?? [];
  return {
    carriesOutErasure: erasureTypes.includes(r.type),
    tellsRecipients: noticeTypes.includes(r.type),
    foundItems: found
      .filter(
        (f) => r.type !== 'objection-direct-marketing' || f.source === 'newsletter-subscriber',
      )
      .map((f) => ({
        value: `${f.source}:${f.id}`,
        text: `${labels.source[f.source]}: ${f.name}`,
        hint: { text: f.reasons.join('; ') },
        checked: chosen.includes(`${f.source}:${f.id}`),
      })),
    targetItems: [
      { value: '', text: 'Select' },
      ...page.subjectRecords.flatMap((record) => [
        {
          value: record.id,
          text: `${record.categoryName} record, opened ${formatDate(record.openedOn)}`,
        },
        ...record.notes.map((n) => ({
          value: `${record.id}:${n.id}`,
          text: `— ${n.kind.replace(/-/g, ' ')} note of ${formatDate(n.occurred_on)} (${record.categoryName.toLowerCase()} record)`,
        })),
      ]),
    ],
    identifierTypeItems: [
      { value: '', text: 'Select' },
      ...identifierTypes.map((value) => ({
        value,
        text: identifierLabels[value],
        selected: body?.identifierType === value,
      })),
    ],
    dobItems: dateItems(body, 'dateOfBirth', page.person?.date_of_birth),
    dodItems: dateItems(body, 'dateOfDeath', page.person?.date_of_death),
    stillToTell: page.recipients.filter((x) => x.notice === null).length,
    annotationTargets: Object.fromEntries(
      page.subjectRecords.flatMap((record) => [
        [record.id, `${record.categoryName} record`],
        ...record.notes.map((n) => [
          n.id,
          `Note of ${formatDate(n.occurred_on)} (${record.categoryName.toLowerCase()} record)`,
        ]),
      ]),
    ) as Record<string, string>,
  };
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
    const categoryItems = rights
      .supplementary(staff)
      .categories.map((c) => ({ value: c.category, text: c.name }));
    return reply.render(`${views}/request.njk`, {
      title: `${labels.type[r.type]} request`,
      backLink: '/rights',
      page,
      r,
      labels,
      clockText: describeClock(page.clock),
      supplementary:
        r.type === 'access' ? await rights.supplementaryForRequest(staff, id) : undefined,
      portability: r.type === 'portability' ? await rights.portability.view(staff, id) : undefined,
      // Records only named officers may read are gathered by them (gathering.ts).
      gathering: r.type === 'access' ? await rights.gathering.status(staff, id) : null,
      gatherable: r.type === 'access' && needsGathering(staff),
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
      categoryItems,
      restrictionTitles: restrictionTitles(page.restrictions, categoryItems),
      channels,
      ...outcomeView(page, reply.request.body as Body | undefined),
      values: (reply.request.body ?? {}) as Body,
      ...errorView(errors),
    });
  }

  /** Runs a change from a request page; a refusal is shown on that page, not as an error page. */
  async function onRequestPage(
    reply: FastifyReply,
    id: string,
    work: () => Promise<unknown>,
    fragment = '',
    conflictField = 'to',
  ) {
    try {
      await work();
      return reply.redirect(`/rights/${id}${fragment}`, 303);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderRequest(reply.status(400), id, error.fieldErrors);
      if (error instanceof ConflictError || error instanceof NotFoundError)
        return renderRequest(reply.status(error instanceof ConflictError ? 409 : 404), id, [
          { field: conflictField, message: error.message },
        ]);
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
    '/rights/:id/gathering',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const note = text((request.body ?? {}) as Body, 'gatheringNote');
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.gathering.request(staffOf(request), request.params.id, note || undefined),
        '#subject-access',
        'gatheringNote',
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
        subscriberIds:
          text(body, 'kind') === 'objection-direct-marketing'
            ? list(body, 'items').flatMap((v) =>
                v.startsWith('newsletter-subscriber:') ? [v.slice(22)] : [],
              )
            : undefined,
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

  // Carrying out what was decided: erasure, rectification, Art 19 notices.

  typed.post(
    '/rights/:id/erasure',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const items = list((request.body ?? {}) as Body, 'items').map((value) => {
        const [source, id] = value.split(':');
        return { source, id };
      });
      const form = parseForm(carryOutErasureSchema, { items });
      if (!form.ok) {
        return renderRequest(reply.status(400), request.params.id, [
          { field: 'items', message: 'Select entries from the list discovery found' },
        ]);
      }
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.carryOutErasure(staffOf(request), request.params.id, form.data.items),
        '#outcomes',
        'items',
      );
    },
  );

  typed.post(
    '/rights/:id/rectification/person',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const dob = optionalDate(body, 'dateOfBirth', 'the date of birth');
      const dod = optionalDate(body, 'dateOfDeath', 'the date of death');
      const form = parseForm(personCorrectionSchema, {
        version: Number(text(body, 'version')) || 0,
        givenName: text(body, 'givenName'),
        familyName: text(body, 'familyName'),
        dateOfBirth: dob.value ?? null,
        dateOfDeath: dod.value ?? null,
      });
      const errors = [...dob.errors, ...dod.errors, ...(form.ok ? [] : form.errors)];
      if (errors.length > 0 || !form.ok) {
        return renderRequest(reply.status(400), request.params.id, errors);
      }
      const input = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.rectification.rectifyPerson(staffOf(request), request.params.id, input),
        '#rectification',
        'givenName',
      );
    },
  );

  typed.post(
    '/rights/:id/rectification/identifier',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const form = parseForm(identifierSchema, {
        type: text(body, 'identifierType') || undefined,
        value: text(body, 'identifierValue'),
      });
      if (!form.ok) {
        return renderRequest(
          reply.status(400),
          request.params.id,
          form.errors.map((e) => ({
            ...e,
            field: e.field === 'type' ? 'identifierType' : 'identifierValue',
          })),
        );
      }
      const identifier = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () =>
          rights.rectification.completePerson(staffOf(request), request.params.id, {
            kind: 'identifier',
            identifier,
          }),
        '#rectification',
        'identifierValue',
      );
    },
  );

  typed.post(
    '/rights/:id/rectification/address',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const form = parseForm(addressSchema, {
        line1: text(body, 'line1'),
        line2: text(body, 'line2'),
        town: text(body, 'town'),
        postcode: text(body, 'postcode'),
      });
      if (!form.ok) return renderRequest(reply.status(400), request.params.id, form.errors);
      const address = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () =>
          rights.rectification.completePerson(staffOf(request), request.params.id, {
            kind: 'address',
            address,
          }),
        '#rectification',
        'line1',
      );
    },
  );

  typed.post(
    '/rights/:id/annotations',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const [recordId, noteId] = text(body, 'target').split(':');
      const form = parseForm(annotationSchema, {
        kind: text(body, 'kind') || undefined,
        recordId: recordId || undefined,
        noteId: noteId || undefined,
        text: text(body, 'text'),
      });
      if (!form.ok) {
        return renderRequest(
          reply.status(400),
          request.params.id,
          form.errors.map((e) => (e.field === 'recordId' ? { ...e, field: 'target' } : e)),
        );
      }
      const input = form.data;
      return onRequestPage(
        reply,
        request.params.id,
        () => rights.rectification.annotate(staffOf(request), request.params.id, input),
        '#rectification',
        'target',
      );
    },
  );

  const recipientParams = z.object({ id: z.uuid(), disclosureId: z.uuid() });

  typed.post(
    '/rights/:id/recipients/:disclosureId',
    { schema: { params: recipientParams, hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      const { id, disclosureId } = request.params;
      const outcome = text(body, 'outcome');
      const told =
        outcome === 'told'
          ? requireDate(body, 'toldOn', 'the date they were told')
          : { value: undefined, errors: [] as FieldError[] };
      const form = parseForm(recipientNoticeSchema, {
        disclosureId,
        outcome: outcome || undefined,
        toldOn: told.value,
        method: text(body, 'method'),
        reason: text(body, 'reason'),
      });
      const errors = [...told.errors, ...(form.ok ? [] : form.errors)];
      if (errors.length > 0 || !form.ok) return renderRequest(reply.status(400), id, errors);
      const input = form.data;
      return onRequestPage(
        reply,
        id,
        () => rights.recordRecipientNotice(staffOf(request), id, input),
        '#recipients',
        'outcome',
      );
    },
  );

  registerReviewPages(app, rights, labels);
  registerRectificationRoutes(app, { rights });

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
        outcomes: page.outcomes.map((o) => ({
          action: o.action,
          source: o.source,
          itemId: o.item_id,
          category: o.category,
          ground: o.ground,
          reason: o.reason,
        })),
        annotations: page.annotations.map((a) => ({
          id: a.id,
          kind: a.kind,
          recordId: a.record_id,
          noteId: a.note_id,
          text: a.text,
        })),
        recipients: page.recipients.map((x) => ({
          disclosureId: x.disclosureId,
          recipient: x.recipient,
          disclosedOn: x.disclosedOn,
          recordIds: x.recordIds,
          notice: x.notice && {
            outcome: x.notice.outcome,
            toldOn: x.notice.toldOn,
            method: x.notice.method,
            reason: x.notice.reason,
          },
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

  typed.post(
    '/api/v1/rights/requests/:id/erasure',
    {
      schema: {
        summary:
          'Carry out an erasure or consent withdrawal: erase the confirmed entries discovery found, where the decision and any legal hold allow',
        tags,
        params: idParams,
        body: carryOutErasureSchema,
        response: { 200: z.object({ outcomes: z.array(outcomeLineSchema) }), 409: problem },
      },
    },
    async (request) => ({
      outcomes: await rights.carryOutErasure(
        staffOf(request),
        request.params.id,
        request.body.items,
      ),
    }),
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/person',
    {
      schema: {
        summary:
          'Correct facts about the confirmed person (Art 16); history is kept and retention recomputed',
        tags,
        params: idParams,
        body: personCorrectionSchema,
        response: { 200: z.object({ version: z.number() }), 409: problem },
      },
    },
    async (request) => ({
      version: await rights.rectification.rectifyPerson(
        staffOf(request),
        request.params.id,
        request.body,
      ),
    }),
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/identifier',
    {
      schema: {
        summary:
          'Add an identifier the person says is missing (Art 16); one held for someone else is refused',
        tags,
        params: idParams,
        body: identifierSchema,
        response: { 201: z.object({ id: z.uuid() }), 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.rectification.completePerson(staffOf(request), request.params.id, {
        kind: 'identifier',
        identifier: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/rectification/address',
    {
      schema: {
        summary: 'Add the correct address (Art 16); the wrong one stays in the history',
        tags,
        params: idParams,
        body: addressSchema,
        response: { 201: z.object({ id: z.uuid() }), 409: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.rectification.completePerson(staffOf(request), request.params.id, {
        kind: 'address',
        address: request.body,
      });
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/annotations',
    {
      schema: {
        summary:
          'Attach what the person disputes (an opinion is not rewritten), or their statement on a refusal, to a record or note',
        tags,
        params: idParams,
        body: annotationSchema,
        response: { 201: z.object({ id: z.uuid() }), 409: problem },
      },
    },
    async (request, reply) => {
      const id = await rights.rectification.annotate(
        staffOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id });
    },
  );

  typed.post(
    '/api/v1/rights/requests/:id/recipient-notices',
    {
      schema: {
        summary:
          'Art 19: record that a recipient was told of the rectification, erasure or restriction, or why not',
        tags,
        params: idParams,
        body: recipientNoticeSchema,
        response: { 204: z.null(), 409: problem },
      },
    },
    async (request, reply) => {
      await rights.recordRecipientNotice(staffOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  registerReviewApi(app, rights);
  registerPortabilityRoutes(app, rights);
}
