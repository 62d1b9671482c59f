/**
 * What casework asks of sharing when a record is loaded (issue 6): the
 * grants that name the record, for the one access function to decide on;
 * what a grant recipient may see of it; the two audit events every granted
 * view leaves (one for each organisation); and where the record has been
 * shared, for its page. Kept small so that casework's edit stays small.
 */
import type { Kysely, Transaction } from 'kysely';
import type { RecordView } from '../casework/service.js';
import type { Database } from '../db/schema.js';
import { decideRecord, type RecordGrant, type RecordScope } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { fieldSelection } from './fields.js';
import { refuseIfRestricted } from './restriction.js';
import { sharingPurposes, type ItemKind, type SharingPurpose } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SharedGrant extends RecordGrant {
  /** `field` names the field of a field item (fields.ts); '' for the others. */
  items: { kind: ItemKind; id: string; field: string }[];
}

/**
 * Every grant (approved, or approved then revoked) with an item in the
 * record. Whether one is in force is the access function's decision.
 */
export async function grantsOnRecord(db: Db, recordId: string): Promise<SharedGrant[]> {
  const rows = await db
    .selectFrom('disclosure_item')
    .innerJoin('disclosure', 'disclosure.id', 'disclosure_item.disclosure_id')
    .select([
      'disclosure.id',
      'disclosure.recipient_organisation_id',
      'disclosure.expires_at',
      'disclosure.revoked_at',
      'disclosure_item.item_kind',
      'disclosure_item.item_id',
      'disclosure_item.field',
    ])
    .where('disclosure_item.record_id', '=', recordId)
    .where('disclosure.status', 'in', ['approved', 'revoked'])
    .where('disclosure.recipient_organisation_id', 'is not', null)
    .where('disclosure.approved_at', 'is not', null)
    .execute();
  const grants = new Map<string, SharedGrant>();
  for (const row of rows) {
    if (!row.recipient_organisation_id || !row.expires_at) continue;
    const grant = grants.get(row.id) ?? {
      disclosureId: row.id,
      recipientOrganisationId: row.recipient_organisation_id,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      items: [],
    };
    grant.items.push({ kind: row.item_kind, id: row.item_id, field: row.field });
    grants.set(row.id, grant);
  }
  return [...grants.values()];
}

/** The grants in force for this staff member, as decided by decideRecord. */
async function grantsInForce(
  trx: Transaction<Database>,
  staff: StaffContext,
  scope: RecordScope,
  recordId: string,
  now: Date,
): Promise<SharedGrant[]> {
  const grants = await grantsOnRecord(trx, recordId);
  const decision = decideRecord(staff, 'read', { ...scope, grants }, { now });
  if (!decision.allowed || decision.via !== 'grant') throw new NotFoundError();
  // UK GDPR Art 18(2): while restricted, the record may only be stored.
  await refuseIfRestricted(trx, recordId);
  return grants.filter((g) => decision.disclosureIds.includes(g.disclosureId));
}

/** Audit a granted view for both organisations, in the caller's transaction. */
async function auditGrantedView(
  trx: Transaction<Database>,
  staff: StaffContext,
  action: string,
  ownerOrganisationId: string,
  objectIds: string[],
  disclosureIds: string[],
) {
  for (const organisationId of [ownerOrganisationId, staff.organisation?.id ?? null]) {
    await recordAudit(trx, {
      action,
      actorAccountId: staff.accountId,
      organisationId,
      objectType: 'case-record',
      objectIds: [...objectIds, ...disclosureIds],
      purpose: 'shared-grant',
    });
  }
}

/**
 * The record as a grant recipient sees it: only the shared items. The
 * record's own contents (facts, detail, people, sources) only if the record
 * itself was shared, or else only the fields shared one by one; notes and
 * documents one by one. Never allocation or retention, which are the
 * holder's business.
 */
export async function openGranted(
  trx: Transaction<Database>,
  staff: StaffContext,
  scope: RecordScope,
  recordId: string,
  now: Date,
  present: () => Promise<RecordView>,
): Promise<RecordView> {
  const grants = await grantsInForce(trx, staff, scope, recordId, now);
  const items = grants.flatMap((g) => g.items);
  const has = (kind: ItemKind, id: string) => items.some((i) => i.kind === kind && i.id === id);
  const full = await present();
  const wholeRecord = has('record', recordId);
  const fields = fieldSelection(items.filter((i) => i.kind === 'field').map((i) => i.field));
  const subject = full.parties.find((p) => p.role === 'subject');
  const sharedSubject =
    subject && (fields.subjectName || fields.subjectDateOfBirth)
      ? [
          {
            ...subject,
            givenName: fields.subjectName ? subject.givenName : 'Name not shared',
            familyName: fields.subjectName ? subject.familyName : '',
            dateOfBirth: fields.subjectDateOfBirth ? subject.dateOfBirth : null,
          },
        ]
      : [];
  const view: RecordView = {
    ...full,
    allocatedAccountId: null,
    allocatedWorker: null,
    allocatedTeamId: null,
    allocatedTeam: null,
    facts: wholeRecord
      ? full.facts
      : Object.fromEntries(fields.facts.map((fact) => [fact, full.facts[fact] ?? null])),
    factNames: wholeRecord
      ? full.factNames
      : full.factNames.filter((f) => fields.facts.includes(f)),
    detail: wholeRecord
      ? full.detail
      : Object.fromEntries(
          fields.detail.filter((key) => key in full.detail).map((key) => [key, full.detail[key]]),
        ),
    parties: wholeRecord ? full.parties : sharedSubject,
    sources: wholeRecord ? full.sources : [],
    notes: full.notes.filter((n) => has('note', n.id)),
    documents: full.documents.filter((d) => has('document', d.id)),
    retention: {
      status: 'pending',
      due: null,
      action: null,
      ruleId: null,
      needsReview: false,
      explanation: 'Kept by the organisation that shared it, under its own retention schedule.',
    },
    access: { via: 'grant', canWrite: false },
  };
  await auditGrantedView(
    trx,
    staff,
    'record.read',
    scope.organisationId,
    [recordId],
    grants.map((g) => g.disclosureId),
  );
  return view;
}

/** A shared document, for a grant recipient: refused unless it was shared. */
export async function checkGrantedDocument(
  trx: Transaction<Database>,
  staff: StaffContext,
  scope: RecordScope,
  recordId: string,
  documentId: string,
  now: Date,
): Promise<void> {
  const grants = await grantsInForce(trx, staff, scope, recordId, now);
  const covering = grants.filter((g) =>
    g.items.some((i) => i.kind === 'document' && i.id === documentId),
  );
  if (covering.length === 0) throw new NotFoundError();
  await auditGrantedView(
    trx,
    staff,
    'record-document.read',
    scope.organisationId,
    [recordId, documentId],
    covering.map((g) => g.disclosureId),
  );
}

export interface SharedWithEntry {
  disclosureId: string;
  recipient: string;
  on: Date;
  purpose: string;
  kind: 'grant' | 'package';
  status: string;
}

/** Where a record has been shared, for its page (holders only). */
export async function sharedWith(db: Db, recordId: string): Promise<SharedWithEntry[]> {
  const rows = await db
    .selectFrom('disclosure')
    .where('disclosure.id', 'in', (eb) =>
      eb
        .selectFrom('disclosure_item')
        .select('disclosure_item.disclosure_id')
        .where('disclosure_item.record_id', '=', recordId),
    )
    .select([
      'id',
      'recipient_name',
      'requested_at',
      'purpose',
      'recipient_organisation_id',
      'status',
      'expires_at',
      'package_downloaded_at',
    ])
    .orderBy('requested_at', 'desc')
    .execute();
  return rows.map((r) => ({
    disclosureId: r.id,
    recipient: r.recipient_name,
    on: r.requested_at,
    purpose: sharingPurposes[r.purpose as SharingPurpose] ?? r.purpose,
    kind: r.recipient_organisation_id ? 'grant' : 'package',
    status: r.status,
  }));
}
