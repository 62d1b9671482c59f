import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { canPeople } from '../platform/access/access.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import type { StaffContext } from '../platform/auth/service.js';
import { NotFoundError } from '../platform/errors/errors.js';

/** Who is importing: a member of staff in the browser, or an operator on the command line. */
export interface Actor {
  /** Null for the command line (an operator with the database's keys). */
  accountId: string | null;
  organisationId: string;
  organisationSlug: string;
}

export function actorOf(staff: StaffContext): Actor {
  const organisation = staff.organisation;
  if (!organisation || !canPeople(staff, 'person.write', organisation.id)) {
    throw new NotFoundError();
  }
  return {
    accountId: staff.accountId,
    organisationId: organisation.id,
    organisationSlug: organisation.slug,
  };
}

/**
 * An import step's audit event: ids only (the job first, then the rows and
 * people it touched), never values. The job names the partner, the notice's
 * words for the source and the lawful bases, so the event says where the
 * information came from without repeating it.
 */
export function auditIntake(
  trx: Transaction<Database>,
  actor: Actor,
  action: string,
  ids: string[],
): Promise<void> {
  return recordAudit(trx, {
    action,
    actorAccountId: actor.accountId,
    organisationId: actor.organisationId,
    objectType: 'intake-job',
    objectIds: ids,
    purpose: 'information-from-partners',
  });
}
