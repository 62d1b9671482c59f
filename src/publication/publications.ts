/**
 * Published practice reviews (issue 14; decision 0033): a redacted report,
 * approved by a second person, goes on the partnership's public page as a
 * PDF with the redactions burnt in, "for a minimum of 1 year" (KSCMP
 * privacy notice), and comes down on the day the review chose (at least a
 * year on), by the daily job. Take-down removes the PDF and keeps the row:
 * the record of what was published, when, and what was removed (counts by
 * kind, no text).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import type { Job } from '../platform/jobs/scheduler.js';
import { formatDate } from '../platform/http/views.js';
import { londonDay } from '../sharing/dates.js';
import { publishedPdf } from './published-pdf.js';
import { removedSummary } from './redacted-text.js';
import { KIND_NAMES } from './report-review.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The approved redaction of the review's current report, if there is one. */
export async function approvedRedaction(
  trx: Transaction<Database>,
  reviewId: string,
  documentId: string,
) {
  return trx
    .selectFrom('report_redaction')
    .select(['id', 'title', 'approved_text'])
    .where('review_id', '=', reviewId)
    .where('document_id', '=', documentId)
    .where('approved_by', 'is not', null)
    .executeTakeFirst();
}

/**
 * Puts the approved redacted report on the public page, in the caller's
 * transaction (the practice review's publication step), and audits it.
 */
export async function publishReport(
  trx: Transaction<Database>,
  input: {
    reviewId: string;
    documentId: string;
    organisationId: string;
    partnership: string;
    publishedOn: string;
    takeDownOn: string;
    accountId: string;
  },
): Promise<string | null> {
  const redaction = await approvedRedaction(trx, input.reviewId, input.documentId);
  if (!redaction?.approved_text || !redaction.title) return null;
  const spans = await trx
    .selectFrom('report_redaction_span')
    .select(['start_at as start', 'end_at as end', 'kind', 'reason', 'label', 'accepted'])
    .where('redaction_id', '=', redaction.id)
    .execute();
  const pdf = await publishedPdf({
    title: redaction.title,
    partnership: input.partnership,
    publishedOn: formatDate(input.publishedOn),
    paragraphs: redaction.approved_text.split('\n\n'),
  });
  const row = await trx
    .insertInto('report_publication')
    .values({
      organisation_id: input.organisationId,
      review_id: input.reviewId,
      title: redaction.title,
      published_on: input.publishedOn,
      take_down_on: input.takeDownOn,
      pdf,
      // Kinds and counts only: a reason names a label ("of Child A"), which is fine,
      // but the record of publication needs no more than what was removed and how often.
      removed: JSON.stringify(kindCounts(removedSummary(spans))),
      published_by: input.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    action: 'publication.publish',
    actorAccountId: input.accountId,
    organisationId: input.organisationId,
    objectType: 'report-publication',
    objectIds: [row.id, input.reviewId],
    purpose: 'practice-review',
  });
  return row.id;
}

function kindCounts(summary: ReturnType<typeof removedSummary>) {
  const counts = new Map<string, number>();
  for (const entry of summary) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + entry.count);
  return [...counts].map(([kind, count]) => ({ kind, reason: '', count }));
}

/** What the public may read: published and not yet taken down. */
export class PublishedReviews {
  constructor(private readonly db: Kysely<Database>) {}

  async list(organisationSlug: string) {
    const rows = await this.db
      .selectFrom('report_publication')
      .innerJoin('organisation', 'organisation.id', 'report_publication.organisation_id')
      .select([
        'report_publication.id',
        'report_publication.title',
        'report_publication.published_on',
        'report_publication.take_down_on',
      ])
      .where('organisation.slug', '=', organisationSlug)
      .where('report_publication.taken_down_on', 'is', null)
      .orderBy('report_publication.published_on', 'desc')
      .orderBy('report_publication.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      publishedOn: r.published_on,
      takeDownOn: r.take_down_on,
    }));
  }

  /** One published review; taken down, another partnership's or unknown: not found (undefined). */
  async one(organisationSlug: string, id: string) {
    if (!uuid.test(id)) return undefined;
    const row = await this.db
      .selectFrom('report_publication')
      .innerJoin('organisation', 'organisation.id', 'report_publication.organisation_id')
      .select([
        'report_publication.id',
        'report_publication.title',
        'report_publication.published_on',
        'report_publication.take_down_on',
        'report_publication.removed',
      ])
      .where('organisation.slug', '=', organisationSlug)
      .where('report_publication.id', '=', id)
      .where('report_publication.taken_down_on', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      title: row.title,
      publishedOn: row.published_on,
      takeDownOn: row.take_down_on,
      removed: row.removed.map((r) => ({
        kind: KIND_NAMES[r.kind],
        count: r.count,
      })),
    };
  }

  async pdf(organisationSlug: string, id: string): Promise<Buffer | undefined> {
    if (!uuid.test(id)) return undefined;
    const row = await this.db
      .selectFrom('report_publication')
      .innerJoin('organisation', 'organisation.id', 'report_publication.organisation_id')
      .select('report_publication.pdf')
      .where('organisation.slug', '=', organisationSlug)
      .where('report_publication.id', '=', id)
      .where('report_publication.taken_down_on', 'is', null)
      .executeTakeFirst();
    return row?.pdf ?? undefined;
  }
}

/**
 * Takes down every report whose publication period has ended (its
 * take-down day has come), each audited as the system's act. Idempotent:
 * a report already down is not touched again.
 */
export async function takeDownEnded(db: Kysely<Database>, today: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .updateTable('report_publication')
      .set({ pdf: null, taken_down_on: today })
      .where('taken_down_on', 'is', null)
      .where('take_down_on', '<=', today)
      .returning(['id', 'organisation_id', 'review_id'])
      .execute();
    for (const row of due) {
      await recordAudit(trx, {
        action: 'publication.take-down',
        actorAccountId: null,
        organisationId: row.organisation_id,
        objectType: 'report-publication',
        objectIds: [row.id, ...(row.review_id ? [row.review_id] : [])],
        purpose: 'practice-review',
      });
    }
    return due.map((r) => r.id);
  });
}

/** The daily job (src/services.ts dailyJobs): take down what has had its period. */
export function takeDownJob(
  db: Kysely<Database>,
  log: { info(msg: string): void },
  now: () => Date = () => new Date(),
): Job {
  return {
    name: 'publication.take-down',
    async runIfDue() {
      const down = await takeDownEnded(db, londonDay(now()));
      if (down.length > 0) log.info(`took down ${down.length} published review(s)`);
    },
  };
}
