/**
 * Conferences, looked after reviews and assessments due, for "My work"
 * (issue 13 item 2; decision 0031): for each open record on a plan, looked
 * after or in need that is allocated to the person or their team, what the
 * statutory timescales (timescales.ts) say is due next — derived from the
 * record's facts, never typed as a task. Recording the meeting moves it.
 *
 * One statement whatever the caseload, each row decided by decideRecord as
 * the caseload is. Ids, dates and codes only — no names — so, like the other
 * clock sources of My work, it is not audited; the caseload beside it is.
 */
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../../db/schema.js';
import { decideRecord, searchableCategories } from '../../platform/access/access.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { formatDate } from '../../platform/http/views.js';
import { findCategory, isOrganisationSlug, type CategorySlug } from '../../policy/index.js';
import { recordRestricted } from '../../rights/restriction.js';
import { CASELOAD_LIMIT } from '../caseload.js';
import type { ReviewKind } from './review-schema.js';
import { timescaleCategories, timescalesDue } from './timescales.js';

export interface ReviewDueItem {
  recordId: string;
  title: string;
  detail: string;
  due: string;
  /** Where it is done: the record's reviews, or its edit page for an assessment's date. */
  href: string;
  /** The worker it is allocated to, for the team manager's view; null when unallocated. */
  workerId: string | null;
}

export async function reviewsDue(
  db: Kysely<Database>,
  staff: StaffContext,
  today: string,
  options: { teamIds?: readonly string[] } = {},
): Promise<ReviewDueItem[]> {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
    return [];
  }
  const orgSlug = organisation.slug;
  const categories = searchableCategories(staff)
    .map((c) => c.category as string)
    .filter((c) => timescaleCategories.includes(c));
  if (categories.length === 0) return [];
  const teamIds = options.teamIds ?? staff.teams.map((t) => t.id);
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
      jsonArrayFrom(
        eb
          .selectFrom('statutory_review')
          .select([
            'statutory_review.kind',
            'statutory_review.held_on',
            'statutory_review.decision',
          ])
          .whereRef('statutory_review.record_id', '=', 'case_record.id'),
      ).as('meetings'),
    ])
    .where('case_record.organisation_id', '=', organisation.id)
    .where('case_record.closed_on', 'is', null)
    .where('case_record.record_state', '=', 'active')
    .where('case_record.category', 'in', categories)
    .where((eb) => {
      const mine = options.teamIds
        ? []
        : [eb('case_record.allocated_account_id', '=', staff.accountId)];
      if (teamIds.length) mine.push(eb('case_record.allocated_team_id', 'in', teamIds));
      return mine.length ? eb.or(mine) : eb.val(false);
    })
    .orderBy('case_record.opened_on', 'desc')
    .orderBy('case_record.id')
    .limit(CASELOAD_LIMIT)
    .execute();

  const items: ReviewDueItem[] = [];
  for (const row of rows) {
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
    for (const next of timescalesDue({
      category: row.category,
      openedOn: row.opened_on,
      detail: row.detail,
      meetings: row.meetings.map((m) => ({
        kind: m.kind as ReviewKind,
        heldOn: m.held_on,
        decision: m.decision,
      })),
    })) {
      items.push({
        recordId: row.id,
        title: `${name} record opened ${formatDate(row.opened_on)}`,
        detail: `${next.what} ${next.due < today ? 'overdue' : 'due'}: ${next.rule}`,
        due: next.due,
        href:
          next.complete === 'assessment' ? `/records/${row.id}/edit` : `/records/${row.id}#reviews`,
        workerId: row.allocated_account_id,
      });
    }
  }
  return items;
}
