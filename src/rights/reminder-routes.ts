import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { requireRemindersFor } from './reminders-job.js';
import { labels } from './routes.js';

/** Today's rights reminders (reminders-job.ts), for the governance team. */
export function registerReminderPages(app: FastifyInstance, deps: { db: Kysely<Database> }): void {
  app.get('/rights/reminders', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const summary = await requireRemindersFor(deps.db, staff);
    return reply.render('rights/views/reminders.njk', {
      title: 'Rights reminders',
      backLink: '/rights',
      summary,
      labels,
    });
  });
}
