import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../db/schema.js';
import { decideRecord, searchableCategories } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import {
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  type CategorySlug,
} from '../policy/index.js';
import { recordRestricted } from '../rights/restriction.js';

/**
 * A practitioner's caseload for "My work" (issue 13 item 1): the open
 * records allocated to them, to their teams, and — for team managers — the
 * team's records with nobody allocated. One statement reads them all with
 * their subject, worker and restriction, whatever the caseload's size; a
 * second writes the audit event listing exactly the records shown.
 *
 * The query is built from the same categories and reach the access function
 * grants (searchableCategories), and each row is then decided by
 * decideRecord itself, so nothing appears that the records list would hide.
 */

/** Enough for any real caseload; a team far past it is told to use the records list. */
export const CASELOAD_LIMIT = 300;

export type CaseloadBucket = 'mine' | 'team' | 'unallocated';

export interface CaseloadRecord {
  id: string;
  bucket: CaseloadBucket;
  category: string;
  categoryName: string;
  openedOn: string;
  /** Null when restricted (Art 18): its holders learn it exists, nothing of whom it is about. */
  subject: { id: string; name: string; dateOfBirth: string | null } | null;
  workerName: string | null;
  /** The allocated worker's account, for the team manager's loads; null when unallocated. */
  workerId: string | null;
  restricted: boolean;
  retentionNeedsReview: boolean;
}

export interface Caseload {
  mine: CaseloadRecord[];
  team: CaseloadRecord[];
  unallocated: CaseloadRecord[];
  /** True when more records matched than CASELOAD_LIMIT. */
  truncated: boolean;
}

const empty = (): Caseload => ({ mine: [], team: [], unallocated: [], truncated: false });

/** Team managers see their teams' unallocated work (design.md: "allocates work"). */
export function seesUnallocated(staff: StaffContext): boolean {
  return staff.roles.includes('team-manager');
}

export async function caseloadFor(db: Kysely<Database>, staff: StaffContext): Promise<Caseload> {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
    return empty();
  }
  const orgSlug = organisation.slug;
  const categories = searchableCategories(staff).map((c) => c.category);
  if (categories.length === 0) return empty();
  const teamIds = staff.teams.map((t) => t.id);
  const unallocated = seesUnallocated(staff) && teamIds.length > 0;

  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('case_record')
      .leftJoin('account as worker', 'worker.id', 'case_record.allocated_account_id')
      .select((eb) => [
        'case_record.id',
        'case_record.organisation_id',
        'case_record.category',
        'case_record.opened_on',
        'case_record.allocated_account_id',
        'case_record.allocated_team_id',
        'case_record.retention_needs_review',
        'worker.display_name as worker_name',
        recordRestricted(eb.ref('case_record.id')).as('restricted'),
        jsonArrayFrom(
          eb
            .selectFrom('record_party')
            .innerJoin('person', 'person.id', 'record_party.person_id')
            .select([
              'person.id',
              'person.given_name as given',
              'person.family_name as family',
              'person.date_of_birth as dob',
            ])
            .whereRef('record_party.record_id', '=', 'case_record.id')
            .where('record_party.role', '=', 'subject'),
        ).as('subjects'),
      ])
      .where('case_record.organisation_id', '=', organisation.id)
      .where('case_record.closed_on', 'is', null)
      // Kept records (archived, inaccessible) are out of everyone's lists.
      .where('case_record.record_state', '=', 'active')
      .where('case_record.category', 'in', categories)
      .where((eb) => {
        const mine = [eb('case_record.allocated_account_id', '=', staff.accountId)];
        if (teamIds.length) mine.push(eb('case_record.allocated_team_id', 'in', teamIds));
        return eb.or(mine);
      })
      .orderBy('case_record.opened_on', 'desc')
      .orderBy('case_record.id')
      .limit(CASELOAD_LIMIT + 1)
      .execute();

    const truncated = rows.length > CASELOAD_LIMIT;
    const result = empty();
    result.truncated = truncated;
    for (const row of rows.slice(0, CASELOAD_LIMIT)) {
      const restricted = Boolean(row.restricted);
      const decision = decideRecord(staff, 'search', {
        organisationId: row.organisation_id,
        category: row.category as CategorySlug,
        allocatedAccountId: row.allocated_account_id,
        allocatedTeamId: row.allocated_team_id,
        restricted,
        state: 'active',
      });
      if (!decision.allowed && !decision.restricted) continue;
      const bucket: CaseloadBucket =
        row.allocated_account_id === staff.accountId
          ? 'mine'
          : row.allocated_account_id === null
            ? 'unallocated'
            : 'team';
      if (bucket === 'unallocated' && !unallocated) continue;
      const subject = row.subjects[0];
      result[bucket].push({
        id: row.id,
        bucket,
        category: row.category,
        categoryName: isCategorySlug(row.category)
          ? (findCategory(orgSlug, row.category)?.name ?? row.category)
          : row.category,
        openedOn: row.opened_on,
        subject:
          subject && decision.allowed
            ? {
                id: subject.id,
                name: `${subject.given} ${subject.family}`.trim(),
                dateOfBirth: subject.dob,
              }
            : null,
        workerName: row.worker_name,
        workerId: row.allocated_account_id,
        restricted: !decision.allowed,
        retentionNeedsReview: row.retention_needs_review,
      });
    }
    const shown = [...result.mine, ...result.team, ...result.unallocated];
    await recordAudit(trx, {
      action: 'record.list',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'case-record',
      objectIds: shown.map((r) => r.id),
      purpose: 'casework',
    });
    return result;
  });
}
