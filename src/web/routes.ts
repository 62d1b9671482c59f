import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { canGovernRecords, canPeople, canStatistics } from '../platform/access/access.js';
import { roles } from '../platform/access/roles.js';
import { staffInOrganisation, staffOf } from '../platform/auth/session-hook.js';
import { remindersFor } from '../rights/reminders-job.js';
import type { ComplaintsService } from '../governance/complaints/service.js';
import { breachClocksFor } from '../governance/breaches/reminders.js';
import type { RetentionService } from '../retention/service.js';
import { seesReturns } from '../returns/routes.js';
import { myWorkFor } from './my-work/my-work.js';
import { noticeReviewReminder } from '../governance/notice/review.js';
import { londonDay } from '../sharing/dates.js';

/** The home page, the health check and who-am-I. */
export function registerWebRoutes(
  app: FastifyInstance,
  deps: {
    db: Kysely<Database>;
    complaints: ComplaintsService;
    retention: RetentionService;
    now?: () => Date;
  },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  app.get('/', async (request, reply) => {
    const staff = staffOf(request);
    return reply.render('web/views/home.njk', {
      title: 'Home',
      roleNames: staff.roles.map((slug) => roles.find((r) => r.slug === slug)?.name ?? slug),
      // The governance team's daily rights reminders; null for everyone else.
      rightsReminders: await remindersFor(deps.db, staff),
      // Complaints to acknowledge or update (s.164A); null for everyone else.
      complaintReminders: await deps.complaints.reminders(staff),
      // Breaches waiting for the ICO decision, for the same team; null for everyone else.
      breachClocks: await breachClocksFor(deps.db, staff),
      // The privacy notice's review, when due; the DPO's only, null for everyone else.
      noticeReview: noticeReviewReminder(staff, londonDay(new Date())),
      governs: !!staff.organisation && canGovernRecords(staff, staff.organisation.id),
      // Only a link the role may follow (role-links.test.ts): the DPO and
      // Maidstone's officers do not list people.
      listsPeople: !!staff.organisation && canPeople(staff, 'person.list', staff.organisation.id),
      seesStatistics: canStatistics(staff),
      seesReturns: staff.stage === 'complete' && seesReturns(staff),
      // Caseload, what is due and approvals waiting (issue 13 item 1).
      myWork: await myWorkFor(deps, staff),
    });
  });

  typed.get(
    '/api/v1/me',
    {
      schema: {
        summary: 'The signed-in staff member and their current organisation',
        tags: ['session'],
        response: {
          200: z.object({
            accountId: z.uuid(),
            displayName: z.string(),
            organisation: z.object({ id: z.uuid(), slug: z.string(), shortName: z.string() }),
            roles: z.array(z.string()),
          }),
        },
      },
    },
    async (request) => {
      const { staff, organisation } = staffInOrganisation(request);
      return {
        accountId: staff.accountId,
        displayName: staff.displayName,
        organisation,
        roles: staff.roles,
      };
    },
  );
}
