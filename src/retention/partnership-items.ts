import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The partnerships' own rows that carry a stored due date (training
 * bookings, surveys with their responses, board and subgroup meetings with
 * their attendees). The sweep disposes of them as it does case records:
 * batch by batch, each batch certified in its own transaction. Only a
 * category hold can stop them: they name no person or case record.
 */
export interface PartnershipItemKind {
  kind: 'training-booking' | 'survey' | 'partnership-meeting';
  table: 'training_booking' | 'survey' | 'partnership_meeting';
  /** The policy category the rows belong to (src/policy/organisations). */
  category: string;
}

export const partnershipItemKinds: readonly PartnershipItemKind[] = [
  { kind: 'training-booking', table: 'training_booking', category: 'training' },
  // Questions, options, responses and answers go with the survey (on delete cascade).
  { kind: 'survey', table: 'survey', category: 'survey' },
  // Attendees go with the meeting (on delete cascade).
  { kind: 'partnership-meeting', table: 'partnership_meeting', category: 'meeting-admin' },
];

export interface DueItem {
  id: string;
  organisation_id: string;
  retention_rule_id: string | null;
  retention_action: string | null;
  retention_due: string | null;
}

function dueCondition(item: PartnershipItemKind, asOf: string) {
  return sql`
    t.retention_status = 'scheduled' and t.retention_action = 'destroy'
    and not t.retention_needs_review and t.retention_due <= ${asOf}
    and not exists (
      select 1 from retention_hold h
      where h.released_at is null and h.organisation_id = t.organisation_id
        and h.scope = 'category' and h.category = ${item.category}
    )`;
}

export async function dueItemGroups(db: Kysely<Database>, item: PartnershipItemKind, asOf: string) {
  const { rows } = await sql<{ organisation: string; rule: string | null; records: number }>`
    select o.slug as organisation, t.retention_rule_id as rule, count(*) as records
    from ${sql.table(item.table)} t join organisation o on o.id = t.organisation_id
    where ${dueCondition(item, asOf)}
    group by o.slug, t.retention_rule_id
    order by o.slug`.execute(db);
  return rows.map((r) => ({ ...r, category: item.category, records: Number(r.records) }));
}

/** The next batch, locked inside the transaction that will destroy it. */
export async function nextDueItems(
  trx: Transaction<Database>,
  item: PartnershipItemKind,
  asOf: string,
  limit: number,
): Promise<DueItem[]> {
  const { rows } = await sql<DueItem>`
    select t.id, t.organisation_id, t.retention_rule_id, t.retention_action, t.retention_due
    from ${sql.table(item.table)} t
    where ${dueCondition(item, asOf)}
    order by t.id limit ${limit}
    for update skip locked`.execute(trx);
  return rows;
}

export async function destroyItems(
  trx: Transaction<Database>,
  item: PartnershipItemKind,
  ids: readonly string[],
): Promise<number> {
  const result =
    await sql`delete from ${sql.table(item.table)} where id = any(${ids}::uuid[])`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
