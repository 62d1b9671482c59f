import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Routes only the load benchmark's server has: the machine's ceiling, with
 * none of Safekeep's work — a bare route, and a bare primary-key read
 * through the same pool.
 */
export function registerCeiling(app: FastifyInstance, db: Kysely<Database>): void {
  app.get('/bench/ceiling/route', { config: { access: 'public' } }, () => ({ ok: true }));
  app.get<{ Params: { id: string } }>(
    '/bench/ceiling/read/:id',
    { config: { access: 'public' } },
    async (request) => {
      const row = await db
        .selectFrom('case_record')
        .select(['id', 'category'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      return { found: row !== undefined };
    },
  );
}
