import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { detailEvents, humanise } from '../casework/categories.js';
import { allowedDocumentTypes } from '../casework/schemas.js';
import { CaseworkStore } from '../casework/store.js';
import { formatDate } from '../platform/http/views.js';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { ConflictError } from '../platform/errors/errors.js';
import { isCategorySlug } from '../policy/index.js';
import { extractDocumentText } from './document-text.js';
import { editableStates } from './machine.js';
import { restrictedFor, restrictedPersonIds } from './restriction.js';
import { criteriaOf, categoryNameOf, searchable, subjectMentions } from './discovery.js';
import { loadRequest, reviewEvent } from './request-store.js';
import { authoriseReviewWork } from './gathering.js';
import type { RightsReviewItemTable } from './tables.js';

/**
 * The bundle's items gathered for review from what the organisation holds
 * about the confirmed subject: records, their documents (the text itself),
 * notes and chronology, and notes elsewhere that name them.
 */

/**
 * Builds the bundle's items from the confirmed person's records — each
 * record's summary, its notes, its documents (listed) and its chronology
 * (dated events and information received) — plus notes elsewhere that
 * name the person. Idempotent: items already there keep their decisions.
 */
export async function prepareReview(
  db: Kysely<Database>,
  staff: StaffContext,
  requestId: string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
    const request = await loadRequest(trx, organisation.id, requestId, { lock: true });
    if (request.type !== 'access') throw new ConflictError('Only an access request has a bundle');
    if (!editableStates.includes(request.state)) {
      throw new ConflictError('The review can be prepared only while the request is in progress');
    }
    const personId = request.subject_person_id;
    if (!personId) {
      throw new ConflictError('Run discovery and confirm who the subject is first');
    }
    const store = new CaseworkStore(trx);
    const all = await store.recordsOfPerson(personId);
    const restricted = await restrictedFor(
      trx,
      request,
      all.map((r) => r.id),
    );
    const records = all.filter(
      (r) =>
        r.organisation_id === organisation.id && searchable(staff, r, restricted.has(r.id), 'read'),
    );
    const ids = records.map((r) => r.id);
    const [notes, sources] = await Promise.all([store.notes(ids), store.sources(ids)]);
    type NewItem = Omit<
      RightsReviewItemTable,
      | 'id'
      | 'decision'
      | 'ground'
      | 'reason'
      | 'decided_by'
      | 'decided_at'
      | 'position'
      | 'source_note'
    > & { source_note?: string | null };
    const items: NewItem[] = [];
    const key = (...parts: string[]) =>
      createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
    for (const record of records) {
      const name = categoryNameOf(organisation.slug, record.category);
      items.push({
        request_id: request.id,
        kind: 'record',
        source_id: record.id,
        record_id: record.id,
        item_date: record.opened_on,
        title: `${name} record`,
        body:
          `${name} record, opened ${formatDate(record.opened_on)}` +
          (record.closed_on ? `, closed ${formatDate(record.closed_on)}` : ', still open') +
          `. Your part in it: ${humanise(record.partyRole)}.`,
      });
      for (const document of await store.documents(record.id)) {
        // The information itself, not a list of files (issue 12 item 2):
        // the document's text, redacted like a note.
        const held = await store.document(record.id, document.id);
        const extracted = held
          ? await extractDocumentText(held.media_type, held.content)
          : { text: '', note: null };
        const about =
          `${document.filename} (${documentTypeName(document.media_type)}, ` +
          `${Math.max(1, Math.ceil(document.size_bytes / 1024))} KB), ` +
          `added to the ${name.toLowerCase()} record by ${document.uploadedBy}.`;
        items.push({
          request_id: request.id,
          kind: 'document',
          source_id: document.id,
          record_id: record.id,
          item_date: document.uploaded_at.toISOString().slice(0, 10),
          title: `Document: ${document.filename}`,
          body: extracted.text,
          source_note: extracted.note ? `${about} ${extracted.note}` : about,
        });
      }
      if (isCategorySlug(record.category)) {
        for (const e of detailEvents(record.category, record.detail)) {
          items.push({
            request_id: request.id,
            kind: 'chronology',
            source_id: key(record.id, 'event', e.date, e.text),
            record_id: record.id,
            item_date: e.date,
            title: `${name}: ${formatDate(e.date)}`,
            body: e.text,
          });
        }
      }
    }
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const note of notes) {
      const record = byId.get(note.record_id);
      if (!record) continue;
      const name = categoryNameOf(organisation.slug, record.category);
      items.push({
        request_id: request.id,
        kind: 'note',
        source_id: note.id,
        record_id: record.id,
        item_date: note.occurred_on,
        title: `${humanise(note.kind)} recorded by ${note.author} (${name.toLowerCase()} record)`,
        body: note.text,
      });
    }
    for (const source of sources) {
      const record = byId.get(source.record_id);
      if (!record) continue;
      const name = categoryNameOf(organisation.slug, record.category);
      items.push({
        request_id: request.id,
        kind: 'chronology',
        source_id: source.id,
        record_id: record.id,
        item_date: source.received_on,
        title: `${humanise(source.kind)} from ${source.provider} (${name.toLowerCase()} record)`,
        body: source.summary,
      });
    }
    // Notes in other records that name the person: their data too.
    const subjectName = await trx
      .selectFrom('person')
      .select(['given_name', 'family_name'])
      .where('id', '=', personId)
      .executeTakeFirst();
    const names = [
      ...(subjectName ? [`${subjectName.given_name} ${subjectName.family_name}`] : []),
      ...criteriaOf(request).names,
    ];
    // A restricted subject's data elsewhere is theirs too (Art 18(2)): only
    // their own request gathers it.
    const subjectRestricted =
      request.requester_role !== 'self' &&
      (await restrictedPersonIds(trx, [personId])).has(personId);
    const mentions = subjectRestricted
      ? []
      : await subjectMentions(trx, staff, organisation, names, request);
    for (const mention of mentions) {
      if (byId.has(mention.recordId)) continue;
      const note = await trx
        .selectFrom('case_note as n')
        .innerJoin('account as a', 'a.id', 'n.author_account_id')
        .select(['n.text', 'n.kind', 'n.occurred_on', 'a.display_name as author'])
        .where('n.id', '=', mention.noteId)
        .executeTakeFirstOrThrow();
      items.push({
        request_id: request.id,
        kind: 'note',
        source_id: mention.noteId,
        record_id: mention.recordId,
        item_date: note.occurred_on,
        title: `${humanise(note.kind)} recorded by ${note.author} on another person’s ${mention.categoryName.toLowerCase()} record, naming you`,
        body: note.text,
      });
    }
    items.sort(
      (a, b) =>
        (a.item_date ?? '').localeCompare(b.item_date ?? '') ||
        a.kind.localeCompare(b.kind) ||
        a.source_id.localeCompare(b.source_id),
    );
    const existing = await trx
      .selectFrom('rights_review_item')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('request_id', '=', request.id)
      .executeTakeFirst();
    let position = Number(existing?.max ?? 0);
    let added = 0;
    for (const item of items) {
      const inserted = await trx
        .insertInto('rights_review_item')
        .values({ ...item, position: ++position })
        .onConflict((oc) => oc.columns(['request_id', 'kind', 'source_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) added += 1;
    }
    await reviewEvent(trx, staff, request.id, 'review-prepared', [personId, ...ids]);
    return added;
  });
}

/** "PDF", "Word document": a type in words, never a media type. */
function documentTypeName(mediaType: string): string {
  return allowedDocumentTypes[mediaType as keyof typeof allowedDocumentTypes] ?? 'file';
}
