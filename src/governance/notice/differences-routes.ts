import type { FastifyInstance } from 'fastify';
import { canGovernRecords } from '../../platform/access/access.js';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { NotFoundError } from '../../platform/errors/errors.js';
import { policyFor, type OrganisationSlug } from '../../policy/index.js';
import { differenceKindWords, noticeDifferences, type DifferenceKind } from './differences.js';

/** The differences page, for information governance and the DPO of the organisation only. */
export function registerDifferencesRoutes(app: FastifyInstance): void {
  app.get('/governance/notice/differences', { schema: { hide: true } }, (request, reply) => {
    const { staff, organisation } = staffInOrganisation(request);
    if (!canGovernRecords(staff, organisation.id)) throw new NotFoundError();
    const policy = policyFor(organisation.slug as OrganisationSlug);
    const differences = noticeDifferences(policy);
    const kinds = Object.keys(differenceKindWords) as DifferenceKind[];
    return reply.render('governance/notice/views/differences.njk', {
      title: 'Differences between the published notice and the policy',
      policy,
      differences,
      groups: kinds.map((kind) => ({
        title: differenceKindWords[kind],
        items: differences.filter((d) => d.kind === kind),
      })),
    });
  });
}
