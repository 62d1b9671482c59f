import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../platform/auth/session-hook.js';
import type { DuplicateReview } from './duplicates-review.js';
import type { Waterfall } from './linkage/score.js';

const views = 'people/views';
const pairParams = z.object({ id: z.string(), otherId: z.string() });

/**
 * The duplicate-people pages (issue 15): the likely duplicates among the
 * people held, a pair side by side with the waterfall of why, and the two
 * decisions — merge (the existing merge, which can be undone) or "not the
 * same person", after which the pair is not listed again.
 */
export function registerDuplicateRoutes(
  app: FastifyInstance,
  deps: { duplicates: DuplicateReview },
): void {
  const { duplicates } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/people/duplicates',
    { schema: { hide: true, querystring: z.object({ saved: z.string().optional() }) } },
    async (request, reply) => {
      const { pairs, people } = await duplicates.list(staffOf(request));
      return reply.render(`${views}/duplicates.njk`, {
        title: 'People who may be recorded twice',
        backLink: '/people',
        held: people,
        saved: request.query.saved === 'not-same' ? 'Saved: they will not be listed again' : null,
        pairs: pairs.map((p) => ({ ...p, percent: percent(p.probability) })),
      });
    },
  );

  typed.get(
    '/people/duplicates/:id/:otherId',
    { schema: { hide: true, params: pairParams } },
    async (request, reply) => {
      const pair = await duplicates.pair(
        staffOf(request),
        request.params.id,
        request.params.otherId,
      );
      const w = pair.waterfall as Waterfall;
      return reply.render(`${views}/duplicate-pair.njk`, {
        title: 'Are they one person?',
        backLink: '/people/duplicates',
        pair,
        percent: percent(pair.probability),
        steps: w.steps.map((s) => ({
          field: s.field,
          text: s.text,
          towards: s.weight > 0.07 ? 'One person' : s.weight < -0.07 ? 'Two people' : 'Neither',
        })),
      });
    },
  );

  typed.post(
    '/people/duplicates/:id/:otherId/not-same',
    { schema: { hide: true, params: pairParams } },
    async (request, reply) => {
      await duplicates.markNotSame(staffOf(request), request.params.id, request.params.otherId);
      return reply.redirect('/people/duplicates?saved=not-same', 303);
    },
  );
}

function percent(p: number): string {
  const value = Math.floor(p * 1000) / 10;
  return `${value >= 99.9 ? 'over 99.9' : value}%`;
}
