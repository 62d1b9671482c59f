import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { isCategorySlug } from '../policy/index.js';
import { decideReviewItemText } from '../platform/access/access.js';
import { groundsFor } from './exemptions.js';
import { editableStates } from './machine.js';
import { ncndOf } from './ncnd.js';
import { loadRequest, RIGHTS_PURPOSE } from './request-store.js';
import { asGatherer, authoriseReviewWork, gatheringOf, isGatherer } from './gathering.js';
import { redactedText, suggestSpans, type KnownPerson, type Suggestion } from './redaction.js';
import { itemsOf, toSpan, type ItemRow, type RedactionRow } from './review-items.js';

/**
 * The review page: each item as this viewer may see it (held, as disclosed,
 * or restricted), with its redactions, the spans suggested for redaction
 * and the grounds on offer. Reading it is audited.
 */

export interface ReviewItem extends ItemRow {
  category: string | null;
  /** Its record is restricted for this request (Art 18): shown without its text, left out of the bundle. */
  restricted: boolean;
  /** 'as-disclosed': the viewer may not read the record, so sees only what the bundle carries. */
  textShown: 'held' | 'as-disclosed';
  redactions: RedactionRow[];
  suggestions: Suggestion[];
  preview: string;
}

/** The review page: every item with its redactions, suggested spans and the grounds on offer. */
export async function reviewPage(db: Kysely<Database>, staff: StaffContext, requestId: string) {
  return db.transaction().execute(async (trx) => {
    const organisation = await authoriseReviewWork(trx, staff, requestId, 'read');
    const request = await loadRequest(trx, organisation.id, requestId, { lock: false });
    const { items, redactions, restricted } = await itemsOf(trx, request);
    const recordIds = [...new Set(items.flatMap((i) => (i.record_id ? [i.record_id] : [])))];
    const [categories, parties] = await Promise.all([
      recordIds.length
        ? trx
            .selectFrom('case_record')
            .select([
              'id',
              'category',
              'organisation_id',
              'allocated_account_id',
              'allocated_team_id',
              'record_state',
            ])
            .where('id', 'in', recordIds)
            .execute()
        : [],
      recordIds.length
        ? trx
            .selectFrom('record_party as rp')
            .innerJoin('person as p', 'p.id', 'rp.person_id')
            .select(['rp.record_id', 'rp.person_id', 'rp.role', 'p.given_name', 'p.family_name'])
            .where('rp.record_id', 'in', recordIds)
            .execute()
        : [],
    ]);
    const categoryOf = new Map(categories.map((c) => [c.id, c.category]));
    const recordOf = new Map(categories.map((c) => [c.id, c]));
    // Whose eyes each item's text is for (access.ts decideReviewItemText):
    // an item nobody here may read as held is shown only as disclosed,
    // once an officer who may read it has decided it; otherwise not at all.
    const textShown = (item: ItemRow) => {
      const record = item.record_id ? recordOf.get(item.record_id) : undefined;
      if (!record || !isCategorySlug(record.category)) return 'held' as const;
      return decideReviewItemText(
        staff,
        {
          organisationId: record.organisation_id,
          category: record.category,
          allocatedAccountId: record.allocated_account_id,
          allocatedTeamId: record.allocated_team_id,
          state: record.record_state,
        },
        { decided: item.decision !== null },
      );
    };
    const shown = items.filter((item) => textShown(item) !== 'none');
    const beingGathered = items.length - shown.length;
    const subjectNames = [request.subject_given_name, request.subject_family_name];
    const subject = request.subject_person_id;
    if (subject) {
      const p = parties.find((x) => x.person_id === subject);
      if (p) subjectNames.push(p.given_name, p.family_name);
    }
    const view: ReviewItem[] = shown.map((item) => {
      if (item.record_id && restricted.has(item.record_id)) {
        return {
          ...item,
          body: '',
          category: categoryOf.get(item.record_id) ?? null,
          restricted: true,
          textShown: 'as-disclosed',
          redactions: [],
          suggestions: [],
          preview:
            'Restricted (UK GDPR Article 18): left out of the response while the restriction is in force.',
        };
      }
      const spans = redactions.filter((r) => r.item_id === item.id);
      if (textShown(item) === 'as-disclosed') {
        return {
          ...item,
          body: '',
          category: item.record_id ? (categoryOf.get(item.record_id) ?? null) : null,
          restricted: false,
          textShown: 'as-disclosed',
          redactions: [],
          suggestions: [],
          preview:
            item.decision === 'withhold'
              ? 'Withheld from the response.'
              : redactedText(item.body, spans.map(toSpan)),
        };
      }
      const known: KnownPerson[] = parties
        .filter((p) => p.record_id === item.record_id && p.person_id !== subject)
        .map((p) => ({
          name: `${p.given_name} ${p.family_name}`,
          givenName: p.given_name,
          familyName: p.family_name,
          role: p.role,
        }));
      const suggestions =
        item.kind === 'note' || item.kind === 'chronology' || item.kind === 'document'
          ? suggestSpans(item.body, known, subjectNames).filter(
              (s) => !spans.some((r) => s.start < r.end_offset && s.end > r.start_offset),
            )
          : [];
      return {
        ...item,
        category: item.record_id ? (categoryOf.get(item.record_id) ?? null) : null,
        restricted: false,
        textShown: 'held',
        redactions: spans,
        suggestions,
        preview: redactedText(item.body, spans.map(toSpan)),
      };
    });
    await recordAudit(trx, {
      action: 'rights.review.view',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'rights-request',
      objectIds: [request.id],
      purpose: RIGHTS_PURPOSE,
    });
    const ncnd = await ncndOf(trx, request.id);
    const gathering = await gatheringOf(trx, request.id);
    return {
      request: asGatherer(staff, request),
      gathering,
      gatherer: isGatherer(staff),
      beingGathered,
      items: view,
      ncnd,
      ncndGrounds: groundsFor(request.requester_role).filter((g) => g.neitherConfirmNorDeny),
      grounds: groundsFor(request.requester_role),
      editable:
        editableStates.includes(request.state) &&
        (!isGatherer(staff) || gathering?.state === 'requested'),
      undecided: view.filter((i) => i.decision === null && !i.restricted).length,
    };
  });
}
