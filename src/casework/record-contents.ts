/**
 * What a record holds besides its own fields: notes, parties, sources and
 * documents, and the change history that records them.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError, ValidationError } from '../platform/errors/errors.js';
import type { CategorySlug } from '../policy/index.js';
import { OBJECTION_UPHELD_MESSAGE, upheldObjectionFor } from '../rights/restriction.js';
import { checkGrantedDocument } from '../sharing/record-grants.js';
import { checkDocument } from './document-check.js';
import { PERSON_NOT_FOUND, purposeOf } from './record-access.js';
import { categoryName, scopeOf } from './record-scope.js';
import { assessAndStoreRetention } from './retention.js';
import {
  noteSchema,
  parse,
  partySchema,
  sourceSchema,
  type NoteInput,
  type PartyInput,
  type SourceInput,
} from './schemas.js';
import type { CaseworkService } from './service.js';
import { CaseworkStore, type RecordRow } from './store.js';

export async function addNote(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  raw: NoteInput,
): Promise<string> {
  const input = parse(noteSchema, raw);
  return casework.withRecord(staff, recordId, 'write', async (trx, record) => {
    const { id } = await trx
      .insertInto('case_note')
      .values({
        record_id: record.id,
        author_account_id: staff.accountId,
        written_at: casework.now(),
        occurred_on: input.occurredOn,
        kind: input.kind,
        text: input.text,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'case-note.create',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id, id],
      purpose: 'casework',
    });
    return id;
  });
}

export async function addParty(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  raw: PartyInput,
): Promise<void> {
  const input = parse(partySchema, raw);
  // As for a record's subject: adding a person would open them to the record's readers.
  const personVisible = await casework.people.isVisible(staff, input.personId);
  await casework.withRecord(staff, recordId, 'write', async (trx, record) => {
    const store = new CaseworkStore(trx);
    const person = await store.person(input.personId);
    if (!personVisible || !person || person.organisation_id !== record.organisation_id) {
      throw new ValidationError([{ field: 'personId', message: PERSON_NOT_FOUND }]);
    }
    if (await upheldObjectionFor(trx, person.id, record.category)) {
      throw new ValidationError([{ field: 'personId', message: OBJECTION_UPHELD_MESSAGE }]);
    }
    const parties = await store.parties(record.id);
    if (input.role === 'subject' && parties.some((p) => p.role === 'subject')) {
      throw new ValidationError([
        { field: 'role', message: 'The record already has a subject; choose another role' },
      ]);
    }
    if (parties.some((p) => p.personId === input.personId && p.role === input.role)) {
      throw new ValidationError([
        { field: 'personId', message: 'That person already has this role in the record' },
      ]);
    }
    await trx
      .insertInto('record_party')
      .values({ record_id: record.id, person_id: input.personId, role: input.role })
      .execute();
    await historyOnly(
      casework,
      trx,
      staff,
      record,
      'parties',
      null,
      `${input.role}:${input.personId}`,
    );
    if (input.role === 'subject') await assessAndStoreRetention(trx, record.id, casework.today());
    await recordAudit(trx, {
      action: 'record-party.add',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id, input.personId],
      purpose: 'casework',
    });
  });
}

export async function removeParty(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  raw: PartyInput,
): Promise<void> {
  const input = parse(partySchema, raw);
  await casework.withRecord(staff, recordId, 'write', async (trx, record) => {
    const removed = await trx
      .deleteFrom('record_party')
      .where('record_id', '=', record.id)
      .where('person_id', '=', input.personId)
      .where('role', '=', input.role)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new NotFoundError();
    await historyOnly(
      casework,
      trx,
      staff,
      record,
      'parties',
      `${input.role}:${input.personId}`,
      null,
    );
    if (input.role === 'subject') await assessAndStoreRetention(trx, record.id, casework.today());
    await recordAudit(trx, {
      action: 'record-party.remove',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id, input.personId],
      purpose: 'casework',
    });
  });
}

/** A change that is not a column (parties, documents) still enters the history. */
async function historyOnly(
  casework: CaseworkService,
  trx: Transaction<Database>,
  staff: StaffContext,
  record: RecordRow,
  field: string,
  from: string | null,
  to: string | null,
) {
  await trx
    .insertInto('record_change')
    .values({
      record_id: record.id,
      version: record.version,
      field,
      from_value: from,
      to_value: to,
      changed_by: staff.accountId,
      changed_at: casework.now(),
    })
    .execute();
}

export async function addSource(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  raw: SourceInput,
): Promise<string> {
  const input = parse(sourceSchema, raw);
  return casework.withRecord(staff, recordId, 'write', async (trx, record) => {
    const { id } = await trx
      .insertInto('record_source')
      .values({
        record_id: record.id,
        kind: input.kind,
        provider: input.provider,
        received_on: input.receivedOn,
        reference: input.reference || null,
        summary: input.summary,
        added_by: staff.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'record-source.add',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id, id],
      purpose: 'casework',
    });
    return id;
  });
}

/**
 * Attaches a document, kept in the database so that destroying the record
 * destroys it too (issue 3; issue 4 "removes the record everywhere it
 * lives"). Its declared type must match what its first bytes say it is.
 */
export async function addDocument(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  file: { filename: string; mediaType: string; content: Buffer },
): Promise<string> {
  const filename = checkDocument(file);
  return casework.withRecord(staff, recordId, 'write', async (trx, record) => {
    const { id } = await trx
      .insertInto('record_document')
      .values({
        record_id: record.id,
        filename,
        media_type: file.mediaType,
        size_bytes: file.content.length,
        content: file.content,
        uploaded_by: staff.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await historyOnly(casework, trx, staff, record, 'documents', null, id);
    await recordAudit(trx, {
      action: 'record-document.add',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id, id],
      purpose: 'casework',
    });
    return id;
  });
}

export async function readDocument(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  documentId: string,
) {
  return casework.withRecord(staff, recordId, 'read', async (trx, record, via) => {
    const document = /^[0-9a-f-]{36}$/i.test(documentId)
      ? await new CaseworkStore(trx).document(record.id, documentId)
      : undefined;
    if (!document) throw new NotFoundError();
    if (via === 'grant') {
      await checkGrantedDocument(
        trx,
        staff,
        scopeOf(record, false), // withRecord has refused a restricted record
        record.id,
        document.id,
        casework.now(),
      );
      return {
        filename: document.filename,
        mediaType: document.media_type,
        content: Buffer.from(document.content),
      };
    }
    await recordAudit(trx, {
      action: 'record-document.read',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id, document.id],
      purpose: purposeOf(staff, record, via),
    });
    return {
      filename: document.filename,
      mediaType: document.media_type,
      content: Buffer.from(document.content),
    };
  });
}

/** The field-by-field change history: from, to, who, when. */
export async function history(casework: CaseworkService, staff: StaffContext, recordId: string) {
  return casework.withRecord(staff, recordId, 'read', async (trx, record, via) => {
    // A grant shares items, never the record's history.
    if (via === 'grant') throw new NotFoundError();
    const changes = await new CaseworkStore(trx).changes(record.id);
    await recordAudit(trx, {
      action: 'record.history.read',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id],
      purpose: purposeOf(staff, record, via),
    });
    return {
      recordId: record.id,
      category: record.category as CategorySlug,
      categoryName: categoryName(
        await new CaseworkStore(trx).organisationSlug(record.organisation_id),
        record.category,
      ),
      changes: changes.map((c) => ({
        version: c.version,
        field: c.field,
        from: c.from_value,
        to: c.to_value,
        changedBy: c.changedBy,
        changedAt: c.changed_at,
      })),
    };
  });
}
