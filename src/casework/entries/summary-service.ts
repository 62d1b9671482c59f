/**
 * Case summaries and management oversight on a record (issue 13 item 5;
 * decision 0032), through CaseworkService.withRecord — the same access
 * decision, refusal audit and "not found" as a case note — each write and
 * its audit event one transaction.
 *
 * Oversight is a team manager's: someone else who may change the record is
 * told so (403), as someone who may read but not change it is.
 */
import type { StaffContext } from '../../platform/auth/service.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { findCategory, isOrganisationSlug, type CategorySlug } from '../../policy/index.js';
import type { CaseworkService } from '../service.js';
import { fieldErrorsOf } from './entry-form.js';
import { holdsSummary, oversightSchema, summarySchema } from './summary-schema.js';
import { summaryOf, summaryRows, type SummaryView } from './summary-store.js';

export interface SummaryForm {
  recordId: string;
  categoryName: string;
  /** The summary now, to start from; null when there is none yet. */
  current: SummaryView | null;
}

export function isTeamManager(staff: StaffContext): boolean {
  return staff.roles.includes('team-manager');
}

const OVERSIGHT_REFUSED = 'Only a team manager can record management oversight';

export class SummaryService {
  constructor(private readonly casework: CaseworkService) {}

  async summaryForm(staff: StaffContext, recordId: string): Promise<SummaryForm> {
    return this.casework.withRecord(staff, recordId, 'write', async (trx, record, _via, org) => {
      if (!holdsSummary(record.category)) throw new NotFoundError();
      const [row] = await summaryRows(trx, record.id).limit(1).execute();
      if (row) {
        // The form shows what the summary says: a read of it, audited as the record page's is.
        await recordAudit(trx, {
          action: 'case-summary.read',
          actorAccountId: staff.accountId,
          organisationId: record.organisation_id,
          objectType: 'case-record',
          objectIds: [record.id, row.id],
          purpose: 'casework',
        });
      }
      return {
        recordId: record.id,
        categoryName: isOrganisationSlug(org)
          ? (findCategory(org, record.category as CategorySlug)?.name ?? 'Record')
          : 'Record',
        current: row ? summaryOf(row) : null,
      };
    });
  }

  /** Saves a new version of the summary; returns its id. */
  async recordSummary(staff: StaffContext, recordId: string, raw: unknown): Promise<string> {
    return this.casework.withRecord(staff, recordId, 'write', async (trx, record) => {
      if (!holdsSummary(record.category)) throw new NotFoundError();
      const parsed = summarySchema.safeParse(raw ?? {});
      if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error.issues));
      const { id } = await trx
        .insertInto('case_summary')
        .values({
          record_id: record.id,
          current_plan: parsed.data.currentPlan,
          risks: parsed.data.risks,
          key_people: parsed.data.keyPeople ?? '',
          recorded_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'case-summary.create',
        actorAccountId: staff.accountId,
        organisationId: record.organisation_id,
        objectType: 'case-record',
        objectIds: [record.id, id],
        purpose: 'casework',
      });
      return id;
    });
  }

  async oversightForm(staff: StaffContext, recordId: string): Promise<SummaryForm> {
    return this.casework.withRecord(staff, recordId, 'write', async (_trx, record, _via, org) => {
      if (!holdsSummary(record.category)) throw new NotFoundError();
      if (!isTeamManager(staff)) throw new ForbiddenError(OVERSIGHT_REFUSED);
      return {
        recordId: record.id,
        categoryName: isOrganisationSlug(org)
          ? (findCategory(org, record.category as CategorySlug)?.name ?? 'Record')
          : 'Record',
        current: null,
      };
    });
  }

  async recordOversight(staff: StaffContext, recordId: string, raw: unknown): Promise<string> {
    return this.casework.withRecord(staff, recordId, 'write', async (trx, record) => {
      if (!holdsSummary(record.category)) throw new NotFoundError();
      if (!isTeamManager(staff)) throw new ForbiddenError(OVERSIGHT_REFUSED);
      const parsed = oversightSchema.safeParse(raw ?? {});
      if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error.issues));
      const { id } = await trx
        .insertInto('oversight_note')
        .values({
          record_id: record.id,
          given_on: parsed.data.givenOn,
          direction: parsed.data.direction,
          next_review_on: parsed.data.nextReviewOn ?? null,
          recorded_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'oversight-note.create',
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
