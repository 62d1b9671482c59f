import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../platform/errors/errors.js';
import { errorView } from '../platform/http/forms.js';
import { formatDate } from '../platform/http/views.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { SharingAgreements } from './agreement-service.js';
import { registerAgreementRoutes } from './agreement-routes.js';
import type { DisclosureInput } from './schemas.js';
import { MIN_JUSTIFICATION, type SharingService } from './service.js';
import { consentReasons, sharingPurposes } from './tables.js';

const views = 'sharing/views';
const idParams = z.object({ id: z.string() });
const logQuery = z.object({
  partner: z.string().optional(),
  purpose: z.string().optional(),
  basis: z.string().optional(),
  consent: z.string().optional(),
});

const consentLabels = {
  given: 'Given',
  refused: 'Refused',
  'not-sought': 'Not sought',
} as const;

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? [value] : [];
}

/** The form's fields, turned into the service's input (which validates it all). */
function disclosureFromForm(recordId: string, body: Record<string, unknown>): DisclosureInput {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const items = list(body.items).flatMap((value): DisclosureInput['items'] => {
    const [kind, id] = value.split(':');
    if (kind === 'field' && id) return [{ recordId, kind, field: id }];
    if ((kind !== 'record' && kind !== 'note' && kind !== 'document') || !id) return [];
    return [{ recordId, kind, id }];
  });
  const [recipientId, recipientOrganisation] = text('recipient').split('@');
  const day = text('expiresOn-day').trim();
  const month = text('expiresOn-month').trim();
  const year = text('expiresOn-year').trim();
  const expiresOn =
    day || month || year
      ? `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
      : '';
  return {
    items,
    recipientId: recipientId ?? '',
    recipientName: text('recipientName'),
    ...(recipientOrganisation ? { recipientOrganisation } : {}),
    purpose: text('purpose'),
    agreementId: text('agreementId'),
    lawfulBasis: text('lawfulBasis'),
    specialCondition: text('specialCondition'),
    consent: text('consent'),
    consentReason: text('consentReason'),
    justification: text('justification'),
    expiresOn,
  } as DisclosureInput;
}

async function renderShareForm(
  reply: FastifyReply,
  sharing: SharingService,
  staff: StaffContext,
  recordId: string,
  submitted: Record<string, unknown> = {},
  errors: FieldError[] = [],
) {
  const [form, recipients, agreements] = await Promise.all([
    sharing.shareForm(staff, recordId),
    sharing.recipients(staff),
    sharing.agreements(staff),
  ]);
  const chosenItems = list(submitted.items);
  const checked = (value: string) => chosenItems.includes(value);
  const radio = (name: string, value: string) => submitted[name] === value;
  const recipientOptions = recipients.flatMap((r) => [
    ...r.safekeep.map((o) => ({
      value: `${r.id}@${o.slug}`,
      text: `${o.name} (${r.name})`,
      hint: { text: 'In Safekeep: they get read-only access to exactly these items until it ends' },
      checked: radio('recipient', `${r.id}@${o.slug}`),
    })),
    {
      value: r.id,
      text: r.name,
      hint: { text: 'Outside Safekeep: a marked PDF, downloaded once' },
      checked: radio('recipient', r.id),
    },
  ]);
  reply.status(errors.length ? 400 : 200);
  return reply.render(`${views}/share.njk`, {
    title: `Share information – ${form.record.categoryName}`,
    backLink: `/records/${recordId}`,
    ...form,
    items: [
      {
        value: `record:${form.record.id}`,
        text: `The record itself: ${form.record.categoryName}${form.record.subject ? ` about ${form.record.subject}` : ''} (its details, people and sources)`,
        checked: checked(`record:${form.record.id}`),
      },
      ...form.notes.map((n) => ({
        value: `note:${n.id}`,
        text: `Note of ${formatDate(n.occurredOn)} (${n.kind.replace(/-/g, ' ')}): ${n.excerpt}`,
        checked: checked(`note:${n.id}`),
      })),
      ...form.documents.map((d) => ({
        value: `document:${d.id}`,
        text: `Document: ${d.filename}`,
        checked: checked(`document:${d.id}`),
      })),
    ],
    fieldItems: form.fields.map((f) => ({
      value: `field:${f.name}`,
      text: f.label,
      checked: checked(`field:${f.name}`),
    })),
    recipientOptions,
    purposeOptions: Object.entries(sharingPurposes).map(([value, text]) => ({
      value,
      text,
      checked: radio('purpose', value),
    })),
    agreementOptions: [
      {
        value: '',
        text: 'None: outside any agreement (needs a justification and a second approver)',
      },
      ...agreements.map((a) => ({
        value: a.id,
        text: `${a.title}${a.overdue ? ' (overdue for review)' : ''}`,
        selected: submitted.agreementId === a.id,
      })),
    ],
    basisOptions: form.lawfulBases.map((b) => ({
      value: b.article,
      text: `Article ${b.article}: ${b.name}`,
      checked: radio('lawfulBasis', b.article),
    })),
    conditionOptions: form.specialConditions.map((c) => ({
      value: c.article,
      text: `Article ${c.article}: ${c.name}`,
      checked: radio('specialCondition', c.article),
    })),
    consentOptions: Object.entries(consentLabels).map(([value, text]) => ({
      value,
      text,
      checked: radio('consent', value),
    })),
    reasonOptions: Object.entries(consentReasons).map(([value, text]) => ({
      value,
      text,
      checked: radio('consentReason', value),
    })),
    minJustification: MIN_JUSTIFICATION,
    submitted,
    ...errorView(errors),
  });
}

export function registerSharingRoutes(
  app: FastifyInstance,
  deps: { sharing: SharingService; agreements: SharingAgreements },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { sharing } = deps;

  registerAgreementRoutes(app, { agreements: deps.agreements });

  typed.get(
    '/records/:id/share',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      return renderShareForm(reply, sharing, staff, request.params.id);
    },
  );

  typed.post(
    '/records/:id/share',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      try {
        const id = await sharing.create(staff, disclosureFromForm(request.params.id, body));
        return reply.redirect(`/sharing/disclosures/${id}`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const fields: Record<string, string> = {
          recipientOrganisation: 'recipient',
          recipientId: 'recipient',
          expiresOn: 'expiresOn-day',
        };
        const errors = error.fieldErrors.map((e) => ({ ...e, field: fields[e.field] ?? e.field }));
        return renderShareForm(reply, sharing, staff, request.params.id, body, errors);
      }
    },
  );

  typed.get(
    '/sharing/disclosures/:id',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const disclosure = await sharing.disclosure(staff, request.params.id);
      return reply.render(`${views}/disclosure.njk`, {
        title: `Disclosure to ${disclosure.recipientName}`,
        disclosure,
      });
    },
  );

  for (const decision of ['approve', 'refuse'] as const) {
    typed.post(
      `/sharing/disclosures/:id/${decision}`,
      { schema: { params: idParams, hide: true } },
      async (request, reply) => {
        const { staff } = staffInOrganisation(request);
        await sharing.decide(staff, request.params.id, decision);
        return reply.redirect(`/sharing/disclosures/${request.params.id}`, 303);
      },
    );
  }

  typed.post(
    '/sharing/disclosures/:id/revoke',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      await sharing.revoke(staff, request.params.id);
      return reply.redirect(`/sharing/disclosures/${request.params.id}`, 303);
    },
  );

  // A POST, not a link: downloading uses the package up.
  typed.post(
    '/sharing/disclosures/:id/package',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const pkg = await sharing.downloadPackage(staff, request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${pkg.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(pkg.content);
    },
  );

  typed.get(
    '/sharing/log',
    { schema: { querystring: logQuery, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const log = await sharing.log(staff, request.query);
      const recipients = await sharing.recipients(staff);
      const option = (value: string, text: string, current: string | undefined) => ({
        value,
        text,
        selected: value === (current ?? ''),
      });
      return reply.render(`${views}/log.njk`, {
        title: 'Disclosure log',
        ...log,
        partnerOptions: [
          option('', 'Any partner', log.filter.partner),
          ...recipients.map((r) => option(r.id, r.name, log.filter.partner)),
        ],
        purposeOptions: [
          option('', 'Any purpose', log.filter.purpose),
          ...Object.entries(sharingPurposes).map(([v, t]) => option(v, t, log.filter.purpose)),
        ],
        basisOptions: [
          option('', 'Any basis', log.filter.basis),
          ...['6(1)(a)', '6(1)(b)', '6(1)(c)', '6(1)(d)', '6(1)(e)', '6(1)(f)'].map((v) =>
            option(v, `Article ${v}`, log.filter.basis),
          ),
        ],
        consentOptions: [
          option('', 'Any', log.filter.consent),
          ...Object.entries(consentLabels).map(([v, t]) => option(v, t, log.filter.consent)),
        ],
      });
    },
  );

  typed.get('/sharing/received', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    return reply.render(`${views}/received.njk`, {
      title: 'Shared with us',
      entries: await sharing.received(staff),
    });
  });
}
