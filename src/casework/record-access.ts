/**
 * Who may open a record and what a refusal answers: the parts of
 * CaseworkService.withRecord and open() that load, audit and refuse, and
 * break-glass, which opens a record beyond the staff member's allocation.
 */
import { decideRecord, type Decision } from '../platform/access/access.js';
import type { RecordAction } from '../platform/access/record-rules.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit, type AuditEntry } from '../platform/audit/audit-log.js';
import { AppError, ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { isCategorySlug } from '../policy/index.js';
import { isRecordRestricted, RESTRICTED_MESSAGE } from '../rights/restriction.js';
import { scopeOf } from './record-scope.js';
import { breakGlassSchema, parse } from './schemas.js';
import type { CaseworkService } from './service.js';
import { CaseworkStore, type RecordRow } from './store.js';

/** A record the staff member's role could open beyond their allocation, with a reason. */
export class BreakGlassRequiredError extends AppError {
  readonly status = 403;
  readonly code = 'break-glass-required';
  constructor(readonly recordId: string) {
    super(
      'This record is not allocated to you or your team. To open it, give your reason: it is recorded and reviewed by information governance.',
    );
  }
}

/** How long a break-glass opening lasts, within the same session. */
export const BREAK_GLASS_MINUTES = 60;

/** The same words for a person who does not exist and one the staff member may not see. */
export const PERSON_NOT_FOUND = 'No person found with that reference';

export type ReadPurpose =
  'casework' | 'casework-unallocated' | 'governance' | 'break-glass' | 'shared-grant';

function allocatedTo(staff: StaffContext, record: RecordRow): boolean {
  return (
    record.allocated_account_id === staff.accountId ||
    (record.allocated_team_id !== null &&
      staff.teams.some((t) => t.id === record.allocated_team_id))
  );
}

/** Why the read happened, for the audit log and governance monitoring. */
export function purposeOf(
  staff: StaffContext,
  record: RecordRow,
  via: 'role' | 'break-glass' | 'grant',
): ReadPurpose {
  if (via === 'grant') return 'shared-grant';
  if (via === 'break-glass') return 'break-glass';
  if (allocatedTo(staff, record)) return 'casework';
  if (staff.roles.includes('information-governance')) return 'governance';
  return 'casework-unallocated';
}

/**
 * A record and what its access decision needs, loaded in one statement
 * (CaseworkStore.recordForDecision). An id that names no record, or a record
 * of a category no policy has, loads as no record: not restricted, no grants.
 */
export async function loadForDecision(store: CaseworkStore, recordId: string, lock: boolean) {
  const loaded = await store.recordForDecision(recordId, { lock });
  if (!loaded || !isCategorySlug(loaded.category)) {
    return { record: undefined, restricted: false, grants: [], organisationSlug: '' };
  }
  const { restricted, grants, organisationSlug, ...record } = loaded;
  return { record: record as RecordRow, restricted, grants, organisationSlug };
}

/** The event of a refused action on a record: on the id as given, whether or not it exists. */
export function deniedEvent(
  staff: StaffContext,
  action: Exclude<RecordAction, 'search'>,
  recordId: string,
): AuditEntry {
  return {
    action: `record.${action}`,
    actorAccountId: staff.accountId,
    organisationId: staff.organisation?.id ?? null,
    objectType: 'case-record',
    objectIds: [recordId],
    outcome: 'denied',
  };
}

/** What a refused read answers: restricted, a reason asked for, or not found. */
export function readRefusal(decision: Decision, recordId: string): Error {
  if (decision.allowed) return new NotFoundError();
  return decision.restricted
    ? new ConflictError(RESTRICTED_MESSAGE)
    : decision.breakGlassPossible
      ? new BreakGlassRequiredError(recordId)
      : new NotFoundError();
}

/**
 * Opens a record beyond the staff member's allocation, for a reason,
 * where their role allows it (record-rules.ts `breakGlass`). Lasts
 * BREAK_GLASS_MINUTES in this session; audited and listed for governance.
 */
export async function openBreakGlass(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  raw: { reason: string },
): Promise<void> {
  const { reason } = parse(breakGlassSchema, raw);
  const outcome = await casework.db.transaction().execute(async (trx) => {
    const record = /^[0-9a-f-]{36}$/i.test(recordId)
      ? await new CaseworkStore(trx).record(recordId)
      : undefined;
    if (!record || !isCategorySlug(record.category)) return 'not-found' as const;
    const scope = scopeOf(record, await isRecordRestricted(trx, record.id));
    const plain = decideRecord(staff, 'read', scope);
    if (plain.allowed) return 'not-needed' as const;
    const decision = decideRecord(staff, 'read', scope, { breakGlass: true });
    if (!decision.allowed) return 'not-found' as const;
    const { id } = await trx
      .insertInto('break_glass_access')
      .values({
        record_id: record.id,
        account_id: staff.accountId,
        session_id: staff.sessionId,
        reason,
        opened_at: casework.now(),
        expires_at: new Date(casework.now().getTime() + BREAK_GLASS_MINUTES * 60_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'record.break-glass',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id, id],
      purpose: 'break-glass',
    });
    return 'opened' as const;
  });
  if (outcome === 'not-found') throw new NotFoundError();
}
