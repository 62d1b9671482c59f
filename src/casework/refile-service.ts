/**
 * Re-filing by information governance (issue 12 item 14; decision 0020):
 * the page `/records/:id/refile` and `POST /api/v1/records/:id/refile`.
 * The rules of the move itself are in refile.ts; this decides who may make
 * it, on which record, into which category.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { decideRecord, type RecordState } from '../platform/access/access.js';
import { isUuid, noSuchPersonOrRecord } from '../platform/access/resolve.js';
import { recordRulesFor } from '../platform/access/record-rules.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, ForbiddenError, ValidationError } from '../platform/errors/errors.js';
import { multiLineText } from '../platform/validation/text.js';
import {
  categorySlugs,
  isOrganisationSlug,
  policyFor,
  type CategorySlug,
  type OrganisationSlug,
} from '../policy/index.js';
import { isRecordRestricted } from '../rights/restriction.js';
import { refileProblem, refileRecord } from './refile.js';
import { londonToday, type StoredRetention } from './retention.js';

export const refileSchema = z.object({
  category: z.enum(categorySlugs, { error: 'Select the category the record belongs in' }),
  reason: multiLineText('the reason')
    .min(10, 'Give the reason in at least 10 characters')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
});
export type RefileForm = z.infer<typeof refileSchema>;

const KEPT_MESSAGE =
  'This record has been archived or made inaccessible, so it cannot be re-filed.';

/** A category a record may be re-filed into, by name, with the period it would be kept. */
export interface RefileChoice {
  category: CategorySlug;
  name: string;
  keptFor: string;
}

/**
 * The categories of the organisation information governance may move a
 * record into: every one the notice lists whose records their role reads.
 */
export function refileChoices(organisation: OrganisationSlug, except: string): RefileChoice[] {
  const rules = recordRulesFor(organisation);
  return policyFor(organisation)
    .categories.filter((c) => c.slug !== except)
    .filter((c) => (rules[c.slug]?.roles['information-governance']?.read ?? 'none') !== 'none')
    .map((c) => ({
      category: c.slug,
      name: c.name,
      keptFor:
        c.retention.kind === 'schedule'
          ? [...new Set(c.retention.rules.map((r) => r.noticeWording))].join('; ')
          : c.retention.noticeWording,
    }));
}

export class RefileService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: { today?: () => string } = {},
  ) {}

  /**
   * What the refile page needs: the record's category and the choices.
   * Only information governance who may read the record get it; anyone else
   * who cannot read it gets "not found".
   */
  async form(staff: StaffContext, recordId: string) {
    const record = await this.governed(this.db, staff, recordId);
    const organisation = record.organisationSlug as OrganisationSlug;
    return {
      id: record.id,
      category: record.category,
      categoryName:
        policyFor(organisation).categories.find((c) => c.slug === record.category)?.name ?? '',
      state: record.record_state,
      choices: refileChoices(organisation, record.category),
    };
  }

  /** Moves the record; returns its new category and retention. */
  async refile(
    staff: StaffContext,
    recordId: string,
    raw: unknown,
  ): Promise<{ id: string; category: CategorySlug; retention: StoredRetention }> {
    const parsed = refileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ValidationError(
        parsed.error.issues.map((issue) => ({
          field: issue.path.map(String).join('.') || 'form',
          message: issue.message,
        })),
      );
    }
    const input = parsed.data;
    // Decided (and a refusal audited) first, then again on the locked row.
    await this.governed(this.db, staff, recordId);
    return this.db.transaction().execute(async (trx) => {
      const record = await this.governed(trx, staff, recordId, { lock: true });
      if (record.record_state !== 'active') throw new ConflictError(KEPT_MESSAGE);
      const organisation = record.organisationSlug as OrganisationSlug;
      const problem = refileProblem(organisation, record.category, input.category);
      const allowed = refileChoices(organisation, record.category).some(
        (c) => c.category === input.category,
      );
      if (problem || !allowed) {
        throw new ValidationError([
          {
            field: 'category',
            message: problem ?? 'Select a category whose records you may read',
          },
        ]);
      }
      const { retention } = await refileRecord(
        trx,
        {
          recordId: record.id,
          organisationId: record.organisation_id,
          organisationSlug: organisation,
          fromCategory: record.category,
          toCategory: input.category,
          reason: input.reason,
          actorAccountId: staff.accountId,
          purpose: 'governance',
        },
        this.clock.today?.() ?? londonToday(),
      );
      return { id: record.id, category: input.category, retention };
    });
  }

  /**
   * The record, if the staff member is information governance who may read
   * it (not by a reason given, and not only through sharing). Someone who
   * cannot read it gets "not found", audited as a denied attempt; someone
   * who reads it without governing it is told they may not move it.
   */
  private async governed(
    db: Kysely<Database> | Transaction<Database>,
    staff: StaffContext,
    recordId: string,
    options: { lock?: boolean } = {},
  ) {
    const refused = async () => {
      // Inside the moving transaction the refusal was already audited by
      // the first check (only a race gets here): nothing more to record.
      if (options.lock) return noSuchPersonOrRecord();
      await this.db.transaction().execute((trx) =>
        recordAudit(trx, {
          action: 'record.refile',
          actorAccountId: staff.accountId,
          organisationId: staff.organisation?.id ?? null,
          objectType: 'case-record',
          objectIds: [recordId],
          outcome: 'denied',
        }),
      );
      return noSuchPersonOrRecord();
    };
    if (!isUuid(recordId)) throw noSuchPersonOrRecord();
    let query = db
      .selectFrom('case_record')
      .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
      .select([
        'case_record.id',
        'case_record.organisation_id',
        'case_record.category',
        'case_record.allocated_account_id',
        'case_record.allocated_team_id',
        'case_record.record_state',
        'organisation.slug as organisationSlug',
      ])
      .where('case_record.id', '=', recordId);
    if (options.lock) query = query.forUpdate('case_record');
    const record = await query.executeTakeFirst();
    if (!record || !isOrganisationSlug(record.organisationSlug)) throw await refused();
    const decision = decideRecord(staff, 'read', {
      organisationId: record.organisation_id,
      category: record.category as CategorySlug,
      allocatedAccountId: record.allocated_account_id,
      allocatedTeamId: record.allocated_team_id,
      restricted: await isRecordRestricted(db, record.id),
      state: record.record_state as RecordState,
    });
    if (!decision.allowed) {
      if (decision.restricted) {
        throw new ConflictError(
          'Processing of this record is restricted (UK GDPR Article 18): it may only be stored, not re-filed.',
        );
      }
      throw await refused();
    }
    if (decision.via !== 'role' || !staff.roles.includes('information-governance')) {
      throw new ForbiddenError('Only information governance can re-file a record');
    }
    return record;
  }
}
