import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors/errors.js';
import { formatDate } from '../../platform/http/views.js';
import { isOrganisationSlug, policyFor } from '../../policy/index.js';
import type { PolicyVersions, VersionInForce } from '../policy/versions.js';
import { privacyNotice } from './notice.js';
import { noticeChanges } from './version-changes.js';

const views = 'governance/notice/views';
const params = z.object({ organisation: z.string().max(100) });
/** Any text: a number that is not a version is "not found", never a validation error. */
const versionParams = z.object({ organisation: z.string().max(100), n: z.string().max(20) });

/** "In force from 3 June 2026 until 4 July 2026", in words. */
function inForceWords(v: VersionInForce): string {
  const from = `In force from ${formatDate(v.effectiveFrom)}`;
  return v.until ? `${from} until ${formatDate(v.until)}` : `${from}; in force now`;
}

/**
 * Every version of an organisation's privacy notice that has been in force,
 * public like the notice (issue 11): each rendered from the policy version
 * it was, with what changed from the version before. An organisation or a
 * version that does not exist — or was never in force — is "Page not found".
 */
export function registerNoticeVersionRoutes(
  app: FastifyInstance,
  deps: { versions: PolicyVersions },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  async function historyOf(slug: string): Promise<VersionInForce[]> {
    if (!isOrganisationSlug(slug)) throw new NotFoundError();
    const history = await deps.versions.history(slug);
    if (history.length === 0) throw new NotFoundError();
    return history;
  }

  typed.get(
    '/privacy/:organisation/versions',
    { config: { access: 'public' }, schema: { hide: true, params } },
    async (request, reply) => {
      const slug = request.params.organisation;
      const history = await historyOf(slug);
      const name = policyFor(slug).name;
      return reply.render(`${views}/versions.njk`, {
        title: `Versions of the privacy notice: ${name}`,
        backLink: `/privacy/${slug}`,
        name,
        slug,
        versions: history
          .map((v) => ({
            version: v.version,
            words: inForceWords(v),
            review: v.review,
            current: v.until === null,
          }))
          .reverse(),
      });
    },
  );

  typed.get(
    '/privacy/:organisation/versions/:n',
    { config: { access: 'public' }, schema: { hide: true, params: versionParams } },
    async (request, reply) => {
      const { organisation: slug, n } = request.params;
      const history = await historyOf(slug);
      const index = /^[1-9]\d{0,8}$/.test(n)
        ? history.findIndex((v) => v.version === Number(n))
        : -1;
      const shown = history[index];
      if (!shown) throw new NotFoundError();
      const previous = history[index - 1];
      const policy = await deps.versions.policyOf(slug, shown.version);
      if (!policy) throw new NotFoundError();
      const before = previous ? await deps.versions.policyOf(slug, previous.version) : null;
      const notice = privacyNotice(policy);
      return reply.render(`${views}/notice.njk`, {
        title: `Privacy notice, version ${shown.version}: ${notice.controllerName}`,
        backLink: `/privacy/${slug}/versions`,
        notice,
        version: {
          number: shown.version,
          words: inForceWords(shown),
          current: shown.until === null,
          review: shown.review,
          previous: previous?.version ?? null,
          changes: before ? noticeChanges(before, policy) : null,
        },
      });
    },
  );
}
