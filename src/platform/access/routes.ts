import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { staffInOrganisation } from '../auth/session-hook.js';
import { roleHoldersReport } from './role-holders-report.js';

const views = 'platform/access/views';

/** Governance pages about who may see what. */
export function registerAccessRoutes(app: FastifyInstance, deps: { db: Kysely<Database> }): void {
  app.get('/governance/role-holders', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const report = await roleHoldersReport(deps.db, staff);
    return reply.render(`${views}/role-holders.njk`, { title: 'Who holds each role', ...report });
  });
}
