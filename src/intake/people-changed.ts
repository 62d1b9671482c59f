import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { peopleAsRecords } from '../people/linkage/duplicates.js';
import type { PersonInput } from '../people/linkage/record.js';

/**
 * The people of an organisation added or changed since a job's matcher
 * last looked, by whatever means (the people pages, the API, a review
 * decision, another import, this one), so that a job running for minutes
 * matches its later rows against them too (issue 15: one child, one entry).
 *
 * What changes a person as the matcher reads them leaves a time behind:
 * `person.updated_at` (set on insert, on every change of the person's own
 * row, and on both people of a merge and of its undoing), the `created_at`
 * of a name, address or identifier added, and `person_change.changed_at`
 * for one removed or ended. So "changed since" is any of those at or after
 * the watermark (indexed by migration 0075).
 *
 * The watermark is not simply the time of the last look. A row's time is
 * its transaction's start (`now()`), and a transaction that started before
 * the last look but committed after it was invisible to that look, yet
 * carries an earlier time: another import's chunk, say, open for seconds.
 * So the watermark is the start of the oldest transaction still open when
 * the look began (`pg_stat_activity`, which shows the app's role its own
 * sessions: every writer of people runs as that role), or the look's own
 * start if none is older. Anything the look could not see started at or
 * after it, and the next look, at or after the watermark, finds it. What it
 * could see may be read twice, which changes nothing (`HeldPeople.upsert`).
 * Truncated to the millisecond, so that a JavaScript Date holds it exactly.
 *
 * A person deleted (disposal) leaves no time behind and is not found here.
 */
export async function watermark(db: Kysely<Database>): Promise<Date> {
  const { rows } = await sql<{ watermark: Date }>`
    select date_trunc('milliseconds', least(now(), coalesce(
      (select min(xact_start) from pg_stat_activity where datname = current_database()),
      now()))) as watermark`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('watermark: no row');
  return new Date(row.watermark);
}

export interface PeopleChanged {
  /** Their records as the matcher reads them now. */
  people: PersonInput[];
  /** Ids changed that are no longer held: merged into someone else. */
  gone: string[];
  /** Where the next look starts. */
  watermark: Date;
}

const BATCH = 10_000;

/** People of the organisation changed at or after `since`, and the next watermark. */
export async function peopleChangedSince(
  db: Kysely<Database>,
  organisationId: string,
  since: Date,
): Promise<PeopleChanged> {
  // First: what is committed after this may carry a time from now on.
  const next = await watermark(db);
  const { rows } = await sql<{ id: string }>`
    select id from person where organisation_id = ${organisationId} and updated_at >= ${since}
    union
    select person_id from person_name
     where organisation_id = ${organisationId} and created_at >= ${since}
    union
    select person_id from person_identifier
     where organisation_id = ${organisationId} and created_at >= ${since}
    union
    select a.person_id from person_address a join person p on p.id = a.person_id
     where a.created_at >= ${since} and p.organisation_id = ${organisationId}
    union
    select c.person_id from person_change c join person p on p.id = c.person_id
     where c.changed_at >= ${since} and p.organisation_id = ${organisationId}`.execute(db);
  const ids = rows.map((r) => r.id);
  // Another import may have added tens of thousands: read in batches, each
  // well under PostgreSQL's 65,535 parameters a statement.
  const people: PersonInput[] = [];
  for (let start = 0; start < ids.length; start += BATCH) {
    people.push(...(await peopleAsRecords(db, organisationId, ids.slice(start, start + BATCH))));
  }
  const held = new Set(people.map((p) => String(p.id)));
  return { people, gone: ids.filter((id) => !held.has(id)), watermark: next };
}
