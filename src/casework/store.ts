import {
  expressionBuilder,
  type ExpressionBuilder,
  type Kysely,
  type QueryCreator,
  type Selectable,
  type Transaction,
} from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../db/schema.js';
import { compiledOnce } from '../db/compiled-once.js';
import {
  AUDIT_EVENT_COLUMNS,
  auditEventRow,
  withAuditEventRow,
  type AuditEntry,
  type AuditEventColumn,
  type AuditEventRow,
} from '../platform/audit/audit-log.js';
import { annotationRows, annotationsFrom } from '../rights/rectification.js';
import { recordRestricted } from '../rights/restriction.js';
import {
  grantRowsOf,
  grantsFrom,
  sharedWithFrom,
  sharedWithRows,
  type SharedGrant,
} from '../sharing/record-grants.js';
import type { CaseRecordTable } from './tables.js';
import { visitOf, visitRows } from './entries/visit-store.js';
import { outcomeOf, outcomeRows } from './entries/outcome-store.js';
import { reviewOf, reviewRows } from './entries/review-store.js';
import { oversightOf, oversightRows, summaryOf, summaryRows } from './entries/summary-store.js';

export type RecordRow = Selectable<CaseRecordTable>;
type Db = Kysely<Database> | Transaction<Database>;

export interface PartyRow {
  personId: string;
  role: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
}

/**
 * The record with its access decision's inputs (recordForDecision), built
 * and compiled once (db/compiled-once.ts): it runs on every record read.
 * Shape 'lock' locks the record's row only, not the rows the subqueries read.
 */
const recordForDecisionQuery = compiledOnce((db, value: (name: 'id') => never, shape) => {
  const query = db
    .selectFrom('case_record')
    .selectAll('case_record')
    .select((eb) => [
      recordRestricted(eb.ref('case_record.id')).as('restricted'),
      jsonArrayFrom(grantRowsOf(expressionBuilder<Database, never>(), eb.ref('case_record.id'))).as(
        'grant_rows',
      ),
      eb
        .selectFrom('organisation')
        .select('organisation.slug')
        .whereRef('organisation.id', '=', 'case_record.organisation_id')
        .as('organisation_slug'),
    ])
    .where('case_record.id', '=', value('id'));
  return shape === 'lock' ? query.forUpdate('case_record') : query;
});

type AuditValue = `audit.${AuditEventColumn}`;

const auditValues = (row: AuditEventRow) =>
  Object.fromEntries(
    AUDIT_EVENT_COLUMNS.map((column) => [`audit.${column}`, row[column]]),
  ) as Record<AuditValue, unknown>;

/**
 * Everything a record page shows (contents), with its audit event when
 * audited, built and compiled once per shape: '<own|other> <audited|unaudited>'.
 */
const contentsQuery = compiledOnce(
  (db, value: (name: 'recordId' | 'workerId' | 'teamId' | AuditValue) => never, shape) => {
    const source: QueryCreator<Database> = shape.endsWith(' audited')
      ? withAuditEventRow(
          db,
          Object.fromEntries(
            AUDIT_EVENT_COLUMNS.map((column): [AuditEventColumn, unknown] => [
              column,
              value(`audit.${column}`),
            ]),
          ) as Record<AuditEventColumn, unknown>,
        )
      : db;
    const recordId = value('recordId');
    return source
      .selectNoFrom((eb) => [
        jsonArrayFrom(partyRows(eb, recordId)).as('parties'),
        jsonArrayFrom(noteRows(eb, [recordId])).as('notes'),
        jsonArrayFrom(sourceRows(eb, [recordId])).as('sources'),
        jsonArrayFrom(documentRows(eb, recordId)).as('documents'),
        eb
          .selectFrom('account')
          .select('account.display_name')
          .where('account.id', '=', value('workerId'))
          .as('worker'),
        eb.selectFrom('team').select('team.name').where('team.id', '=', value('teamId')).as('team'),
      ])
      .$if(shape.startsWith('own '), (query) =>
        query.select((eb) => [
          jsonArrayFrom(sharedWithRows(eb, recordId)).as('shared_with'),
          jsonArrayFrom(annotationRows(eb, recordId)).as('annotations'),
          // Structured entries are the holders' own, never shared (src/casework/entries).
          jsonArrayFrom(visitRows(eb, recordId)).as('visits'),
          jsonArrayFrom(outcomeRows(eb, recordId)).as('outcomes'),
          jsonArrayFrom(reviewRows(eb, recordId)).as('reviews'),
          jsonArrayFrom(summaryRows(eb, recordId)).as('summaries'),
          jsonArrayFrom(oversightRows(eb, recordId)).as('oversight'),
        ]),
      );
  },
);

/** SQL for casework. Callers decide access first; nothing here does. */
export class CaseworkStore {
  constructor(private readonly db: Db) {}

  async record(id: string, options: { lock?: boolean } = {}): Promise<RecordRow | undefined> {
    let query = this.db.selectFrom('case_record').selectAll().where('id', '=', id);
    if (options.lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /**
   * A record with everything its access decision needs, in one statement:
   * whether it (or a person in it) is restricted, the sharing grants that
   * name it, and its organisation's slug. On every record page and API read,
   * so one round trip instead of four. An id that names no record answers
   * undefined after the same single statement as one that is refused.
   */
  async recordForDecision(
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<
    | (RecordRow & { restricted: boolean; grants: SharedGrant[]; organisationSlug: string })
    | undefined
  > {
    const {
      rows: [row],
    } = await this.db.executeQuery(
      recordForDecisionQuery(this.db, { id }, options.lock ? 'lock' : 'read'),
    );
    if (!row) return undefined;
    const { restricted, grant_rows, organisation_slug, ...record } = row;
    return {
      ...record,
      restricted: Boolean(restricted),
      grants: grantsFrom(grant_rows),
      organisationSlug: organisation_slug ?? '',
    };
  }

  async organisationSlug(organisationId: string): Promise<string> {
    const row = await this.db
      .selectFrom('organisation')
      .select('slug')
      .where('id', '=', organisationId)
      .executeTakeFirstOrThrow();
    return row.slug;
  }

  async parties(recordId: string): Promise<PartyRow[]> {
    return (await partyRows(this.db, recordId).execute()).map(partyOf);
  }

  /** The subject's dates retention reads (the person is the people capability's; we only read). */
  async subjectDates(
    recordId: string,
  ): Promise<{ dateOfBirth: string | null; dateOfDeath: string | null } | undefined> {
    const row = await this.db
      .selectFrom('record_party')
      .innerJoin('person', 'person.id', 'record_party.person_id')
      .select(['person.date_of_birth', 'person.date_of_death'])
      .where('record_party.record_id', '=', recordId)
      .where('record_party.role', '=', 'subject')
      .executeTakeFirst();
    return row ? { dateOfBirth: row.date_of_birth, dateOfDeath: row.date_of_death } : undefined;
  }

  async person(personId: string) {
    return this.db
      .selectFrom('person')
      .select(['id', 'organisation_id', 'given_name', 'family_name', 'date_of_birth'])
      .where('id', '=', personId)
      .executeTakeFirst();
  }

  /** Records in which the person takes any part. */
  async recordsOfPerson(personId: string): Promise<(RecordRow & { partyRole: string })[]> {
    return this.db
      .selectFrom('record_party')
      .innerJoin('case_record', 'case_record.id', 'record_party.record_id')
      .selectAll('case_record')
      .select('record_party.role as partyRole')
      .where('record_party.person_id', '=', personId)
      .orderBy('case_record.opened_on')
      .execute();
  }

  async recordIdsWhereSubject(personId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('record_party')
      .select('record_id')
      .where('person_id', '=', personId)
      .where('role', '=', 'subject')
      .execute();
    return rows.map((r) => r.record_id);
  }

  async notes(recordIds: readonly string[]) {
    if (recordIds.length === 0) return [];
    return noteRows(this.db, recordIds).execute();
  }

  async sources(recordIds: readonly string[]) {
    if (recordIds.length === 0) return [];
    return sourceRows(this.db, recordIds).execute();
  }

  async documents(recordId: string) {
    return documentRows(this.db, recordId).execute();
  }

  /**
   * What a record page shows of a record, in one statement: its people,
   * notes, sources and documents, the names of its allocated worker and
   * team, and — for its own organisation (`own`) — where it has been shared
   * and the annotations on it. Timestamps come through JSON as text and are
   * made Dates again here, so callers see the same values as from parties(),
   * notes(), sharedWith() and the rest.
   */
  async contents(
    record: Pick<RecordRow, 'id' | 'allocated_account_id' | 'allocated_team_id'>,
    options: { own: boolean; audit?: AuditEntry },
  ) {
    // Given an event, the same statement records it (withAuditEvent): the
    // read and its audit event are one transaction.
    const audit = options.audit ? auditEventRow(options.audit) : undefined;
    const {
      rows: [row],
    } = await this.db.executeQuery(
      contentsQuery(
        this.db,
        {
          recordId: record.id,
          workerId: record.allocated_account_id ?? NO_ROW,
          teamId: record.allocated_team_id ?? NO_ROW,
          ...(audit ? auditValues(audit) : {}),
        },
        `${options.own ? 'own' : 'other'} ${audit ? 'audited' : 'unaudited'}`,
      ),
    );
    if (!row) throw new Error('the record contents statement answered no row');
    return {
      parties: row.parties.map(partyOf),
      notes: row.notes.map((n) => ({ ...n, written_at: new Date(n.written_at) })),
      sources: row.sources.map((s) => ({ ...s, added_at: new Date(s.added_at) })),
      documents: row.documents.map((d) => ({ ...d, uploaded_at: new Date(d.uploaded_at) })),
      worker: row.worker,
      team: row.team,
      ...(row.shared_with ? { sharedWith: sharedWithFrom(row.shared_with) } : {}),
      ...(row.annotations ? { annotations: annotationsFrom(row.annotations) } : {}),
      ...(row.visits ? { visits: row.visits.map(visitOf) } : {}),
      ...(row.outcomes ? { outcomes: row.outcomes.map(outcomeOf) } : {}),
      ...(row.reviews ? { reviews: row.reviews.map(reviewOf) } : {}),
      ...(row.summaries ? { summaries: row.summaries.map(summaryOf) } : {}),
      ...(row.oversight ? { oversight: row.oversight.map(oversightOf) } : {}),
    };
  }

  async document(recordId: string, documentId: string) {
    return this.db
      .selectFrom('record_document')
      .select(['id', 'filename', 'media_type', 'size_bytes', 'content'])
      .where('record_id', '=', recordId)
      .where('id', '=', documentId)
      .executeTakeFirst();
  }

  async changes(recordId: string) {
    return this.db
      .selectFrom('record_change')
      .innerJoin('account', 'account.id', 'record_change.changed_by')
      .select([
        'record_change.id',
        'record_change.version',
        'record_change.field',
        'record_change.from_value',
        'record_change.to_value',
        'record_change.changed_at',
        'account.display_name as changedBy',
      ])
      .where('record_change.record_id', '=', recordId)
      .orderBy('record_change.changed_at', 'desc')
      .orderBy('record_change.field')
      .execute();
  }

  async accountName(accountId: string | null): Promise<string | null> {
    if (!accountId) return null;
    const row = await this.db
      .selectFrom('account')
      .select('display_name')
      .where('id', '=', accountId)
      .executeTakeFirst();
    return row?.display_name ?? null;
  }

  async teamName(teamId: string | null): Promise<string | null> {
    if (!teamId) return null;
    const row = await this.db
      .selectFrom('team')
      .select('name')
      .where('id', '=', teamId)
      .executeTakeFirst();
    return row?.name ?? null;
  }

  /** Staff and teams of an organisation, for allocation. */
  async allocationChoices(organisationId: string) {
    const [workers, teams] = await Promise.all([
      this.db
        .selectFrom('membership')
        .innerJoin('account', 'account.id', 'membership.account_id')
        .select(['account.id', 'account.display_name'])
        .distinct()
        .where('membership.organisation_id', '=', organisationId)
        .orderBy('account.display_name')
        .execute(),
      this.db
        .selectFrom('team')
        .select(['id', 'name', 'slug'])
        .where('organisation_id', '=', organisationId)
        .orderBy('name')
        .execute(),
    ]);
    return { workers, teams };
  }

  async isMember(accountId: string, organisationId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('membership')
      .select('id')
      .where('account_id', '=', accountId)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async teamInOrganisation(teamId: string, organisationId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('team')
      .select('id')
      .where('id', '=', teamId)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async activeBreakGlass(recordId: string, accountId: string, sessionId: string, now: Date) {
    const row = await this.db
      .selectFrom('break_glass_access')
      .select('id')
      .where('record_id', '=', recordId)
      .where('account_id', '=', accountId)
      .where('session_id', '=', sessionId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /**
   * Removes many records and everything they hold, set by set (a retention
   * sweep destroys thousands), returning the counts.
   */
  async destroyRecords(recordIds: readonly string[]) {
    const totals = {
      records: 0,
      parties: 0,
      notes: 0,
      sources: 0,
      documents: 0,
      changes: 0,
      breakGlass: 0,
    };
    // Chunks keep each statement's parameter list well inside PostgreSQL's limit.
    for (let i = 0; i < recordIds.length; i += 1000) {
      const ids = recordIds.slice(i, i + 1000);
      const gone = async (
        table:
          | 'break_glass_access'
          | 'record_change'
          | 'record_document'
          | 'record_source'
          | 'case_note'
          | 'record_party',
      ) =>
        Number(
          (await this.db.deleteFrom(table).where('record_id', 'in', ids).executeTakeFirst())
            .numDeletedRows,
        );
      totals.breakGlass += await gone('break_glass_access');
      totals.changes += await gone('record_change');
      totals.documents += await gone('record_document');
      totals.sources += await gone('record_source');
      totals.notes += await gone('case_note');
      totals.parties += await gone('record_party');
      totals.records += Number(
        (await this.db.deleteFrom('case_record').where('id', 'in', ids).executeTakeFirst())
          .numDeletedRows,
      );
    }
    return totals;
  }

  /**
   * Removes a record and everything it holds — notes, sources, documents,
   * change history, break-glass reasons and parties — returning the counts.
   * Audit events stay: they hold ids only.
   */
  async destroyRecord(recordId: string) {
    const count = (result: { numDeletedRows: bigint }[]) =>
      result.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
    const breakGlass = count(
      await this.db.deleteFrom('break_glass_access').where('record_id', '=', recordId).execute(),
    );
    const changes = count(
      await this.db.deleteFrom('record_change').where('record_id', '=', recordId).execute(),
    );
    const documents = count(
      await this.db.deleteFrom('record_document').where('record_id', '=', recordId).execute(),
    );
    const sources = count(
      await this.db.deleteFrom('record_source').where('record_id', '=', recordId).execute(),
    );
    const notes = count(
      await this.db.deleteFrom('case_note').where('record_id', '=', recordId).execute(),
    );
    const parties = count(
      await this.db.deleteFrom('record_party').where('record_id', '=', recordId).execute(),
    );
    const records = count(
      await this.db.deleteFrom('case_record').where('id', '=', recordId).execute(),
    );
    return { records, parties, notes, sources, documents, changes, breakGlass };
  }
}

/** Matches no row: a uuid no table gives out, for an allocation left empty. */
const NO_ROW = '00000000-0000-0000-0000-000000000000';

/*
 * The row queries behind CaseworkStore, on a database handle (run alone) or
 * an expression builder (as a subquery of contents()), so both read the same
 * columns in the same order.
 */
type Source = Db | ExpressionBuilder<Database, never>;

function partyRows(db: Source, recordId: string) {
  return db
    .selectFrom('record_party')
    .innerJoin('person', 'person.id', 'record_party.person_id')
    .select([
      'record_party.person_id',
      'record_party.role',
      'person.given_name',
      'person.family_name',
      'person.date_of_birth',
    ])
    .where('record_party.record_id', '=', recordId)
    .orderBy('record_party.added_at')
    .orderBy('person.family_name');
}

function partyOf(r: {
  person_id: string;
  role: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
}): PartyRow {
  return {
    personId: r.person_id,
    role: r.role,
    givenName: r.given_name,
    familyName: r.family_name,
    dateOfBirth: r.date_of_birth,
  };
}

function noteRows(db: Source, recordIds: readonly string[]) {
  return db
    .selectFrom('case_note')
    .innerJoin('account', 'account.id', 'case_note.author_account_id')
    .select([
      'case_note.id',
      'case_note.record_id',
      'case_note.written_at',
      'case_note.occurred_on',
      'case_note.kind',
      'case_note.text',
      'account.display_name as author',
    ])
    .where('case_note.record_id', 'in', recordIds)
    .orderBy('case_note.occurred_on', 'desc')
    .orderBy('case_note.written_at', 'desc');
}

function sourceRows(db: Source, recordIds: readonly string[]) {
  return db
    .selectFrom('record_source')
    .select([
      'record_source.id',
      'record_source.record_id',
      'record_source.kind',
      'record_source.provider',
      'record_source.received_on',
      'record_source.reference',
      'record_source.summary',
      'record_source.added_at',
    ])
    .where('record_source.record_id', 'in', recordIds)
    .orderBy('record_source.received_on', 'desc');
}

function documentRows(db: Source, recordId: string) {
  return db
    .selectFrom('record_document')
    .innerJoin('account', 'account.id', 'record_document.uploaded_by')
    .select([
      'record_document.id',
      'record_document.filename',
      'record_document.media_type',
      'record_document.size_bytes',
      'record_document.uploaded_at',
      'account.display_name as uploadedBy',
    ])
    .where('record_document.record_id', '=', recordId)
    .orderBy('record_document.uploaded_at', 'desc');
}
