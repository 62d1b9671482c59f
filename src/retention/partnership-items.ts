import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The partnerships' own rows that carry a stored due date (training
 * bookings, surveys with their responses, board and subgroup meetings with
 * their attendees). The sweep disposes of them as it does case records:
 * batch by batch, each batch certified in its own transaction. They name
 * no person or case record, so only a hold on their category, or one a
 * reviewer placed on the row itself, can stop them. Rows that need a
 * person (no rule, an unknown date, a date reached when entered) go to the
 * same review queue as case records, with the same decisions.
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

/**
 * No active hold covers the row: a hold on its category, or one placed on the
 * row itself by a reviewer's "hold" decision (scope 'record', the row's id).
 */
function notHeld(item: PartnershipItemKind) {
  return sql`not exists (
      select 1 from retention_hold h
      where h.released_at is null and h.organisation_id = t.organisation_id
        and ((h.scope = 'category' and h.category = ${item.category})
          or (h.scope = 'record' and h.record_id = t.id))
    )`;
}

/** No reviewer has decided to keep the row beyond `asOf`. */
function notKeptBeyond(asOf: string) {
  return sql`not exists (
      select 1 from retention_decision d
      where d.record_id = t.id and d.decision = 'keep-until' and d.keep_until > ${asOf}
    )`;
}

function dueCondition(item: PartnershipItemKind, asOf: string) {
  return sql`
    t.retention_status = 'scheduled' and t.retention_action = 'destroy'
    and not t.retention_needs_review and t.retention_due <= ${asOf}
    and ${notHeld(item)} and ${notKeptBeyond(asOf)}`;
}

/**
 * Rows a person must look at by `asOf`, as for case records: an unknown
 * date, no rule, a date already reached when entered, or a scheduled action
 * other than destruction — never destroyed silently, never kept forever.
 */
function reviewCondition(item: PartnershipItemKind, asOf: string) {
  return sql`
    (t.retention_needs_review
      or (t.retention_status = 'scheduled' and t.retention_action <> 'destroy'
        and t.retention_due <= ${asOf}))
    and ${notHeld(item)} and ${notKeptBeyond(asOf)}`;
}

export function partnershipItemKind(kind: string): PartnershipItemKind | undefined {
  return partnershipItemKinds.find((k) => k.kind === kind);
}

export interface ItemForReview {
  kind: PartnershipItemKind['kind'];
  id: string;
  category: string;
  status: string;
  due: string | null;
  action: string | null;
  explanation: string;
}

/** One organisation's rows of every kind that need a reviewer, soonest due (or undated) first. */
export async function itemsForReview(
  db: Kysely<Database>,
  organisationId: string,
  asOf: string,
  limit: number,
): Promise<ItemForReview[]> {
  const found: ItemForReview[] = [];
  for (const item of partnershipItemKinds) {
    const { rows } = await sql<Omit<ItemForReview, 'kind' | 'category'>>`
      select t.id, t.retention_status as status, t.retention_due as due,
        t.retention_action as action, t.retention_explanation as explanation
      from ${sql.table(item.table)} t
      where t.organisation_id = ${organisationId} and ${reviewCondition(item, asOf)}
      order by t.retention_due asc nulls first, t.id
      limit ${limit}`.execute(db);
    found.push(...rows.map((r) => ({ ...r, kind: item.kind, category: item.category })));
  }
  return found;
}

/** How many of one organisation's rows need a reviewer, and how many are held. */
export async function itemCounts(
  db: Kysely<Database>,
  organisationId: string,
  asOf: string,
): Promise<{ needsReview: number; held: number }> {
  let needsReview = 0;
  let held = 0;
  for (const item of partnershipItemKinds) {
    const { rows } = await sql<{ review: number; held: number }>`
      select count(*) filter (where ${reviewCondition(item, asOf)}) as review,
        count(*) filter (where not ${notHeld(item)}) as held
      from ${sql.table(item.table)} t
      where t.organisation_id = ${organisationId}`.execute(db);
    needsReview += Number(rows[0]?.review ?? 0);
    held += Number(rows[0]?.held ?? 0);
  }
  return { needsReview, held };
}

/** One of the organisation's rows, locked for a reviewer's decision; undefined when it is not theirs. */
export async function lockOwnItem(
  trx: Transaction<Database>,
  item: PartnershipItemKind,
  organisationId: string,
  id: string,
): Promise<(DueItem & { held: boolean }) | undefined> {
  const { rows } = await sql<DueItem & { held: boolean }>`
    select t.id, t.organisation_id, t.retention_rule_id, t.retention_action, t.retention_due,
      not ${notHeld(item)} as held
    from ${sql.table(item.table)} t
    where t.id = ${id} and t.organisation_id = ${organisationId}
    for update`.execute(trx);
  return rows[0];
}

/** What the decision page shows of a row: its retention only, no personal details. */
export async function itemRetention(
  db: Kysely<Database>,
  item: PartnershipItemKind,
  organisationId: string,
  id: string,
) {
  const { rows } = await sql<{
    id: string;
    retention_status: string;
    retention_due: string | null;
    retention_action: string | null;
    retention_explanation: string;
  }>`
    select t.id, t.retention_status, t.retention_due, t.retention_action, t.retention_explanation
    from ${sql.table(item.table)} t
    where t.id = ${id} and t.organisation_id = ${organisationId}`.execute(db);
  return rows[0];
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
