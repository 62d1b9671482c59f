import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../../db/schema.js';
import { clockState } from '../../governance/breaches/clock.js';
import { BreachStore } from '../../governance/breaches/store.js';
import {
  acknowledgementStatus,
  DUE_SOON_DAYS as COMPLAINT_DUE_SOON_DAYS,
  UPDATE_EVERY_DAYS,
} from '../../governance/complaints/clock.js';
import { ComplaintStore } from '../../governance/complaints/store.js';
import {
  canBreach,
  canGovernRecords,
  canPartnership,
  canRetention,
  canRights,
} from '../../platform/access/access.js';
import { canComplaints } from '../../platform/access/complaint-rules.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { formatDate } from '../../platform/http/views.js';
import { notificationDueOn, rapidReviewDueOn } from '../../practice-reviews/deadlines.js';
import type { RetentionService } from '../../retention/service.js';
import { openStates } from '../../rights/machine.js';
import { visitsDue } from '../../casework/entries/visits-due.js';
import { reviewsDue } from '../../casework/entries/reviews-due.js';
import { oversightDue } from '../../casework/entries/oversight-due.js';
import { urgencyOf, type WorkItem } from './items.js';

/**
 * The clocks that already run in Safekeep, read for one person's "My work"
 * page. Each source asks the access rules whether this person works that
 * clock at all (so a practitioner's page runs none of the governance
 * queries), then reads with one statement, whatever the number of items.
 * Ids, dates and codes only: no personal data is read here, so nothing is
 * audited (as the rights reminders and breach clocks on the home page).
 */

/** Items taken from any one source; the page links to the full list past it. */
export const PER_SOURCE_LIMIT = 50;

interface SourceContext {
  db: Kysely<Database>;
  staff: StaffContext;
  organisationId: string;
  today: string;
  now: Date;
  retention: RetentionService;
}

type Source = (ctx: SourceContext) => Promise<{ due: WorkItem[]; approvals: WorkItem[] }>;

const none = { due: [], approvals: [] };

const requestTypeWords: Record<string, string> = {
  access: 'Subject access request',
  rectification: 'Rectification request',
  erasure: 'Erasure request',
  restriction: 'Restriction request',
  'objection-public-task': 'Objection',
  'objection-direct-marketing': 'Objection to direct marketing',
  'consent-withdrawal': 'Consent withdrawal',
  portability: 'Data portability request',
  'automated-decision-objection': 'Objection to automated decisions',
};

/** Rights requests on the statutory clock (UK GDPR Art 12(3); decision 0003). */
const rightsRequests: Source = async ({ db, staff, organisationId, today }) => {
  if (!canRights(staff, 'rights.view', organisationId)) return none;
  const rows = await db
    .selectFrom('rights_request')
    .select(['id', 'type', 'state', 'received_on', 'clock_due', 'clock_status', 'prepared_by'])
    .where('organisation_id', '=', organisationId)
    .where('state', 'in', [...openStates, 'review', 'approved'])
    .orderBy('clock_due', (o) => o.asc().nullsFirst())
    .orderBy('id')
    .limit(PER_SOURCE_LIMIT)
    .execute();
  const due: WorkItem[] = [];
  const approvals: WorkItem[] = [];
  for (const row of rows) {
    const title = `${requestTypeWords[row.type] ?? 'Rights request'} received ${formatDate(row.received_on)}`;
    const href = `/rights/${row.id}`;
    if (row.state === 'review') {
      // Approval needs a second person (rights/machine.ts): never offered to whoever prepared it.
      if (
        row.prepared_by !== staff.accountId &&
        canRights(staff, 'rights.approve', organisationId)
      ) {
        approvals.push({
          source: 'rights-approval',
          title,
          detail: 'Response waiting for your approval',
          href,
          due: row.clock_due,
          urgency: urgencyOf(row.clock_due, today),
        });
      }
      continue;
    }
    const paused = row.clock_status !== 'running' || row.clock_due === null;
    due.push({
      source: 'rights',
      title,
      detail: paused
        ? 'Clock waiting: for identity, authority or clarification'
        : row.state === 'approved'
          ? 'Approved: send the response'
          : 'Respond by the statutory deadline',
      href,
      due: paused ? null : row.clock_due,
      urgency: paused ? 'no-date' : urgencyOf(row.clock_due, today),
    });
  }
  return { due, approvals };
};

/**
 * Disclosures: outside every agreement one needs a second person's approval
 * (sharing/service.ts decide, never the one who asked); a grant the person
 * asked for that ends within a fortnight is worth knowing before it lapses.
 */
const disclosures: Source = async ({ db, staff, organisationId, today, now }) => {
  const governs = canGovernRecords(staff, organisationId);
  const soon = new Date(now.getTime() + 14 * 24 * 60 * 60 * 1000);
  const rows = await db
    .selectFrom('disclosure')
    .select(['id', 'status', 'requested_by', 'requested_at', 'recipient_name', 'expires_at'])
    .where('organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([
        ...(governs
          ? [
              eb.and([
                eb('status', '=', 'awaiting-approval'),
                eb('requested_by', '!=', staff.accountId),
              ]),
            ]
          : []),
        eb.and([
          eb('requested_by', '=', staff.accountId),
          eb('status', '=', 'approved'),
          eb('revoked_at', 'is', null),
          eb('expires_at', '>', now),
          eb('expires_at', '<=', soon),
        ]),
      ]),
    )
    .orderBy('requested_at')
    .orderBy('id')
    .limit(PER_SOURCE_LIMIT)
    .execute();
  const due: WorkItem[] = [];
  const approvals: WorkItem[] = [];
  for (const row of rows) {
    const href = `/sharing/disclosures/${row.id}`;
    if (row.status === 'awaiting-approval') {
      approvals.push({
        source: 'disclosure-approval',
        title: `Disclosure to ${row.recipient_name}`,
        detail: 'Outside every agreement: a second person must approve or refuse it',
        href,
        due: null,
        urgency: 'no-date',
      });
    } else if (row.expires_at) {
      const ends = londonDate(row.expires_at);
      due.push({
        source: 'disclosure-expiry',
        title: `Access shared with ${row.recipient_name}`,
        detail: 'Ends: renew the disclosure if they still need it',
        href,
        due: ends,
        urgency: urgencyOf(ends, today),
      });
    }
  }
  return { due, approvals };
};

/** Retention reviews and disposals due (decision 0004); the same queue as /retention. */
const retentionReviews: Source = async ({ staff, today, retention }) => {
  if (!canRetention(staff, 'retention.view')) return none;
  const queue = await retention.reviewQueue(staff, today, PER_SOURCE_LIMIT);
  return {
    due: queue.map((item) => ({
      source: 'retention' as const,
      title:
        item.kind === 'case-record'
          ? 'Record due for a retention decision'
          : 'Item due for a retention decision',
      detail:
        item.due === null
          ? 'A date retention needs is not known: decide by hand'
          : 'Review, keep or dispose',
      href:
        item.kind === 'case-record'
          ? `/retention/records/${item.id}`
          : `/retention/items/${item.kind}/${item.id}`,
      due: item.due,
      urgency: item.due === null ? ('no-date' as const) : urgencyOf(item.due, today),
    })),
    approvals: [],
  };
};

/** The practice-review steps with a deadline (practice-reviews/deadlines.ts; decision 0008). */
const practiceReviews: Source = async ({ db, staff, organisationId, today }) => {
  if (!canPartnership(staff)) return none;
  const rows = await db
    .selectFrom('practice_review as r')
    .leftJoin('practice_review_chronology as c', (join) =>
      join.onRef('c.review_id', '=', 'r.id').on('c.status', '=', 'requested'),
    )
    .select([
      'r.id',
      'r.record_id',
      'r.stage',
      'r.aware_on',
      'r.review_decided_on',
      'c.id as chronology_id',
      'c.agency_name',
      'c.due_on',
    ])
    .where('r.organisation_id', '=', organisationId)
    .where('r.stage', 'in', ['referred', 'notified', 'rapid-review', 'lcspr'])
    .orderBy('r.aware_on')
    .orderBy('r.id')
    .limit(PER_SOURCE_LIMIT * 2)
    .execute();
  const due: WorkItem[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const href = `/records/${row.record_id}/practice-review`;
    const title = `Practice review: incident known ${formatDate(row.aware_on)}`;
    if (!seen.has(row.id)) {
      seen.add(row.id);
      if (row.stage === 'referred') {
        const on = notificationDueOn(row.aware_on);
        due.push({
          source: 'practice-review',
          title,
          detail: 'Decide whether to notify the National Panel',
          href,
          due: on,
          urgency: urgencyOf(on, today),
        });
      } else if (row.stage === 'notified' || row.stage === 'rapid-review') {
        if (row.review_decided_on === null) {
          const on = rapidReviewDueOn(row.aware_on);
          due.push({
            source: 'practice-review',
            title,
            detail: 'Complete the rapid review',
            href,
            due: on,
            urgency: urgencyOf(on, today),
          });
        }
      }
    }
    if (row.chronology_id && row.due_on) {
      due.push({
        source: 'practice-review',
        title,
        detail: `Chronology from ${row.agency_name ?? 'a partner agency'} due`,
        href,
        due: row.due_on,
        urgency: urgencyOf(row.due_on, today),
      });
    }
  }
  return { due: due.slice(0, PER_SOURCE_LIMIT), approvals: [] };
};

/** Data protection complaints: acknowledge within 30 days, keep informed (DPA 2018 s.164A). */
const complaints: Source = async ({ db, staff, organisationId, today }) => {
  if (!canComplaints(staff, 'complaint.view', organisationId)) return none;
  const rows = await new ComplaintStore(db).openClocks(organisationId);
  const due: WorkItem[] = [];
  for (const row of rows) {
    const href = `/governance/complaints/${row.id}`;
    const title = `Complaint received ${formatDate(row.received_on)}`;
    const status = acknowledgementStatus(
      { receivedOn: row.received_on, acknowledgedOn: row.acknowledged_on },
      today,
    );
    if (status.kind !== 'acknowledged') {
      due.push({
        source: 'complaint',
        title,
        detail: 'Acknowledge the complaint',
        href,
        due: status.due,
        urgency:
          status.kind === 'overdue'
            ? 'overdue'
            : status.daysLeft < COMPLAINT_DUE_SOON_DAYS
              ? 'due-soon'
              : 'later',
      });
      continue;
    }
    const lastContact = [row.acknowledged_on, row.last_sent_on]
      .filter((d): d is string => !!d)
      .sort()
      .at(-1);
    if (lastContact) {
      const next = Temporal.PlainDate.from(lastContact).add({ days: UPDATE_EVERY_DAYS }).toString();
      due.push({
        source: 'complaint',
        title,
        detail: 'Send the complainant an update on progress',
        href,
        due: next,
        urgency: urgencyOf(next, today),
      });
    }
  }
  return { due: due.slice(0, PER_SOURCE_LIMIT), approvals: [] };
};

/** Breaches waiting for the decision whether to tell the ICO within 72 hours (Art 33). */
const breaches: Source = async ({ db, staff, organisationId, now, today }) => {
  if (!canBreach(staff, 'breach.view', organisationId)) return none;
  const rows = await new BreachStore(db).awaitingIcoDecision(organisationId);
  return {
    due: rows.slice(0, PER_SOURCE_LIMIT).map((row) => {
      const clock = clockState(row.aware_at, null, now);
      const deadline = londonDate(clock.deadline);
      return {
        source: 'breach' as const,
        title: `Breach ${row.reference}`,
        detail: 'Decide whether to tell the ICO (72 hours from becoming aware)',
        href: `/governance/breaches/${row.id}`,
        due: deadline,
        urgency: clock.state === 'overdue' ? ('overdue' as const) : urgencyOf(deadline, today),
      };
    }),
    approvals: [],
  };
};

/** Statutory visits on the person's and their team's records (casework/entries; decision 0029). */
const statutoryVisits: Source = async ({ db, staff, today }) => ({
  due: (await visitsDue(db, staff, today))
    .sort((a, b) => a.due.localeCompare(b.due))
    .slice(0, PER_SOURCE_LIMIT)
    .map((v) => ({
      source: 'visit' as const,
      title: v.title,
      detail: v.detail,
      href: `/records/${v.recordId}#visits`,
      due: v.due,
      urgency: urgencyOf(v.due, today),
    })),
  approvals: [],
});

/** Conferences, looked-after reviews and assessments on the statutory timescales (decision 0031). */
const statutoryReviews: Source = async ({ db, staff, today }) => ({
  due: (await reviewsDue(db, staff, today))
    .sort((a, b) => a.due.localeCompare(b.due))
    .slice(0, PER_SOURCE_LIMIT)
    .map((r) => ({
      source: 'review' as const,
      title: r.title,
      detail: r.detail,
      href: r.href,
      due: r.due,
      urgency: urgencyOf(r.due, today),
    })),
  approvals: [],
});

/** The next management oversight on the team manager's records (decision 0044). */
const managementOversight: Source = async ({ db, staff, today }) => ({
  due: (await oversightDue(db, staff, today))
    .sort((a, b) => a.due.localeCompare(b.due))
    .slice(0, PER_SOURCE_LIMIT)
    .map((o) => ({
      source: 'oversight' as const,
      title: o.title,
      detail: o.detail,
      href: o.href,
      due: o.due,
      urgency: urgencyOf(o.due, today),
    })),
  approvals: [],
});

const sources: readonly Source[] = [
  rightsRequests,
  disclosures,
  retentionReviews,
  practiceReviews,
  complaints,
  breaches,
  statutoryVisits,
  statutoryReviews,
  managementOversight,
];

export async function dueAndApprovals(ctx: SourceContext) {
  const results = await Promise.all(sources.map((source) => source(ctx)));
  return {
    due: results.flatMap((r) => r.due),
    approvals: results.flatMap((r) => r.approvals),
  };
}

function londonDate(instant: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime())
    .toZonedDateTimeISO('Europe/London')
    .toPlainDate()
    .toString();
}
