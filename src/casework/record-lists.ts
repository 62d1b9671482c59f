/**
 * Lists of records: the staff member's records page, the choices the new
 * record form offers, and what other capabilities (the retention sweep,
 * rights requests) ask of casework without an access check of their own.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { decideRecord, searchableCategories } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { policyFor, type CategorySlug } from '../policy/index.js';
import { restrictedRecordIds } from '../rights/restriction.js';
import { categoryName, scopeOf, staffOrganisation } from './record-scope.js';
import { CaseworkStore } from './store.js';

/** Records on one page of the records list. */
export const RECORDS_PAGE_SIZE = 25;

/**
 * Records the staff member may find, built from the categories and reach
 * the access function allows (so a hidden record is neither returned nor
 * counted), then each row checked by the access function itself.
 */
export async function listRecords(
  db: Kysely<Database>,
  staff: StaffContext,
  options: { page?: number; category?: CategorySlug } = {},
) {
  const organisation = staffOrganisation(staff);
  const searchable = searchableCategories(staff).filter(
    (c) => !options.category || c.category === options.category,
  );
  const anyReach = searchable.filter((c) => c.reach === 'any').map((c) => c.category);
  const teamReach = searchable.filter((c) => c.reach === 'team').map((c) => c.category);
  const teamIds = staff.teams.map((t) => t.id);
  const page = Math.max(1, options.page ?? 1);
  const empty = { total: 0, page, pageSize: RECORDS_PAGE_SIZE, records: [] };
  if (anyReach.length === 0 && teamReach.length === 0) return empty;

  return db.transaction().execute(async (trx) => {
    const base = trx
      .selectFrom('case_record')
      .where('case_record.organisation_id', '=', organisation.id)
      // Archived and inaccessible records are out of every list (decision
      // 0020); information governance finds them at /retention/kept.
      .where('case_record.record_state', '=', 'active')
      .where((eb) => {
        const allowed = [];
        if (anyReach.length) allowed.push(eb('case_record.category', 'in', anyReach));
        if (teamReach.length) {
          const mine = [eb('case_record.allocated_account_id', '=', staff.accountId)];
          if (teamIds.length) mine.push(eb('case_record.allocated_team_id', 'in', teamIds));
          allowed.push(eb.and([eb('case_record.category', 'in', teamReach), eb.or(mine)]));
        }
        return eb.or(allowed);
      });
    const { total } = await base
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const rows = await base
      .leftJoin('record_party', (join) =>
        join
          .onRef('record_party.record_id', '=', 'case_record.id')
          .on('record_party.role', '=', 'subject'),
      )
      .leftJoin('person', 'person.id', 'record_party.person_id')
      .selectAll('case_record')
      .select(['person.id as subjectId', 'person.given_name', 'person.family_name'])
      .orderBy('case_record.opened_on', 'desc')
      .orderBy('case_record.created_at', 'desc')
      .orderBy('case_record.id')
      .limit(RECORDS_PAGE_SIZE)
      .offset((page - 1) * RECORDS_PAGE_SIZE)
      .execute();
    const restricted = await restrictedRecordIds(
      trx,
      rows.map((r) => r.id),
    );
    // A restricted record (Art 18) stays in the list, so its holders know
    // it exists and the count is true, but nothing of its subject is shown.
    const visible = rows.flatMap((r) => {
      const decision = decideRecord(staff, 'search', scopeOf(r, restricted.has(r.id)));
      if (decision.allowed) return [{ ...r, restricted: false }];
      return decision.restricted ? [{ ...r, restricted: true }] : [];
    });
    await recordAudit(trx, {
      action: 'record.list',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'case-record',
      objectIds: visible.map((r) => r.id),
      purpose: 'casework',
    });
    return {
      total: Number(total),
      page,
      pageSize: RECORDS_PAGE_SIZE,
      records: visible.map((r) => ({
        id: r.id,
        category: r.category as CategorySlug,
        categoryName: categoryName(organisation.slug, r.category),
        status: r.closed_on ? ('closed' as const) : ('open' as const),
        openedOn: r.opened_on,
        closedOn: r.closed_on,
        subject:
          r.subjectId && !r.restricted
            ? { id: r.subjectId, name: `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim() }
            : null,
        restricted: r.restricted,
        retentionDue: r.retention_due,
        needsReview: r.retention_needs_review,
      })),
    };
  });
}

/** Categories the staff member may create, with the form's choices of worker and team. */
export async function formChoices(db: Kysely<Database>, staff: StaffContext) {
  const organisation = staffOrganisation(staff);
  const choices = await new CaseworkStore(db).allocationChoices(organisation.id);
  const policy = policyFor(organisation.slug);
  const categories = policy.categories.filter(
    (c) =>
      decideRecord(staff, 'write', {
        organisationId: organisation.id,
        category: c.slug,
        allocatedAccountId: staff.accountId,
        allocatedTeamId: staff.teams[0]?.id ?? null,
        restricted: false, // which categories may be created: no record yet
        state: 'active',
      }).allowed,
  );
  return { organisation, categories, ...choices };
}

/**
 * Every record a person takes part in, with their role and the scope the
 * access function needs — for rights requests (which decide per record
 * with decideRecord) and the retention sweep. No access check here.
 */
export async function recordsForPerson(
  db: Kysely<Database> | Transaction<Database>,
  personId: string,
) {
  const rows = await new CaseworkStore(db).recordsOfPerson(personId);
  const restricted = await restrictedRecordIds(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    recordId: r.id,
    role: r.partyRole,
    scope: scopeOf(r, restricted.has(r.id)),
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    retentionDue: r.retention_due,
    retentionAction: r.retention_action,
    needsReview: r.retention_needs_review,
  }));
}

/** Records whose retention action is due by `asOf`, or that need a human decision. */
export async function listDue(db: Kysely<Database>, organisationId: string, asOf: string) {
  return db
    .selectFrom('case_record')
    .select([
      'id',
      'category',
      'retention_status',
      'retention_due',
      'retention_action',
      'retention_rule_id',
      'retention_needs_review',
    ])
    .where('organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([eb('retention_due', '<=', asOf), eb('retention_needs_review', '=', true)]),
    )
    .orderBy('retention_due')
    .orderBy('id')
    .execute();
}
