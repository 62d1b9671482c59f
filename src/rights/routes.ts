import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ValidationError, type FieldError } from '../platform/errors/errors.js';
import { dateInputValues } from '../platform/http/date-input.js';
import { errorView } from '../platform/http/forms.js';
import { registerReviewApi, registerReviewPages } from './review-routes.js';
import { registerRectificationRoutes } from './rectification-routes.js';
import { registerPortabilityRoutes } from './portability-routes.js';
import { registerRequestPageRoutes } from './request-page-routes.js';
import { registerOutcomeRoutes } from './outcome-routes.js';
import { registerRightsApi } from './api-routes.js';
import { labels } from './labels.js';
import { intakeInput, list, optionText, text, type Body } from './request-forms.js';
import { staffOf, views } from './request-view.js';
import { describeClock, type RightsService } from './service.js';
import { requestTypes, requesterRoles } from './tables.js';

/** Words shown on pages for the stored codes (labels.ts). */
export { labels } from './labels.js';

/** Rights request pages and the API under /api/v1/rights. */
export function registerRightsRoutes(app: FastifyInstance, deps: { rights: RightsService }): void {
  const { rights } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // -------------------------------------------------------------------------
  // Pages: the dashboard and intake (the rest are registered below)

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

  registerRequestPageRoutes(app, rights);
  registerOutcomeRoutes(app, rights);
  registerReviewPages(app, rights, labels);
  registerRectificationRoutes(app, { rights });
  registerRightsApi(app, rights);
  registerReviewApi(app, rights);
  registerPortabilityRoutes(app, rights);
}
