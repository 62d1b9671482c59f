/**
 * Recording statutory visits on a record (issue 13 item 5; decision 0029).
 *
 * Every read and write goes through CaseworkService.withRecord — the same
 * access decision, refusal audit and "not found" as a case note — so an id
 * from a request is never used before the record has been decided for this
 * person. The visit and its audit event are one transaction.
 */
import type { StaffContext } from '../../platform/auth/service.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { findCategory, isOrganisationSlug } from '../../policy/index.js';
import { londonToday } from '../retention.js';
import type { CaseworkService } from '../service.js';
import {
  asksBedroom,
  frequencyWords,
  isVisitCategory,
  latestNextVisit,
  type VisitCategory,
} from './visit-policy.js';
import { visitSchema, visitValues } from './visit-schema.js';

/** What the visit form needs to know of the record: no personal data, so nothing to audit. */
export interface VisitForm {
  recordId: string;
  category: VisitCategory;
  categoryName: string;
  asksBedroom: boolean;
  /** How often visits are due, in words; null for a child in need. */
  frequency: string | null;
  /** The next visit's default, for a visit today: the latest the policy allows. */
  suggestedNextDue: string | null;
}

export class VisitService {
  constructor(
    private readonly casework: CaseworkService,
    private readonly clock: { today?: () => string } = {},
  ) {}

  private today(): string {
    return this.clock.today?.() ?? londonToday();
  }

  /**
   * The form for a record the staff member may change. A record they may not
   * see is not found; one whose category has no visits is not found either
   * (there is no such form).
   */
  async form(staff: StaffContext, recordId: string): Promise<VisitForm> {
    return this.casework.withRecord(staff, recordId, 'write', async (_trx, record, _via, org) => {
      const category = record.category;
      if (!isVisitCategory(category)) throw new NotFoundError();
      return {
        recordId: record.id,
        category,
        categoryName: isOrganisationSlug(org)
          ? (findCategory(org, category)?.name ?? 'Record')
          : 'Record',
        asksBedroom: asksBedroom(category),
        frequency: frequencyWords(category),
        suggestedNextDue: latestNextVisit(category, this.today()),
      };
    });
  }

  /** Records a visit; returns its id. Invalid input saves nothing and says what to fix. */
  async record(staff: StaffContext, recordId: string, raw: unknown): Promise<string> {
    return this.casework.withRecord(staff, recordId, 'write', async (trx, record) => {
      const category = record.category;
      if (!isVisitCategory(category)) throw new NotFoundError();
      const parsed = visitSchema(category).safeParse(raw ?? {});
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
      const { id } = await trx
        .insertInto('statutory_visit')
        .values({
          record_id: record.id,
          ...visitValues(category, parsed.data),
          recorded_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Ids only, never what was said (design.md principle 2).
      await recordAudit(trx, {
        action: 'statutory-visit.create',
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
