/**
 * Carrying out an erasure (Art 17) or a consent withdrawal (Art 7(3)): the
 * decision per category is made by RightsService.decide from policy; this
 * does what it decided, item by item, for exactly the items discovery found
 * and a person confirmed are the subject's — in the caller's transaction,
 * so the erasure, the record of it and the audit happen together or not
 * at all.
 *
 * Holds are read again here, inside the transaction: a hold placed after
 * the decision still stops the erasure (Art 17(3)(b) and (e)).
 */
import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { PartnershipStore } from '../partnership/store.js';
import { suppressionHash } from '../partnership/signing.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, ValidationError } from '../platform/errors/errors.js';
import type { DataCategory, OrganisationPolicy } from '../policy/index.js';
import { erasureFor, type HoldOnCategory } from './decisions.js';
import type { PartnershipMatch } from './review.js';
import type { OutcomeAction, OutcomeSource, RightsRequestTable } from './tables.js';

const PURPOSE = 'rights-request';

/** The category each partnership source is held under, in both partnerships' policies. */
export const sourceCategory: Record<PartnershipMatch['source'], DataCategory['slug']> = {
  'training-booking': 'training',
  'newsletter-subscriber': 'newsletter-subscription',
};

const SURVEY_CATEGORY: DataCategory['slug'] = 'survey';

export const notLinkableReason =
  'Survey responses are anonymous: they hold no name, address or identifier, so no response ' +
  'can be linked to the person and none can be erased or returned for them.';

export interface OutcomeContext {
  organisationId: string;
  policy: OrganisationPolicy;
  actorAccountId: string;
  today: string;
  /** The partnership's suppression-list key; null where no newsletter is held. */
  suppressionKey: Buffer | null;
}

export interface ConfirmedItem {
  source: PartnershipMatch['source'];
  id: string;
}

export interface OutcomeLine {
  action: OutcomeAction;
  source: OutcomeSource;
  itemId: string | null;
  category: string;
  ground: string | null;
  reason: string;
}

type RequestRow = Selectable<RightsRequestTable>;

/** Requests whose outcome is carried out here: both take the erasure decision. */
export const erasureTypes: readonly RequestRow['type'][] = ['erasure', 'consent-withdrawal'];

/** Active holds covering the organisation's categories, or the confirmed person. */
export async function activeHolds(
  trx: Transaction<Database>,
  organisationId: string,
  personId: string | null,
): Promise<(HoldOnCategory & { category: string | null })[]> {
  const holds = await trx
    .selectFrom('retention_hold')
    .select(['scope', 'category', 'hold_type'])
    .where('organisation_id', '=', organisationId)
    .where('released_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('scope', '=', 'category'),
        ...(personId ? [eb.and([eb('scope', '=', 'person'), eb('person_id', '=', personId)])] : []),
      ]),
    )
    .execute();
  return holds.map((h) => ({
    category: h.scope === 'category' ? h.category : null,
    holdType: h.hold_type,
  }));
}

/** The partnership entries the latest discovery run found, by source and id. */
export async function discoveredPartnershipEntries(
  trx: Transaction<Database>,
  requestId: string,
): Promise<PartnershipMatch[] | null> {
  const run = await trx
    .selectFrom('rights_discovery')
    .select('results')
    .where('request_id', '=', requestId)
    .orderBy('run_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!run) return null;
  const results = run.results as { partnership?: PartnershipMatch[] } | null;
  return results?.partnership ?? [];
}

/**
 * The entries a person confirmed as the subject's, each checked against
 * what the latest discovery run found: nothing else can be acted on (erased,
 * exported), so a mistyped or stale id never reaches another person's row.
 */
export async function confirmedFromDiscovery(
  trx: Transaction<Database>,
  requestId: string,
  confirmed: readonly ConfirmedItem[],
  done: string,
): Promise<PartnershipMatch[]> {
  const found = await discoveredPartnershipEntries(trx, requestId);
  if (confirmed.length > 0 && found === null) {
    throw new ConflictError(`Run discovery first: only what discovery found can be ${done}`);
  }
  const matched = confirmed.map((c) => found?.find((f) => f.source === c.source && f.id === c.id));
  if (matched.some((m) => m === undefined)) {
    throw new ValidationError([
      { field: 'items', message: 'Select only entries the latest discovery found' },
    ]);
  }
  return matched.filter((m): m is PartnershipMatch => m !== undefined);
}

/**
 * Deletes a newsletter subscriber and keeps only the keyed hash of the
 * address on the suppression list: the partnership's own unsubscribe
 * (PartnershipService.removeSubscriber) through its own store and key, so
 * an erasure leaves exactly what an unsubscribe leaves.
 */
export async function removeSubscriber(
  trx: Transaction<Database>,
  ctx: OutcomeContext,
  subscriberId: string,
): Promise<boolean> {
  if (!ctx.suppressionKey) {
    throw new ConflictError('The newsletter suppression key is not configured for rights work');
  }
  const store = new PartnershipStore(trx);
  const email = await store.deleteSubscriber(ctx.organisationId, subscriberId);
  if (email === null) return false;
  await store.suppress(
    ctx.organisationId,
    suppressionHash(ctx.suppressionKey, ctx.organisationId, email),
    'unsubscribed',
    ctx.today,
  );
  return true;
}

async function storeLines(
  trx: Transaction<Database>,
  ctx: OutcomeContext,
  requestId: string,
  lines: readonly OutcomeLine[],
) {
  if (lines.length === 0) return;
  await trx
    .insertInto('rights_outcome_item')
    .values(
      lines.map((l) => ({
        request_id: requestId,
        action: l.action,
        source: l.source,
        item_id: l.itemId,
        category: l.category,
        ground: l.ground,
        reason: l.reason,
        carried_out_by: ctx.actorAccountId,
      })),
    )
    .execute();
}

/**
 * Erases the confirmed items where the decision (and the holds as they are
 * now) allow, refuses the rest with the Art 17(3) ground, says why survey
 * responses cannot be reached, and lists the subject's case records the
 * decision refused. Returns the lines stored on the request.
 */
export async function carryOutErasure(
  trx: Transaction<Database>,
  ctx: OutcomeContext,
  request: RequestRow,
  confirmed: readonly ConfirmedItem[],
): Promise<OutcomeLine[]> {
  if (!erasureTypes.includes(request.type)) {
    throw new ConflictError('Only an erasure or consent withdrawal request erases data');
  }
  if (request.state !== 'in-progress' && request.state !== 'extended') {
    throw new ConflictError('Erasure is carried out while the request is in progress');
  }
  const decisions = await trx
    .selectFrom('rights_decision')
    .select(['category', 'outcome', 'ground', 'reasoning'])
    .where('request_id', '=', request.id)
    .where('kind', '=', 'erasure')
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
  if (decisions.length === 0) {
    throw new ConflictError('Record the erasure decision before carrying it out');
  }
  const decided = new Map(decisions.map((d) => [d.category ?? '', d]));
  await confirmedFromDiscovery(trx, request.id, confirmed, 'erased');
  const holds = await activeHolds(trx, ctx.organisationId, request.subject_person_id);
  const categoryOf = (slug: string) => ctx.policy.categories.find((c) => c.slug === slug);
  /** The decision as it stands now: the latest stored one, unless a hold has come since. */
  const standing = (category: DataCategory) => {
    const stored = decided.get(category.slug);
    if (!stored) return undefined;
    if (stored.outcome !== 'erase') {
      return { outcome: 'refuse' as const, ground: stored.ground, reasoning: stored.reasoning };
    }
    return erasureFor(
      category,
      holds.filter((h) => h.category === null || h.category === category.slug),
    );
  };

  const lines: OutcomeLine[] = [];
  const erasedIds: string[] = [];
  const unsubscribed: string[] = [];
  for (const item of confirmed) {
    const slug = sourceCategory[item.source];
    const category = categoryOf(slug);
    const decision = category ? standing(category) : undefined;
    if (!category || !decision) {
      throw new ValidationError([
        {
          field: 'items',
          message: `The request does not cover ${category?.name.toLowerCase() ?? slug}: there is no erasure decision for it`,
        },
      ]);
    }
    if (decision.outcome !== 'erase') {
      lines.push({
        action: 'refused',
        source: item.source,
        itemId: item.id,
        category: slug,
        ground: decision.ground ?? 'Art 17(3) UK GDPR',
        reason: decision.reasoning,
      });
      continue;
    }
    let gone: boolean;
    if (item.source === 'newsletter-subscriber') {
      gone = await removeSubscriber(trx, ctx, item.id);
      if (gone) unsubscribed.push(item.id);
    } else {
      const deleted = await trx
        .deleteFrom('training_booking')
        .where('id', '=', item.id)
        .where('organisation_id', '=', ctx.organisationId)
        .executeTakeFirst();
      gone = Number(deleted.numDeletedRows) > 0;
    }
    if (!gone) continue; // already gone (unsubscribed, or erased by an earlier run)
    erasedIds.push(item.id);
    lines.push({
      action: item.source === 'newsletter-subscriber' ? 'unsubscribed' : 'erased',
      source: item.source,
      itemId: item.id,
      category: slug,
      ground: decision.ground,
      reason:
        item.source === 'newsletter-subscriber'
          ? 'Deleted from the mailing list; only a keyed hash of the address is kept, so it is never added again without a fresh sign-up.'
          : 'The booking was erased.',
    });
  }

  const survey = categoryOf(SURVEY_CATEGORY);
  if (survey && decided.has(survey.slug)) {
    lines.push({
      action: 'not-linkable',
      source: 'survey-response',
      itemId: null,
      category: survey.slug,
      ground: null,
      reason: notLinkableReason,
    });
  }

  // The subject's case records in categories the decision refused: named by
  // id with the ground, so the response can say what was kept and why.
  if (request.subject_person_id) {
    const records = await trx
      .selectFrom('record_party as rp')
      .innerJoin('case_record as cr', 'cr.id', 'rp.record_id')
      .select(['cr.id', 'cr.category'])
      .where('rp.person_id', '=', request.subject_person_id)
      .where('cr.organisation_id', '=', ctx.organisationId)
      .orderBy('cr.opened_on')
      .execute();
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const category = categoryOf(record.category);
      const decision = category ? standing(category) : undefined;
      if (!decision) continue;
      if (decision.outcome === 'erase') {
        // Case records are destroyed only by the retention sweep, with a
        // certificate; no policy holds one on consent, so this is a refusal
        // to act silently, never a quiet skip.
        throw new ConflictError(
          'A case record would be erased on consent: that needs the retention process, not this step',
        );
      }
      lines.push({
        action: 'refused',
        source: 'case-record',
        itemId: record.id,
        category: record.category,
        ground: decision.ground ?? 'Art 17(3) UK GDPR',
        reason: decision.reasoning,
      });
    }
  }

  await storeLines(trx, ctx, request.id, lines);
  if (unsubscribed.length > 0) {
    await recordAudit(trx, {
      action: 'partnership.newsletter.unsubscribe',
      actorAccountId: ctx.actorAccountId,
      organisationId: ctx.organisationId,
      objectType: 'newsletter-subscriber',
      objectIds: unsubscribed,
      purpose: 'consent-withdrawn',
    });
  }
  await recordAudit(trx, {
    action: 'rights.erasure.carry-out',
    actorAccountId: ctx.actorAccountId,
    organisationId: ctx.organisationId,
    objectType: 'rights-request',
    objectIds: [request.id, ...erasedIds],
    purpose: PURPOSE,
  });
  return lines;
}

/**
 * Art 21(3), and a newsletter consent withdrawn (Art 7(3)): the subject's
 * subscriptions go at once. Theirs are those a person confirmed from
 * discovery, and any whose address is the one the person wrote from when
 * they ask for themselves — the address is what a subscription is.
 */
export async function unsubscribeAtOnce(
  trx: Transaction<Database>,
  ctx: OutcomeContext,
  request: RequestRow,
  confirmedIds: readonly string[],
  ground: string,
): Promise<OutcomeLine[]> {
  if (!ctx.policy.categories.some((c) => c.slug === sourceCategory['newsletter-subscriber'])) {
    return [];
  }
  const ids = new Set<string>();
  if (confirmedIds.length > 0) {
    const found = (await discoveredPartnershipEntries(trx, request.id)) ?? [];
    for (const id of confirmedIds) {
      if (!found.some((f) => f.source === 'newsletter-subscriber' && f.id === id)) {
        throw new ValidationError([
          { field: 'items', message: 'Select only entries the latest discovery found' },
        ]);
      }
      ids.add(id);
    }
  }
  const contact = request.requester_contact.trim();
  if (request.requester_role === 'self' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) {
    const byAddress = await new PartnershipStore(trx).subscriberByEmail(
      ctx.organisationId,
      contact,
    );
    if (byAddress) ids.add(byAddress.id);
  }
  const lines: OutcomeLine[] = [];
  for (const id of ids) {
    if (!(await removeSubscriber(trx, ctx, id))) continue;
    lines.push({
      action: 'unsubscribed',
      source: 'newsletter-subscriber',
      itemId: id,
      category: sourceCategory['newsletter-subscriber'],
      ground,
      reason:
        'Unsubscribed at once and deleted from the mailing list; only a keyed hash of the address is kept, so it is never added again without a fresh sign-up.',
    });
  }
  await storeLines(trx, ctx, request.id, lines);
  if (lines.length > 0) {
    await recordAudit(trx, {
      action: 'partnership.newsletter.unsubscribe',
      actorAccountId: ctx.actorAccountId,
      organisationId: ctx.organisationId,
      objectType: 'newsletter-subscriber',
      objectIds: lines.flatMap((l) => (l.itemId ? [l.itemId] : [])),
      purpose: 'consent-withdrawn',
    });
  }
  return lines;
}
