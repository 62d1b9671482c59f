import type { Kysely, Selectable } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { remindersDue, type Reminder } from './request-clock.js';
import type { TransitionInput } from './machine.js';
import type { ConfirmedItem, OutcomeLine } from './erasure.js';
import type { NoticeInput } from './recipients-notice.js';
import { confirmSubject, downloadBundle } from './access-response.js';
import { RightsGathering } from './gathering.js';
import { liftRestriction, placeRestriction, restrictionTold } from './restriction-requests.js';
import { loadRequest, rightsOrganisation, rightsPolicy } from './request-store.js';
import { createRequest, offerAccessRequest, type NewRequest } from './request-intake.js';
import { transitionRequest } from './request-transition.js';
import { dashboardRows, requestPageData, type DashboardRow } from './request-page-data.js';
import { decideRequest, type DecisionInput } from './request-decisions.js';
import {
  carryOutRequestErasure,
  recordRecipientNotice,
  type CarryingOutContext,
} from './request-outcomes.js';
import { newsletterKeys } from '../partnership/signing.js';
import { RightsPortability } from './portability.js';
import { RightsRectification } from './rectification-service.js';
import { RightsReview } from './review.js';
import { supplementaryInformation, type SupplementaryInformation } from './supplementary.js';
import { disclosuresAboutPerson } from '../sharing/disclosure-log.js';
import type { Article18Ground, RequestState, RightsRequestTable } from './tables.js';

/**
 * Data subject rights requests from intake to closure: the state machine,
 * the statutory clock (stored and recomputed in the same transaction as any
 * event it depends on, design.md principle 5), the decisions that need no
 * discovery, restrictions, and the dashboard. Each job is done in its own
 * module (request-intake.ts, request-transition.ts, request-page-data.ts,
 * request-decisions.ts, request-outcomes.ts, ...); this class is the one
 * door the routes and other folders use.
 *
 * Audit events carry ids and codes only (design.md principle 2): never the
 * requester's or subject's name, nor any free text typed into the request.
 */

export type { NewRequest } from './request-intake.js';
export type { DashboardRow } from './request-page-data.js';
export type { DecisionInput } from './request-decisions.js';

export type RequestRow = Selectable<RightsRequestTable>;

const isoToday = () => Temporal.Now.plainDateISO('Europe/London').toString();

export class RightsService {
  /** Discovery and the review of an access bundle (review.ts). */
  readonly review: RightsReview;

  /** Gathering by the officers who alone may read the records (gathering.ts). */
  readonly gathering: RightsGathering;

  /** The portability export (portability.ts). */
  readonly portability: RightsPortability;

  /** Correcting, completing and annotating what is held about the subject (rectification-service.ts). */
  readonly rectification: RightsRectification;

  /** The partnerships' suppression-list key, so an erasure leaves what an unsubscribe leaves. */
  private readonly suppressionKey: Buffer | null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly today: () => string = isoToday,
    options: { sessionSecret?: string | undefined } = {},
  ) {
    this.review = new RightsReview(db);
    this.portability = new RightsPortability(db, today);
    this.gathering = new RightsGathering(db);
    this.rectification = new RightsRectification(db, today);
    this.suppressionKey = options.sessionSecret
      ? newsletterKeys(options.sessionSecret).suppression
      : null;
  }

  private get context(): CarryingOutContext {
    return { db: this.db, today: this.today, suppressionKey: this.suppressionKey };
  }

  /** Intake: records the request and starts (or waits to start) its clock. */
  create(staff: StaffContext, input: NewRequest): Promise<string> {
    return createRequest(this.context, staff, input);
  }

  /** Moves a request along the state machine, recomputing its clock. */
  transition(
    staff: StaffContext,
    id: string,
    input: TransitionInput & { expectedVersion?: number | undefined },
  ): Promise<RequestState> {
    return transitionRequest(this.context, staff, id, input);
  }

  /** The request page's data. Reading it is a read of personal data, so it is audited. */
  get(staff: StaffContext, id: string) {
    return requestPageData(this.context, staff, id);
  }

  /** Open requests, overdue first, then by days left (request-page-data.ts). */
  dashboard(staff: StaffContext): Promise<DashboardRow[]> {
    return dashboardRows(this.context, staff);
  }

  /** Records the decision the request's type takes, generated from policy where it can be. */
  decide(staff: StaffContext, id: string, input: DecisionInput): Promise<void> {
    return decideRequest(this.context, staff, id, input);
  }

  /** Reminders for the staff member's organisation (see remindersDue). */
  async reminders(staff: StaffContext, withinDays: number): Promise<Reminder[]> {
    const organisation = rightsOrganisation(staff, 'rights.view');
    return remindersDue(this.db, {
      today: this.today(),
      withinDays,
      organisationId: organisation.id,
    });
  }

  /** Art 15 supplementary information for this organisation (all categories, or those named). */
  supplementary(staff: StaffContext, categories: readonly string[] = []): SupplementaryInformation {
    rightsOrganisation(staff, 'rights.view');
    return supplementaryInformation(rightsPolicy(staff), categories);
  }

  /**
   * The same for an access request: its categories, and every disclosure
   * made of the confirmed subject's records (none until the subject is
   * confirmed).
   */
  async supplementaryForRequest(
    staff: StaffContext,
    id: string,
  ): Promise<SupplementaryInformation> {
    const organisation = rightsOrganisation(staff, 'rights.view');
    return this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      const disclosures = row.subject_person_id
        ? await disclosuresAboutPerson(trx, organisation.id, row.subject_person_id)
        : [];
      return supplementaryInformation(rightsPolicy(staff), row.categories, disclosures);
    });
  }

  /** An access request in place of portability that does not reach the data (request-intake.ts). */
  offerAccessRequest(staff: StaffContext, id: string): Promise<string> {
    return offerAccessRequest(this.context, staff, id);
  }

  /** Records the person discovery found and a human confirmed (access-response.ts). */
  async confirmSubject(staff: StaffContext, id: string, personId: string): Promise<void> {
    await confirmSubject(this.context, staff, id, personId);
  }

  /** The approved response bundle, PDF or JSON; every download audited (access-response.ts). */
  async bundle(
    staff: StaffContext,
    id: string,
    format: 'pdf' | 'json',
  ): Promise<{ filename: string; body: Buffer | object }> {
    return downloadBundle(this.context, this.review, staff, id, format);
  }

  // -------------------------------------------------------------------------
  // Carrying out what was decided

  /** Erasure (or consent withdrawal) carried out on the confirmed entries (request-outcomes.ts). */
  carryOutErasure(
    staff: StaffContext,
    id: string,
    items: readonly ConfirmedItem[],
  ): Promise<OutcomeLine[]> {
    return carryOutRequestErasure(this.context, staff, id, items);
  }

  /** Art 19: a recipient told (when, how), or why telling them is impossible or disproportionate. */
  recordRecipientNotice(staff: StaffContext, id: string, input: NoticeInput): Promise<void> {
    return recordRecipientNotice(this.context, staff, id, input);
  }

  // -------------------------------------------------------------------------
  // Restriction (UK GDPR Art 18)

  async restrict(
    staff: StaffContext,
    requestId: string,
    input: { scope: 'person' | 'record'; targetId: string; ground: Article18Ground },
  ): Promise<string> {
    return placeRestriction(this.context, staff, requestId, input);
  }

  /** Art 18(3): the person is told before a restriction is lifted. */
  async restrictionTold(staff: StaffContext, restrictionId: string, toldOn: string): Promise<void> {
    await restrictionTold(this.context, staff, restrictionId, toldOn);
  }

  async liftRestriction(staff: StaffContext, restrictionId: string, reason: string): Promise<void> {
    await liftRestriction(this.context, staff, restrictionId, reason);
  }
}

export { isRestricted } from './restriction.js';
export {
  computeClockColumns,
  describeClock,
  remindersDue,
  type ClockView,
  type Reminder,
} from './request-clock.js';
