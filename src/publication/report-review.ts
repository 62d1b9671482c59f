/**
 * The review of a practice review's report before publication (issue 14,
 * decision 0033): Safekeep reads the report, proposes every span that could
 * identify someone with its reason (the engine, redact.ts, given the case's
 * people), and a reviewer accepts or rejects each, chooses the labels and
 * adds what was missed; a second person confirms the residual risks and
 * approves the redacted text, which is what is published.
 *
 * Every method goes through the review's own access decision (the practice
 * review service's withReview, passed in as a port) before reading anything,
 * and records its audit event in the same transaction. Events hold ids only.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, ValidationError, type FieldError } from '../platform/errors/errors.js';
import { reviewPeople } from './case-people.js';
import { applyDecisions, highlighted, occurrences, type DecidedSpan } from './redacted-text.js';
import { redact } from './redact.js';
import { extractReportText } from './report-text.js';
import { hasControlCharacters } from './text.js';
import { SPAN_KINDS, type SpanKind } from './types.js';

/**
 * What a redaction cannot catch and a person must judge before approving
 * (issue 14 "a residual-risk checklist"): the ICO's anonymisation guidance
 * calls these the "motivated intruder" risks of combined details.
 */
export const RESIDUAL_RISKS = [
  { id: 'condition', text: 'No rare medical condition or disability identifies the child' },
  { id: 'event', text: 'No unusual event (a court case, news story) identifies the family' },
  { id: 'place', text: 'No small place, business or community identifies where they lived' },
  { id: 'dates', text: 'No combination of ages, dates and family make-up identifies them' },
  {
    id: 'practitioners',
    text: 'Practitioners are described by their role only, as the review intends',
  },
] as const;

export const KIND_NAMES: Record<SpanKind, string> = {
  person: 'Person',
  date: 'Date',
  address: 'Address',
  postcode: 'Postcode',
  school: 'School or setting',
  identifier: 'Identifier',
  phone: 'Phone number',
  email: 'Email address',
  other: 'Other detail',
};

/** The port: the practice review's access decision and transaction. */
export interface ReviewAccess {
  withReview<T>(
    staff: StaffContext,
    recordId: string,
    action: 'read' | 'write',
    work: (step: {
      trx: Transaction<Database>;
      record: { id: string; organisation_id: string };
      review:
        | { id: string; stage: string; report_status: string; report_document_id: string | null }
        | undefined;
    }) => Promise<T>,
  ): Promise<T>;
}

type Step = Parameters<Parameters<ReviewAccess['withReview']>[3]>[0];

export class ReportReview {
  constructor(private readonly access: ReviewAccess) {}

  /** The review screen: the report with its proposals, or what to do first. */
  async screen(staff: StaffContext, recordId: string) {
    return this.access.withReview(staff, recordId, 'read', async (step) => {
      const review = this.reviewWithReport(step);
      const redaction = await this.current(step.trx, review.id, review.report_document_id);
      await this.audit(step, staff, 'read', redaction?.id);
      if (!redaction) return { redaction: null, reportStatus: review.report_status };
      const rows = await this.spans(step.trx, redaction.id);
      const spans = rows.map((s, i) => ({ ...s, number: i + 1 }));
      const labels = labelGroups(spans);
      return {
        reportStatus: review.report_status,
        redaction: {
          id: redaction.id,
          version: redaction.version,
          approved: redaction.approved_by !== null,
          approvedAt: redaction.approved_at,
          title: redaction.title,
          // The approver must be a second person (issue 14).
          changedByYou: redaction.changed_by === staff.accountId,
          paragraphs: highlighted(redaction.source_text, spans),
          spans: spans.map((s) => ({
            id: s.id,
            number: s.number,
            text: redaction.source_text.slice(s.start, s.end),
            kind: KIND_NAMES[s.kind],
            reason: s.reason,
            label: s.label,
            accepted: s.accepted,
            byHand: s.added_by_hand,
          })),
          labels,
          preview: (redaction.approved_text ?? applyDecisions(redaction.source_text, spans)).split(
            '\n\n',
          ),
        },
      };
    });
  }

  /** Reads the report and proposes its redactions; again is a no-op. */
  async start(staff: StaffContext, recordId: string): Promise<string> {
    return this.access.withReview(staff, recordId, 'write', async (step) => {
      const review = this.reviewWithReport(step);
      const documentId = review.report_document_id;
      const existing = await this.current(step.trx, review.id, documentId);
      if (existing) return existing.id;
      const document = await step.trx
        .selectFrom('record_document')
        .select(['media_type', 'content'])
        .where('id', '=', documentId)
        .where('record_id', '=', step.record.id)
        .executeTakeFirstOrThrow();
      const report = await extractReportText(document.media_type, document.content);
      if (!report.text) {
        throw new ValidationError([
          { field: 'form', message: report.note ?? 'The report holds no text' },
        ]);
      }
      const people = await reviewPeople(step.trx, step.record.id, review.id);
      const { spans } = redact(report.text, people);
      const redaction = await step.trx
        .insertInto('report_redaction')
        .values({
          review_id: review.id,
          organisation_id: step.record.organisation_id,
          document_id: documentId,
          source_text: report.text,
          changed_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (spans.length) {
        await step.trx
          .insertInto('report_redaction_span')
          .values(
            spans.map((s, position) => ({
              redaction_id: redaction.id,
              position,
              start_at: s.start,
              end_at: s.end,
              kind: s.kind,
              reason: s.reason,
              proposed_label: s.label,
              label: s.label,
            })),
          )
          .execute();
      }
      await this.audit(step, staff, 'start', redaction.id);
      return redaction.id;
    });
  }

  /**
   * The reviewer's decisions: each span redacted or kept (`decision-<id>`),
   * each label renamed (`label-<n>`, in the order the screen lists them,
   * which the version pins). Renaming two labels alike merges them.
   */
  async decide(staff: StaffContext, recordId: string, form: Record<string, unknown>) {
    return this.access.withReview(staff, recordId, 'write', async (step) => {
      const { redaction, spans } = await this.editable(step, form.version);
      const groups = labelGroups(spans.map((s, i) => ({ ...s, number: i + 1 })));
      const errors: FieldError[] = [];
      const renamed = new Map<string, string>();
      const known = await reviewPeople(step.trx, step.record.id, redaction.review_id);
      groups.forEach((group, index) => {
        const field = `label-${index}`;
        const value = typeof form[field] === 'string' ? (form[field] as string).trim() : undefined;
        // Only a changed label is checked: the engine's own ("March 2015") stand.
        if (value === undefined || value === group.label) return;
        if (!value) errors.push({ field, message: `Enter a label for “${group.label}”` });
        else if (hasControlCharacters(value))
          errors.push({ field, message: 'Remove the unusual characters from the label' });
        else if (value.length > 80)
          errors.push({ field, message: 'A label must be 80 characters or fewer' });
        else if (namesSomeone(value, known))
          errors.push({ field, message: 'A label must not name or identify anyone in the review' });
        else renamed.set(group.label, value);
      });
      if (errors.length) throw new ValidationError(errors);
      for (const span of spans) {
        const decision = form[`decision-${span.id}`];
        const accepted = decision === 'keep' ? false : decision === 'redact' ? true : span.accepted;
        const label = renamed.get(span.label) ?? span.label;
        if (accepted !== span.accepted || label !== span.label) {
          await step.trx
            .updateTable('report_redaction_span')
            .set({ accepted, label })
            .where('id', '=', span.id)
            .execute();
        }
      }
      await this.changed(step.trx, redaction.id, staff.accountId);
      await this.audit(step, staff, 'decide', redaction.id);
    });
  }

  /** Something the engine missed: every mention of it, as one label. */
  async add(staff: StaffContext, recordId: string, form: Record<string, unknown>) {
    return this.access.withReview(staff, recordId, 'write', async (step) => {
      const { redaction, spans } = await this.editable(step, form.version);
      const phrase = typeof form.phrase === 'string' ? form.phrase.trim() : '';
      const label = typeof form.label === 'string' ? form.label.trim() : '';
      const kind = SPAN_KINDS.find((k) => k === form.kind);
      const errors: FieldError[] = [];
      if (!phrase) errors.push({ field: 'phrase', message: 'Enter the words to redact' });
      else if (hasControlCharacters(phrase))
        errors.push({ field: 'phrase', message: 'Remove the unusual characters from the words' });
      else if (phrase.length > 200)
        errors.push({ field: 'phrase', message: 'The words must be 200 characters or fewer' });
      if (!label) errors.push({ field: 'label', message: 'Enter what replaces them' });
      else if (hasControlCharacters(label))
        errors.push({ field: 'label', message: 'Remove the unusual characters from the label' });
      else if (label.length > 80)
        errors.push({ field: 'label', message: 'A label must be 80 characters or fewer' });
      if (!kind) errors.push({ field: 'kind', message: 'Select what it is' });
      if (errors.length || !kind) throw new ValidationError(errors);
      const found = occurrences(
        redaction.source_text,
        phrase,
        spans.filter((s) => s.accepted),
      );
      if (!found.length) {
        throw new ValidationError([
          {
            field: 'phrase',
            message: 'Those words are not in the report, or are already redacted',
          },
        ]);
      }
      await step.trx
        .insertInto('report_redaction_span')
        .values(
          found.map((f, i) => ({
            redaction_id: redaction.id,
            position: spans.length + i,
            start_at: f.start,
            end_at: f.end,
            kind,
            reason: 'added by the reviewer',
            proposed_label: label,
            label,
            added_by_hand: true,
          })),
        )
        .execute();
      await this.changed(step.trx, redaction.id, staff.accountId);
      await this.audit(step, staff, 'add', redaction.id);
      return found.length;
    });
  }

  /** The second person's approval: title, residual-risk checks, the text to publish. */
  async approve(staff: StaffContext, recordId: string, form: Record<string, unknown>) {
    return this.access.withReview(staff, recordId, 'write', async (step) => {
      const { redaction, spans } = await this.editable(step, form.version);
      const errors: FieldError[] = [];
      if (redaction.changed_by === staff.accountId) {
        errors.push({
          field: 'form',
          message:
            'A second person must approve the redactions: you made the last change, so ask a colleague',
        });
      }
      const title = typeof form.title === 'string' ? form.title.trim() : '';
      if (!title) errors.push({ field: 'title', message: 'Enter the title for the public page' });
      else if (hasControlCharacters(title))
        errors.push({ field: 'title', message: 'Remove the unusual characters from the title' });
      else if (title.length > 200)
        errors.push({ field: 'title', message: 'The title must be 200 characters or fewer' });
      else if (
        namesSomeone(title, await reviewPeople(step.trx, step.record.id, redaction.review_id))
      )
        errors.push({ field: 'title', message: 'The title must not name anyone in the review' });
      const ticked = new Set(([] as unknown[]).concat(form.checks ?? []));
      if (RESIDUAL_RISKS.some((r) => !ticked.has(r.id))) {
        errors.push({ field: 'checks', message: 'Confirm each of the residual risks' });
      }
      if (errors.length) throw new ValidationError(errors);
      await step.trx
        .updateTable('report_redaction')
        .set({
          approved_by: staff.accountId,
          approved_at: new Date(),
          approved_text: applyDecisions(redaction.source_text, spans),
          title,
          checks: JSON.stringify(RESIDUAL_RISKS.map((r) => r.id)),
          version: redaction.version + 1,
        })
        .where('id', '=', redaction.id)
        .execute();
      await this.audit(step, staff, 'approve', redaction.id);
    });
  }

  private reviewWithReport(step: Step) {
    const review = step.review;
    if (!review?.report_document_id) {
      throw new ConflictError('Attach the report before anonymising it');
    }
    return { ...review, report_document_id: review.report_document_id };
  }

  private current(trx: Transaction<Database>, reviewId: string, documentId: string) {
    return trx
      .selectFrom('report_redaction')
      .selectAll()
      .where('review_id', '=', reviewId)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
  }

  private async spans(trx: Transaction<Database>, redactionId: string) {
    const rows = await trx
      .selectFrom('report_redaction_span')
      .select(['id', 'start_at', 'end_at', 'kind', 'reason', 'label', 'accepted', 'added_by_hand'])
      .where('redaction_id', '=', redactionId)
      .orderBy('start_at')
      .orderBy('position')
      .execute();
    return rows.map((r) => ({ ...r, start: r.start_at, end: r.end_at }));
  }

  /** The redaction, locked, at the version the form was made on, not yet approved. */
  private async editable(step: Step, version: unknown) {
    const review = this.reviewWithReport(step);
    const found = await this.current(step.trx, review.id, review.report_document_id);
    if (!found) throw new ConflictError('Find what identifies someone in the report first');
    const redaction = await step.trx
      .selectFrom('report_redaction')
      .selectAll()
      .where('id', '=', found.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (redaction.approved_by) throw new ConflictError('The redactions have been approved');
    if (String(version) !== String(redaction.version)) {
      throw new ConflictError(
        'Someone else changed the redactions while you were looking: check them again',
      );
    }
    return { redaction, spans: await this.spans(step.trx, redaction.id) };
  }

  private async changed(trx: Transaction<Database>, id: string, accountId: string) {
    await trx
      .updateTable('report_redaction')
      .set((eb) => ({
        changed_by: accountId,
        changed_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
  }

  private async audit(step: Step, staff: StaffContext, what: string, redactionId?: string) {
    await recordAudit(step.trx, {
      action: `practice-review.redaction.${what}`,
      actorAccountId: staff.accountId,
      organisationId: step.record.organisation_id,
      objectType: 'practice-review',
      objectIds: [step.review?.id, step.record.id, redactionId].filter(
        (id): id is string => id !== undefined,
      ),
      purpose: 'practice-review',
    });
  }
}

/** The labels in use, in order of first mention, with how many spans carry each. */
export function labelGroups(spans: readonly (DecidedSpan & { number: number })[]) {
  const groups = new Map<string, { label: string; count: number; first: number }>();
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const group = groups.get(span.label) ?? { label: span.label, count: 0, first: span.number };
    group.count += 1;
    groups.set(span.label, group);
  }
  return [...groups.values()].map((g, index) => ({ ...g, index }));
}

/** Would this text, published, name someone the case knows? */
function namesSomeone(text: string, people: Parameters<typeof redact>[1]): boolean {
  // Reasons name the person a known detail belongs to ("date of birth of Child A").
  return redact(text, people).spans.some(
    (s) =>
      s.reason.startsWith('known name') || people.some((p) => s.reason.endsWith(` of ${p.label}`)),
  );
}
