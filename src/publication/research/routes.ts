/**
 * Research extracts for information governance (decision 0034): the list,
 * the request form, approval by a second person and the CSV download. The
 * service decides who may (governance of the signed-in organisation only;
 * anyone else is "not found") and audits every step.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffContext } from '../../platform/auth/service.js';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import type { FieldError } from '../../platform/errors/errors.js';
import { submitForm } from '../../platform/http/form-route.js';
import { EXTRACT_FIELDS, EXTRACT_PURPOSES, type ResearchExtracts } from './extracts.js';

const views = 'publication/research/views';
const params = z.object({ id: z.string() });
const base = '/governance/research-extracts';

export function registerResearchExtractRoutes(
  app: FastifyInstance,
  deps: { extracts: ResearchExtracts },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { extracts } = deps;

  const show = async (
    reply: FastifyReply,
    staff: StaffContext,
    submitted: Record<string, unknown> = {},
    errors: FieldError[] = [],
  ) =>
    reply.render(`${views}/extracts.njk`, {
      title: 'Research extracts',
      extracts: await extracts.list(staff),
      purposes: EXTRACT_PURPOSES,
      fields: EXTRACT_FIELDS.map((f) => ({ value: f.field, text: f.label, hint: f.hint })),
      submitted,
      chosen: ([] as unknown[]).concat(submitted.fields ?? []),
      errors: errors.map((e) => ({
        text: e.message,
        href: `#${e.field === 'form' ? 'main-content' : e.field}`,
      })),
      fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
    });

  typed.get(base, { schema: { hide: true } }, async (request, reply) =>
    show(reply, staffInOrganisation(request).staff),
  );
  typed.post(base, { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    return submitForm(reply, {
      errors: [],
      save: () => extracts.request(staff, body),
      redirectTo: base,
      render: (shown, { errors }) => show(shown, staff, body, errors),
    });
  });
  typed.post(`${base}/:id/approval`, { schema: { params, hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    return submitForm(reply, {
      errors: [],
      save: () => extracts.approve(staff, request.params.id),
      redirectTo: base,
      render: (shown, { errors }) => show(shown, staff, {}, errors),
    });
  });
  typed.get(
    `${base}/:id/extract.csv`,
    { schema: { params, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const csv = await extracts.csv(staff, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="research-extract.csv"')
        .send(csv);
    },
  );
}
