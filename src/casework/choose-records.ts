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
import { recordRestricted } from '../rights/restriction.js';

/**
 * Records to choose from, for forms that name a record (legal holds,
 * restriction requests; issue 13 item 4): the records of the people a
 * search found that the searcher may find themselves (decideRecord
 * 'search'). `includeRestricted` keeps records a restriction covers, for
 * the forms that act on restrictions themselves. One statement, whatever
 * the number, and an audit event of exactly the records shown.
 */
export interface RecordChoice {
  id: string;
  personId: string;
  categoryName: string;
  openedOn: string;
  closedOn: string | null;
}

export async function recordsToChoose(
  db: Kysely<Database>,
  staff: StaffContext,
  personIds: readonly string[],
  options: { includeRestricted?: boolean } = {},
): Promise<RecordChoice[]> {
  const organisation = staff.organisation;
  if (personIds.length === 0 || !organisation || !isOrganisationSlug(organisation.slug)) return [];
  const orgSlug = organisation.slug;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('record_party')
      .innerJoin('case_record', 'case_record.id', 'record_party.record_id')
      .select((eb) => [
        'case_record.id',
        'record_party.person_id',
        'case_record.organisation_id',
        'case_record.category',
        'case_record.opened_on',
        'case_record.closed_on',
        'case_record.allocated_account_id',
        'case_record.allocated_team_id',
        'case_record.record_state',
        recordRestricted(eb.ref('case_record.id')).as('restricted'),
      ])
      .where('record_party.person_id', 'in', [...personIds])
      .where('case_record.organisation_id', '=', organisation.id)
      .orderBy('case_record.opened_on', 'desc')
      .orderBy('case_record.id')
      .execute();
    const choices = rows.flatMap((row) => {
      const decision = decideRecord(staff, 'search', {
        organisationId: row.organisation_id,
        category: row.category as CategorySlug,
        allocatedAccountId: row.allocated_account_id,
        allocatedTeamId: row.allocated_team_id,
        restricted: options.includeRestricted ? false : Boolean(row.restricted),
        state: row.record_state,
      });
      if (!decision.allowed) return [];
      return [
        {
          id: row.id,
          personId: row.person_id,
          categoryName: isCategorySlug(row.category)
            ? (findCategory(orgSlug, row.category)?.name ?? row.category)
            : row.category,
          openedOn: row.opened_on,
          closedOn: row.closed_on,
        },
      ];
    });
    await recordAudit(trx, {
      action: 'record.list',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'case-record',
      objectIds: [...new Set(choices.map((c) => c.id))],
      purpose: 'governance',
    });
    return choices;
  });
}
