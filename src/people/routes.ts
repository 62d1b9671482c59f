import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../platform/auth/session-hook.js';
import type { PeopleService } from './service.js';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });

export const personSummarySchema = z.object({
  id: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string().nullable().describe('Calendar date, YYYY-MM-DD, or null when unknown'),
});

export function registerPeopleRoutes(app: FastifyInstance, deps: { people: PeopleService }): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/people',
    { schema: { querystring: pageQuery, hide: true } },
    async (request, reply) => {
      const result = await deps.people.list(staffOf(request), request.query.page);
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      return reply.render('people/views/list.njk', {
        title: 'People',
        ...result,
        pages,
        previous: result.page > 1 ? `/people?page=${result.page - 1}` : null,
        next: result.page < pages ? `/people?page=${result.page + 1}` : null,
      });
    },
  );

  typed.get(
    '/api/v1/people',
    {
      schema: {
        summary: 'People held by your current organisation',
        tags: ['people'],
        querystring: pageQuery,
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            people: z.array(personSummarySchema),
          }),
        },
      },
    },
    async (request) => deps.people.list(staffOf(request), request.query.page),
  );
}
