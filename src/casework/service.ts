/**
 * Casework: records by category, their people, notes, sources, documents,
 * change history and chronology, behind the one access function
 * (src/platform/access/access.ts). The rules live here and in the files
 * this class calls; no HTTP.
 *
 * Every change is one transaction holding its audit event (ids only, never
 * names or free text: design.md principle 2) and, where a retention fact
 * changed, the record's new retention assessment (principle 4).
 *
 * The class is the one door to a record (withRecord, and open for the
 * hottest read). What is done through it lives by concept: record-edits.ts
 * (create and change a record's fields), record-contents.ts (notes,
 * parties, sources, documents, history), record-rectification.ts,
 * record-lists.ts and record-access.ts (refusals, break-glass);
 * record-view.ts is the record as a reader sees it.
 */
import { type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { decideRecord, type Decision, type RecordScope } from '../platform/access/access.js';
import type { RecordAction } from '../platform/access/record-rules.js';
import { isUuid } from '../platform/access/resolve.js';
import type { StaffContext } from '../platform/auth/service.js';
import { audited, recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors/errors.js';
import type { CategorySlug } from '../policy/index.js';
import { RESTRICTED_MESSAGE } from '../rights/restriction.js';
import { londonToday } from './retention.js';
import type {
  CreateRecordInput,
  NoteInput,
  PartyInput,
  RecordCorrectionInput,
  SourceInput,
  UpdateRecordInput,
} from './schemas.js';
import { CaseworkStore, type RecordRow } from './store.js';
import { openGranted, type SharedGrant } from '../sharing/record-grants.js';
// People owns who may see a person; casework asks it, as design.md says a
// capability calls another only through that one's service. (People calls
// back only at run time, for recomputeRetentionForPerson, so the two modules'
// mutual import is safe.)
import { PeopleService } from '../people/service.js';
import { accessMonitoring, recordAccessLog } from './access-monitoring.js';
import { personChronology } from './chronology.js';
import {
  deniedEvent,
  loadForDecision,
  openBreakGlass,
  purposeOf,
  readRefusal,
} from './record-access.js';
import * as contents from './record-contents.js';
import * as edits from './record-edits.js';
import * as lists from './record-lists.js';
import * as corrections from './record-rectification.js';
import type { RectificationRequest } from './record-rectification.js';
import { noOrganisationsRecord, scopeOf } from './record-scope.js';
import { presentRecord, type RecordView } from './record-view.js';

export { recomputeRetentionForPerson } from './retention.js';
// What other capabilities import from casework's service, from the files that hold it.
export { BreakGlassRequiredError } from './record-access.js';
export { staleVersionError } from './record-edits.js';
export type { RectificationRequest } from './record-rectification.js';
export type { RecordView, SharedWithUs } from './record-view.js';

export class CaseworkService {
  // The database, people and the clock are read by the record-*.ts files
  // the methods below call.
  readonly people: PeopleService;

  constructor(
    readonly db: Kysely<Database>,
    private readonly clock: { now?: () => Date; today?: () => string } = {},
  ) {
    this.people = new PeopleService(db);
  }

  /**
   * The person a new record would be about, for the record form (the person
   * page links to /records/new?person=<id>): their name and date of birth,
   * read through people (audited as a person read). `null` when no person is
   * given or it is one the staff member may not see — a hidden person is
   * treated exactly as not given, so the form reveals nothing.
   */
  async newRecordSubject(
    staff: StaffContext,
    personId: string | undefined,
  ): Promise<{ id: string; name: string; dateOfBirth: string | null } | null> {
    if (!personId) return null;
    try {
      const person = await this.people.get(staff, personId);
      return {
        id: person.id,
        name: `${person.givenName} ${person.familyName}`,
        dateOfBirth: person.dateOfBirth,
      };
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  now(): Date {
    return this.clock.now?.() ?? new Date();
  }

  today(): string {
    return this.clock.today?.() ?? londonToday();
  }

  /**
   * Loads a record and asks the access function. A record the staff member
   * may not see is "not found" (design.md "The shape of every request");
   * one their role may open with a reason asks for it. Denials of existing
   * records are audited, after which the error is thrown outside the
   * transaction so that the audit event is kept.
   */
  async withRecord<T>(
    staff: StaffContext,
    recordId: string,
    action: Exclude<RecordAction, 'search'> | 'rectify',
    work: (
      trx: Transaction<Database>,
      record: RecordRow,
      via: 'role' | 'break-glass' | 'grant',
      /** The record's organisation's slug, loaded with it. */
      organisationSlug: string,
    ) => Promise<T>,
    rectification?: RectificationRequest,
  ): Promise<T> {
    // An id that is not even well formed names nothing: nothing to look up or audit.
    if (!isUuid(recordId)) throw new NotFoundError();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const store = new CaseworkStore(trx);
      const { record, restricted, grants, organisationSlug } = await loadForDecision(
        store,
        recordId,
        action !== 'read',
      );
      if (action === 'rectify') {
        const refusal = await corrections.rectificationRefusal(
          trx,
          staff,
          recordId,
          record,
          rectification,
        );
        if (refusal || !record) return { error: refusal ?? new NotFoundError() };
        return { value: await work(trx, record, 'role', organisationSlug) };
      }
      // A record that does not exist goes through the same decision as one
      // that is refused, as a record of no organisation — the same queries
      // and the same 'denied' audit event on the id as given — so neither
      // the answer nor its timing tells them apart
      // (docs/decisions/0014-refusals-answer-as-not-found.md).
      // UK GDPR Art 18(2): a restricted record (or one of a restricted
      // person) may only be stored; the access decision refuses the rest.
      const scope = record ? scopeOf(record, restricted) : noOrganisationsRecord(restricted);
      const readDecision = () => this.readDecision(store, staff, recordId, scope, grants);
      const decision =
        action === 'read' ? await readDecision() : decideRecord(staff, 'write', scope);
      if (!decision.allowed) {
        await recordAudit(trx, deniedEvent(staff, action, recordId));
        if (action === 'write') {
          // Someone who may read but not change it knows it exists.
          const read = decision.restricted ? decision : await readDecision();
          return {
            error: read.allowed
              ? new ForbiddenError('You can read this record but not change it')
              : read.restricted
                ? new ConflictError(RESTRICTED_MESSAGE)
                : new NotFoundError(),
          };
        }
        return { error: readRefusal(decision, recordId) };
      }
      // A record of no organisation is never allowed; this narrows the type.
      if (!record) return { error: new NotFoundError() };
      return { value: await work(trx, record, decision.via, organisationSlug) };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  /**
   * The access decision on reading a record, from what loadForDecision
   * loaded: another organisation's staff read only through a sharing grant
   * in force; a role that may open it with a reason needs a break-glass
   * grant of this session.
   */
  private async readDecision(
    store: CaseworkStore,
    staff: StaffContext,
    recordId: string,
    scope: RecordScope,
    grants: SharedGrant[],
  ): Promise<Decision> {
    const decision = decideRecord(staff, 'read', { ...scope, grants }, { now: this.now() });
    if (decision.allowed || !decision.breakGlassPossible) return decision;
    const grant = await store.activeBreakGlass(
      recordId,
      staff.accountId,
      staff.sessionId,
      this.now(),
    );
    return grant ? decideRecord(staff, 'read', scope, { breakGlass: true }) : decision;
  }

  /** Creates a record in the staff member's organisation; returns its id (./record-edits.ts). */
  async create(staff: StaffContext, raw: CreateRecordInput): Promise<string> {
    return edits.createRecord(this, staff, raw);
  }

  /**
   * Opens a record: everything it holds, audited with why it was opened.
   *
   * The hottest audited read (every record page and API read), so it runs in
   * three statements rather than a transaction of six: the session (before
   * this), the record with its decision's inputs, then — when allowed — one
   * statement that reads everything shown and inserts its audit event
   * (withAuditEvent). A statement is a transaction of its own, so the read
   * and its event still commit together, and nothing is shown unless that
   * statement succeeded. A refusal is audited before it is answered, the
   * same way for a missing id (docs/decisions/0014). Reads through a
   * sharing grant, audited for both organisations, take the transaction.
   */
  async open(staff: StaffContext, recordId: string): Promise<RecordView> {
    if (!isUuid(recordId)) throw new NotFoundError();
    const store = new CaseworkStore(this.db);
    const { record, restricted, grants, organisationSlug } = await loadForDecision(
      store,
      recordId,
      false,
    );
    const scope = record ? scopeOf(record, restricted) : noOrganisationsRecord(restricted);
    const decision = await this.readDecision(store, staff, recordId, scope, grants);
    if (!decision.allowed || !record) {
      await audited(this.db, (trx) => recordAudit(trx, deniedEvent(staff, 'read', recordId)));
      throw readRefusal(decision, recordId);
    }
    if (decision.via === 'grant') return this.openInTransaction(staff, recordId);
    return presentRecord(this.db, staff, record, decision.via, organisationSlug, {
      action: 'record.read',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id],
      purpose: purposeOf(staff, record, decision.via),
    });
  }

  /** open() in one transaction, deciding again inside it: for reads through a sharing grant. */
  private async openInTransaction(staff: StaffContext, recordId: string): Promise<RecordView> {
    return this.withRecord(staff, recordId, 'read', async (trx, record, via, organisation) => {
      if (via === 'grant') {
        // Only the shared items, audited for both organisations (src/sharing).
        // withRecord has already refused a restricted record.
        return openGranted(trx, staff, scopeOf(record, false), record.id, this.now(), () =>
          presentRecord(trx, staff, record, via, organisation),
        );
      }
      const view = await presentRecord(trx, staff, record, via, organisation);
      await recordAudit(trx, {
        action: 'record.read',
        actorAccountId: staff.accountId,
        organisationId: record.organisation_id,
        objectType: 'case-record',
        objectIds: [record.id],
        purpose: purposeOf(staff, record, via),
      });
      return view;
    });
  }

  /** Edits a record made on its version, the stale refused (./record-edits.ts). */
  async update(staff: StaffContext, recordId: string, raw: UpdateRecordInput): Promise<number> {
    return edits.updateRecord(this, staff, recordId, raw);
  }

  /** Gives a record to a worker (and a team), made on `version` (./record-edits.ts). */
  async allocate(
    staff: StaffContext,
    recordId: string,
    version: unknown,
    choose: (record: RecordRow) => { allocatedAccountId: string; allocatedTeamId?: string | null },
  ): Promise<number> {
    return edits.allocateRecord(this, staff, recordId, version, choose);
  }

  /** Corrects a record's facts for a rectification request (./record-rectification.ts). */
  async correctForRectification(
    staff: StaffContext,
    recordId: string,
    raw: RecordCorrectionInput,
    request: RectificationRequest,
  ): Promise<{ version: number; fields: string[] }> {
    return corrections.correctForRectification(this, staff, recordId, raw, request);
  }

  /** A record's facts and dates, for a rectification request (./record-rectification.ts). */
  async factsForRectification(
    staff: StaffContext,
    recordId: string,
    request: RectificationRequest,
  ) {
    return corrections.factsForRectification(this, staff, recordId, request);
  }

  /* ---------------------------------------------------------------- */
  /* What a record holds                                               */
  /* ---------------------------------------------------------------- */

  async addNote(staff: StaffContext, recordId: string, raw: NoteInput): Promise<string> {
    return contents.addNote(this, staff, recordId, raw);
  }

  async addParty(staff: StaffContext, recordId: string, raw: PartyInput): Promise<void> {
    return contents.addParty(this, staff, recordId, raw);
  }

  async removeParty(staff: StaffContext, recordId: string, raw: PartyInput): Promise<void> {
    return contents.removeParty(this, staff, recordId, raw);
  }

  async addSource(staff: StaffContext, recordId: string, raw: SourceInput): Promise<string> {
    return contents.addSource(this, staff, recordId, raw);
  }

  /** Attaches a document, kept in the database so that destroying the record destroys it too. */
  async addDocument(
    staff: StaffContext,
    recordId: string,
    file: { filename: string; mediaType: string; content: Buffer },
  ): Promise<string> {
    return contents.addDocument(this, staff, recordId, file);
  }

  async readDocument(staff: StaffContext, recordId: string, documentId: string) {
    return contents.readDocument(this, staff, recordId, documentId);
  }

  /** The field-by-field change history: from, to, who, when. */
  async history(staff: StaffContext, recordId: string) {
    return contents.history(this, staff, recordId);
  }

  /* ---------------------------------------------------------------- */
  /* Break-glass                                                       */
  /* ---------------------------------------------------------------- */

  /**
   * Opens a record beyond the staff member's allocation, for a reason,
   * where their role allows it (./record-access.ts).
   */
  async breakGlass(staff: StaffContext, recordId: string, raw: { reason: string }): Promise<void> {
    return openBreakGlass(this, staff, recordId, raw);
  }

  /* ---------------------------------------------------------------- */
  /* Lists and the chronology                                          */
  /* ---------------------------------------------------------------- */

  /**
   * Records the staff member may find; a hidden record is neither returned
   * nor counted (./record-lists.ts).
   */
  async list(staff: StaffContext, options: { page?: number; category?: CategorySlug } = {}) {
    return lists.listRecords(this.db, staff, options);
  }

  /** A child's chronology, from every record of theirs the reader may read (./chronology.ts). */
  async chronology(staff: StaffContext, personId: string) {
    return personChronology(this.db, staff, personId);
  }

  /* ---------------------------------------------------------------- */
  /* Governance                                                        */
  /* ---------------------------------------------------------------- */

  /** "Who has seen this": each access to the record in the audit log (./access-monitoring.ts). */
  async accessLog(staff: StaffContext, recordId: string) {
    return recordAccessLog(this.db, staff, recordId);
  }

  /** Break-glass uses, unallocated and same-surname reads, unusual volumes (./access-monitoring.ts). */
  async accessMonitoring(staff: StaffContext, options: { days?: number } = {}) {
    return accessMonitoring(this.db, staff, this.now(), options);
  }

  /** Categories the staff member may create, with the form's choices of worker and team. */
  async formChoices(staff: StaffContext) {
    return lists.formChoices(this.db, staff);
  }

  /* ---------------------------------------------------------------- */
  /* For other capabilities (retention sweep, rights requests, sharing) */
  /* ---------------------------------------------------------------- */

  /**
   * Every record a person takes part in, with their role and the scope the
   * access function needs — for rights requests (which decide per record
   * with decideRecord) and the retention sweep. No access check here.
   */
  async recordsForPerson(personId: string, db: Kysely<Database> | Transaction<Database> = this.db) {
    return lists.recordsForPerson(db, personId);
  }

  /** Records whose retention action is due by `asOf`, or that need a human decision. */
  async listDue(organisationId: string, asOf: string) {
    return lists.listDue(this.db, organisationId, asOf);
  }
}
