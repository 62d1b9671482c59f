/**
 * The next management oversight due, for a team manager's "My work" (issue
 * 13; decision 0044). Safekeep's policy data for oversight is the date the
 * manager sets at each oversight, "next management review" (decision 0032):
 * the latest oversight's date is when the record is next due, derived from
 * the record's facts, never typed as a task. Recording the next oversight
 * moves it; a record closed, kept (archived) or restricted (Art 18), or
 * moved out of the manager's teams, drops out; an oversight with no next
 * date leaves nothing due. No organisation's policy sets a frequency for a
 * record never overseen, so such a record has nothing due here.
 *
 * One statement whatever the caseload, each row decided by decideRecord as
 * the caseload is. Ids, dates and codes only — no names, no direction — so,
 * like the other clock sources of My work, it is not audited.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { decideRecord, searchableCategories } from '../../platform/access/access.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { formatDate } from '../../platform/http/views.js';
import { findCategory, isOrganisationSlug, type CategorySlug } from '../../policy/index.js';
import { recordRestricted } from '../../rights/restriction.js';
import { CASELOAD_LIMIT } from '../caseload.js';
import { summaryCategories } from './summary-schema.js';
import { isTeamManager } from './summary-service.js';

export interface OversightDueItem {
  recordId: string;
  title: string;
  detail: string;
  due: string;
  /** The record page's oversight section, where it is recorded. */
  href: string;
  workerId: string | null;
}

export async function oversightDue(
  db: Kysely<Database>,
  staff: StaffContext,
  today: string,
): Promise<OversightDueItem[]> {
  const organisation = staff.organisation;
  // Only a team manager records oversight (SummaryService), so only theirs is the work.
  if (
    staff.stage !== 'complete' ||
    !organisation ||
    !isOrganisationSlug(organisation.slug) ||
    !isTeamManager(staff)
  ) {
    return [];
  }
  const orgSlug = organisation.slug;
  const categories = searchableCategories(staff)
    .map((c) => c.category as string)
    .filter((c) => summaryCategories.includes(c));
  if (categories.length === 0) return [];
  const teamIds = staff.teams.map((t) => t.id);
  const rows = await db
    .selectFrom('case_record')
    .select((eb) => [
      'case_record.id',
      'case_record.organisation_id',
      'case_record.category',
      'case_record.opened_on',
      'case_record.allocated_account_id',
      'case_record.allocated_team_id',
      recordRestricted(eb.ref('case_record.id')).as('restricted'),
      // The latest oversight's next date (null when it set none), as the record page orders them.
      eb
        .selectFrom('oversight_note')
        .select('oversight_note.next_review_on')
        .whereRef('oversight_note.record_id', '=', 'case_record.id')
        .orderBy('oversight_note.given_on', 'desc')
        .orderBy('oversight_note.recorded_at', 'desc')
        .limit(1)
        .as('next_review_on'),
    ])
    .where('case_record.organisation_id', '=', organisation.id)
    .where('case_record.closed_on', 'is', null)
    .where('case_record.record_state', '=', 'active')
    .where('case_record.category', 'in', categories)
    .where((eb) => {
      const mine = [eb('case_record.allocated_account_id', '=', staff.accountId)];
      if (teamIds.length) mine.push(eb('case_record.allocated_team_id', 'in', teamIds));
      return eb.or(mine);
    })
    .orderBy('case_record.opened_on', 'desc')
    .orderBy('case_record.id')
    .limit(CASELOAD_LIMIT)
    .execute();

  const items: OversightDueItem[] = [];
  for (const row of rows) {
    const due = row.next_review_on;
    if (!due) continue;
    const decision = decideRecord(staff, 'search', {
      organisationId: row.organisation_id,
      category: row.category as CategorySlug,
      allocatedAccountId: row.allocated_account_id,
      allocatedTeamId: row.allocated_team_id,
      restricted: Boolean(row.restricted),
      state: 'active',
    });
    // A restricted record (Art 18) may only be stored: no work is offered on it.
    if (!decision.allowed) continue;
    const name = findCategory(orgSlug, row.category as CategorySlug)?.name ?? 'Record';
    items.push({
      recordId: row.id,
      title: `${name} record opened ${formatDate(row.opened_on)}`,
      detail: `Management oversight ${due < today ? 'overdue' : 'due'}: the next management review set at the last oversight`,
      due,
      href: `/records/${row.id}#oversight`,
      workerId: row.allocated_account_id,
    });
  }
  return items;
}
