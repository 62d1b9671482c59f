import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canGovernRecords } from '../../platform/access/access.js';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { NotFoundError } from '../../platform/errors/errors.js';
import { policyFor, type OrganisationSlug } from '../../policy/index.js';
import { appropriatePolicyDocument } from './appropriate-policy.js';
import type { ImportSource } from '../../intake/ropa-sources.js';
import type { ResearchExtracts } from '../../publication/research/extracts.js';
import { recordOfProcessing, ropaColumns, ropaCsv } from './ropa.js';

const views = 'governance/ropa/views';

/**
 * The record of processing (UK GDPR Art 30) and the appropriate policy
 * document (DPA 2018 Sch 1 Part 4) of the signed-in organisation, for its
 * information governance officers and DPO only; to anyone else "not found".
 * Both hold no personal data: they are generated from the policy.
 */
export function registerRopaRoutes(
  app: FastifyInstance,
  deps: {
    extracts?: ResearchExtracts;
    /** Partners' imported files, by kind and partner, for the sources (intake/ropa-sources.ts). */
    imports?: (organisationId: string) => Promise<ImportSource[]>;
  } = {},
): void {
  const importsOf = async (organisationId: string) =>
    deps.imports ? deps.imports(organisationId) : [];
  const governedPolicy = (request: FastifyRequest) => {
    const { staff, organisation } = staffInOrganisation(request);
    if (!canGovernRecords(staff, organisation.id)) throw new NotFoundError();
    return policyFor(organisation.slug as OrganisationSlug);
  };

  app.get(
    '/governance/record-of-processing',
    { schema: { hide: true } },
    async (request, reply) => {
      const policy = governedPolicy(request);
      const { organisation } = staffInOrganisation(request);
      return reply.render(`${views}/record-of-processing.njk`, {
        title: 'Record of processing activities',
        policy,
        columns: ropaColumns,
        rows: recordOfProcessing(policy, { imports: await importsOf(organisation.id) }),
        // Pseudonymised extracts approved for research (issue 14; decision 0034).
        extracts: deps.extracts ? await deps.extracts.approved(organisation.id) : [],
      });
    },
  );

  app.get(
    '/governance/record-of-processing.csv',
    { schema: { hide: true } },
    async (request, reply) => {
      const policy = governedPolicy(request);
      const { organisation } = staffInOrganisation(request);
      const rows = recordOfProcessing(policy, {
        siteUrl: siteUrl(request),
        imports: await importsOf(organisation.id),
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="record-of-processing-${policy.slug}.csv"`,
        )
        .send(ropaCsv(rows));
    },
  );

  app.get(
    '/governance/appropriate-policy-document',
    { schema: { hide: true } },
    (request, reply) => {
      const policy = governedPolicy(request);
      return reply.render(`${views}/appropriate-policy-document.njk`, {
        title: 'Appropriate policy document',
        policy,
        document: appropriatePolicyDocument(policy),
      });
    },
  );
}

/** The site's own address, so the CSV's notice links work outside Safekeep. */
function siteUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
