/**
 * A record as its page and the API show it, and how a loaded record is
 * read into that shape.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { decideRecord } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { AuditEntry } from '../platform/audit/audit-log.js';
import { isOrganisationSlug, type CategorySlug } from '../policy/index.js';
import type { AnnotationView } from '../rights/rectification.js';
import type { SharedWithEntry } from '../sharing/record-grants.js';
import { factColumns, recordFactsFor, type RecordFact } from './categories.js';
import type { OutcomeView } from './entries/outcome-store.js';
import type { ReviewView } from './entries/review-store.js';
import type { OversightView, SummaryView } from './entries/summary-store.js';
import type { VisitView } from './entries/visit-store.js';
import { categoryName, scopeOf } from './record-scope.js';
import type { StoredRetention } from './retention.js';
import { CaseworkStore, type PartyRow, type RecordRow } from './store.js';

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
export function factValuesOf(
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

/** The record as its page shows it; given `audit`, that event is recorded by the same statement. */
export async function presentRecord(
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
  const { parties, notes, sources, documents, worker, team, ...entries } = await new CaseworkStore(
    db,
  ).contents(record, {
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
