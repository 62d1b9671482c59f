/**
 * A child's chronology (design.md: "one view, built from every record"):
 * what each record the reader may read says happened, with notes, sources,
 * visits, reviews, summaries and what partners sent, in date order, each
 * with where it came from. Audited as one read of the person and records.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { canPeople, decideRecord } from '../platform/access/access.js';
import { isUuid } from '../platform/access/resolve.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { isCategorySlug, type CategorySlug } from '../policy/index.js';
import {
  RESTRICTED_MESSAGE,
  restrictedPersonIds,
  restrictedRecordIds,
} from '../rights/restriction.js';
import { partnerChronology } from '../intake/partner-facts.js';
import { detailEvents, humanise } from './categories.js';
import { reviewChronology } from './entries/review-chronology.js';
import { summaryChronology } from './entries/summary-chronology.js';
import { visitChronology } from './entries/visit-chronology.js';
import { categoryName, scopeOf, staffOrganisation } from './record-scope.js';
import { CaseworkStore } from './store.js';

export interface ChronologyEntry {
  date: string;
  kind:
    | 'record-opened'
    | 'record-closed'
    | 'note'
    | 'source'
    | 'event'
    | 'visit'
    | 'review'
    | 'summary'
    | 'oversight'
    | 'partner';
  text: string;
  /**
   * The record it is part of; null for what a partner's file put on the
   * person (kind 'partner': src/intake), which belongs to no record.
   */
  recordId: string | null;
  category: CategorySlug | null;
  categoryName: string | null;
  /** Where the entry comes from: the record, a note's author, or the provider of the information. */
  source: string;
}

/**
 * A child's chronology: every record of theirs the staff member may read,
 * with its notes, sources and dated events, in date order, each with
 * where it came from. Records the reader may not see contribute nothing
 * (not even a count).
 */
export async function personChronology(
  db: Kysely<Database>,
  staff: StaffContext,
  personId: string,
) {
  const organisation = staffOrganisation(staff);
  // An id that is not even well formed names nothing: nothing to look up or audit.
  if (!isUuid(personId)) throw new NotFoundError();
  const outcome = await db.transaction().execute(async (trx) => {
    const store = new CaseworkStore(trx);
    // Refused (another organisation's) and missing people are audited
    // alike, as a denied attempt on the id as given, after the same work
    // (docs/decisions/0014-refusals-answer-as-not-found.md).
    const denied = async () => {
      await recordAudit(trx, {
        action: 'person.chronology.read',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [personId],
        outcome: 'denied',
      });
      return 'denied' as const;
    };
    const person = await store.person(personId);
    if (!person || person.organisation_id !== organisation.id) return denied();
    if (!canPeople(staff, 'person.read', organisation.id)) return denied();
    const all = await store.recordsOfPerson(personId);
    const restricted = await restrictedRecordIds(
      trx,
      all.map((r) => r.id),
    );
    const decided = all
      .filter((r) => isCategorySlug(r.category))
      .map((r) => ({
        record: r,
        decision: decideRecord(staff, 'read', scopeOf(r, restricted.has(r.id))),
      }));
    const records = decided.filter((d) => d.decision.allowed).map((d) => d.record);
    // Restricted records (Art 18(2)) contribute nothing but the fact that
    // they are restricted, shown to those who could otherwise read them.
    const withheld = decided
      .filter((d) => !d.decision.allowed && d.decision.restricted)
      .map((d) => d.record);
    // Someone known only through records the reader may not see is not theirs to see.
    if (all.length > 0 && records.length === 0 && withheld.length === 0) return denied();
    if ((await restrictedPersonIds(trx, [personId])).has(personId)) {
      await recordAudit(trx, {
        action: 'person.chronology.read',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [personId],
        outcome: 'denied',
      });
      return { restrictedPerson: true as const };
    }
    const ids = [...new Set(records.map((r) => r.id))];
    const byId = new Map(records.map((r) => [r.id, r]));
    const [notes, sources] = await Promise.all([store.notes(ids), store.sources(ids)]);
    const entries: (ChronologyEntry & { order: number; at: number })[] = [];
    const push = (e: ChronologyEntry, order: number, at = 0) => entries.push({ ...e, order, at });
    for (const record of byId.values()) {
      const category = record.category as CategorySlug;
      const name = categoryName(organisation.slug, category);
      const base = { recordId: record.id, category, categoryName: name };
      push(
        {
          ...base,
          date: record.opened_on,
          kind: 'record-opened',
          text: `${name} opened`,
          source: `${name} record`,
        },
        0,
      );
      for (const event of detailEvents(category, record.detail)) {
        push(
          {
            ...base,
            date: event.date,
            kind: 'event',
            text: event.text,
            source: `${name} record`,
          },
          1,
        );
      }
      if (record.closed_on) {
        push(
          {
            ...base,
            date: record.closed_on,
            kind: 'record-closed',
            text: `${name} closed`,
            source: `${name} record`,
          },
          4,
        );
      }
    }
    for (const note of notes) {
      const record = byId.get(note.record_id);
      if (!record) continue;
      const name = categoryName(organisation.slug, record.category);
      push(
        {
          date: note.occurred_on,
          kind: 'note',
          text: note.text,
          recordId: record.id,
          category: record.category as CategorySlug,
          categoryName: name,
          source: `${humanise(note.kind)} recorded by ${note.author} on the ${name.toLowerCase()} record`,
        },
        3,
        note.written_at.getTime(),
      );
    }
    for (const source of sources) {
      const record = byId.get(source.record_id);
      if (!record) continue;
      const name = categoryName(organisation.slug, record.category);
      push(
        {
          date: source.received_on,
          kind: 'source',
          text: source.summary,
          recordId: record.id,
          category: record.category as CategorySlug,
          categoryName: name,
          source: `${humanise(source.kind)} from ${source.provider}${source.reference ? ` (reference ${source.reference})` : ''}`,
        },
        2,
        source.added_at.getTime(),
      );
    }
    const nameOf = (category: string) => categoryName(organisation.slug, category);
    for (const { entry, at } of await visitChronology(trx, [...byId.values()], nameOf)) {
      push(entry, 3, at);
    }
    for (const { entry, at } of await reviewChronology(trx, [...byId.values()], nameOf)) {
      push(entry, 3, at);
    }
    for (const { entry, at } of await summaryChronology(trx, [...byId.values()], nameOf)) {
      push(entry, 3, at);
    }
    // What partners sent about the person (imports, issue 15): on the
    // person, not a record, so shown to whoever may read the person, as
    // their "From partners" tab is.
    for (const fact of await partnerChronology(trx, organisation.id, personId)) {
      push(
        {
          date: fact.date,
          kind: 'partner',
          text: fact.text,
          recordId: null,
          category: null,
          categoryName: null,
          source: fact.source,
        },
        2,
        fact.at,
      );
    }
    entries.sort(
      (a, b) =>
        a.date.localeCompare(b.date) ||
        a.order - b.order ||
        a.at - b.at ||
        (a.recordId ?? '').localeCompare(b.recordId ?? ''),
    );
    await recordAudit(trx, {
      action: 'person.chronology.read',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'person',
      objectIds: [personId, ...ids],
      purpose: 'casework',
    });
    return {
      person: {
        id: person.id,
        name: `${person.given_name} ${person.family_name}`,
        dateOfBirth: person.date_of_birth,
      },
      entries: entries.map(({ order: _order, at: _at, ...entry }) => entry),
      restrictedRecords: withheld.map((r) => ({
        recordId: r.id,
        categoryName: categoryName(organisation.slug, r.category),
      })),
    };
  });
  // Thrown after the transaction, so the denial's audit event is kept.
  if (outcome === 'denied') throw new NotFoundError();
  if ('restrictedPerson' in outcome) throw new ConflictError(RESTRICTED_MESSAGE);
  return outcome;
}
