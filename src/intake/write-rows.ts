import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Gender, IdentifierType } from '../people/tables.js';
import { auditIntake, type Actor } from './actor.js';
import type { IntakeKind } from './kinds.js';

/**
 * Writing what matched rows put on people's records, a chunk at a time.
 * Issue 15 asks 50,000 rows in under a minute; written row by row (each new
 * person four or five statements, each row its facts, status and audit
 * event) 10,000 took over three minutes, nearly all of it round trips. So a
 * chunk's new people, names, identifiers, addresses, facts and row statuses
 * are each one statement, and each outcome one audit event listing every
 * row and person it touched. Each statement's rows travel as one JSON
 * parameter (`jsonb_to_recordset`), not as a VALUES list of thousands of
 * parameters: building, binding and sending those (7 a fact, 6,000 facts a
 * chunk) cost more than PostgreSQL's work on the rows, all the more with
 * the application short of CPU; the organisation and partner, the same in
 * every row, are one parameter each.
 *
 * The result is the same as writing the rows one after another in order:
 * an identifier is added only where no one in the organisation holds it yet
 * (identifiers are unique per organisation) and the person has none of that
 * type, counting those added by earlier rows of the same chunk.
 */
export interface Attachment {
  rowId: string;
  values: Readonly<Record<string, string>>;
  /** The person the row is attached to: one held, or (newPerson) one made from this row. */
  personId: string;
  newPerson: boolean;
  status: 'linked' | 'created';
  probability: number | null;
  waterfall: unknown;
  /** Set when a person decided (the review queue), undefined when the matcher did. */
  decidedBy?: string | null;
}

export interface ReviewOutcome {
  rowId: string;
  candidatePersonId: string | null;
  probability: number | null;
  waterfall: unknown;
}

/** A new person's id, chosen here so that a chunk's people are one statement with no read back. */
export function newPersonId(): string {
  return randomUUID();
}

/** PostgreSQL takes at most 65,535 parameters a statement; stay well under. */
const PARAMETERS = 30_000;

function inBatches<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(PARAMETERS / columns));
  const batches: T[][] = [];
  for (let start = 0; start < rows.length; start += size) {
    batches.push(rows.slice(start, start + size));
  }
  return batches;
}

const identifierTypes = [
  ['nhs-number', 'nhsNumber'],
  ['upn', 'upn'],
] as const satisfies readonly (readonly [IdentifierType, string])[];

export async function writeAttachments(
  trx: Transaction<Database>,
  actor: Actor,
  job: { id: string; partner: string },
  kind: IntakeKind,
  items: readonly Attachment[],
): Promise<void> {
  if (items.length === 0) return;
  const organisationId = actor.organisationId;

  // Who already holds the identifiers these rows give, and which types the
  // people attached to already have: read once, then kept up to date below
  // as if each row were written in turn.
  const values = [
    ...new Set(
      items.flatMap((a) => identifierTypes.map(([, key]) => a.values[key] ?? '')).filter(Boolean),
    ),
  ];
  const holder = new Map<string, string>();
  for (const batch of inBatches(values, 1)) {
    const held = await trx
      .selectFrom('person_identifier')
      .select(['person_id', 'type', 'value'])
      .where('organisation_id', '=', organisationId)
      .where('value', 'in', batch)
      .execute();
    for (const h of held) holder.set(`${h.type}|${h.value}`, h.person_id);
  }
  const typesOf = new Map<string, Set<string>>();
  const heldPeople = [...new Set(items.filter((a) => !a.newPerson).map((a) => a.personId))];
  for (const batch of inBatches(heldPeople, 1)) {
    const held = await trx
      .selectFrom('person_identifier')
      .select(['person_id', 'type'])
      .where('person_id', 'in', batch)
      .execute();
    for (const h of held) {
      typesOf.set(h.person_id, (typesOf.get(h.person_id) ?? new Set()).add(h.type));
    }
  }

  const people: Insertable<Database['person']>[] = [];
  const names: Insertable<Database['person_name']>[] = [];
  const identifiers: Insertable<Database['person_identifier']>[] = [];
  const addresses: Insertable<Database['person_address']>[] = [];
  const facts: Insertable<Database['intake_fact']>[] = [];
  for (const a of items) {
    const v = a.values;
    if (a.newPerson) {
      const person = {
        givenName: v.givenName ?? '',
        familyName: v.familyName ?? '',
        dateOfBirth: v.dateOfBirth || null,
        gender: (v.sex || null) as Gender | null,
      };
      people.push({
        id: a.personId,
        organisation_id: organisationId,
        given_name: person.givenName,
        family_name: person.familyName,
        date_of_birth: person.dateOfBirth,
        date_of_birth_precision: person.dateOfBirth ? 'exact' : null,
        date_of_death: null,
        gender: person.gender,
      });
      names.push({
        person_id: a.personId,
        organisation_id: organisationId,
        kind: 'current',
        given_name: person.givenName,
        family_name: person.familyName,
      });
      typesOf.set(a.personId, new Set());
      if (v.addressLine1 || v.postcode) {
        addresses.push({
          person_id: a.personId,
          line1: v.addressLine1 || v.postcode || '',
          line2: null,
          town: null,
          postcode: v.postcode || null,
          from_date: null,
          to_date: null,
        });
      }
    }
    // An identifier the row gave, when the person has none of that type and no one here holds it.
    const types = typesOf.get(a.personId) ?? new Set<string>();
    typesOf.set(a.personId, types);
    for (const [type, key] of identifierTypes) {
      const value = v[key];
      if (!value || types.has(type) || holder.has(`${type}|${value}`)) continue;
      identifiers.push({
        person_id: a.personId,
        organisation_id: organisationId,
        type,
        value,
      });
      holder.set(`${type}|${value}`, a.personId);
      types.add(type);
    }
    for (const f of kind.creates(v, job.partner)) {
      facts.push({
        organisation_id: organisationId,
        person_id: a.personId,
        row_id: a.rowId,
        fact: f.fact,
        occurred_on: f.occurredOn,
        summary: f.summary.slice(0, 1000),
        partner: job.partner,
      });
    }
  }

  if (people.length > 0) {
    await sql`
      insert into person (id, organisation_id, given_name, family_name, date_of_birth,
                          date_of_birth_precision, date_of_death, gender)
      select p.id, ${organisationId}, p.given_name, p.family_name, p.date_of_birth,
             p.date_of_birth_precision, null, p.gender
        from jsonb_to_recordset(${JSON.stringify(
          people.map((p) => ({
            id: p.id,
            given_name: p.given_name,
            family_name: p.family_name,
            date_of_birth: p.date_of_birth,
            date_of_birth_precision: p.date_of_birth_precision,
            gender: p.gender,
          })),
        )}::jsonb) as p(id uuid, given_name text, family_name text, date_of_birth date,
                        date_of_birth_precision text, gender text)`.execute(trx);
  }
  if (names.length > 0) {
    await sql`
      insert into person_name (person_id, organisation_id, kind, given_name, family_name)
      select n.person_id, ${organisationId}, 'current', n.given_name, n.family_name
        from jsonb_to_recordset(${JSON.stringify(
          names.map((n) => ({
            person_id: n.person_id,
            given_name: n.given_name,
            family_name: n.family_name,
          })),
        )}::jsonb) as n(person_id uuid, given_name text, family_name text)`.execute(trx);
  }
  if (identifiers.length > 0) {
    await sql`
      insert into person_identifier (person_id, organisation_id, type, value)
      select i.person_id, ${organisationId}, i.type, i.value
        from jsonb_to_recordset(${JSON.stringify(
          identifiers.map((i) => ({ person_id: i.person_id, type: i.type, value: i.value })),
        )}::jsonb) as i(person_id uuid, type text, value text)`.execute(trx);
  }
  if (addresses.length > 0) {
    await sql`
      insert into person_address (person_id, line1, postcode)
      select a.person_id, a.line1, a.postcode
        from jsonb_to_recordset(${JSON.stringify(
          addresses.map((a) => ({ person_id: a.person_id, line1: a.line1, postcode: a.postcode })),
        )}::jsonb) as a(person_id uuid, line1 text, postcode text)`.execute(trx);
  }
  if (facts.length > 0) {
    await sql`
      insert into intake_fact (organisation_id, person_id, row_id, fact, occurred_on, summary, partner)
      select ${organisationId}, f.person_id, f.row_id, f.fact, f.occurred_on, f.summary, ${job.partner}
        from jsonb_to_recordset(${JSON.stringify(
          facts.map((f) => ({
            person_id: f.person_id,
            row_id: f.row_id,
            fact: f.fact,
            occurred_on: f.occurred_on,
            summary: f.summary,
          })),
        )}::jsonb) as f(person_id uuid, row_id uuid, fact text, occurred_on date, summary text)`.execute(
      trx,
    );
  }

  // Every row's outcome in one statement: the rows travel as one JSON parameter.
  const decided = items.filter((a) => a.decidedBy !== undefined);
  const matched = items.filter((a) => a.decidedBy === undefined);
  if (matched.length > 0) {
    await sql`
      update intake_row as r
         set status = v.status, person_id = v.person_id, probability = v.probability,
             waterfall = v.waterfall
        from jsonb_to_recordset(${JSON.stringify(
          matched.map((a) => ({
            id: a.rowId,
            status: a.status,
            person_id: a.personId,
            probability: a.probability,
            waterfall: a.waterfall ?? null,
          })),
        )}::jsonb) as v(id uuid, status text, person_id uuid, probability double precision,
                        waterfall jsonb)
       where r.id = v.id`.execute(trx);
  }
  for (const a of decided) {
    await trx
      .updateTable('intake_row')
      .set({
        status: a.status,
        person_id: a.personId,
        probability: a.probability,
        waterfall: JSON.stringify(a.waterfall ?? null),
        decided_by: a.decidedBy ?? null,
        decided_at: sql<Date>`now()`,
      })
      .where('id', '=', a.rowId)
      .execute();
  }

  for (const status of ['linked', 'created'] as const) {
    const these = items.filter((a) => a.status === status);
    if (these.length === 0) continue;
    await auditIntake(trx, actor, `intake.row.${status === 'linked' ? 'link' : 'new'}`, [
      job.id,
      ...these.flatMap((a) => [a.rowId, a.personId]),
    ]);
  }
}

/** Rows a person must decide on: the candidate, its chance and the waterfall, in one statement. */
export async function writeReviews(
  trx: Transaction<Database>,
  reviews: readonly ReviewOutcome[],
): Promise<void> {
  if (reviews.length === 0) return;
  await sql`
    update intake_row as r
       set status = 'review', candidate_person_id = v.candidate_person_id,
           probability = v.probability, waterfall = v.waterfall
      from jsonb_to_recordset(${JSON.stringify(
        reviews.map((o) => ({
          id: o.rowId,
          candidate_person_id: o.candidatePersonId,
          probability: o.probability,
          waterfall: o.waterfall ?? null,
        })),
      )}::jsonb) as v(id uuid, candidate_person_id uuid, probability double precision,
                      waterfall jsonb)
     where r.id = v.id`.execute(trx);
}
