/**
 * Recording a looked-after child's outcomes (issue 12 item 8; decision 0029)
 * through CaseworkService.withRecord — the same access decision, refusal
 * audit and "not found" as a case note — with the fact and its audit event
 * in one transaction.
 */
import type { StaffContext } from '../../platform/auth/service.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import type { CaseworkService } from '../service.js';
import { outcomeSchema } from './outcome-schema.js';

/** Only looked-after records (and their care leavers) hold these facts (notice 001). */
export const OUTCOME_CATEGORY = 'looked-after';

export class OutcomeService {
  constructor(private readonly casework: CaseworkService) {}

  /** The record the form is for, if the staff member may change it and it is looked after. */
  async form(staff: StaffContext, recordId: string): Promise<{ recordId: string }> {
    return this.casework.withRecord(staff, recordId, 'write', async (_trx, record) => {
      if (record.category !== OUTCOME_CATEGORY) throw new NotFoundError();
      return { recordId: record.id };
    });
  }

  async record(staff: StaffContext, recordId: string, raw: unknown): Promise<string> {
    return this.casework.withRecord(staff, recordId, 'write', async (trx, record) => {
      if (record.category !== OUTCOME_CATEGORY) throw new NotFoundError();
      const parsed = outcomeSchema.safeParse(raw ?? {});
      if (!parsed.success) {
        const seen = new Set<string>();
        throw new ValidationError(
          parsed.error.issues.flatMap((issue) => {
            const field = issue.path.map(String).join('.') || 'form';
            if (seen.has(field)) return [];
            seen.add(field);
            return [{ field, message: issue.message }];
          }),
        );
      }
      const outcome = parsed.data;
      const { id } = await trx
        .insertInto('looked_after_outcome')
        .values({
          record_id: record.id,
          kind: outcome.kind,
          occurred_on: outcome.occurredOn,
          sdq_score: outcome.kind === 'sdq' ? (outcome.sdqScore ?? null) : null,
          note: outcome.note ?? '',
          recorded_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'looked-after-outcome.create',
        actorAccountId: staff.accountId,
        organisationId: record.organisation_id,
        objectType: 'case-record',
        objectIds: [record.id, id],
        purpose: 'casework',
      });
      return id;
    });
  }
}
