/**
 * Re-filing a record (issue 12 item 14): the page for information governance
 * and the API. The rules are RefileService's.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { ValidationError, type FieldError } from '../platform/errors/errors.js';
import { errorView } from '../platform/http/forms.js';
import { categorySlugs } from '../policy/index.js';
import { refileSchema, type RefileService } from './refile-service.js';

const idParams = z.object({ id: z.string() });

const refiledResponse = z.object({
  id: z.string(),
  category: z.enum(categorySlugs),
  retention: z.object({
    status: z.enum(['scheduled', 'pending', 'needs-review', 'no-rule']),
    due: z.string().nullable(),
    action: z.string().nullable(),
    ruleId: z.string().nullable(),
    needsReview: z.boolean(),
    explanation: z.string(),
  }),
});

export function registerRefileRoutes(app: FastifyInstance, deps: { refile: RefileService }) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { refile } = deps;

  async function renderForm(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    values: Record<string, unknown> = {},
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const form = await refile.form(staff, recordId);
    return reply.render('casework/views/refile.njk', {
      title: 'Re-file this record',
      backLink: `/records/${form.id}`,
      record: form,
      values,
      ...errorView(errors),
    });
  }

  typed.get(
    '/records/:id/refile',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => renderForm(reply, request.params.id, []),
  );

  typed.post(
    '/records/:id/refile',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      try {
        await refile.refile(staff, request.params.id, body);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return renderForm(reply.status(400), request.params.id, error.fieldErrors, body);
      }
      return reply.redirect(`/records/${request.params.id}`, 303);
    },
  );

  typed.post(
    '/api/v1/records/:id/refile',
    {
      schema: {
        summary:
          'Re-file the record to another category of its organisation (information governance), with a reason; retention is assessed again',
        tags: ['records'],
        params: idParams,
        body: refileSchema,
        response: { 200: refiledResponse },
      },
    },
    async (request) =>
      refile.refile(staffInOrganisation(request).staff, request.params.id, request.body),
  );
}
