import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { decideRecord } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import {
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  type CategorySlug,
} from '../policy/index.js';
import { humanise } from './categories.js';
import { recordRestricted } from '../rights/restriction.js';

/**
 * A person's records and alerts for their page (issue 13 item 3): every
 * record they take part in that the viewer may read — category, status,
 * worker, dates, their part in it — and alerts a practitioner must see
 * first. One statement reads them (with the restriction, hold and missing
 * report of each record), whatever the number; a second audits exactly the
 * records shown. Records the viewer may not read add nothing, not even to
 * an alert's count. The caller has already decided the viewer may read the
 * person (PeopleService.get).
 */

export interface PersonRecord {
  id: string;
  categoryName: string;
  role: string;
  open: boolean;
  openedOn: string;
  closedOn: string | null;
  workerName: string | null;
  /** Shown to those who could otherwise read it, without a link (Art 18). */
  restricted: boolean;
}

export type AlertKind =
  'child-protection-plan' | 'looked-after' | 'missing' | 'restricted' | 'legal-hold';

export interface PersonAlert {
  kind: AlertKind;
  words: string;
}

export interface PersonRecords {
  records: PersonRecord[];
  alerts: PersonAlert[];
}

/** Their part in a record, in words ("About them", "Foster parent"). */
function partWords(role: string): string {
  return role === 'subject' ? 'About them' : humanise(role);
}

export async function personRecordsFor(
  db: Kysely<Database>,
  staff: StaffContext,
  personId: string,
): Promise<PersonRecords> {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
    return { records: [], alerts: [] };
  }
  const orgSlug = organisation.slug;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('record_party')
      .innerJoin('case_record', 'case_record.id', 'record_party.record_id')
      .leftJoin('account as worker', 'worker.id', 'case_record.allocated_account_id')
      .select((eb) => [
        'case_record.id',
        'case_record.organisation_id',
        'case_record.category',
        'case_record.opened_on',
        'case_record.closed_on',
        'case_record.allocated_account_id',
        'case_record.allocated_team_id',
        'case_record.record_state',
        'record_party.role',
        'worker.display_name as worker_name',
        recordRestricted(eb.ref('case_record.id')).as('restricted'),
        eb
          .exists(
            eb
              .selectFrom('retention_hold')
              .select('retention_hold.id')
              .where('retention_hold.released_at', 'is', null)
              .where((h) =>
                h.or([
                  h('retention_hold.record_id', '=', h.ref('case_record.id')),
                  h('retention_hold.person_id', '=', personId),
                  h.and([
                    h('retention_hold.scope', '=', 'category'),
                    h('retention_hold.category', '=', h.ref('case_record.category')),
                    h('retention_hold.organisation_id', '=', h.ref('case_record.organisation_id')),
                  ]),
                ]),
              ),
          )
          .as('held'),
        eb
          .selectFrom('record_source')
          .select((s) => s.fn.countAll<string>().as('n'))
          .whereRef('record_source.record_id', '=', 'case_record.id')
          .where('record_source.kind', '=', 'police-missing-report')
          .as('missing_reports'),
      ])
      .where('record_party.person_id', '=', personId)
      .where('case_record.organisation_id', '=', organisation.id)
      .orderBy('case_record.closed_on', (o) => o.desc().nullsFirst())
      .orderBy('case_record.opened_on', 'desc')
      .orderBy('case_record.id')
      .execute();

    const records: PersonRecord[] = [];
    let plan = false;
    let lookedAfter = false;
    let missing = 0;
    let restricted = 0;
    let held = false;
    for (const row of rows) {
      const isRestricted = Boolean(row.restricted);
      const decision = decideRecord(staff, 'read', {
        organisationId: row.organisation_id,
        category: row.category as CategorySlug,
        allocatedAccountId: row.allocated_account_id,
        allocatedTeamId: row.allocated_team_id,
        restricted: isRestricted,
        state: row.record_state,
      });
      if (!decision.allowed && !decision.restricted) continue;
      const open = row.closed_on === null;
      records.push({
        id: row.id,
        categoryName: isCategorySlug(row.category)
          ? (findCategory(orgSlug, row.category)?.name ?? row.category)
          : row.category,
        role: partWords(row.role),
        open,
        openedOn: row.opened_on,
        closedOn: row.closed_on,
        workerName: row.worker_name,
        restricted: !decision.allowed,
      });
      if (!decision.allowed) {
        restricted += 1;
        continue;
      }
      const aboutThem = row.role === 'subject';
      if (aboutThem && open && row.category === 'child-protection-plan') plan = true;
      if (aboutThem && open && row.category === 'looked-after') lookedAfter = true;
      if (aboutThem) missing += Number(row.missing_reports ?? 0);
      if (row.held) held = true;
    }

    const alerts: PersonAlert[] = [];
    if (plan) alerts.push({ kind: 'child-protection-plan', words: 'On a child protection plan' });
    if (lookedAfter) alerts.push({ kind: 'looked-after', words: 'Looked after' });
    if (missing > 0) {
      alerts.push({
        kind: 'missing',
        words: `Missing from home or care: ${missing} police ${missing === 1 ? 'report' : 'reports'}`,
      });
    }
    if (restricted > 0) {
      alerts.push({
        kind: 'restricted',
        words: `Processing restricted on ${restricted === 1 ? '1 record' : `${restricted} records`}: they may only be stored`,
      });
    }
    if (held) {
      alerts.push({ kind: 'legal-hold', words: 'On legal hold: records must not be destroyed' });
    }

    await recordAudit(trx, {
      action: 'record.list',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'case-record',
      objectIds: records.map((r) => r.id),
      purpose: 'casework',
    });
    return { records, alerts };
  });
}
