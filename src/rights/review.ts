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
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { RightsDiscovery, type DiscoveryResult } from './discovery.js';
import { ncndOf, RightsNcnd, type NcndInput } from './ncnd.js';
import { decideItem, discloseUndecided, type DecisionInput } from './review-decisions.js';
import { itemsOf } from './review-items.js';
import { reviewPage } from './review-page.js';
import { prepareReview } from './review-preparation.js';
import { redactSpan, removeRedaction, type RedactionInput } from './review-redactions.js';

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
export { toSpan, undecidedItems, type ItemRow, type RedactionRow } from './review-items.js';
export type { ReviewItem } from './review-page.js';
export type { RedactionInput } from './review-redactions.js';
export type { DecisionInput } from './review-decisions.js';

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
   * Builds the bundle's items from the confirmed person's records, plus
   * notes elsewhere that name them (review-preparation.ts). Idempotent:
   * items already there keep their decisions.
   */
  prepare(staff: StaffContext, requestId: string): Promise<number> {
    return prepareReview(this.db, staff, requestId);
  }

  /** The review page: every item with its redactions, suggested spans and the grounds on offer. */
  review(staff: StaffContext, requestId: string) {
    return reviewPage(this.db, staff, requestId);
  }

  /** Records the decision on an item: disclose, redact (needs spans) or withhold (needs a ground). */
  decide(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    input: DecisionInput,
  ): Promise<void> {
    return decideItem(this.db, staff, requestId, itemId, input);
  }

  /** "Disclose the rest": every undecided item this person may decide (review-decisions.ts). */
  discloseUndecided(
    staff: StaffContext,
    requestId: string,
  ): Promise<{ disclosed: number; left: number }> {
    return discloseUndecided(this.db, staff, requestId);
  }

  /** Redacts a span of an item's text on a ground (review-redactions.ts). */
  redact(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    input: RedactionInput,
  ): Promise<string> {
    return redactSpan(this.db, staff, requestId, itemId, input);
  }

  /** Removes a redaction; an item left with none goes back to undecided. */
  unredact(
    staff: StaffContext,
    requestId: string,
    itemId: string,
    redactionId: string,
  ): Promise<void> {
    return removeRedaction(this.db, staff, requestId, itemId, redactionId);
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
    const { items, redactions, restricted } = await itemsOf(trx, request);
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
