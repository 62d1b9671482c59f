/**
 * Casework: records by category, their people, notes, sources, documents,
 * change history and chronology, behind the one access function
 * (src/platform/access/access.ts). The rules live here; no HTTP.
 *
 * Every change is one transaction holding its audit event (ids only, never
 * names or free text: design.md principle 2) and, where a retention fact
 * changed, the record's new retention assessment (principle 4).
 */
import { type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';
import {
  decideRecord,
  decideRectification,
  searchableCategories,
  type Decision,
  type RecordScope,
  type RectificationDecision,
} from '../platform/access/access.js';
import type { RecordAction } from '../platform/access/record-rules.js';
import { isUuid } from '../platform/access/resolve.js';
import type { StaffContext } from '../platform/auth/service.js';
import { audited, recordAudit, type AuditEntry } from '../platform/audit/audit-log.js';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../platform/errors/errors.js';
import {
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  policyFor,
  type CategorySlug,
  type OrganisationSlug,
} from '../policy/index.js';
import {
  detailSchemas,
  factColumns,
  factLabels,
  recordDateFacts,
  recordFactsFor,
  type RecordFact,
} from './categories.js';
import {
  isRecordRestricted,
  OBJECTION_UPHELD_MESSAGE,
  restrictedRecordIds,
  restrictionsForRectification,
  RESTRICTED_MESSAGE,
  upheldObjectionFor,
} from '../rights/restriction.js';
import { assessAndStoreRetention, londonToday, type StoredRetention } from './retention.js';
import {
  breakGlassSchema,
  createRecordSchema,
  noteSchema,
  partySchema,
  recordCorrectionSchema,
  sourceSchema,
  updateRecordSchema,
  type CreateRecordInput,
  type NoteInput,
  type PartyInput,
  type RecordCorrectionInput,
  type SourceInput,
  type UpdateRecordInput,
} from './schemas.js';
import { CaseworkStore, type PartyRow, type RecordRow } from './store.js';
import {
  checkGrantedDocument,
  openGranted,
  type SharedGrant,
  type SharedWithEntry,
} from '../sharing/record-grants.js';
import type { AnnotationView } from '../rights/rectification.js';
import type { VisitView } from './entries/visit-store.js';
import type { OutcomeView } from './entries/outcome-store.js';
import type { ReviewView } from './entries/review-store.js';
import type { OversightView, SummaryView } from './entries/summary-store.js';
// People owns who may see a person; casework asks it, as design.md says a
// capability calls another only through that one's service. (People calls
// back only at run time, for recomputeRetentionForPerson, so the two modules'
// mutual import is safe.)
import { PeopleService } from '../people/service.js';
import { accessMonitoring, recordAccessLog } from './access-monitoring.js';
import { personChronology } from './chronology.js';
import { checkDocument } from './document-check.js';
import { categoryName, noOrganisationsRecord, scopeOf, staffOrganisation } from './record-scope.js';

export { recomputeRetentionForPerson } from './retention.js';

/** A record the staff member's role could open beyond their allocation, with a reason. */
export class BreakGlassRequiredError extends AppError {
  readonly status = 403;
  readonly code = 'break-glass-required';
  constructor(readonly recordId: string) {
    super(
      'This record is not allocated to you or your team. To open it, give your reason: it is recorded and reviewed by information governance.',
    );
  }
}

/** How long a break-glass opening lasts, within the same session. */
export const BREAK_GLASS_MINUTES = 60;
/** Distinct records one person opens in a day before governance is asked to look. */
export const RECORDS_PAGE_SIZE = 25;
/** An edit made on a version of the record that is no longer the latest: nothing is saved. */
export function staleVersionError(): ConflictError {
  return new ConflictError(
    'This record has been changed by someone else since you opened it. Nothing has been saved: open the record again to see the latest version, then make your change again.',
  );
}

/**
 * The rectification request a correction is made for (src/rights), as the
 * rights service loaded and locked it in the same transaction.
 */
export interface RectificationRequest {
  id: string;
  organisationId: string;
  type: string;
  state: string;
  subjectPersonId: string | null;
}

/** The same words for a person who does not exist and one the staff member may not see. */
export const PERSON_NOT_FOUND = 'No person found with that reference';

export type ReadPurpose =
  'casework' | 'casework-unallocated' | 'governance' | 'break-glass' | 'shared-grant';

export type RecordFactValues = Partial<Record<RecordFact, string | boolean | null>>;

/** One disclosure a record is seen through, in words (sharing/record-grants.ts). */
export interface SharedWithUs {
  from: string;
  purpose: string;
  agreement: string | null;
  until: Date | null;
  /** What of the record it shares: "the whole record", "2 notes and 1 document". */
  items: string;
}

export interface RecordView {
  id: string;
  organisationId: string;
  category: CategorySlug;
  categoryName: string;
  status: 'open' | 'closed';
  openedOn: string;
  closedOn: string | null;
  version: number;
  allocatedAccountId: string | null;
  allocatedWorker: string | null;
  allocatedTeamId: string | null;
  allocatedTeam: string | null;
  facts: RecordFactValues;
  factNames: RecordFact[];
  detail: Record<string, unknown>;
  retention: StoredRetention;
  parties: PartyRow[];
  notes: {
    id: string;
    writtenAt: Date;
    occurredOn: string;
    kind: string;
    text: string;
    author: string;
  }[];
  sources: {
    id: string;
    kind: string;
    provider: string;
    receivedOn: string;
    reference: string | null;
    summary: string;
  }[];
  documents: {
    id: string;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    uploadedAt: Date;
    uploadedBy: string;
  }[];
  access: { via: 'role' | 'break-glass' | 'grant'; canWrite: boolean };
  /**
   * Read through a sharing grant: each disclosure in force that lets the
   * viewer see it, for the page's "shared with us" banner (issue 13 item 8).
   */
  sharedWithUs?: SharedWithUs[];
  /** 'active', or kept instead of destroyed: archived or inaccessible (decision 0020). */
  state: 'active' | 'archived' | 'inaccessible';
  /** Where the record has been shared (src/sharing), shown to its holders only. */
  sharedWith?: SharedWithEntry[];
  /** What the person disputes, or their statement, from a rectification request (src/rights). */
  annotations?: AnnotationView[];
  /** Statutory visits (src/casework/entries), latest first; the holders' own, never shared. */
  visits?: VisitView[];
  /** A looked-after child's health and education checks (src/casework/entries). */
  outcomes?: OutcomeView[];
  /** Conferences and looked-after reviews (src/casework/entries), latest first; never shared. */
  reviews?: ReviewView[];
  /** The case summary, latest first (the first is current); never shared. */
  summaries?: SummaryView[];
  /** Team managers' oversight notes, latest first; never shared. */
  oversight?: OversightView[];
}

/** The facts the record's category has in its organisation's policy, with their stored values. */
function factValuesOf(
  organisation: string,
  record: RecordRow,
): { factNames: RecordFact[]; facts: RecordFactValues } {
  const factNames = isOrganisationSlug(organisation)
    ? recordFactsFor(organisation, record.category as CategorySlug)
    : [];
  const facts: RecordFactValues = {};
  for (const fact of factNames) {
    if (fact === 'childDied') facts.childDied = record.child_died;
    else if (fact === 'outcome') facts.outcome = record.outcome;
    else facts[fact] = record[factColumns[fact]];
  }
  return { factNames, facts };
}

function allocatedTo(staff: StaffContext, record: RecordRow): boolean {
  return (
    record.allocated_account_id === staff.accountId ||
    (record.allocated_team_id !== null &&
      staff.teams.some((t) => t.id === record.allocated_team_id))
  );
}

/** Why the read happened, for the audit log and governance monitoring. */
function purposeOf(
  staff: StaffContext,
  record: RecordRow,
  via: 'role' | 'break-glass' | 'grant',
): ReadPurpose {
  if (via === 'grant') return 'shared-grant';
  if (via === 'break-glass') return 'break-glass';
  if (allocatedTo(staff, record)) return 'casework';
  if (staff.roles.includes('information-governance')) return 'governance';
  return 'casework-unallocated';
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || 'form',
      message: issue.message,
    })),
  );
}

/** What the change history shows for a value: dates and codes as they are, objects as JSON. */
function historyValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export class CaseworkService {
  private readonly people: PeopleService;

  constructor(
    private readonly db: Kysely<Database>,
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

  private now(): Date {
    return this.clock.now?.() ?? new Date();
  }

  private today(): string {
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
        const refusal = await this.rectificationRefusal(
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

  /* ---------------------------------------------------------------- */
  /* Create, read, update                                              */
  /* ---------------------------------------------------------------- */

  /** Creates a record in the staff member's organisation; returns its id. */
  async create(staff: StaffContext, raw: CreateRecordInput): Promise<string> {
    const organisation = staffOrganisation(staff);
    const input = parse(createRecordSchema, raw);
    // A record cannot be saved in a category its organisation's policy lacks
    // (design.md principle 3): without it there is no purpose, lawful basis
    // or retention rule.
    const category = findCategory(organisation.slug, input.category);
    if (!category) {
      throw new ValidationError([
        {
          field: 'category',
          message: `${staff.organisation?.shortName ?? 'This organisation'} does not hold records of the category “${input.category}” in its privacy notice, so a record cannot be saved in it`,
        },
      ]);
    }
    const detail = this.validDetail(input.category, input.detail);
    const facts = this.validFacts(organisation.slug, input.category, input.facts);
    const allocatedAccountId =
      input.allocatedAccountId === undefined ? staff.accountId : input.allocatedAccountId;
    const allocatedTeamId =
      input.allocatedTeamId === undefined ? (staff.teams[0]?.id ?? null) : input.allocatedTeamId;
    if (input.closedOn && input.closedOn < input.openedOn) {
      throw new ValidationError([
        { field: 'closedOn', message: 'The date closed must be on or after the date opened' },
      ]);
    }
    const scope: RecordScope = {
      organisationId: organisation.id,
      category: input.category,
      allocatedAccountId,
      allocatedTeamId,
      // No record yet; a restricted subject is refused by isVisible below.
      restricted: false,
      state: 'active',
    };
    if (!decideRecord(staff, 'write', scope).allowed) {
      throw new ForbiddenError(`You cannot create ${category.name.toLowerCase()} records`);
    }

    // Need-to-know covers who a record may be opened for (decision 0005): a
    // person the creator cannot already see answers exactly as one that does
    // not exist, or creating a record would open them to the creator.
    const subjectVisible = await this.people.isVisible(staff, input.subjectPersonId);

    return this.db.transaction().execute(async (trx) => {
      const store = new CaseworkStore(trx);
      await this.checkAllocation(store, organisation.id, allocatedAccountId, allocatedTeamId);
      const subject = await store.person(input.subjectPersonId);
      if (!subjectVisible || !subject || subject.organisation_id !== organisation.id) {
        throw new ValidationError([{ field: 'subjectPersonId', message: PERSON_NOT_FOUND }]);
      }
      if (await upheldObjectionFor(trx, subject.id, input.category)) {
        throw new ValidationError([
          { field: 'subjectPersonId', message: OBJECTION_UPHELD_MESSAGE },
        ]);
      }
      const { id } = await trx
        .insertInto('case_record')
        .values({
          organisation_id: organisation.id,
          category: input.category,
          opened_on: input.openedOn,
          closed_on: input.closedOn ?? null,
          created_by: staff.accountId,
          allocated_account_id: allocatedAccountId,
          allocated_team_id: allocatedTeamId,
          detail: JSON.stringify(detail),
          ...this.factColumnValues(facts),
          // Maidstone's seven years run from the date the concern was logged
          // (decision 0002): recorded on opening unless given.
          ...(input.category === 'safeguarding-concern' && !facts.recordedDate
            ? { recorded_date: input.openedOn }
            : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('record_party')
        .values({ record_id: id, person_id: subject.id, role: 'subject' })
        .execute();
      await assessAndStoreRetention(trx, id, this.today());
      await recordAudit(trx, {
        action: 'record.create',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: [id, subject.id],
        purpose: 'casework',
      });
      return id;
    });
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
    return this.present(this.db, staff, record, decision.via, organisationSlug, {
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
          this.present(trx, staff, record, via, organisation),
        );
      }
      const view = await this.present(trx, staff, record, via, organisation);
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

  /**
   * Edits a record made on `version`. A stale version is refused and nothing
   * is written (design.md principle 8). Each changed field is kept in the
   * change history; a changed retention fact reassesses retention at once.
   */
  async update(staff: StaffContext, recordId: string, raw: UpdateRecordInput): Promise<number> {
    const input = parse(updateRecordSchema, raw);
    return this.withRecord(staff, recordId, 'write', async (trx, record) => {
      const { version } = await this.applyUpdate(trx, staff, record, input, {
        action: 'record.update',
        purpose: 'casework',
        objectIds: [record.id],
      });
      return version;
    });
  }

  /**
   * Gives a record to a worker (and a team), made on `version`: decided,
   * locked and changed in one transaction and audited once, as
   * `record.update` — the same rules as `update`. It reads nothing the
   * record says, so there is no read to audit: the allocation page that
   * shows the record is the read (issue 13; decision 0044). `choose` sees
   * the decided, locked record and returns the allocation, or throws.
   */
  async allocate(
    staff: StaffContext,
    recordId: string,
    version: unknown,
    choose: (record: RecordRow) => { allocatedAccountId: string; allocatedTeamId?: string | null },
  ): Promise<number> {
    return this.withRecord(staff, recordId, 'write', async (trx, record) => {
      const input = parse(updateRecordSchema, { version, ...choose(record) });
      const { version: next } = await this.applyUpdate(trx, staff, record, input, {
        action: 'record.update',
        purpose: 'casework',
        objectIds: [record.id],
      });
      return next;
    });
  }

  /**
   * Corrects a record's facts for a rectification request (UK GDPR Art 16),
   * by information governance, who may not otherwise write records. Whether
   * the request authorises it is decided by the access function
   * (decideRectification); the change itself is exactly a practitioner's
   * edit — the same optimistic locking, field history (from, to, who, when)
   * and retention recomputed — audited with the request's id. The rights
   * service runs it inside the request's own transaction.
   */
  async correctForRectification(
    staff: StaffContext,
    recordId: string,
    raw: RecordCorrectionInput,
    request: RectificationRequest,
  ): Promise<{ version: number; fields: string[] }> {
    const input = parse(recordCorrectionSchema, raw);
    return this.withRecord(
      staff,
      recordId,
      'rectify',
      (trx, record) =>
        this.applyUpdate(trx, staff, record, input, {
          action: 'record.rectify',
          purpose: 'rights-request',
          objectIds: [record.id, request.id],
        }),
      request,
    );
  }

  /**
   * A record's facts and dates, for correcting them for a rectification
   * request: only what a correction can change, on the same authority as
   * the correction, audited as a read with the request's id.
   */
  async factsForRectification(
    staff: StaffContext,
    recordId: string,
    request: RectificationRequest,
  ) {
    return this.withRecord(
      staff,
      recordId,
      'rectify',
      async (trx, record) => {
        const organisation = await new CaseworkStore(trx).organisationSlug(record.organisation_id);
        const category = record.category as CategorySlug;
        const { factNames, facts } = factValuesOf(organisation, record);
        await recordAudit(trx, {
          action: 'record.read',
          actorAccountId: staff.accountId,
          organisationId: record.organisation_id,
          objectType: 'case-record',
          objectIds: [record.id, request.id],
          purpose: 'rights-request',
        });
        return {
          id: record.id,
          category,
          categoryName: categoryName(organisation, category),
          version: record.version,
          openedOn: record.opened_on,
          closedOn: record.closed_on,
          factNames,
          facts,
        };
      },
      request,
    );
  }

  /** Why a correction for this request may not be made, audited; undefined when it may. */
  private async rectificationRefusal(
    trx: Transaction<Database>,
    staff: StaffContext,
    recordId: string,
    record: RecordRow | undefined,
    request: RectificationRequest | undefined,
  ): Promise<AppError | undefined> {
    // A record that does not exist is refused by the same work and with the
    // same answer as one outside the subject's file or organisation
    // (docs/decisions/0014-refusals-answer-as-not-found.md).
    const parties = await trx
      .selectFrom('record_party')
      .select('person_id')
      .where('record_id', '=', recordId)
      .execute();
    const restrictions = request?.subjectPersonId
      ? await restrictionsForRectification(trx, recordId, request.subjectPersonId)
      : 'none';
    const scope = record
      ? scopeOf(record, restrictions !== 'none')
      : noOrganisationsRecord(restrictions !== 'none');
    const decision: RectificationDecision = request
      ? decideRectification(staff, scope, {
          requestOrganisationId: request.organisationId,
          requestType: request.type,
          requestState: request.state,
          subjectPersonId: request.subjectPersonId,
          recordPartyIds: parties.map((p) => p.person_id),
          restrictions,
        })
      : { allowed: false, reason: 'not-authorised' };
    if (decision.allowed) return undefined;
    await recordAudit(trx, {
      action: 'record.rectify',
      actorAccountId: staff.accountId,
      organisationId: staff.organisation?.id ?? null,
      objectType: 'case-record',
      objectIds: [recordId, ...(request ? [request.id] : [])],
      outcome: 'denied',
    });
    if (decision.restricted) return new ConflictError(RESTRICTED_MESSAGE);
    return new NotFoundError('The subject takes no part in that record');
  }

  /** One edit of a record, locked and loaded by withRecord: the rules every change of its fields follows. */
  private async applyUpdate(
    trx: Transaction<Database>,
    staff: StaffContext,
    record: RecordRow,
    input: z.output<typeof updateRecordSchema>,
    audit: { action: string; purpose: string; objectIds: string[] },
  ): Promise<{ version: number; fields: string[] }> {
    if (record.version !== input.version) throw this.conflict();
    const organisation = await new CaseworkStore(trx).organisationSlug(record.organisation_id);
    if (!isOrganisationSlug(organisation) || !isCategorySlug(record.category)) {
      throw new NotFoundError();
    }
    const category = record.category;
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    const set: Record<string, unknown> = {};
    const change = (field: string, column: string, from: unknown, to: unknown) => {
      if (historyValue(from) === historyValue(to)) return;
      changes.push({ field, from, to });
      set[column] = to;
    };

    if (input.openedOn !== undefined)
      change('openedOn', 'opened_on', record.opened_on, input.openedOn);
    if (input.closedOn !== undefined)
      change('closedOn', 'closed_on', record.closed_on, input.closedOn);
    const openedOn = (set.opened_on as string | undefined) ?? record.opened_on;
    const closedOn = 'closed_on' in set ? (set.closed_on as string | null) : record.closed_on;
    if (closedOn && closedOn < openedOn) {
      throw new ValidationError([
        { field: 'closedOn', message: 'The date closed must be on or after the date opened' },
      ]);
    }
    if (input.allocatedAccountId !== undefined || input.allocatedTeamId !== undefined) {
      const account =
        input.allocatedAccountId !== undefined
          ? input.allocatedAccountId
          : record.allocated_account_id;
      const team =
        input.allocatedTeamId !== undefined ? input.allocatedTeamId : record.allocated_team_id;
      await this.checkAllocation(new CaseworkStore(trx), record.organisation_id, account, team);
      change('allocatedAccountId', 'allocated_account_id', record.allocated_account_id, account);
      change('allocatedTeamId', 'allocated_team_id', record.allocated_team_id, team);
    }
    if (input.facts !== undefined) {
      const facts = this.validFacts(organisation, category, input.facts);
      for (const fact of recordDateFacts) {
        if (facts[fact] === undefined) continue;
        change(`facts.${fact}`, factColumns[fact], record[factColumns[fact]], facts[fact]);
      }
      if (facts.childDied !== undefined)
        change('facts.childDied', 'child_died', record.child_died, facts.childDied);
      if (facts.outcome !== undefined)
        change('facts.outcome', 'outcome', record.outcome, facts.outcome);
    }
    if (input.detail !== undefined || input.detailPatch !== undefined) {
      const before = (record.detail ?? {}) as Record<string, unknown>;
      const merged = Object.fromEntries(
        Object.entries({ ...(input.detail ?? before), ...input.detailPatch }).filter(
          ([, value]) => value !== null && value !== undefined,
        ),
      );
      const after = this.validDetail(category, merged);
      const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
      let detailChanged = false;
      for (const key of [...keys].sort()) {
        if (historyValue(before[key]) !== historyValue(after[key])) {
          changes.push({ field: `detail.${key}`, from: before[key], to: after[key] });
          detailChanged = true;
        }
      }
      if (detailChanged) set.detail = JSON.stringify(after);
    }
    if (changes.length === 0) return { version: record.version, fields: [] };

    const updated = await trx
      .updateTable('case_record')
      .set({ ...set, version: record.version + 1, updated_at: this.now() })
      .where('id', '=', record.id)
      .where('version', '=', input.version)
      .returning('version')
      .executeTakeFirst();
    if (!updated) throw this.conflict();
    await trx
      .insertInto('record_change')
      .values(
        changes.map((c) => ({
          record_id: record.id,
          version: updated.version,
          field: c.field,
          from_value: historyValue(c.from),
          to_value: historyValue(c.to),
          changed_by: staff.accountId,
          changed_at: this.now(),
        })),
      )
      .execute();
    if (changes.some((c) => c.field === 'closedOn' || c.field.startsWith('facts.'))) {
      await assessAndStoreRetention(trx, record.id, this.today());
    }
    await recordAudit(trx, {
      ...audit,
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
    });
    return { version: updated.version, fields: changes.map((c) => c.field) };
  }

  private conflict(): ConflictError {
    return staleVersionError();
  }

  private validDetail(category: CategorySlug, detail: unknown): Record<string, unknown> {
    const result = detailSchemas[category].safeParse(detail ?? {});
    if (result.success) return result.data;
    throw new ValidationError(
      result.error.issues.map((issue) => ({
        field: ['detail', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }

  /** Only the facts the category's retention reads may be recorded on it. */
  private validFacts(
    organisation: OrganisationSlug,
    category: CategorySlug,
    facts: Partial<Record<RecordFact, string | boolean | null | undefined>>,
  ) {
    const allowed = new Set(recordFactsFor(organisation, category));
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries(facts)) {
      if (value !== undefined && value !== null && !allowed.has(name as RecordFact)) {
        errors.push({
          field: `facts.${name}`,
          message: `${factLabels[name as RecordFact] ?? name} is not recorded on this category of record`,
        });
      }
    }
    if (errors.length) throw new ValidationError(errors);
    return facts as Partial<Record<RecordFact, string | boolean | null>> & {
      childDied?: boolean | null;
      outcome?: string | null;
    };
  }

  private factColumnValues(facts: Partial<Record<RecordFact, string | boolean | null>>) {
    const values: Record<string, string | boolean | null> = {};
    for (const fact of recordDateFacts) {
      const value = facts[fact];
      if (typeof value === 'string') values[factColumns[fact]] = value;
    }
    if (typeof facts.childDied === 'boolean') values.child_died = facts.childDied;
    if (typeof facts.outcome === 'string') values.outcome = facts.outcome;
    return values;
  }

  private async checkAllocation(
    store: CaseworkStore,
    organisationId: string,
    accountId: string | null,
    teamId: string | null,
  ) {
    const errors: FieldError[] = [];
    if (accountId && !(await store.isMember(accountId, organisationId))) {
      errors.push({ field: 'allocatedAccountId', message: 'Choose a worker in your organisation' });
    }
    if (teamId && !(await store.teamInOrganisation(teamId, organisationId))) {
      errors.push({ field: 'allocatedTeamId', message: 'Choose a team in your organisation' });
    }
    if (errors.length) throw new ValidationError(errors);
  }

  /** The record as its page shows it; given `audit`, that event is recorded by the same statement. */
  private async present(
    db: Kysely<Database>,
    staff: StaffContext,
    record: RecordRow,
    via: 'role' | 'break-glass' | 'grant',
    organisation: string,
    audit?: AuditEntry,
  ): Promise<RecordView> {
    const category = record.category as CategorySlug;
    const { factNames, facts } = factValuesOf(organisation, record);
    // Where it was shared and its annotations are its own organisation's to see.
    const { parties, notes, sources, documents, worker, team, ...entries } =
      await new CaseworkStore(db).contents(record, {
        own: via !== 'grant',
        ...(audit ? { audit } : {}),
      });
    return {
      id: record.id,
      organisationId: record.organisation_id,
      category,
      categoryName: categoryName(organisation, category),
      status: record.closed_on ? 'closed' : 'open',
      openedOn: record.opened_on,
      closedOn: record.closed_on,
      version: record.version,
      allocatedAccountId: record.allocated_account_id,
      allocatedWorker: worker,
      allocatedTeamId: record.allocated_team_id,
      allocatedTeam: team,
      facts,
      factNames,
      detail: (record.detail ?? {}) as Record<string, unknown>,
      retention: {
        status: (record.retention_status ?? 'needs-review') as StoredRetention['status'],
        due: record.retention_due,
        action: record.retention_action,
        ruleId: record.retention_rule_id,
        needsReview: record.retention_needs_review,
        explanation: record.retention_explanation ?? 'Not yet assessed.',
      },
      parties,
      notes: notes.map((n) => ({
        id: n.id,
        writtenAt: n.written_at,
        occurredOn: n.occurred_on,
        kind: n.kind,
        text: n.text,
        author: n.author,
      })),
      sources: sources.map((s) => ({
        id: s.id,
        kind: s.kind,
        provider: s.provider,
        receivedOn: s.received_on,
        reference: s.reference,
        summary: s.summary,
      })),
      documents: documents.map((d) => ({
        id: d.id,
        filename: d.filename,
        mediaType: d.media_type,
        sizeBytes: d.size_bytes,
        uploadedAt: d.uploaded_at,
        uploadedBy: d.uploadedBy,
      })),
      // Presented only once withRecord has refused a restricted record.
      access: { via, canWrite: decideRecord(staff, 'write', scopeOf(record, false)).allowed },
      state: record.record_state,
      // Own organisation only: sharedWith, annotations and the structured entries.
      ...entries,
    };
  }

  /* ---------------------------------------------------------------- */
  /* What a record holds                                               */
  /* ---------------------------------------------------------------- */

  async addNote(staff: StaffContext, recordId: string, raw: NoteInput): Promise<string> {
    const input = parse(noteSchema, raw);
    return this.withRecord(staff, recordId, 'write', async (trx, record) => {
      const { id } = await trx
        .insertInto('case_note')
        .values({
          record_id: record.id,
          author_account_id: staff.accountId,
          written_at: this.now(),
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

  async addParty(staff: StaffContext, recordId: string, raw: PartyInput): Promise<void> {
    const input = parse(partySchema, raw);
    // As for a record's subject: adding a person would open them to the record's readers.
    const personVisible = await this.people.isVisible(staff, input.personId);
    await this.withRecord(staff, recordId, 'write', async (trx, record) => {
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
      await this.historyOnly(
        trx,
        staff,
        record,
        'parties',
        null,
        `${input.role}:${input.personId}`,
      );
      if (input.role === 'subject') await assessAndStoreRetention(trx, record.id, this.today());
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

  async removeParty(staff: StaffContext, recordId: string, raw: PartyInput): Promise<void> {
    const input = parse(partySchema, raw);
    await this.withRecord(staff, recordId, 'write', async (trx, record) => {
      const removed = await trx
        .deleteFrom('record_party')
        .where('record_id', '=', record.id)
        .where('person_id', '=', input.personId)
        .where('role', '=', input.role)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) throw new NotFoundError();
      await this.historyOnly(
        trx,
        staff,
        record,
        'parties',
        `${input.role}:${input.personId}`,
        null,
      );
      if (input.role === 'subject') await assessAndStoreRetention(trx, record.id, this.today());
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
  private async historyOnly(
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
        changed_at: this.now(),
      })
      .execute();
  }

  async addSource(staff: StaffContext, recordId: string, raw: SourceInput): Promise<string> {
    const input = parse(sourceSchema, raw);
    return this.withRecord(staff, recordId, 'write', async (trx, record) => {
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
  async addDocument(
    staff: StaffContext,
    recordId: string,
    file: { filename: string; mediaType: string; content: Buffer },
  ): Promise<string> {
    const filename = checkDocument(file);
    return this.withRecord(staff, recordId, 'write', async (trx, record) => {
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
      await this.historyOnly(trx, staff, record, 'documents', null, id);
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

  async readDocument(staff: StaffContext, recordId: string, documentId: string) {
    return this.withRecord(staff, recordId, 'read', async (trx, record, via) => {
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
          this.now(),
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
  async history(staff: StaffContext, recordId: string) {
    return this.withRecord(staff, recordId, 'read', async (trx, record, via) => {
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

  /* ---------------------------------------------------------------- */
  /* Break-glass                                                       */
  /* ---------------------------------------------------------------- */

  /**
   * Opens a record beyond the staff member's allocation, for a reason,
   * where their role allows it (record-rules.ts `breakGlass`). Lasts
   * BREAK_GLASS_MINUTES in this session; audited and listed for governance.
   */
  async breakGlass(staff: StaffContext, recordId: string, raw: { reason: string }): Promise<void> {
    const { reason } = parse(breakGlassSchema, raw);
    const outcome = await this.db.transaction().execute(async (trx) => {
      const record = /^[0-9a-f-]{36}$/i.test(recordId)
        ? await new CaseworkStore(trx).record(recordId)
        : undefined;
      if (!record || !isCategorySlug(record.category)) return 'not-found' as const;
      const scope = scopeOf(record, await isRecordRestricted(trx, record.id));
      const plain = decideRecord(staff, 'read', scope);
      if (plain.allowed) return 'not-needed' as const;
      const decision = decideRecord(staff, 'read', scope, { breakGlass: true });
      if (!decision.allowed) return 'not-found' as const;
      const { id } = await trx
        .insertInto('break_glass_access')
        .values({
          record_id: record.id,
          account_id: staff.accountId,
          session_id: staff.sessionId,
          reason,
          opened_at: this.now(),
          expires_at: new Date(this.now().getTime() + BREAK_GLASS_MINUTES * 60_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'record.break-glass',
        actorAccountId: staff.accountId,
        organisationId: record.organisation_id,
        objectType: 'case-record',
        objectIds: [record.id, id],
        purpose: 'break-glass',
      });
      return 'opened' as const;
    });
    if (outcome === 'not-found') throw new NotFoundError();
  }

  /* ---------------------------------------------------------------- */
  /* Lists and the chronology                                          */
  /* ---------------------------------------------------------------- */

  /**
   * Records the staff member may find, built from the categories and reach
   * the access function allows (so a hidden record is neither returned nor
   * counted), then each row checked by the access function itself.
   */
  async list(staff: StaffContext, options: { page?: number; category?: CategorySlug } = {}) {
    const organisation = staffOrganisation(staff);
    const searchable = searchableCategories(staff).filter(
      (c) => !options.category || c.category === options.category,
    );
    const anyReach = searchable.filter((c) => c.reach === 'any').map((c) => c.category);
    const teamReach = searchable.filter((c) => c.reach === 'team').map((c) => c.category);
    const teamIds = staff.teams.map((t) => t.id);
    const page = Math.max(1, options.page ?? 1);
    const empty = { total: 0, page, pageSize: RECORDS_PAGE_SIZE, records: [] };
    if (anyReach.length === 0 && teamReach.length === 0) return empty;

    return this.db.transaction().execute(async (trx) => {
      const base = trx
        .selectFrom('case_record')
        .where('case_record.organisation_id', '=', organisation.id)
        // Archived and inaccessible records are out of every list (decision
        // 0020); information governance finds them at /retention/kept.
        .where('case_record.record_state', '=', 'active')
        .where((eb) => {
          const allowed = [];
          if (anyReach.length) allowed.push(eb('case_record.category', 'in', anyReach));
          if (teamReach.length) {
            const mine = [eb('case_record.allocated_account_id', '=', staff.accountId)];
            if (teamIds.length) mine.push(eb('case_record.allocated_team_id', 'in', teamIds));
            allowed.push(eb.and([eb('case_record.category', 'in', teamReach), eb.or(mine)]));
          }
          return eb.or(allowed);
        });
      const { total } = await base
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      const rows = await base
        .leftJoin('record_party', (join) =>
          join
            .onRef('record_party.record_id', '=', 'case_record.id')
            .on('record_party.role', '=', 'subject'),
        )
        .leftJoin('person', 'person.id', 'record_party.person_id')
        .selectAll('case_record')
        .select(['person.id as subjectId', 'person.given_name', 'person.family_name'])
        .orderBy('case_record.opened_on', 'desc')
        .orderBy('case_record.created_at', 'desc')
        .orderBy('case_record.id')
        .limit(RECORDS_PAGE_SIZE)
        .offset((page - 1) * RECORDS_PAGE_SIZE)
        .execute();
      const restricted = await restrictedRecordIds(
        trx,
        rows.map((r) => r.id),
      );
      // A restricted record (Art 18) stays in the list, so its holders know
      // it exists and the count is true, but nothing of its subject is shown.
      const visible = rows.flatMap((r) => {
        const decision = decideRecord(staff, 'search', scopeOf(r, restricted.has(r.id)));
        if (decision.allowed) return [{ ...r, restricted: false }];
        return decision.restricted ? [{ ...r, restricted: true }] : [];
      });
      await recordAudit(trx, {
        action: 'record.list',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: visible.map((r) => r.id),
        purpose: 'casework',
      });
      return {
        total: Number(total),
        page,
        pageSize: RECORDS_PAGE_SIZE,
        records: visible.map((r) => ({
          id: r.id,
          category: r.category as CategorySlug,
          categoryName: categoryName(organisation.slug, r.category),
          status: r.closed_on ? ('closed' as const) : ('open' as const),
          openedOn: r.opened_on,
          closedOn: r.closed_on,
          subject:
            r.subjectId && !r.restricted
              ? { id: r.subjectId, name: `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim() }
              : null,
          restricted: r.restricted,
          retentionDue: r.retention_due,
          needsReview: r.retention_needs_review,
        })),
      };
    });
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
    const organisation = staffOrganisation(staff);
    const choices = await new CaseworkStore(this.db).allocationChoices(organisation.id);
    const policy = policyFor(organisation.slug);
    const categories = policy.categories.filter(
      (c) =>
        decideRecord(staff, 'write', {
          organisationId: organisation.id,
          category: c.slug,
          allocatedAccountId: staff.accountId,
          allocatedTeamId: staff.teams[0]?.id ?? null,
          restricted: false, // which categories may be created: no record yet
          state: 'active',
        }).allowed,
    );
    return { organisation, categories, ...choices };
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
    const rows = await new CaseworkStore(db).recordsOfPerson(personId);
    const restricted = await restrictedRecordIds(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      recordId: r.id,
      role: r.partyRole,
      scope: scopeOf(r, restricted.has(r.id)),
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      retentionDue: r.retention_due,
      retentionAction: r.retention_action,
      needsReview: r.retention_needs_review,
    }));
  }

  /** Records whose retention action is due by `asOf`, or that need a human decision. */
  async listDue(organisationId: string, asOf: string) {
    return this.db
      .selectFrom('case_record')
      .select([
        'id',
        'category',
        'retention_status',
        'retention_due',
        'retention_action',
        'retention_rule_id',
        'retention_needs_review',
      ])
      .where('organisation_id', '=', organisationId)
      .where((eb) =>
        eb.or([eb('retention_due', '<=', asOf), eb('retention_needs_review', '=', true)]),
      )
      .orderBy('retention_due')
      .orderBy('id')
      .execute();
  }
}

/**
 * A record and what its access decision needs, loaded in one statement
 * (CaseworkStore.recordForDecision). An id that names no record, or a record
 * of a category no policy has, loads as no record: not restricted, no grants.
 */
async function loadForDecision(store: CaseworkStore, recordId: string, lock: boolean) {
  const loaded = await store.recordForDecision(recordId, { lock });
  if (!loaded || !isCategorySlug(loaded.category)) {
    return { record: undefined, restricted: false, grants: [], organisationSlug: '' };
  }
  const { restricted, grants, organisationSlug, ...record } = loaded;
  return { record: record as RecordRow, restricted, grants, organisationSlug };
}

/** The event of a refused action on a record: on the id as given, whether or not it exists. */
function deniedEvent(
  staff: StaffContext,
  action: Exclude<RecordAction, 'search'>,
  recordId: string,
): AuditEntry {
  return {
    action: `record.${action}`,
    actorAccountId: staff.accountId,
    organisationId: staff.organisation?.id ?? null,
    objectType: 'case-record',
    objectIds: [recordId],
    outcome: 'denied',
  };
}

/** What a refused read answers: restricted, a reason asked for, or not found. */
function readRefusal(decision: Decision, recordId: string): Error {
  if (decision.allowed) return new NotFoundError();
  return decision.restricted
    ? new ConflictError(RESTRICTED_MESSAGE)
    : decision.breakGlassPossible
      ? new BreakGlassRequiredError(recordId)
      : new NotFoundError();
}
