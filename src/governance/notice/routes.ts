import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors/errors.js';
import { isOrganisationSlug, policies, policyFor } from '../../policy/index.js';
import { registerDifferencesRoutes } from './differences-routes.js';
import type { PolicyVersions } from '../policy/versions.js';
import { privacyNotice } from './notice.js';
import { registerNoticeVersionRoutes } from './version-routes.js';

const views = 'governance/notice/views';
const params = z.object({ organisation: z.string().max(100) });

/**
 * The public privacy notices (UK GDPR Art 13/14): no sign-in, rendered from
 * the policy in force (notice.ts). An organisation that does not exist gets
 * the ordinary "Page not found".
 */
export function registerNoticeRoutes(
  app: FastifyInstance,
  deps: { versions: PolicyVersions },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  registerDifferencesRoutes(app);
  registerNoticeVersionRoutes(app, deps);

  typed.get(
    '/privacy',
    { config: { access: 'public' }, schema: { hide: true } },
    (_request, reply) =>
      reply.render(`${views}/index.njk`, {
        title: 'Privacy notices',
        organisations: policies.map((p) => ({ slug: p.slug, name: p.name })),
      }),
  );

  typed.get(
    '/privacy/:organisation',
    { config: { access: 'public' }, schema: { hide: true, params } },
    (request, reply) => {
      const slug = request.params.organisation;
      if (!isOrganisationSlug(slug)) throw new NotFoundError();
      const notice = privacyNotice(policyFor(slug));
      return reply.render(`${views}/notice.njk`, {
        title: `Privacy notice: ${notice.controllerName}`,
        notice,
      });
    },
  );
}
