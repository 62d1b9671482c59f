/**
 * Statutory visits due, for "My work" (issue 13 item 2; decision 0029): for
 * each open record on a plan, looked after or in need that is allocated to
 * the person or their team, when the next visit is due — derived from the
 * last visit, or from the plan's or placement's start when there has been
 * none (visit-policy.ts), never typed as a task. Recording the visit moves it.
 *
 * One statement whatever the caseload, each row decided by decideRecord as
 * the caseload is. Ids, dates and codes only — no names — so, like the other
 * clock sources of My work, it is not audited; the caseload beside it is.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { decideRecord, searchableCategories } from '../../platform/access/access.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { formatDate } from '../../platform/http/views.js';
import { findCategory, isOrganisationSlug, type CategorySlug } from '../../policy/index.js';
import { recordRestricted } from '../../rights/restriction.js';
import { CASELOAD_LIMIT } from '../caseload.js';
import { isVisitCategory, nextVisitDue } from './visit-policy.js';

export interface VisitDueItem {
  recordId: string;
  title: string;
  detail: string;
  due: string;
  /** The worker it is allocated to, for the team manager's view; null when unallocated. */
  workerId: string | null;
}

export async function visitsDue(
  db: Kysely<Database>,
  staff: StaffContext,
  today: string,
): Promise<VisitDueItem[]> {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
    return [];
  }
  const orgSlug = organisation.slug;
  const categories = searchableCategories(staff)
    .map((c) => c.category)
    .filter(isVisitCategory);
  if (categories.length === 0) return [];
  const teamIds = staff.teams.map((t) => t.id);
  const rows = await db
    .selectFrom('case_record')
    .select((eb) => [
      'case_record.id',
      'case_record.organisation_id',
      'case_record.category',
      'case_record.opened_on',
      'case_record.detail',
      'case_record.allocated_account_id',
      'case_record.allocated_team_id',
      recordRestricted(eb.ref('case_record.id')).as('restricted'),
      eb
        .selectFrom('statutory_visit')
        .select('statutory_visit.visited_on')
        .whereRef('statutory_visit.record_id', '=', 'case_record.id')
        .orderBy('statutory_visit.visited_on', 'desc')
        .orderBy('statutory_visit.recorded_at', 'desc')
        .limit(1)
        .as('last_visited_on'),
      eb
        .selectFrom('statutory_visit')
        .select('statutory_visit.next_due_on')
        .whereRef('statutory_visit.record_id', '=', 'case_record.id')
        .orderBy('statutory_visit.visited_on', 'desc')
        .orderBy('statutory_visit.recorded_at', 'desc')
        .limit(1)
        .as('last_next_due_on'),
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

  const items: VisitDueItem[] = [];
  for (const row of rows) {
    if (!isVisitCategory(row.category)) continue;
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
    const next = nextVisitDue({
      category: row.category,
      openedOn: row.opened_on,
      detail: row.detail,
      lastVisit: row.last_visited_on
        ? { visitedOn: row.last_visited_on, nextDueOn: row.last_next_due_on ?? null }
        : null,
    });
    if (!next) continue;
    const name = findCategory(orgSlug, row.category)?.name ?? 'Record';
    items.push({
      recordId: row.id,
      title: `${name} record opened ${formatDate(row.opened_on)}`,
      detail: `${next.due < today ? 'Statutory visit overdue' : 'Statutory visit due'}: ${lowerFirst(next.basis)}`,
      due: next.due,
      workerId: row.allocated_account_id,
    });
  }
  return items;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
