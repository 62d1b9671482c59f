/**
 * What casework asks of sharing when a record is loaded (issue 6): the
 * grants that name the record, for the one access function to decide on;
 * what a grant recipient may see of it; the two audit events every granted
 * view leaves (one for each organisation); and where the record has been
 * shared, for its page. Kept small so that casework's edit stays small.
 */
import type { Expression, ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { RecordView, SharedWithUs } from '../casework/service.js';
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
  return grantsFrom(await grantRowsOf(db, recordId).execute());
}

/**
 * The rows grantsOnRecord reads, as a query on any record id expression: a
 * query that loads the record can carry them as a JSON column
 * (jsonArrayFrom), so the access decision's inputs come in one statement.
 */
export function grantRowsOf(
  db: Db | ExpressionBuilder<Database, never>,
  recordId: string | Expression<string>,
) {
  return db
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
    .where('disclosure.approved_at', 'is not', null);
}

/** Timestamps arrive as Date from a query, as ISO strings through JSON. */
type GrantRow = {
  id: string;
  recipient_organisation_id: string | null;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  item_kind: ItemKind;
  item_id: string;
  field: string;
};

/** The rows of grantRowsOf, one grant per disclosure with its items. */
export function grantsFrom(rows: readonly GrantRow[]): SharedGrant[] {
  const grants = new Map<string, SharedGrant>();
  for (const row of rows) {
    if (!row.recipient_organisation_id || !row.expires_at) continue;
    const grant = grants.get(row.id) ?? {
      disclosureId: row.id,
      recipientOrganisationId: row.recipient_organisation_id,
      expiresAt: new Date(row.expires_at),
      revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
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

/** The disclosures in force, in words, for the record page's banner. */
async function sharedWithUs(
  trx: Transaction<Database>,
  grants: SharedGrant[],
  recordId: string,
): Promise<SharedWithUs[]> {
  if (grants.length === 0) return [];
  const rows = await trx
    .selectFrom('disclosure')
    .innerJoin('organisation', 'organisation.id', 'disclosure.organisation_id')
    .leftJoin('sharing_agreement', 'sharing_agreement.id', 'disclosure.agreement_id')
    .select([
      'disclosure.id',
      'organisation.short_name as from',
      'disclosure.purpose',
      'sharing_agreement.title as agreement',
      'disclosure.expires_at as until',
    ])
    .where(
      'disclosure.id',
      'in',
      grants.map((g) => g.disclosureId),
    )
    .orderBy('disclosure.expires_at')
    .execute();
  return rows.map((row) => {
    const items = grants.find((g) => g.disclosureId === row.id)?.items ?? [];
    return {
      from: row.from,
      purpose: sharingPurposes[row.purpose as SharingPurpose] ?? 'Not recorded',
      agreement: row.agreement,
      until: row.until,
      items: describeItems(items, recordId),
    };
  });
}

/** "the whole record", or "2 notes, 1 document and some of its details". */
function describeItems(items: SharedGrant['items'], recordId: string): string {
  if (items.some((i) => i.kind === 'record' && i.id === recordId)) return 'the whole record';
  const count = (kind: ItemKind) => items.filter((i) => i.kind === kind).length;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    count('note') > 0 ? plural(count('note'), 'note', 'notes') : null,
    count('document') > 0 ? plural(count('document'), 'document', 'documents') : null,
    count('field') > 0 ? 'some of its details' : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return 'nothing more';
  return parts.length === 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
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
    sharedWithUs: await sharedWithUs(trx, grants, recordId),
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
  return sharedWithFrom(await sharedWithRows(db, recordId).execute());
}

/** The rows sharedWith reads, alone or as a subquery of the record page's one statement. */
export function sharedWithRows(db: Db | ExpressionBuilder<Database, never>, recordId: string) {
  return db
    .selectFrom('disclosure')
    .where('disclosure.id', 'in', (eb) =>
      eb
        .selectFrom('disclosure_item')
        .select('disclosure_item.disclosure_id')
        .where('disclosure_item.record_id', '=', recordId),
    )
    .select([
      'disclosure.id',
      'disclosure.recipient_name',
      'disclosure.requested_at',
      'disclosure.purpose',
      'disclosure.recipient_organisation_id',
      'disclosure.status',
    ])
    .orderBy('disclosure.requested_at', 'desc');
}

/** Timestamps arrive as Date from a query, as ISO strings through JSON. */
export function sharedWithFrom(
  rows: readonly {
    id: string;
    recipient_name: string;
    requested_at: Date | string;
    purpose: string;
    recipient_organisation_id: string | null;
    status: string;
  }[],
): SharedWithEntry[] {
  return rows.map((r) => ({
    disclosureId: r.id,
    recipient: r.recipient_name,
    on: new Date(r.requested_at),
    purpose: sharingPurposes[r.purpose as SharingPurpose] ?? r.purpose,
    kind: r.recipient_organisation_id ? 'grant' : 'package',
    status: r.status,
  }));
}
