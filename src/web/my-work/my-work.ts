import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { caseloadFor, seesUnallocated, type Caseload } from '../../casework/caseload.js';
import type { Database } from '../../db/schema.js';
import { searchableCategories } from '../../platform/access/access.js';
import type { RoleSlug } from '../../platform/access/roles.js';
import type { StaffContext } from '../../platform/auth/service.js';
import type { RetentionService } from '../../retention/service.js';
import { byUrgency, type WorkItem } from './items.js';
import { dueAndApprovals } from './sources.js';

/**
 * "My work" (issue 13 item 1; docs/decisions/0022-my-work.md): what a
 * signed-in person has to do, in one page — their caseload, what is due and
 * overdue on the clocks Safekeep already keeps, and approvals waiting for
 * them — most urgent first, each item linking to where it is done.
 *
 * The statements it runs do not grow with the caseload: one (and its audit
 * event) for the caseload, and at most one or two per clock the person
 * works (my-work.test.ts counts them).
 */
const caseworkRoles: readonly RoleSlug[] = [
  'practitioner',
  'team-manager',
  'lado-officer',
  'designated-safeguarding-officer',
  'partnership-business',
];

export interface MyWork {
  caseload: Caseload | null;
  seesUnallocated: boolean;
  /** A team manager with a team: their team page (/team) exists. */
  managesTeam: boolean;
  due: WorkItem[];
  overdue: number;
  dueSoon: number;
  approvals: WorkItem[];
}

export interface MyWorkDeps {
  db: Kysely<Database>;
  retention: RetentionService;
  now?: () => Date;
}

export async function myWorkFor(deps: MyWorkDeps, staff: StaffContext): Promise<MyWork | null> {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation) return null;
  const now = deps.now?.() ?? new Date();
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO('Europe/London')
    .toPlainDate()
    .toString();
  // Only people who work cases have a caseload: governance reads records
  // for rights and retention, and is allocated none.
  const worksRecords =
    staff.roles.some((role) => caseworkRoles.includes(role)) &&
    searchableCategories(staff).length > 0;
  const [caseload, work] = await Promise.all([
    worksRecords ? caseloadFor(deps.db, staff) : Promise.resolve(null),
    dueAndApprovals({
      db: deps.db,
      staff,
      organisationId: organisation.id,
      today,
      now,
      retention: deps.retention,
    }),
  ]);
  const due = work.due.sort(byUrgency);
  return {
    caseload,
    seesUnallocated: seesUnallocated(staff),
    managesTeam: seesUnallocated(staff) && staff.teams.length > 0,
    due,
    overdue: due.filter((i) => i.urgency === 'overdue').length,
    dueSoon: due.filter((i) => i.urgency === 'due-soon').length,
    approvals: work.approvals.sort(byUrgency),
  };
}
