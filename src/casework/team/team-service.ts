/**
 * A team manager's view of their team (issue 13 item 11): each worker's
 * load (open records, overdue items), the team's unallocated work, the
 * overdue items by worker, and allocating or reallocating a record.
 *
 * Built from what My work already reads, so the rules are the same ones:
 * the caseload (caseloadFor: one statement, each row decided by
 * decideRecord, audited as record.list) and the derived clocks (visits,
 * conferences, reviews, assessments, the next management oversight; ids
 * and dates only, not audited).
 * Allocation is CaseworkService.update — the same access decision,
 * optimistic lock, field history and audit as changing the record.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { caseloadFor, type CaseloadRecord } from '../caseload.js';
import { oversightDue } from '../entries/oversight-due.js';
import { reviewsDue } from '../entries/reviews-due.js';
import { visitsDue } from '../entries/visits-due.js';
import { londonToday } from '../retention.js';
import type { CaseworkService } from '../service.js';

export interface TeamWorker {
  id: string;
  name: string;
  openRecords: number;
  overdue: number;
}

export interface OverdueItem {
  recordId: string;
  href: string;
  title: string;
  detail: string;
  due: string;
}

export interface TeamOverview {
  teams: string[];
  workers: TeamWorker[];
  unallocated: CaseloadRecord[];
  /** Every open record of the team with a worker, the manager's own included. */
  allocated: CaseloadRecord[];
  overdueByWorker: { worker: string; items: OverdueItem[] }[];
  truncated: boolean;
}

/** Only team managers with a team have this page; for anyone else it does not exist. */
export function managesTeam(staff: StaffContext): boolean {
  return staff.roles.includes('team-manager') && staff.teams.length > 0;
}

export class TeamService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly casework: CaseworkService,
    private readonly clock: { today?: () => string } = {},
  ) {}

  /** The accounts in the manager's teams, by name: who work may be given to. */
  async members(staff: StaffContext): Promise<{ id: string; name: string }[]> {
    const organisation = staff.organisation;
    if (!organisation || staff.teams.length === 0) return [];
    const rows = await this.db
      .selectFrom('membership')
      .innerJoin('account', 'account.id', 'membership.account_id')
      .select(['account.id', 'account.display_name'])
      .distinct()
      .where('membership.organisation_id', '=', organisation.id)
      .where(
        'membership.team_id',
        'in',
        staff.teams.map((t) => t.id),
      )
      .orderBy('account.display_name')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.display_name }));
  }

  async overview(staff: StaffContext): Promise<TeamOverview> {
    if (!managesTeam(staff)) throw new NotFoundError();
    const today = this.clock.today?.() ?? londonToday();
    const [caseload, members, visits, reviews, oversight, teams] = await Promise.all([
      caseloadFor(this.db, staff),
      this.members(staff),
      visitsDue(this.db, staff, today),
      reviewsDue(this.db, staff, today),
      oversightDue(this.db, staff, today),
      this.db
        .selectFrom('team')
        .select('name')
        .where(
          'id',
          'in',
          staff.teams.map((t) => t.id),
        )
        .orderBy('name')
        .execute(),
    ]);
    const allocated = [...caseload.mine, ...caseload.team];
    const overdue = [
      ...visits.map((v) => ({ ...v, href: `/records/${v.recordId}#visits` })),
      ...reviews,
      ...oversight,
    ].filter((i) => i.due < today);
    const names = new Map(members.map((m) => [m.id, m.name]));
    for (const r of allocated) if (r.workerId && r.workerName) names.set(r.workerId, r.workerName);
    const workers = [...names].map(([id, name]) => ({
      id,
      name,
      openRecords: allocated.filter((r) => r.workerId === id).length,
      overdue: overdue.filter((i) => i.workerId === id).length,
    }));
    workers.sort(
      (a, b) =>
        b.overdue - a.overdue || b.openRecords - a.openRecords || a.name.localeCompare(b.name),
    );
    const byWorker = new Map<string, OverdueItem[]>();
    for (const item of overdue.sort((a, b) => a.due.localeCompare(b.due))) {
      const who = item.workerId ? (names.get(item.workerId) ?? 'Another worker') : 'Not allocated';
      const list = byWorker.get(who) ?? [];
      list.push({
        recordId: item.recordId,
        href: item.href,
        title: item.title,
        detail: item.detail,
        due: item.due,
      });
      byWorker.set(who, list);
    }
    return {
      teams: teams.map((t) => t.name),
      workers,
      unallocated: caseload.unallocated,
      allocated,
      overdueByWorker: [...byWorker].map(([worker, items]) => ({ worker, items })),
      truncated: caseload.truncated,
    };
  }

  /** The record to allocate, opened (decided and audited) as the record page opens it. */
  async forAllocation(staff: StaffContext, recordId: string) {
    // Decided first, so another team's or organisation's record is not found for everyone.
    const view = await this.casework.open(staff, recordId);
    if (!managesTeam(staff) || !view.access.canWrite || view.state !== 'active') {
      throw new NotFoundError();
    }
    return { view, members: await this.members(staff) };
  }

  /**
   * Gives the record to a worker in the manager's teams, and to the
   * manager's team if it had none. One transaction, one audit event
   * (`record.update`): the record is decided and changed, never read for
   * show, so allocating writes no read events (decision 0044).
   */
  async allocate(
    staff: StaffContext,
    recordId: string,
    input: { workerId: string; version: string },
  ): Promise<number> {
    // Not a team manager: the page does not exist, whatever the id.
    if (!managesTeam(staff)) throw new NotFoundError();
    // Who may be given work is about staff, not the record: read before its transaction.
    const members = await this.members(staff);
    const teamIds = staff.teams.map((t) => t.id);
    return this.casework.allocate(staff, recordId, input.version, (record) => {
      // Decided first (withRecord), so another team's record is not found before anything posted is read.
      if (record.record_state !== 'active') throw new NotFoundError();
      if (!members.some((m) => m.id === input.workerId)) {
        throw new ValidationError([{ field: 'workerId', message: 'Select a worker in your team' }]);
      }
      return {
        allocatedAccountId: input.workerId,
        ...(record.allocated_team_id && teamIds.includes(record.allocated_team_id)
          ? {}
          : { allocatedTeamId: teamIds[0] ?? null }),
      };
    });
  }
}
