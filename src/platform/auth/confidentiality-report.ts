import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { canGovernRecords } from '../access/access.js';
import { recordAudit } from '../audit/audit-log.js';
import { NotFoundError } from '../errors/errors.js';
import {
  acknowledgementDue,
  acknowledgementExpires,
  staffConfidentialityStatement,
} from './confidentiality.js';
import type { StaffContext } from './service.js';

export interface ConfidentialityRow {
  displayName: string;
  /** The latest acknowledgement for this organisation, if any. */
  acknowledgedAt: Date | null;
  /** A year after it; null when never acknowledged. */
  dueBy: Date | null;
  status: 'up to date' | 'due' | 'never';
}

/**
 * Every member of staff of the signed-in organisation (people, not service
 * accounts) with when they last acknowledged the confidentiality statement:
 * for the DPO and information governance, who must be able to show that
 * staff are bound by the duty the notices describe. Those who are due or
 * have never acknowledged come first. Viewing it is audited.
 */
export async function confidentialityReport(
  db: Kysely<Database>,
  staff: StaffContext,
  now: Date,
): Promise<{ organisationName: string; version: string; rows: ConfidentialityRow[] }> {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || !canGovernRecords(staff, organisation.id)) {
    throw new NotFoundError();
  }
  return db.transaction().execute(async (trx) => {
    const people = await trx
      .selectFrom('membership')
      .innerJoin('account', 'account.id', 'membership.account_id')
      .where('membership.organisation_id', '=', organisation.id)
      .where('account.kind', '=', 'staff')
      .select((eb) => [
        'account.id',
        'account.display_name',
        eb
          .selectFrom('staff_confidentiality_acknowledgement as ack')
          .select('ack.acknowledged_at')
          .whereRef('ack.account_id', '=', 'account.id')
          .where('ack.organisation_id', '=', organisation.id)
          .orderBy('ack.acknowledged_at', 'desc')
          .limit(1)
          .as('acknowledgedAt'),
        eb
          .selectFrom('staff_confidentiality_acknowledgement as ack')
          .select('ack.statement_version')
          .whereRef('ack.account_id', '=', 'account.id')
          .where('ack.organisation_id', '=', organisation.id)
          .orderBy('ack.acknowledged_at', 'desc')
          .limit(1)
          .as('version'),
      ])
      .distinct()
      .execute();
    await recordAudit(trx, {
      action: 'governance.confidentiality.view',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      purpose: 'governance',
    });
    const order = { never: 0, due: 1, 'up to date': 2 } as const;
    const rows = people
      .map((p): ConfidentialityRow => {
        const at = p.acknowledgedAt ? new Date(p.acknowledgedAt) : null;
        return {
          displayName: p.display_name,
          acknowledgedAt: at,
          dueBy: at ? acknowledgementExpires(at) : null,
          status: !at ? 'never' : acknowledgementDue(at, p.version, now) ? 'due' : 'up to date',
        };
      })
      .sort(
        (a, b) =>
          order[a.status] - order[b.status] || a.displayName.localeCompare(b.displayName, 'en-GB'),
      );
    return {
      organisationName: organisation.shortName,
      version: staffConfidentialityStatement.version,
      rows,
    };
  });
}
