import { sql, type Kysely } from 'kysely';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/schema.js';

/**
 * Two questions a load balancer or orchestrator asks, answered apart so
 * that a database outage takes instances out of rotation without getting
 * them restarted (which would not help):
 * - /health/live: the process answers at all (restart it if not);
 * - /health/ready (and /health, as before): it can do its work now, i.e.
 *   its database answers (send it traffic only if so).
 * While a server drains after SIGTERM, Fastify answers every request, these
 * included, 503 with the connection closed, so it leaves rotation first.
 * Neither says anything about records or people, and neither is audited.
 */
export function registerHealthRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const route = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get('/health/live', route, async () => ({ status: 'live' }));
  const ready = async (_request: unknown, reply: FastifyReply) => {
    if (await databaseReachable(db)) {
      return reply.send({ status: 'ok', database: 'reachable' });
    }
    return reply
      .status(503)
      .header('retry-after', '30')
      .send({ status: 'unavailable', database: 'unreachable' });
  };
  app.get('/health/ready', route, ready);
  app.get('/health', route, ready);
}

/**
 * Whether PostgreSQL answers. Asked twice: the first attempt may draw a
 * pooled connection that the server ended a moment ago (a restart, an
 * administrator), which says nothing about whether it is reachable now.
 */
async function databaseReachable(db: Kysely<Database>): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await sql`select 1`.execute(db);
      return true;
    } catch {
      // Try once more on a fresh connection.
    }
  }
  return false;
}
