/**
 * Recording a child protection conference or a looked after review on a
 * record (issue 13 item 2; decision 0031). Every read and write goes
 * through CaseworkService.withRecord — the same access decision, refusal
 * audit and "not found" as a case note — and the review and its audit event
 * are one transaction. Recording it is what moves the next one due
 * (timescales.ts): nothing is ticked off by hand.
 */
import type { StaffContext } from '../../platform/auth/service.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { findCategory, isOrganisationSlug, type CategorySlug } from '../../policy/index.js';
import type { CaseworkService } from '../service.js';
import { fieldErrorsOf } from './entry-form.js';
import { reviewKindsOf, reviewSchema, type ReviewKind } from './review-schema.js';

/** What the form needs to know of the record: no personal data, so nothing to audit. */
export interface ReviewForm {
  recordId: string;
  categoryName: string;
  kinds: readonly ReviewKind[];
}

export class ReviewService {
  constructor(private readonly casework: CaseworkService) {}

  /** The form for a record the person may change; a category with no meetings has none (not found). */
  async form(staff: StaffContext, recordId: string): Promise<ReviewForm> {
    return this.casework.withRecord(staff, recordId, 'write', async (_trx, record, _via, org) => {
      const kinds = reviewKindsOf(record.category);
      if (kinds.length === 0) throw new NotFoundError();
      return {
        recordId: record.id,
        categoryName: isOrganisationSlug(org)
          ? (findCategory(org, record.category as CategorySlug)?.name ?? 'Record')
          : 'Record',
        kinds,
      };
    });
  }

  /** Records the meeting; returns its id. Invalid input saves nothing and says what to fix. */
  async record(staff: StaffContext, recordId: string, raw: unknown): Promise<string> {
    return this.casework.withRecord(staff, recordId, 'write', async (trx, record) => {
      if (reviewKindsOf(record.category).length === 0) throw new NotFoundError();
      const parsed = reviewSchema(record.category).safeParse(raw ?? {});
      if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error.issues));
      const review = parsed.data;
      const { id } = await trx
        .insertInto('statutory_review')
        .values({
          record_id: record.id,
          kind: review.kind,
          held_on: review.heldOn,
          decision: review.decision ?? null,
          child_participated: review.childParticipated === 'yes',
          participation: review.participation ?? null,
          chair: review.chair ?? '',
          summary: review.summary,
          recorded_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Ids only, never what was said (design.md principle 2).
      await recordAudit(trx, {
        action: 'statutory-review.create',
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
