/**
 * Rectification (UK GDPR Art 16). A fact about the person is corrected
 * through the people service, so its history is kept and retention moves
 * with it. An opinion is not rewritten: what the person disputes is
 * attached to the record or note (ICO "Right to rectification": record the
 * disagreement), and a refusal keeps the person's own statement alongside
 * the record the same way. Both are shown wherever the record is.
 */
import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import { factLabels, type RecordFact } from '../casework/categories.js';
import type { RectificationRequest } from '../casework/service.js';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { Temporal } from 'temporal-polyfill';
import type { BundleAnnotation } from './bundle.js';
import { formatDate } from './clock.js';
import type { AnnotationKind, RightsRequestTable } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export const annotationLabels: Record<AnnotationKind, string> = {
  'disputed-opinion': 'The person disputes this',
  'refusal-statement': 'The person’s statement (rectification refused)',
};

export interface AnnotationInput {
  kind: AnnotationKind;
  recordId: string;
  noteId?: string | undefined;
  text: string;
}

export interface AnnotationView {
  id: string;
  kind: AnnotationKind;
  label: string;
  recordId: string;
  noteId: string | null;
  text: string;
  addedAt: Date;
  /** null once the request has been destroyed under its retention rule (decision 0021). */
  requestId: string | null;
}

/** A wrong identifier or address removed from the person, or an address ended (moved out). */
export type PersonEntryCorrection =
  | { kind: 'remove-identifier'; entryId: string }
  | { kind: 'remove-address'; entryId: string }
  | { kind: 'end-address'; entryId: string; toDate: string };

export const personEntryNotes: Record<PersonEntryCorrection['kind'], string> = {
  'remove-identifier': 'Wrong identifier removed',
  'remove-address': 'Wrong address removed',
  'end-address': 'Address ended',
};

/** The request timeline's note of a record correction: which facts, never their values. */
export function correctedFactsNote(fields: readonly string[]): string {
  const names = fields.map((field) => {
    const fact = field.replace(/^facts\./, '') as RecordFact;
    if (field === 'closedOn') return 'date closed';
    if (field === 'openedOn') return 'date opened';
    return (factLabels[fact] ?? fact).replace(/^Date/, 'date');
  });
  return `Record corrected: ${names.join(', ')}`;
}

/** The request as casework and people see it when they correct for it (access.ts decides). */
export function rectificationScope(request: Selectable<RightsRequestTable>): RectificationRequest {
  return {
    id: request.id,
    organisationId: request.organisation_id,
    type: request.type,
    state: request.state,
    subjectPersonId: request.subject_person_id,
  };
}

/** A rectification request is worked on only while it is in progress, for a confirmed person. */
export function checkRectifiable(request: Selectable<RightsRequestTable>): string {
  if (request.type !== 'rectification') {
    throw new ConflictError('Only a rectification request corrects or annotates data');
  }
  if (request.state !== 'in-progress' && request.state !== 'extended') {
    throw new ConflictError('Rectification is carried out while the request is in progress');
  }
  if (!request.subject_person_id) {
    throw new ConflictError('Run discovery and confirm who the subject is first');
  }
  return request.subject_person_id;
}

/**
 * Attaches what the person disputes (or their statement) to one of their
 * records, or a note in it. The record must be one the subject takes part
 * in, in the request's organisation.
 */
export async function annotate(
  trx: Transaction<Database>,
  ctx: { organisationId: string; actorAccountId: string },
  request: Selectable<RightsRequestTable>,
  input: AnnotationInput,
): Promise<string> {
  const personId = checkRectifiable(request);
  const record = await trx
    .selectFrom('case_record as cr')
    .innerJoin('record_party as rp', 'rp.record_id', 'cr.id')
    .select('cr.id')
    .where('cr.id', '=', input.recordId)
    .where('cr.organisation_id', '=', ctx.organisationId)
    .where('rp.person_id', '=', personId)
    .executeTakeFirst();
  if (!record) throw new NotFoundError('The subject takes no part in that record');
  if (input.noteId) {
    const note = await trx
      .selectFrom('case_note')
      .select('id')
      .where('id', '=', input.noteId)
      .where('record_id', '=', record.id)
      .executeTakeFirst();
    if (!note) throw new NotFoundError('That note is not in the record');
  }
  const { id } = await trx
    .insertInto('rights_annotation')
    .values({
      organisation_id: ctx.organisationId,
      request_id: request.id,
      kind: input.kind,
      record_id: record.id,
      note_id: input.noteId ?? null,
      text: input.text.trim(),
      added_by: ctx.actorAccountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    action: `rights.annotation.${input.kind}`,
    actorAccountId: ctx.actorAccountId,
    organisationId: ctx.organisationId,
    objectType: 'case-record',
    objectIds: [request.id, record.id, ...(input.noteId ? [input.noteId] : []), id],
    purpose: 'rights-request',
  });
  return id;
}

/**
 * The annotations on a record, oldest first, for its page. The caller has
 * already decided (and audited) that the reader may see the record.
 */
export async function annotationsOnRecord(db: Db, recordId: string): Promise<AnnotationView[]> {
  return annotationsFrom(await annotationRows(db, recordId).execute());
}

/** The rows annotationsOnRecord reads, alone or as a subquery of the record page's one statement. */
export function annotationRows(db: Db | ExpressionBuilder<Database, never>, recordId: string) {
  return db
    .selectFrom('rights_annotation')
    .select([
      'rights_annotation.id',
      'rights_annotation.kind',
      'rights_annotation.record_id',
      'rights_annotation.note_id',
      'rights_annotation.text',
      'rights_annotation.added_at',
      'rights_annotation.request_id',
    ])
    .where('rights_annotation.record_id', '=', recordId)
    .orderBy('rights_annotation.added_at')
    .orderBy('rights_annotation.id');
}

/** Timestamps arrive as Date from a query, as ISO strings through JSON. */
export function annotationsFrom(
  rows: readonly {
    id: string;
    kind: AnnotationKind;
    record_id: string;
    note_id: string | null;
    text: string;
    added_at: Date | string;
    request_id: string | null;
  }[],
): AnnotationView[] {
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    label: annotationLabels[r.kind],
    recordId: r.record_id,
    noteId: r.note_id,
    text: r.text,
    addedAt: new Date(r.added_at),
    requestId: r.request_id,
  }));
}

/**
 * The annotations to send with each item of an access bundle: a record's
 * own with the record, a note's with the note — so the person's side is
 * read alongside what they dispute, as it is on the record page.
 */
export async function annotationsForBundle(
  db: Db,
  items: readonly { kind: string; source_id: string; record_id: string | null }[],
): Promise<(item: { kind: string; source_id: string }) => BundleAnnotation[]> {
  const recordIds = [...new Set(items.flatMap((i) => (i.record_id ? [i.record_id] : [])))];
  const rows = recordIds.length
    ? await db
        .selectFrom('rights_annotation')
        .select(['kind', 'record_id', 'note_id', 'text', 'added_at'])
        .where('record_id', 'in', recordIds)
        .orderBy('added_at')
        .orderBy('id')
        .execute()
    : [];
  return (item) =>
    rows
      .filter((r) =>
        item.kind === 'record'
          ? r.record_id === item.source_id && r.note_id === null
          : item.kind === 'note' && r.note_id === item.source_id,
      )
      .map((r) => ({
        label: annotationLabels[r.kind],
        // The day it was added in England, as the bundle's other dates are.
        addedOn: formatDate(
          Temporal.Instant.from(r.added_at.toISOString())
            .toZonedDateTimeISO('Europe/London')
            .toPlainDate(),
        ),
        text: r.text,
      }));
}

/** The annotations a request made, for its page. */
export async function annotationsOfRequest(db: Db, requestId: string) {
  return db
    .selectFrom('rights_annotation')
    .select(['id', 'kind', 'record_id', 'note_id', 'text', 'added_at'])
    .where('request_id', '=', requestId)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
}
