import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../../platform/errors/errors.js';
import { dateInputValues } from '../../platform/http/date-input.js';
import { submitForm } from '../../platform/http/form-route.js';
import { errorView, parseForm } from '../../platform/http/forms.js';
import { labels as rightsLabels } from '../../rights/routes.js';
import { currentQuarter, periodChoices } from './counts.js';
import { parseReference } from './reference.js';
import {
  bodyOf,
  inFormOrder,
  readComplainant,
  textOf,
  typedValues,
  type Body,
} from './form-input.js';
import {
  acknowledgeSchema,
  complainantFields,
  linkSchema,
  breachLinkSchema,
  noteSchema,
  outcomeSchema,
  staffIntakeSchema,
  updateSchema,
} from './schemas.js';
import type { ComplaintsService } from './service.js';
import { staffChannels } from './tables.js';
import { complaintLabels, optionsOf } from './words.js';

/**
 * The governance team's complaint pages: the list, recording a complaint for
 * a caller, one complaint with its forms, its outcome letter, and the counts
 * per period with a CSV. Every page asks the service, which refuses anyone
 * but information governance and the DPO of the complaint's organisation as
 * "not found" (platform/access/complaint-rules.ts).
 */

const views = 'governance/complaints/views';
const base = '/governance/complaints';
const idParams = z.object({ id: z.uuid() });
const periodQuery = z.object({ period: z.string().max(20).optional() });
const referenceQuery = z.object({ reference: z.string().max(200).optional() });

/** The date a date input shows: what was typed, or today when the form is fresh. */
function dateItems(body: Body | undefined, name: string, today: string) {
  if (body) return dateInputValues(body, name);
  const [year, month, day] = today.split('-').map(Number);
  return dateInputValues(
    {
      [`${name}-day`]: String(day),
      [`${name}-month`]: String(month),
      [`${name}-year`]: String(year),
    },
    name,
  );
}

export function registerComplaintRoutes(
  app: FastifyInstance,
  deps: { complaints: ComplaintsService },
): void {
  const { complaints } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // The list, and finding a complaint by the reference a caller reads out.
  typed.get(
    base,
    { schema: { hide: true, querystring: referenceQuery } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const list = await complaints.list(staff);
      const typedReference = request.query.reference?.trim() ?? '';
      let errors: FieldError[] = [];
      if (typedReference) {
        const wanted = parseReference(typedReference);
        const found = [...list.open, ...list.closed].find((c) => c.reference === wanted);
        if (found) return reply.redirect(`${base}/${found.id}`, 303);
        errors = [
          {
            field: 'reference',
            message: wanted
              ? 'No complaint has that reference. Check it with the caller'
              : 'Enter a reference as two words and a number, like Amber Heron 47',
          },
        ];
      }
      return reply.status(errors.length ? 400 : 200).render(`${views}/list.njk`, {
        title: 'Data protection complaints',
        ...list,
        labels: complaintLabels,
        values: { reference: typedReference },
        ...errorView(errors),
      });
    },
  );

  // ---------------------------------------------------------------------------
  // Recording a complaint for a caller

  const intakeFields = [...complainantFields, 'channel', 'receivedOn'] as const;
  const newPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    body?: Body,
    errors: FieldError[] = [],
  ) => {
    const values = body ? typedValues(body, complainantFields) : {};
    const channel = body ? textOf(body, 'channel') : undefined;
    return reply.render(`${views}/new.njk`, {
      title: 'Record a complaint',
      backLink: base,
      values,
      channelItems: optionsOf(
        Object.fromEntries(staffChannels.map((c) => [c, complaintLabels.channel[c]])),
        channel,
      ),
      receivedOnItems: dateItems(body, 'receivedOn', complaints.today()),
      ...errorView(errors),
    });
  };

  app.get(`${base}/new`, { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    // The same "not found" as the list for anyone but governance.
    complaints.mayManage(staff);
    return newPage(request, reply);
  });

  app.post(`${base}/new`, { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const body = bodyOf(request.body);
    const person = readComplainant(body, 'staff');
    const intake = parseForm(staffIntakeSchema, {
      channel: textOf(body, 'channel') || undefined,
      'receivedOn-day': textOf(body, 'receivedOn-day'),
      'receivedOn-month': textOf(body, 'receivedOn-month'),
      'receivedOn-year': textOf(body, 'receivedOn-year'),
    });
    const errors = inFormOrder(
      [...(person.ok ? [] : person.errors), ...(intake.ok ? [] : intake.errors)],
      intakeFields,
    );
    let id = '';
    return submitForm(reply, {
      errors,
      save: async () => {
        if (!person.ok || !intake.ok) return;
        id = await complaints.record(staff, {
          ...person.data,
          channel: intake.data.channel,
          receivedOn: (intake.data as { receivedOn: string }).receivedOn,
        });
      },
      redirectTo: () => `${base}/${id}`,
      render: (r, refusal) => newPage(request, r, body, refusal.errors),
    });
  });

  // ---------------------------------------------------------------------------
  // Counts per period (s.164B), and their CSV

  typed.get(
    `${base}/counts`,
    { schema: { hide: true, querystring: periodQuery } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const today = complaints.today();
      const chosen = request.query.period || currentQuarter(today);
      const choices = periodChoices(today);
      try {
        const result = await complaints.counts(staff, chosen);
        return reply.render(`${views}/counts.njk`, {
          title: 'Complaint numbers',
          backLink: base,
          ...result,
          choices,
          chosen,
          labels: complaintLabels,
        });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return reply.status(400).render(`${views}/counts.njk`, {
          title: 'Complaint numbers',
          backLink: base,
          choices,
          chosen: '',
          labels: complaintLabels,
          ...errorView(error.fieldErrors),
        });
      }
    },
  );

  typed.get(
    `${base}/counts.csv`,
    { schema: { hide: true, querystring: periodQuery } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const chosen = request.query.period || currentQuarter(complaints.today());
      const result = await complaints.counts(staff, chosen);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="complaints-${result.period.key}.csv"`)
        .send(result.csv);
    },
  );

  // ---------------------------------------------------------------------------
  // One complaint

  const complaintPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    refused?: { body: Body; errors: FieldError[]; conflict?: boolean },
  ) => {
    const { staff } = staffInOrganisation(request);
    const page = await complaints.get(staff, id);
    const body = refused?.body;
    return reply.render(`${views}/complaint.njk`, {
      title: `Complaint ${page.referenceInWords}`,
      backLink: base,
      ...page,
      c: page.complaint,
      labels: complaintLabels,
      rightsTypes: rightsLabels.type,
      values: body
        ? typedValues(body, [
            'ackVia',
            'noteBody',
            'updateVia',
            'updateBody',
            'outcome',
            'findings',
            'actions',
            'rightsRequestId',
            'breachId',
          ])
        : {},
      ackOnItems: dateItems(body, 'ackOn', page.today),
      updateOnItems: dateItems(body, 'updateOn', page.today),
      closedOnItems: dateItems(body, 'closedOn', page.today),
      sendingItems: (selected?: string) => optionsOf(complaintLabels.sending, selected),
      outcomeItems: optionsOf(complaintLabels.outcome, body ? textOf(body, 'outcome') : undefined),
      ...errorView(refused?.errors ?? []),
    });
  };

  typed.get(`${base}/:id`, { schema: { hide: true, params: idParams } }, (request, reply) =>
    complaintPage(request, reply, request.params.id),
  );

  typed.get(
    `${base}/:id/letter`,
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const { letter } = await complaints.letter(staff, request.params.id);
      return reply.render(`${views}/letter.njk`, {
        title: `Outcome letter ${letter.reference}`,
        backLink: `${base}/${request.params.id}`,
        letter,
      });
    },
  );

  /**
   * The complaint page's forms: each reads its fields, then asks the service;
   * a refusal shows the page again with what was typed. The service resolves
   * the id first, so another organisation's complaint is "not found" before
   * any field is looked at.
   */
  const forms: {
    path: string;
    read: (body: Body) => ReturnType<typeof parseForm>;
    fields: readonly string[];
    mapErrors?: Record<string, string>;
    save: (request: FastifyRequest, id: string, data: Record<string, unknown>) => Promise<void>;
  }[] = [
    {
      path: 'acknowledge',
      read: (body) => parseForm(acknowledgeSchema, pick(body, ['ackVia', 'version'], 'ackOn')),
      fields: ['ackOn', 'ackVia'],
      mapErrors: { on: 'ackOn' },
      save: (request, id, data) =>
        complaints.acknowledge(staffInOrganisation(request).staff, id, {
          on: String(data.ackOn),
          via: data.ackVia as 'email',
          version: Number(data.version),
        }),
    },
    {
      path: 'notes',
      read: (body) => parseForm(noteSchema, pick(body, ['noteBody'])),
      fields: ['noteBody'],
      save: (request, id, data) =>
        complaints.addNote(staffInOrganisation(request).staff, id, { body: String(data.noteBody) }),
    },
    {
      path: 'updates',
      read: (body) => parseForm(updateSchema, pick(body, ['updateVia', 'updateBody'], 'updateOn')),
      fields: ['updateOn', 'updateVia', 'updateBody'],
      mapErrors: { on: 'updateOn' },
      save: (request, id, data) =>
        complaints.sendUpdate(staffInOrganisation(request).staff, id, {
          on: String(data.updateOn),
          via: data.updateVia as 'email',
          body: String(data.updateBody),
        }),
    },
    {
      path: 'links',
      read: (body) => parseForm(linkSchema, pick(body, ['rightsRequestId'])),
      fields: ['rightsRequestId'],
      save: (request, id, data) =>
        complaints.linkRightsRequest(staffInOrganisation(request).staff, id, {
          rightsRequestId: String(data.rightsRequestId),
        }),
    },
    {
      path: 'breach-links',
      read: (body) => parseForm(breachLinkSchema, pick(body, ['breachId'])),
      fields: ['breachId'],
      save: (request, id, data) =>
        complaints.linkBreach(staffInOrganisation(request).staff, id, {
          breachId: String(data.breachId),
        }),
    },
    {
      path: 'outcome',
      read: (body) =>
        parseForm(
          outcomeSchema,
          pick(body, ['outcome', 'findings', 'actions', 'version'], 'closedOn'),
        ),
      fields: ['outcome', 'findings', 'actions', 'closedOn'],
      mapErrors: { on: 'closedOn' },
      save: (request, id, data) =>
        complaints.close(staffInOrganisation(request).staff, id, {
          outcome: data.outcome as 'upheld',
          findings: String(data.findings),
          actions: (data.actions as string | null) ?? null,
          on: String(data.closedOn),
          version: Number(data.version),
        }),
    },
  ];

  for (const form of forms) {
    typed.post(
      `${base}/:id/${form.path}`,
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const id = request.params.id;
        const body = bodyOf(request.body);
        const parsed = form.read(body);
        const mapErrors = (errors: FieldError[]) =>
          errors.map((e) => ({ ...e, field: form.mapErrors?.[e.field] ?? e.field }));
        return submitForm(reply, {
          errors: parsed.ok ? [] : inFormOrder(parsed.errors, form.fields),
          save: () =>
            form.save(request, id, parsed.ok ? (parsed.data as Record<string, unknown>) : {}),
          redirectTo: `${base}/${id}#section-${form.path}`,
          mapErrors,
          conflictField: form.fields[0],
          render: (r, refusal) =>
            complaintPage(request, r, id, {
              body,
              errors: refusal.errors,
              conflict: refusal.conflict,
            }),
        });
      },
    );
  }
}

/** The named fields (and a date input's three) as the form sent them, blanks as undefined for choices. */
function pick(body: Body, names: readonly string[], date?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = textOf(body, name);
    out[name] = value === '' && !/Body$|findings|actions/.test(name) ? undefined : value;
  }
  if (date) {
    for (const part of ['day', 'month', 'year'])
      out[`${date}-${part}`] = textOf(body, `${date}-${part}`);
  }
  return out;
}
