/**
 * The demo's practice reviews (decision 0008): each partnership's demo
 * practice-review records put at a different stage of the workflow — a
 * referral awaiting the notification decision, a review with chronology
 * requests out (one of them overdue), and a published review — so the
 * review pages and task lists have something real to show.
 *
 * Every step goes through PracticeReviewService as the partnership's demo
 * business user, exactly as the pages would: each is checked by the state
 * machine and the access function, writes the record through casework,
 * shares through sharing and is audited. The service is handed the demo's
 * own transaction (src/db/joined-transaction.ts), so the whole demo still loads in
 * one transaction — all or nothing, once. A handful of records per
 * partnership, never per person: `safekeep demo --people N` costs no more.
 */
import type { Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { joinTransaction } from '../db/joined-transaction.js';
import { PracticeReviewService } from './service.js';
import { demoStaffContext } from '../demo/staff-context.js';

/** The demo accounts that run each partnership's reviews (src/demo/demo-data.ts). */
export const demoReviewers = {
  kscmp: 'business@kscmp.example',
  sscp: 'business@sscp.example',
} as const;

export type DemoReviewStage = 'awaiting-notification' | 'chronologies-out' | 'published';

/** Newest record first: the stages in the order they are given to the records. */
const stages: readonly DemoReviewStage[] = [
  'awaiting-notification',
  'chronologies-out',
  'published',
];

/**
 * The consent position the demo records for every share: a practice review
 * is a statutory duty, and consent is not what it rests on.
 */
const consent = {
  consent: 'not-sought',
  consentReason: 'not-reasonably-expected',
} as const;

/** Outside every agreement, sharing needs a justification (and a second approver). */
const outsideAgreement = {
  ...consent,
  justification:
    'Synthetic demo: statutory practice review (Children Act 2004 s16F); the recipient needs this to take part.',
} as const;

export interface DemoReviewOptions {
  /** Today in England, as the demo sees it: every date is counted back from it. */
  today: string;
}

/**
 * Puts each partnership's demo practice-review records at the demo stages,
 * newest record first. Returns the stage given to each record.
 */
export async function createDemoPracticeReviews(
  trx: Transaction<Database>,
  options: DemoReviewOptions,
): Promise<Map<string, DemoReviewStage>> {
  const given = new Map<string, DemoReviewStage>();
  const kmisa = await trx
    .selectFrom('sharing_agreement')
    .select(['id', 'review_date'])
    .where('slug', '=', 'kmisa')
    .executeTakeFirst();
  // An agreement past its review date cannot be relied on (src/sharing): then
  // the requests go outside every agreement, as they would for real.
  const kmisaCurrent = kmisa && kmisa.review_date >= options.today ? kmisa.id : undefined;
  const reviews = new PracticeReviewService(joinTransaction(trx), {
    now: () => new Date(),
    today: () => options.today,
  });
  for (const organisation of ['kscmp', 'sscp'] as const) {
    const staff = await demoStaffContext(trx, organisation, demoReviewers[organisation]);
    if (!staff) continue;
    const records = await trx
      .selectFrom('case_record')
      .select('id')
      .where('organisation_id', '=', staff.organisation?.id ?? '')
      .where('category', '=', 'practice-review')
      .orderBy('opened_on', 'desc')
      .orderBy('id')
      .limit(stages.length)
      .execute();
    const day = (offset: number) =>
      Temporal.PlainDate.from(options.today).add({ days: offset }).toString();
    // KSCMP asks partner agencies for chronologies under the KMISA; SSCP has no
    // agreement in Safekeep, and the review's own recipients (rapid review
    // group, reviewers, panel, practitioners) are outside every agreement.
    const chronologySharing: Sharing =
      organisation === 'kscmp' && kmisaCurrent
        ? { ...consent, agreementId: kmisaCurrent }
        : outsideAgreement;
    for (const [index, record] of records.entries()) {
      const stage = stages[index];
      if (!stage) continue;
      const flow = new DemoFlow(reviews, staff, record.id, organisation, chronologySharing, day);
      if (stage === 'awaiting-notification') await flow.awaitingNotification();
      if (stage === 'chronologies-out') await flow.chronologiesOut();
      if (stage === 'published') await flow.published();
      given.set(record.id, stage);
    }
  }
  return given;
}

type Sharing = { consent: 'not-sought'; consentReason: 'not-reasonably-expected' } & (
  { agreementId: string } | { justification: string }
);

/** The steps a review goes through, dated back from today, as the business team would take them. */
class DemoFlow {
  constructor(
    private readonly reviews: PracticeReviewService,
    private readonly staff: StaffContext,
    private readonly recordId: string,
    private readonly organisation: 'kscmp' | 'sscp',
    private readonly chronologySharing: Sharing,
    private readonly day: (offset: number) => string,
  ) {}

  private readonly sharing: Sharing = outsideAgreement;

  private get partnership() {
    return this.organisation === 'kscmp' ? 'KSCMP' : 'SSCP';
  }

  private start(awareOn: number) {
    return this.reviews.start(this.staff, this.recordId, {
      referralReceivedOn: this.day(awareOn + 1),
      referredBy: 'Synthetic Children’s Services duty team',
      awareOn: this.day(awareOn),
      summary:
        'Synthetic referral for demonstration: a child was seriously harmed at home; neglect is suspected.',
      // KSCMP's retention runs from the incident date; SSCP records none (the service ignores it).
      incidentDate: this.day(awareOn - 3),
    });
  }

  /** Notified on time, sent to the Rapid Review Group, and an LCSPR decided. */
  private async toLcspr(awareOn: number) {
    await this.start(awareOn);
    await this.reviews.decideNotification(this.staff, this.recordId, {
      notified: true,
      decidedOn: this.day(awareOn + 1),
    });
    await this.reviews.sendToRapidReview(this.staff, this.recordId, {
      sentOn: this.day(awareOn + 2),
      recipientName: `${this.partnership} Rapid Review Group (synthetic)`,
      ...this.sharing,
    });
    await this.reviews.decideReview(this.staff, this.recordId, {
      lcspr: true,
      decidedOn: this.day(awareOn + 14),
      reasons:
        'Synthetic reasons: the case may show learning about how agencies shared information about neglect.',
    });
  }

  /** A referral received yesterday: the notification decision is still to be made. */
  async awaitingNotification() {
    await this.start(-2);
  }

  /**
   * An LCSPR under way: one chronology came back, one is outstanding and
   * one is overdue; the lead reviewer has been appointed.
   */
  async chronologiesOut() {
    const aware = -45;
    await this.toLcspr(aware);
    const internal =
      this.organisation === 'kscmp'
        ? // Kent SCS is inside Safekeep: the request is a read-only grant to it.
          {
            recipientId: 'partner-agencies' as const,
            recipientOrganisation: 'kent-scs' as const,
            agencyName: 'Kent Children’s Social Care',
          }
        : {
            recipientId: 'other-partnerships' as const,
            recipientOrganisation: 'kscmp' as const,
            agencyName: 'Kent and Medway Safeguarding Children Multi-Agency Partnership',
          };
    const requestedOn = this.day(aware + 15);
    const scope =
      'Synthetic: contacts with the child and family in the 12 months before the incident.';
    const returned = await this.reviews.requestChronology(this.staff, this.recordId, {
      recipientId: 'partner-agencies',
      agencyName: 'Synthetic Police',
      requestedOn,
      dueOn: this.day(aware + 29),
      scope,
      ...this.chronologySharing,
    });
    await this.reviews.recordChronologyOutcome(this.staff, this.recordId, returned, {
      outcome: 'returned',
      on: this.day(aware + 27),
      note: 'Synthetic chronology: two call-outs to the address, both referred to children’s services.',
    });
    await this.reviews.requestChronology(this.staff, this.recordId, {
      ...internal,
      requestedOn,
      dueOn: this.day(14),
      scope,
      ...this.chronologySharing,
    });
    // Due five days ago and not back: the task list shows it as overdue.
    await this.reviews.requestChronology(this.staff, this.recordId, {
      recipientId: 'partner-agencies',
      agencyName: 'Synthetic Community Health Trust',
      requestedOn,
      dueOn: this.day(-5),
      scope,
      ...this.chronologySharing,
    });
    await this.reviews.appoint(this.staff, this.recordId, {
      role: 'lead-reviewer',
      name: 'Synthetic Lead Reviewer',
      agency: 'Synthetic Independent Reviewers Ltd',
      appointedOn: this.day(aware + 30),
      ...this.sharing,
    });
  }

  /** A review completed and published about three months ago: it must stay up a year. */
  async published() {
    const aware = -400;
    await this.toLcspr(aware);
    const chronology = await this.reviews.requestChronology(this.staff, this.recordId, {
      recipientId: 'partner-agencies',
      agencyName: 'Synthetic Primary School',
      requestedOn: this.day(aware + 15),
      dueOn: this.day(aware + 36),
      scope: 'Synthetic: attendance and welfare concerns in the year before the incident.',
      ...this.chronologySharing,
    });
    await this.reviews.recordChronologyOutcome(this.staff, this.recordId, chronology, {
      outcome: 'returned',
      on: this.day(aware + 33),
      note: 'Synthetic chronology: attendance fell over two terms; one welfare referral made.',
    });
    await this.reviews.appoint(this.staff, this.recordId, {
      role: 'lead-reviewer',
      name: 'Synthetic Independent Reviewer',
      agency: 'Synthetic Reviews Ltd',
      appointedOn: this.day(aware + 40),
      ...this.sharing,
    });
    await this.reviews.appoint(this.staff, this.recordId, {
      role: 'panel-member',
      name: 'Synthetic Designated Nurse',
      agency: 'Synthetic Integrated Care Board',
      appointedOn: this.day(aware + 41),
      ...this.sharing,
    });
    const practitioner = await this.reviews.addPractitioner(this.staff, this.recordId, {
      name: 'Synthetic Practitioner',
      agency: 'Synthetic Primary School',
      jobRole: 'Designated safeguarding lead',
      appointedOn: this.day(aware + 50),
    });
    await this.reviews.acknowledge(this.staff, this.recordId, practitioner, {
      acknowledgedOn: this.day(aware + 52),
      confirmed: true,
    });
    await this.reviews.shareWithPractitioner(this.staff, this.recordId, practitioner, this.sharing);
    // Text, so publication also checks it names nobody in the record.
    await this.reviews.attachReport(
      this.staff,
      this.recordId,
      { final: true },
      {
        filename: 'synthetic-lcspr-report.txt',
        mediaType: 'text/plain',
        content: Buffer.from(
          'Synthetic Local Child Safeguarding Practice Review report, for demonstration only.\n' +
            'Child A lived with their mother and two siblings. Learning: agencies held pieces of ' +
            'the picture of neglect that were not brought together.\n',
          'utf8',
        ),
      },
    );
    await this.reviews.publish(this.staff, this.recordId, {
      publishedOn: this.day(-90),
      url: `https://www.example.org/${this.organisation}/synthetic-practice-review`,
      anonymised: true,
    });
  }
}
