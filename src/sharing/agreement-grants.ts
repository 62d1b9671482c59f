import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';

/**
 * The grants made under an agreement (any of its versions) that a recipient
 * can still use: approved, neither revoked nor expired, and — for a
 * recipient outside Safekeep — a package not yet downloaded (a downloaded
 * package has left Safekeep and cannot be recalled). Ending the agreement
 * ends them: what was shared relied on the agreement, and UK GDPR Art 5(1)(a)
 * and (b) leave no basis for going on sharing under terms that have ended.
 */
function grantsInForceUnder(db: Kysely<Database>, agreementId: string, now: Date) {
  return db
    .selectFrom('disclosure')
    .where('agreement_id', '=', agreementId)
    .where('status', '=', 'approved')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where((eb) =>
      eb.or([
        eb('recipient_organisation_id', 'is not', null),
        eb('package_downloaded_at', 'is', null),
      ]),
    );
}

export async function countGrantsInForce(
  db: Kysely<Database>,
  agreementId: string,
  now: Date,
): Promise<number> {
  const { count } = await grantsInForceUnder(db, agreementId, now)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/**
 * Revokes every grant in force under the agreement, inside the caller's
 * transaction (the one that ends it), audited as a revocation for the
 * sharing organisation and for the recipient's, as a single revocation is.
 */
export async function revokeGrantsUnder(
  trx: Transaction<Database>,
  staff: StaffContext,
  agreementId: string,
  now: Date,
): Promise<number> {
  const grants = await grantsInForceUnder(trx, agreementId, now)
    .select(['id', 'organisation_id', 'recipient_organisation_id'])
    .forUpdate()
    .execute();
  if (grants.length === 0) return 0;
  await trx
    .updateTable('disclosure')
    .set({ status: 'revoked', revoked_at: now, revoked_by: staff.accountId })
    .where(
      'id',
      'in',
      grants.map((g) => g.id),
    )
    .execute();
  for (const grant of grants) {
    for (const organisationId of [grant.organisation_id, grant.recipient_organisation_id]) {
      if (!organisationId) continue;
      await recordAudit(trx, {
        action: 'disclosure.revoke',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'disclosure',
        objectIds: [grant.id],
        purpose: 'sharing',
      });
    }
  }
  return grants.length;
}
