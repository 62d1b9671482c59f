import type { Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { recordAudit } from '../../audit/audit-log.js';

/**
 * The provider says a member of staff has left (or moved away from this
 * work): at a sign-in whose groups grant nothing, or by a SCIM call. Their
 * roles from the provider in the organisation go; with no role left
 * anywhere the account is disabled and its sessions end (decision record
 * 0037). Roles given locally are never touched. Runs inside the caller's
 * transaction; the event names the account by id only.
 */
export async function removeProviderRoles(
  trx: Transaction<Database>,
  leaver: {
    accountId: string;
    organisationId: string;
    now: Date;
    /** The audit action when the account is disabled: which route the provider's word came by. */
    disabledAction: 'account.disabled-by-sso' | 'account.disabled-by-scim';
  },
): Promise<{ rolesRemoved: number; disabled: boolean }> {
  const { accountId, organisationId, now } = leaver;
  const removed = await trx
    .deleteFrom('membership')
    .where('account_id', '=', accountId)
    .where('organisation_id', '=', organisationId)
    .where('source', '=', 'sso')
    .executeTakeFirst();
  const rolesRemoved = Number(removed.numDeletedRows);
  const remaining = await trx
    .selectFrom('membership')
    .select('id')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (remaining) return { rolesRemoved, disabled: false };
  const disabled = await trx
    .updateTable('account')
    .set({ disabled_at: now })
    .where('id', '=', accountId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  await trx
    .updateTable('session')
    .set({ ended_at: now })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .execute();
  const newlyDisabled = Number(disabled.numUpdatedRows) > 0;
  // At sign-in the event is written whenever the provider grants nothing, as before.
  if (newlyDisabled || leaver.disabledAction === 'account.disabled-by-sso') {
    await recordAudit(trx, {
      action: leaver.disabledAction,
      actorAccountId: null,
      organisationId,
      objectType: 'account',
      objectIds: [accountId],
    });
  }
  return { rolesRemoved, disabled: newlyDisabled };
}
