/**
 * Governance's view of who reads records (issue 3): each record's access
 * log ("who has seen this"), and the organisation's monitoring of
 * break-glass uses, reads of records not allocated to the reader, readers
 * opening a record about someone who shares their surname, and unusual
 * volumes. Both reads are themselves audited.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { canGovernRecords } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { eventsAbout } from '../platform/audit/queries.js';
import { auditPurposeWords } from '../platform/audit/words.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { categoryName, staffOrganisation } from './record-scope.js';
import { CaseworkStore } from './store.js';

/** More distinct records than this read by one account in a day is shown as unusual. */
export const UNUSUAL_DAILY_READS = 40;

/** "Who has seen this": each access to the record in the audit log, with user and purpose. */
export async function recordAccessLog(db: Kysely<Database>, staff: StaffContext, recordId: string) {
  const outcome = await db.transaction().execute(async (trx) => {
    const store = new CaseworkStore(trx);
    const record = /^[0-9a-f-]{36}$/i.test(recordId) ? await store.record(recordId) : undefined;
    if (!record || !canGovernRecords(staff, record.organisation_id)) return null;
    const events = await eventsAbout(trx, recordId, 1000).execute();
    await recordAudit(trx, {
      action: 'record.access-log.read',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id],
      purpose: 'governance',
    });
    const organisation = await store.organisationSlug(record.organisation_id);
    return {
      recordId: record.id,
      categoryName: categoryName(organisation, record.category),
      entries: events.map((e) => ({
        at: e.occurred_at,
        action: e.action,
        purpose: e.purpose,
        outcome: e.outcome,
        accountId: e.actor_account_id,
        user: e.display_name ?? 'System',
      })),
    };
  });
  if (!outcome) throw new NotFoundError();
  return outcome;
}

/**
 * Access monitoring for governance (issue 3): break-glass uses, records
 * opened that were not allocated to the reader, a reader opening a record
 * about someone who shares their surname, and unusual volumes.
 */
export async function accessMonitoring(
  db: Kysely<Database>,
  staff: StaffContext,
  now: Date,
  options: { days?: number } = {},
) {
  const organisation = staffOrganisation(staff);
  if (!canGovernRecords(staff, organisation.id)) throw new NotFoundError();
  const days = Math.min(Math.max(options.days ?? 30, 1), 366);
  const since = new Date(now.getTime() - days * 86_400_000);
  return db.transaction().execute(async (trx) => {
    const breakGlass = await trx
      .selectFrom('break_glass_access')
      .innerJoin('case_record', 'case_record.id', 'break_glass_access.record_id')
      .innerJoin('account', 'account.id', 'break_glass_access.account_id')
      .select([
        'break_glass_access.id',
        'break_glass_access.record_id',
        'break_glass_access.opened_at',
        'break_glass_access.reason',
        'case_record.category',
        'account.display_name',
      ])
      .where('case_record.organisation_id', '=', organisation.id)
      .where('break_glass_access.opened_at', '>=', since)
      .orderBy('break_glass_access.opened_at', 'desc')
      .execute();

    const reads = await trx
      .selectFrom('audit_event')
      .leftJoin('account', 'account.id', 'audit_event.actor_account_id')
      .select([
        'audit_event.occurred_at',
        'audit_event.purpose',
        'audit_event.actor_account_id',
        'account.display_name',
        sql<string>`audit_event.object_ids[1]`.as('record_id'),
      ])
      .where('audit_event.organisation_id', '=', organisation.id)
      .where('audit_event.action', '=', 'record.read')
      .where('audit_event.outcome', '=', 'success')
      .where('audit_event.occurred_at', '>=', since)
      .orderBy('audit_event.seq', 'desc')
      .limit(20_000)
      .execute();

    const unallocated = reads.filter(
      (r) => r.purpose === 'casework-unallocated' || r.purpose === 'break-glass',
    );

    // Shared surnames: the reader's display name's last word against every
    // party's family name, compared without case or accents.
    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
    const recordIds = [...new Set(reads.map((r) => r.record_id))].filter((id) =>
      /^[0-9a-f-]{36}$/i.test(id),
    );
    const surnames = new Map<string, Set<string>>();
    const categories = new Map<string, string>();
    if (recordIds.length) {
      const rows = await trx
        .selectFrom('case_record')
        .select(['id', 'category'])
        .where('id', 'in', recordIds)
        .execute();
      for (const row of rows) categories.set(row.id, row.category);
      const parties = await trx
        .selectFrom('record_party')
        .innerJoin('person', 'person.id', 'record_party.person_id')
        .select(['record_party.record_id', 'person.family_name'])
        .where('record_party.record_id', 'in', recordIds)
        .execute();
      for (const p of parties) {
        const set = surnames.get(p.record_id) ?? new Set<string>();
        set.add(fold(p.family_name));
        surnames.set(p.record_id, set);
      }
    }
    const sameSurname = reads.filter((r) => {
      const surname = fold((r.display_name ?? '').split(/\s+/).pop() ?? '');
      return surname !== '' && (surnames.get(r.record_id)?.has(surname) ?? false);
    });

    const perDay = new Map<
      string,
      { accountId: string | null; user: string; day: string; records: Set<string> }
    >();
    for (const r of reads) {
      const day = r.occurred_at.toISOString().slice(0, 10);
      const key = `${r.actor_account_id ?? ''}/${day}`;
      const entry = perDay.get(key) ?? {
        accountId: r.actor_account_id,
        user: r.display_name ?? 'Unknown',
        day,
        records: new Set<string>(),
      };
      entry.records.add(r.record_id);
      perDay.set(key, entry);
    }
    const unusualVolumes = [...perDay.values()]
      .filter((e) => e.records.size > UNUSUAL_DAILY_READS)
      .map((e) => ({ accountId: e.accountId, user: e.user, day: e.day, records: e.records.size }))
      .sort((a, b) => b.records - a.records);

    await recordAudit(trx, {
      action: 'governance.access-monitoring.read',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'case-record',
      objectIds: [],
      purpose: 'governance',
    });
    const read = (r: (typeof reads)[number]) => ({
      at: r.occurred_at,
      recordId: r.record_id,
      categoryName: categoryName(organisation.slug, categories.get(r.record_id) ?? ''),
      purposeName: auditPurposeWords(r.purpose),
      accountId: r.actor_account_id,
      user: r.display_name ?? 'Unknown',
      purpose: r.purpose,
    });
    return {
      days,
      threshold: UNUSUAL_DAILY_READS,
      breakGlass: breakGlass.map((b) => ({
        id: b.id,
        at: b.opened_at,
        recordId: b.record_id,
        categoryName: categoryName(organisation.slug, b.category),
        user: b.display_name,
        reason: b.reason,
      })),
      unallocated: unallocated.map(read),
      sameSurname: sameSurname.map(read),
      unusualVolumes,
    };
  });
}
