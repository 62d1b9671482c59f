/**
 * Subject access, after intake (issue 5): discovery (finding the person
 * across everything the organisation holds, with why each candidate
 * matched, for a human to confirm), review (a decision on every item, with
 * spans of text redacted on a legal ground whose who-may-claim rule holds)
 * and the bundle (bundle.ts).
 *
 * Reads go through the one access function (decideRecord) per record, and
 * are audited with purpose "rights-request" and ids only; the search terms
 * are kept on the request's discovery run, never in the audit log.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { detailEvents, humanise } from '../casework/categories.js';
import { allowedDocumentTypes } from '../casework/schemas.js';
import { CaseworkStore } from '../casework/store.js';
import { formatDate } from '../platform/http/views.js';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { isCategorySlug } from '../policy/index.js';
import { extractDocumentText } from './document-text.js';
import { checkGround, groundsFor, type Ground } from './exemptions.js';
import { editableStates } from './machine.js';
import { restrictedFor, restrictedPersonIds } from './restriction.js';
import {
  criteriaOf,
  categoryNameOf,
  RightsDiscovery,
  searchable,
  subjectMentions,
  type DiscoveryResult,
} from './discovery.js';
import { NCND_SPAN_REFUSAL, ncndOf, RightsNcnd, type NcndInput } from './ncnd.js';
import { loadRequest, reviewEvent, RIGHTS_PURPOSE } from './request-store.js';
import { asGatherer, authoriseReviewWork, gatheringOf, isGatherer } from './gathering.js';
import { decideReviewItemText } from '../platform/access/access.js';
import {
  checkSpan,
  findPhrase,
  redactedText,
  suggestSpans,
  type KnownPerson,
  type Suggestion,
} from './redaction.js';
import type {
  ReviewDecision,
  RightsRedactionTable,
  RightsRequestTable,
  RightsReviewItemTable,
  ThirdPartyKind,
} from './tables.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { restrictedFor } from './restriction.js';
export { editableStates } from './machine.js';

export {
  criteriaOf,
  type Candidate,
  type DiscoveryCriteria,
  type DiscoveryResult,
  type Mention,
  type PartnershipMatch,
} from './discovery.js';
export type { NcndInput } from './ncnd.js';

export type ItemRow = Selectable<RightsReviewItemTable>;
export type RedactionRow = Selectable<RightsRedactionTable>;

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

export interface RedactionInput {
  /** Either offsets … */
  start?: number | undefined;
  end?: number | undefined;
  /** … or the words to redact (their first occurrence, or the nth). */
  phrase?: string | undefined;
  occurrence?: number | undefined;
  ground: string;
  thirdParty?: ThirdPartyKind | undefined;
  note?: string | undefined;
}

export interface DecisionInput {
  decision: ReviewDecision;
  ground?: string | undefined;
  reason?: string | undefined;
}

export class RightsReview {
  private readonly discovery: RightsDiscovery;
  private readonly ncnd: RightsNcnd;

  constructor(private readonly db: Kysely<Database>) {
    this.discovery = new RightsDiscovery(db);
    this.ncnd = new RightsNcnd(db);
  }

  /** Searches everything the organisation holds for the subject (discovery.ts). */
  discover(staff: StaffContext, requestId: string): Promise<DiscoveryResult> {
    return this.discovery.discover(staff, requestId);
  }

  /** The latest discovery run for the request, if any (discovery.ts). */
  latestDiscovery(staff: StaffContext, requestId: string) {
    return this.discovery.latestDiscovery(staff, requestId);
  }

  // -------------------------------------------------------------------------
  // Review

  /**
   * Builds the bundle's items from the confirmed person's records — each
   * record's summary, its notes, its documents (listed) and its chronology
   * (dated events and information received) — plus notes elsewhere that
   * name the person. Idempotent: items already there keep their decisions.
   */
  async prepare(staff: StaffContext, requestId: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
      const request = await loadRequest(trx, organisation.id, requestId, { lock: true });
      if (request.type !== 'access') throw new ConflictError('Only an access request has a bundle');
      if (!editableStates.includes(request.state)) {
        throw new ConflictError('The review can be prepared only while the request is in progress');
      }
      const personId = request.subject_person_id;
      if (!personId) {
        throw new ConflictError('Run discovery and confirm who the subject is first');
      }
      const store = new CaseworkStore(trx);
      const all = await store.recordsOfPerson(personId);
      const restricted = await restrictedFor(
        trx,
        request,
        all.map((r) => r.id),
      );
      const records = all.filter(
        (r) =>
          r.organisation_id === organisation.id &&
          searchable(staff, r, restricted.has(r.id), 'read'),
      );
      const ids = records.map((r) => r.id);
      const [notes, sources] = await Promise.all([store.notes(ids), store.sources(ids)]);
      type NewItem = Omit<
        RightsReviewItemTable,
        | 'id'
        | 'decision'
        | 'ground'
        | 'reason'
        | 'decided_by'
        | 'decided_at'
        | 'position'
        | 'source_note'
      > & { source_note?: string | null };
      const items: NewItem[] = [];
      const key = (...parts: string[]) =>
        createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
      for (const record of records) {
        const name = categoryNameOf(organisation.slug, record.category);
        items.push({
          request_id: request.id,
          kind: 'record',
          source_id: record.id,
          record_id: record.id,
          item_date: record.opened_on,
          title: `${name} record`,
          body:
            `${name} record, opened ${formatDate(record.opened_on)}` +
            (record.closed_on ? `, closed ${formatDate(record.closed_on)}` : ', still open') +
            `. Your part in it: ${humanise(record.partyRole)}.`,
        });
        for (const document of await store.documents(record.id)) {
          // The information itself, not a list of files (issue 12 item 2):
          // the document's text, redacted like a note.
          const held = await store.document(record.id, document.id);
          const extracted = held
            ? await extractDocumentText(held.media_type, held.content)
            : { text: '', note: null };
          const about =
            `${document.filename} (${documentTypeName(document.media_type)}, ` +
            `${Math.max(1, Math.ceil(document.size_bytes / 1024))} KB), ` +
            `added to the ${name.toLowerCase()} record by ${document.uploadedBy}.`;
          items.push({
            request_id: request.id,
            kind: 'document',
            source_id: document.id,
            record_id: record.id,
            item_date: document.uploaded_at.toISOString().slice(0, 10),
            title: `Document: ${document.filename}`,
            body: extracted.text,
            source_note: extracted.note ? `${about} ${extracted.note}` : about,
          });
        }
        if (isCategorySlug(record.category)) {
          for (const e of detailEvents(record.category, record.detail)) {
            items.push({
              request_id: request.id,
              kind: 'chronology',
              source_id: key(record.id, 'event', e.date, e.text),
              record_id: record.id,
              item_date: e.date,
              title: `${name}: ${formatDate(e.date)}`,
              body: e.text,
            });
          }
        }
      }
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const note of notes) {
        const record = byId.get(note.record_id);
        if (!record) continue;
        const name = categoryNameOf(organisation.slug, record.category);
        items.push({
          request_id: request.id,
          kind: 'note',
          source_id: note.id,
          record_id: record.id,
          item_date: note.occurred_on,
          title: `${humanise(note.kind)} recorded by ${note.author} (${name.toLowerCase()} record)`,
          body: note.text,
        });
      }
      for (const source of sources) {
        const record = byId.get(source.record_id);
        if (!record) continue;
        const name = categoryNameOf(organisation.slug, record.category);
        items.push({
          request_id: request.id,
          kind: 'chronology',
          source_id: source.id,
          record_id: record.id,
          item_date: source.received_on,
          title: `${humanise(source.kind)} from ${source.provider} (${name.toLowerCase()} record)`,
          body: source.summary,
        });
      }
      // Notes in other records that name the person: their data too.
      const subjectName = await trx
        .selectFrom('person')
        .select(['given_name', 'family_name'])
        .where('id', '=', personId)
        .executeTakeFirst();
      const names = [
        ...(subjectName ? [`${subjectName.given_name} ${subjectName.family_name}`] : []),
        ...criteriaOf(request).names,
      ];
      // A restricted subject's data elsewhere is theirs too (Art 18(2)): only
      // their own request gathers it.
      const subjectRestricted =
        request.requester_role !== 'self' &&
        (await restrictedPersonIds(trx, [personId])).has(personId);
      const mentions = subjectRestricted
        ? []
        : await subjectMentions(trx, staff, organisation, names, request);
      for (const mention of mentions) {
        if (byId.has(mention.recordId)) continue;
        const note = await trx
          .selectFrom('case_note as n')
          .innerJoin('account as a', 'a.id', 'n.author_account_id')
          .select(['n.text', 'n.kind', 'n.occurred_on', 'a.display_name as author'])
          .where('n.id', '=', mention.noteId)
          .executeTakeFirstOrThrow();
        items.push({
          request_id: request.id,
          kind: 'note',
          source_id: mention.noteId,
          record_id: mention.recordId,
          item_date: note.occurred_on,
          title: `${humanise(note.kind)} recorded by ${note.author} on another person’s ${mention.categoryName.toLowerCase()} record, naming you`,
          body: note.text,
        });
      }
      items.sort(
        (a, b) =>
          (a.item_date ?? '').localeCompare(b.item_date ?? '') ||
          a.kind.localeCompare(b.kind) ||
          a.source_id.localeCompare(b.source_id),
      );
      const existing = await trx
        .selectFrom('rights_review_item')
        .select((eb) => eb.fn.max('position').as('max'))
        .where('request_id', '=', request.id)
        .executeTakeFirst();
      let position = Number(existing?.max ?? 0);
      let added = 0;
      for (const item of items) {
        const inserted = await trx
          .insertInto('rights_review_item')
          .values({ ...item, position: ++position })
          .onConflict((oc) => oc.columns(['request_id', 'kind', 'source_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) added += 1;
      }
      await reviewEvent(trx, staff, request.id, 'review-prepared', [personId, ...ids]);
      return added;
    });
  }

  /** The review page: every item with its redactions, suggested spans and the grounds on offer. */
  async review(staff: StaffContext, requestId: string) {
    return this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'read');
      const request = await loadRequest(trx, organisation.id, requestId, { lock: false });
      const { items, redactions, restricted } = await this.itemsOf(trx, request);
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

  private async itemsOf(trx: Transaction<Database>, request: RequestRow) {
    const items = await trx
      .selectFrom('rights_review_item')
      .selectAll()
      .where('request_id', '=', request.id)
      .orderBy('position')
      .execute();
    // A restriction placed after the items were gathered still keeps them out.
    const restricted = await restrictedFor(trx, request, [
      ...new Set(items.flatMap((i) => (i.record_id ? [i.record_id] : []))),
    ]);
    const redactions = items.length
      ? await trx
          .selectFrom('rights_redaction')
          .selectAll()
          .where(
            'item_id',
            'in',
            items.map((i) => i.id),
          )
          .orderBy('start_offset')
          .orderBy('id')
          .execute()
      : [];
    return { items, redactions, restricted };
  }

  /** Loads an item of an editable request, locked, with the context a ground is checked in. */
  private async editableItem(
    trx: Transaction<Database>,
    staff: StaffContext,
    organisationId: string,
    requestId: string,
    itemId: string,
  ) {
    const request = await loadRequest(trx, organisationId, requestId, { lock: true });
    if (!editableStates.includes(request.state)) {
      throw new ConflictError(
        'Decisions can change only while the request is in progress: send it back from review first',
      );
    }
    if (!UUID.test(itemId)) throw new NotFoundError('Item not found');
    const item = await trx
      .selectFrom('rights_review_item')
      .selectAll()
      .where('id', '=', itemId)
      .where('request_id', '=', request.id)
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw new NotFoundError('Item not found');
    const category = item.record_id
      ? ((
          await trx
            .selectFrom('case_record')
            .select('category')
            .where('id', '=', item.record_id)
            .executeTakeFirst()
        )?.category ?? null)
      : null;
    // Only someone who may read the item as held redacts or decides it.
    if (item.record_id && category && isCategorySlug(category)) {
      const record = await trx
        .selectFrom('case_record')
        .select(['organisation_id', 'allocated_account_id', 'allocated_team_id', 'record_state'])
        .where('id', '=', item.record_id)
        .executeTakeFirstOrThrow();
      const shown = decideReviewItemText(
        staff,
        {
          organisationId: record.organisation_id,
          category,
          allocatedAccountId: record.allocated_account_id,
          allocatedTeamId: record.allocated_team_id,
          state: record.record_state,
        },
        { decided: item.decision !== null },
      );
      if (shown !== 'held') throw new NotFoundError('Item not found');
    }
    return { request, item, context: { requesterRole: request.requester_role, category } };
  }

  /** Records the decision on an item: disclose, redact (needs spans) or withhold (needs a ground). */
  async decide(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    input: DecisionInput,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
      await this.decideIn(trx, staff, organisation.id, requestId, itemId, input);
    });
  }

  /**
   * "Disclose the rest" (issue 13 item 9): every item still needing a
   * decision that this person may decide, has no redactions and is not
   * restricted is disclosed, each checked and audited as one decision would
   * be, in one transaction. Items they may not read as held are left for
   * someone who may. Returns how many were disclosed and how many are left.
   */
  async discloseUndecided(
    staff: StaffContext,
    requestId: string,
  ): Promise<{ disclosed: number; left: number }> {
    return this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
      // The request first: another organisation's or an unknown id is "not
      // found" before anything is read or written.
      const request = await loadRequest(trx, organisation.id, requestId, { lock: true });
      if (!editableStates.includes(request.state)) {
        throw new ConflictError(
          'Decisions can change only while the request is in progress: send it back from review first',
        );
      }
      const undecided = await trx
        .selectFrom('rights_review_item as i')
        .select('i.id')
        .where('i.request_id', '=', request.id)
        .where('i.decision', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('rights_redaction as x').select('x.id').whereRef('x.item_id', '=', 'i.id'),
            ),
          ),
        )
        .orderBy('i.id')
        .execute();
      let disclosed = 0;
      for (const { id } of undecided) {
        try {
          await this.decideIn(trx, staff, organisation.id, requestId, id, { decision: 'disclose' });
          disclosed += 1;
        } catch (error) {
          // Not theirs to decide (read only by named officers): left as it is.
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
      const { left } = await trx
        .selectFrom('rights_review_item')
        .select((eb) => eb.fn.countAll<number>().as('left'))
        .where('request_id', '=', requestId)
        .where('decision', 'is', null)
        .executeTakeFirstOrThrow();
      return { disclosed, left: Number(left) };
    });
  }

  private async decideIn(
    trx: Transaction<Database>,
    staff: StaffContext,
    organisationId: string,
    requestId: string,
    itemId: string,
    input: DecisionInput,
  ): Promise<void> {
    const { request, item, context } = await this.editableItem(
      trx,
      staff,
      organisationId,
      requestId,
      itemId,
    );
    const spans = await trx
      .selectFrom('rights_redaction')
      .select('id')
      .where('item_id', '=', item.id)
      .execute();
    let ground: Ground | null = null;
    if (input.decision === 'withhold') {
      if (!input.ground) {
        throw new ValidationError([
          { field: 'ground', message: 'Select the legal ground for withholding the item' },
        ]);
      }
      const check = checkGround(input.ground, context);
      if (!check.ok) throw new ValidationError([{ field: 'ground', message: check.reason }]);
      ground = check.ground;
    }
    if (input.decision === 'redact' && spans.length === 0) {
      throw new ValidationError([
        {
          field: 'decision',
          message: 'Mark the words to redact first; the item is then redacted',
        },
      ]);
    }
    if (input.decision === 'disclose' && spans.length > 0) {
      throw new ValidationError([
        {
          field: 'decision',
          message: 'The item has redactions: remove them to disclose it in full',
        },
      ]);
    }
    await trx
      .updateTable('rights_review_item')
      .set({
        decision: input.decision,
        ground: ground?.code ?? null,
        reason: input.reason?.trim() || null,
        decided_by: staff.accountId,
        decided_at: new Date(),
      })
      .where('id', '=', item.id)
      .execute();
    await recordAudit(trx, {
      action: `rights.review.${input.decision}`,
      actorAccountId: staff.accountId,
      organisationId: organisationId,
      objectType: 'rights-review-item',
      objectIds: [request.id, item.id],
      purpose: RIGHTS_PURPOSE,
    });
  }

  /**
   * Redacts a span of an item's text on a ground. Third parties (Sch 2 paras
   * 16-17) say who they are; a professional acting in their role is
   * normally disclosed, so redacting one needs the reason written down.
   */
  async redact(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    input: RedactionInput,
  ): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
      const { request, item, context } = await this.editableItem(
        trx,
        staff,
        organisation.id,
        requestId,
        itemId,
      );
      if (item.kind === 'record' || (item.kind === 'document' && item.body.trim() === '')) {
        throw new ConflictError(
          item.kind === 'record'
            ? 'Only the text of notes, documents and chronology entries is redacted in spans; disclose or withhold this item'
            : 'No text could be read from this document: disclose it as it is, or withhold it on a ground',
        );
      }
      const span =
        input.phrase !== undefined && input.phrase.trim() !== ''
          ? findPhrase(item.body, input.phrase, input.occurrence ?? 1)
          : input.start !== undefined && input.end !== undefined
            ? { start: input.start, end: input.end }
            : undefined;
      if (!span) {
        throw new ValidationError([
          {
            field: 'phrase',
            message: input.phrase
              ? 'Those words are not in the text: copy them exactly as they appear'
              : 'Enter the words to redact',
          },
        ]);
      }
      const spanCheck = checkSpan(item.body, span);
      if (!spanCheck.ok)
        throw new ValidationError([{ field: 'phrase', message: spanCheck.reason }]);
      const check = checkGround(input.ground, context);
      if (!check.ok) throw new ValidationError([{ field: 'ground', message: check.reason }]);
      if ((await ncndOf(trx, request.id))?.ground === check.ground.code) {
        throw new ConflictError(NCND_SPAN_REFUSAL);
      }
      const note = input.note?.trim() || null;
      if (check.ground.code === 'sch2-para16-third-party') {
        if (!input.thirdParty) {
          throw new ValidationError([
            { field: 'thirdParty', message: 'Say who the third party is' },
          ]);
        }
        if (input.thirdParty === 'professional' && (note?.length ?? 0) < 10) {
          throw new ValidationError([
            {
              field: 'note',
              message:
                'Professionals acting in their role are normally disclosed: write down why this one is not (at least 10 characters)',
            },
          ]);
        }
      }
      const { id } = await trx
        .insertInto('rights_redaction')
        .values({
          item_id: item.id,
          start_offset: span.start,
          end_offset: span.end,
          ground: check.ground.code,
          third_party:
            check.ground.code === 'sch2-para16-third-party' ? (input.thirdParty ?? null) : null,
          note,
          added_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('rights_review_item')
        .set({
          decision: 'redact',
          ground: null,
          decided_by: staff.accountId,
          decided_at: new Date(),
        })
        .where('id', '=', item.id)
        .execute();
      await recordAudit(trx, {
        action: 'rights.review.redact-span',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-review-item',
        objectIds: [request.id, item.id, id],
        purpose: RIGHTS_PURPOSE,
      });
      return id;
    });
  }

  /** Removes a redaction; an item left with none goes back to undecided. */
  async unredact(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    redactionId: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
      const { request, item } = await this.editableItem(
        trx,
        staff,
        organisation.id,
        requestId,
        itemId,
      );
      if (!UUID.test(redactionId)) throw new NotFoundError('Redaction not found');
      const removed = await trx
        .deleteFrom('rights_redaction')
        .where('id', '=', redactionId)
        .where('item_id', '=', item.id)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) throw new NotFoundError('Redaction not found');
      const left = await trx
        .selectFrom('rights_redaction')
        .select('id')
        .where('item_id', '=', item.id)
        .executeTakeFirst();
      if (!left) {
        await trx
          .updateTable('rights_review_item')
          .set({ decision: null, ground: null, decided_by: null, decided_at: null })
          .where('id', '=', item.id)
          .execute();
      }
      await recordAudit(trx, {
        action: 'rights.review.unredact-span',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-review-item',
        objectIds: [request.id, item.id, redactionId],
        purpose: RIGHTS_PURPOSE,
      });
    });
  }

  /** Answers the request neither confirm nor deny (ncnd.ts). */
  neitherConfirmNorDeny(staff: StaffContext, requestId: string, input: NcndInput): Promise<void> {
    return this.ncnd.neitherConfirmNorDeny(staff, requestId, input);
  }

  /** Goes back to an ordinary response (ncnd.ts). */
  withdrawNeitherConfirmNorDeny(staff: StaffContext, requestId: string): Promise<void> {
    return this.ncnd.withdrawNeitherConfirmNorDeny(staff, requestId);
  }

  /**
   * Items and their redactions, for the bundle (bundle.ts), in the caller's
   * transaction: without the items of restricted records (Art 18(2)); and
   * the neither-confirm-nor-deny choice, if any, which the caller passes to
   * assembleBundle so items withheld on its ground are left out uncounted.
   */
  async bundleItems(trx: Transaction<Database>, requestId: string) {
    const request = await trx
      .selectFrom('rights_request')
      .selectAll()
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    const { items, redactions, restricted } = await this.itemsOf(trx, request);
    const ncnd = await ncndOf(trx, request.id);
    const kept = items.filter((i) => !i.record_id || !restricted.has(i.record_id));
    const keptIds = new Set(kept.map((i) => i.id));
    return {
      items: kept,
      redactions: redactions.filter((r) => keptIds.has(r.item_id)),
      ncnd: ncnd ? { ground: ncnd.ground } : null,
    };
  }
}

type RequestRow = Selectable<RightsRequestTable>;

export function toSpan(r: Pick<RedactionRow, 'start_offset' | 'end_offset' | 'ground'>) {
  return { start: r.start_offset, end: r.end_offset, ground: r.ground };
}

/**
 * For the state machine: an access request goes to review only when every
 * item of a prepared bundle has a decision.
 */
export async function undecidedItems(
  trx: Transaction<Database>,
  requestId: string,
): Promise<{ total: number; undecided: number }> {
  // Items of restricted records are left out of the bundle: they need no decision.
  const request = await trx
    .selectFrom('rights_request')
    .select(['requester_role', 'subject_person_id'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  const recordIds = await trx
    .selectFrom('rights_review_item')
    .select('record_id')
    .distinct()
    .where('request_id', '=', requestId)
    .where('decision', 'is', null)
    .execute();
  const restricted = [
    ...(await restrictedFor(
      trx,
      request,
      recordIds.flatMap((r) => (r.record_id ? [r.record_id] : [])),
    )),
  ];
  const row = await trx
    .selectFrom('rights_review_item')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('id').filterWhere('decision', 'is', null).as('undecided'),
    ])
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  const left = restricted.length
    ? await trx
        .selectFrom('rights_review_item')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('request_id', '=', requestId)
        .where('decision', 'is', null)
        .where('record_id', 'in', restricted)
        .executeTakeFirstOrThrow()
    : { n: '0' };
  return { total: Number(row.total), undecided: Number(row.undecided) - Number(left.n) };
}

/** "PDF", "Word document": a type in words, never a media type. */
function documentTypeName(mediaType: string): string {
  return allowedDocumentTypes[mediaType as keyof typeof allowedDocumentTypes] ?? 'file';
}
