import type { Kysely } from 'kysely';
import { destroyRecords } from './casework/destruction.js';
import type { Database } from './db/schema.js';
import { PartnershipService } from './partnership/service.js';
import { destroyOrphanedPeople } from './people/disposal.js';
import { auditPartitionsJob } from './platform/audit/partitions.js';
import type { Job } from './platform/jobs/scheduler.js';
import { dailySweepJob } from './retention/scheduler.js';
import type { Config } from './config.js';
import type { RecordDisposal } from './retention/disposal.js';
import { RetentionService } from './retention/service.js';
import { forgetDestroyedRecords } from './rights/disposal.js';
import { rightsRemindersJob } from './rights/reminders-job.js';
import { breachRemindersJob } from './governance/breaches/reminders.js';
import { takeDownJob } from './publication/publications.js';

/**
 * Services shared by the two entry points (the web app and the CLI), built
 * over one database. Cross-capability wiring lives here and nowhere else.
 */
export function recordDisposal(): RecordDisposal {
  return {
    async destroyRecords(trx, recordIds) {
      // Copies of the records in rights requests' review go with them.
      await forgetDestroyedRecords(trx, recordIds);
      return destroyRecords(trx, recordIds);
    },
    destroyOrphanedPeople,
  };
}

export function createRetentionService(db: Kysely<Database>, now?: () => Date): RetentionService {
  return new RetentionService(db, recordDisposal(), now);
}

/**
 * The jobs the server runs daily: the retention sweep, and the SSCP booking
 * minimisation ("nothing else past the course"), which is idempotent.
 */
export function dailyJobs(
  db: Kysely<Database>,
  config: Pick<Config, 'sessionSecret'>,
  log: { info(msg: string): void },
): Job[] {
  const partnership = new PartnershipService(db, { sessionSecret: config.sessionSecret });
  return [
    dailySweepJob(db, createRetentionService(db), log),
    rightsRemindersJob(db, log),
    // The scheduler asks every hour: the 72-hour breach clock needs hours, not days.
    breachRemindersJob(db, log),
    // Published practice reviews come down when their period ends (issue 14).
    takeDownJob(db, log),
    // The audit log's months, a year ahead (migration 0070).
    auditPartitionsJob(db, log),
    {
      name: 'partnership.minimise-bookings',
      async runIfDue() {
        const minimised = await partnership.minimiseBookingsAfterCourse();
        if (minimised.length > 0) log.info(`minimised ${minimised.length} training booking(s)`);
      },
    },
  ];
}
