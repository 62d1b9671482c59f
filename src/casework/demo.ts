import { createHash } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import type { Insertable, Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import type { CategorySlug, OrganisationSlug } from '../policy/index.js';
import { recordRulesFor } from '../platform/access/record-rules.js';
import type { RoleSlug } from '../platform/access/roles.js';
import { concernTypes, employerSectors, factColumns, placementTypes } from './categories.js';
import { factsOf, londonToday, retentionColumns, storedRetentionFor } from './retention.js';
import type { CaseworkTables } from './tables.js';
import { demoParticipation, structuredDemoEntries } from './demo-entries.js';
import { latestNextVisit } from './entries/visit-policy.js';
import { adoptedDemo, lookedAfterDemo } from './demo-ssda903.js';

/**
 * Synthetic records for the demo: each category's facts, detail, allocation,
 * notes and sources, with retention computed by the pure engine exactly as
 * the service stores it. Never real people or cases: faker with the demo's
 * fixed seed, and every free text marked as synthetic.
 *
 * Rows are built in memory (`buildDemoRecords`) and inserted in batches, so
 * the bulk demo can use it too.
 */

const REF_DATE = '2026-11-01';
const BATCH = 500;

/** Categories per organisation and how often each appears (weights). */
const mix: Record<OrganisationSlug, [CategorySlug, number][]> = {
  'kent-scs': [
    ['child-in-need', 8],
    ['child-protection-plan', 4],
    ['looked-after', 3],
    ['private-fostering', 1],
    ['adoption', 1],
    ['private-foster-parent', 1],
    ['risk-register', 1],
  ],
  'kent-lado': [['lado-allegation', 1]],
  kscmp: [
    ['practice-review', 3],
    ['panel-referral-not-notified', 1],
    ['audit-qa', 1],
  ],
  sscp: [
    ['practice-review', 3],
    ['audit-qa', 1],
  ],
  'maidstone-bc': [['safeguarding-concern', 1]],
};

/** Whose record it is: a child, or an adult (LADO, risk register, foster parent). */
const adultSubject = new Set<CategorySlug>([
  'lado-allegation',
  'risk-register',
  'private-foster-parent',
  'audit-qa',
]);

/** The team (slug) each category is allocated to, where the organisation has teams. */
const teamFor: Partial<Record<CategorySlug, string>> = {
  'child-in-need': 'assessment',
  'child-protection-plan': 'assessment',
  'risk-register': 'assessment',
  'looked-after': 'children-in-care',
  'private-fostering': 'children-in-care',
  'private-foster-parent': 'children-in-care',
  adoption: 'adoption',
  'lado-allegation': 'lado',
};

export interface DemoPerson {
  id: string;
  dateOfBirth: string | null;
  dateOfDeath: string | null;
}

export interface DemoRows {
  case_record: Insertable<CaseworkTables['case_record']>[];
  record_party: Insertable<CaseworkTables['record_party']>[];
  case_note: Insertable<CaseworkTables['case_note']>[];
  record_source: Insertable<CaseworkTables['record_source']>[];
  statutory_visit: Insertable<CaseworkTables['statutory_visit']>[];
  statutory_review: Insertable<CaseworkTables['statutory_review']>[];
  case_summary: Insertable<CaseworkTables['case_summary']>[];
  oversight_note: Insertable<CaseworkTables['oversight_note']>[];
  looked_after_outcome: Insertable<CaseworkTables['looked_after_outcome']>[];
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function isAdult(person: DemoPerson): boolean {
  return person.dateOfBirth !== null && person.dateOfBirth < '2008-11-01';
}

function pickCategory(faker: Faker, organisation: OrganisationSlug): CategorySlug {
  const weighted = (mix[organisation] ?? []).map(([value, weight]) => ({ value, weight }));
  return faker.helpers.weightedArrayElement(weighted);
}

const demoReferralSources = [
  'school',
  'police',
  'health-visitor',
  'individual-family',
  'early-help',
];
const demoFactors = ['domestic-abuse-parent', 'mental-health-parent', 'neglect', 'no-factors'];

/** A value chosen by the day of a date: deterministic, and no draw from faker. */
function demoPick(values: readonly string[], isoDate: string): string {
  return values[Number(isoDate.slice(8, 10)) % values.length] ?? values[0] ?? '';
}

function detailFor(
  faker: Faker,
  category: CategorySlug,
  opened: string,
  closed: string | null,
): Record<string, unknown> {
  const after = (days: number) => iso(new Date(Date.parse(opened) + days * 86_400_000));
  switch (category) {
    case 'child-in-need': {
      const primaryNeed = faker.helpers.arrayElement([
        'abuse-or-neglect',
        'family-in-acute-stress',
        'family-dysfunction',
        'child-disability',
      ]);
      // What the Children in Need census reads (src/returns), chosen from
      // the opening date, not from faker, so every other demo value stays.
      const completed = closed && closed < after(35) ? closed : after(35);
      return {
        primaryNeed,
        referralSource: demoPick(demoReferralSources, opened),
        reasonsForSupport: 'Synthetic: worries about home conditions and school attendance.',
        assessmentStartedOn: opened,
        assessmentCompletedOn: completed,
        assessmentFactors: [demoPick(demoFactors, opened)],
        disabilities: primaryNeed === 'child-disability' ? ['learning'] : [],
        ...(closed ? { reasonForClosure: 'services-ceased' } : {}),
      };
    }
    case 'child-protection-plan': {
      // A plan closed within a fortnight of the referral began the day it closed.
      const planStart = closed && closed < after(15) ? closed : after(15);
      return {
        categoryOfAbuse: faker.helpers.arrayElement([
          'neglect',
          'emotional-abuse',
          'physical-abuse',
          'sexual-abuse',
        ]),
        planStartedOn: planStart,
        primaryNeed: 'abuse-or-neglect',
        referralSource: demoPick(demoReferralSources, opened),
        ...(closed ? { reasonForClosure: 'services-ceased' } : {}),
        section47Enquiries: [
          {
            startedOn: opened,
            completedOn: closed && closed < after(10) ? closed : after(10),
            outcome: 'concerns-substantiated-conference',
          },
        ],
        conferences: [
          { kind: 'initial', heldOn: planStart, decision: 'plan-made' },
          ...(closed ? [{ kind: 'review', heldOn: closed, decision: 'plan-ended' }] : []),
        ],
      };
    }
    case 'looked-after':
      return {
        legalStatus: faker.helpers.arrayElement(['section-20', 'interim-care-order', 'care-order']),
        episodes: [{ startedOn: opened, ...(closed ? { endedOn: closed } : {}) }],
        placements: [
          {
            type: faker.helpers.arrayElement(placementTypes),
            startedOn: opened,
            provider: 'Synthetic Fostering Service',
          },
        ],
      };
    case 'adoption':
      return {
        courtOrders: [
          { kind: 'placement-order', court: 'Synthetic Family Court', madeOn: after(60) },
          { kind: 'adoption-order', court: 'Synthetic Family Court', madeOn: after(300) },
        ],
        postAdoptionSupport: [{ kind: 'therapeutic', startedOn: after(400) }],
      };
    case 'private-fostering':
      return {
        notifiedOn: opened,
        arrangementStartedOn: opened,
        visits: [{ visitedOn: after(7) }],
      };
    case 'private-foster-parent':
      return { assessmentCompletedOn: after(40), suitability: 'suitable' };
    case 'risk-register':
      return { natureOfRisk: 'Synthetic: risk to children identified by partner agencies.' };
    case 'lado-allegation':
      return {
        employer: `${faker.location.city()} Synthetic ${faker.helpers.arrayElement(['Academy', 'Nursery', 'Football Club', 'Youth Centre'])}`,
        employerSector: faker.helpers.arrayElement(employerSectors),
        role: faker.helpers.arrayElement([
          'Teacher',
          'Coach',
          'Nursery practitioner',
          'Youth worker',
        ]),
        allegation: 'Synthetic allegation for demonstration only.',
        meetings: [
          { kind: 'initial-consideration', heldOn: after(2) },
          { kind: 'strategy', heldOn: after(9) },
        ],
      };
    case 'practice-review':
    case 'panel-referral-not-notified':
      return {
        reviewType: faker.helpers.arrayElement(['rapid-review', 'lcspr']),
        nationalPanelNotification: {
          decision: category === 'panel-referral-not-notified' ? 'not-notified' : 'notified',
          decidedOn: after(5),
        },
        chronologiesRequested: [
          { agency: 'Synthetic Police', requestedOn: after(3), receivedOn: after(20) },
          { agency: 'Synthetic Health Trust', requestedOn: after(3) },
        ],
        leadReviewer: 'Synthetic Reviewer',
        panel: ['Synthetic Chair', 'Synthetic Designated Nurse'],
        practitioners: [
          {
            name: 'Synthetic Practitioner',
            agency: 'Synthetic School',
            role: 'Designated safeguarding lead',
          },
        ],
      };
    case 'audit-qa':
      return {
        theme: 'Synthetic multi-agency audit of neglect',
        agencies: ['Police', 'Health', 'Education'],
      };
    case 'safeguarding-concern':
      return {
        concernTypes: faker.helpers.arrayElements(concernTypes, { min: 1, max: 2 }),
        gp: 'Synthetic Surgery',
        referrals: [
          {
            partner: faker.helpers.arrayElement(['police', 'social-services', 'marac']),
            referredOn: after(1),
            consent: 'given',
          },
        ],
      };
    default:
      return {};
  }
}

function factsFor(
  faker: Faker,
  category: CategorySlug,
  opened: string,
  closed: string | null,
): Partial<Record<(typeof factColumns)[keyof typeof factColumns], string>> & {
  child_died?: boolean;
  outcome?: string;
} {
  const before = (days: number) => iso(new Date(Date.parse(opened) - days * 86_400_000));
  switch (category) {
    case 'adoption':
      return { adoption_order_date: iso(new Date(Date.parse(opened) + 300 * 86_400_000)) };
    case 'private-foster-parent':
      return { last_contact_date: closed ?? opened };
    case 'risk-register':
      return { caution_or_conviction_date: before(faker.number.int({ min: 30, max: 3000 })) };
    case 'practice-review':
    case 'panel-referral-not-notified':
      return {
        incident_date: before(20),
        child_died: faker.datatype.boolean({ probability: 0.3 }),
      };
    case 'audit-qa':
      return closed ? { completed_date: closed } : {};
    case 'safeguarding-concern':
      return { recorded_date: opened };
    case 'lado-allegation':
      return closed
        ? {
            outcome: faker.helpers.arrayElement([
              'no-further-action',
              'unfounded',
              'malicious',
              'unsubstantiated',
              'substantiated',
            ]),
          }
        : {};
    default:
      return {};
  }
}

/**
 * Builds records for one organisation over its people: one record for about
 * every three people, its subject a child or an adult as the category needs.
 */
export function buildDemoRecords(
  faker: Faker,
  options: {
    organisation: OrganisationSlug;
    organisationId: string;
    people: DemoPerson[];
    /** Team ids by team slug, for this organisation. */
    teams: Map<string, string>;
    /** Demo workers: account ids and their roles by team slug ('' for no team). */
    workers: Map<string, { accountId: string; role: RoleSlug }[]>;
    /** Team managers' account ids by team slug, for oversight notes. */
    managers?: Map<string, string>;
    today: string;
    /** Kent's two records due for destruction (fixed ids): once per organisation, so off for a second batch. */
    retentionExamples?: boolean;
  },
): DemoRows {
  const rows: DemoRows = {
    case_record: [],
    record_party: [],
    case_note: [],
    record_source: [],
    statutory_visit: [],
    statutory_review: [],
    case_summary: [],
    oversight_note: [],
    looked_after_outcome: [],
  };
  const children = options.people.filter((p) => !isAdult(p));
  // SSDA903 (src/returns/ssda903): every third looked-after record is the
  // oldest child with a known date of birth not yet given one, so the demo
  // has care leavers; an adoption record goes to a child whose period of
  // care has ended, who is then adopted. Chosen by position, not by faker.
  const oldest = children
    .filter((p) => p.dateOfBirth !== null)
    .sort((a, b) => (a.dateOfBirth ?? '').localeCompare(b.dateOfBirth ?? ''));
  const adoptable: {
    subject: DemoPerson;
    detail: Record<string, unknown>;
    row: number;
    start: string;
    end: string;
  }[] = [];
  /** Adoption records made before a looked-after record could be linked to them. */
  const awaitingCare: { subject: DemoPerson; detail: Record<string, unknown>; row: number }[] = [];
  let lookedAfterCount = 0;
  const adults = options.people.filter(isAdult);
  const count = Math.floor(options.people.length / 3);
  const shown = { overdue: false, due: false };
  for (let i = 0; i < count; i += 1) {
    const category = pickCategory(faker, options.organisation);
    const pool = adultSubject.has(category) ? adults : children;
    let subject = pool[i % Math.max(pool.length, 1)] ?? options.people[i];
    const nthLookedAfter = category === 'looked-after' ? lookedAfterCount++ : -1;
    if (nthLookedAfter % 3 === 0 && oldest.length) subject = oldest.shift();
    const adopted = category === 'adoption' ? adoptable.shift() : undefined;
    if (adopted) subject = adopted.subject;
    if (!subject) continue;
    const openedDate = faker.date.past({ years: 8, refDate: REF_DATE });
    const opened = iso(openedDate);
    const closed = i % 2 === 0 ? iso(faker.date.between({ from: openedDate, to: REF_DATE })) : null;
    // A closed period of care for a child with an adoption record but none yet: they were adopted.
    const awaiting =
      category === 'looked-after' && closed && nthLookedAfter % 3 !== 0
        ? awaitingCare.shift()
        : undefined;
    if (awaiting) subject = awaiting.subject;
    const teamSlug = teamFor[category];
    const teamId = teamSlug ? (options.teams.get(teamSlug) ?? null) : null;
    // Allocated only to someone whose role may work the category: Maidstone's
    // concerns go to the Designated Safeguarding Officer, never to an officer
    // who could not then open them.
    const rule = recordRulesFor(options.organisation)[category];
    const workers = (options.workers.get(teamSlug && teamId ? teamSlug : '') ?? []).filter(
      (w) => (rule?.roles[w.role]?.write ?? 'none') !== 'none',
    );
    const worker = workers.length
      ? (faker.helpers.arrayElement(workers.map((w) => w.accountId)) ?? null)
      : null;
    const facts = factsFor(faker, category, opened, closed);
    const id = faker.string.uuid();
    let detail = detailFor(faker, category, opened, closed);
    let periodStart = opened;
    let periodEnd: string | undefined;
    if (category === 'looked-after') {
      const placements = detail['placements'] as { type: string }[];
      const demo = lookedAfterDemo({
        legalStatus: String(detail['legalStatus']),
        placementType: placements[0]?.type ?? 'other',
        opened,
        closed,
        dateOfBirth: subject.dateOfBirth,
        today: options.today,
        allocated: worker !== null,
        uasc: nthLookedAfter % 4 === 1,
        toBeAdopted: awaiting !== undefined,
      });
      detail = demo.detail;
      periodStart = demo.start ?? opened;
      periodEnd = demo.end;
      if (worker) {
        for (const o of demo.outcomes) {
          rows.looked_after_outcome.push({
            record_id: id,
            kind: o.kind,
            occurred_on: o.occurredOn,
            sdq_score: o.sdqScore,
            note: 'Synthetic outcome.',
            recorded_by: worker,
          });
        }
        for (const [n, on] of demo.reviews.entries()) {
          rows.statutory_review.push({
            record_id: id,
            kind: 'looked-after-review',
            held_on: on,
            decision: null,
            ...demoParticipation(rows.statutory_review.length, n % 2 === 0),
            chair: 'Synthetic Independent Reviewing Officer',
            summary: 'Synthetic review: placement stable; care plan continues.',
            recorded_by: worker,
          });
        }
      }
      if (
        demo.start &&
        demo.end &&
        !demo.careLeaver &&
        Temporal.PlainDate.from(demo.start).until(Temporal.PlainDate.from(demo.end)).days > 120
      ) {
        const candidate = {
          subject,
          detail,
          row: rows.case_record.length,
          start: demo.start,
          end: demo.end,
        };
        if (awaiting) {
          Object.assign(awaiting.detail, adoptedDemo(detail, demo.start, demo.end));
          const row = rows.case_record[awaiting.row];
          if (row) row.detail = JSON.stringify(awaiting.detail);
        } else {
          adoptable.push(candidate);
        }
      }
    }
    if (category === 'adoption' && !adopted) {
      awaitingCare.push({ subject, detail, row: rows.case_record.length });
    }
    if (adopted) {
      Object.assign(detail, adoptedDemo(adopted.detail, adopted.start, adopted.end));
      const row = rows.case_record[adopted.row];
      if (row) row.detail = JSON.stringify(adopted.detail);
    }
    const record = {
      closed_on: closed,
      child_died: facts.child_died ?? null,
      outcome: facts.outcome ?? null,
      ...Object.fromEntries(Object.values(factColumns).map((c) => [c, facts[c] ?? null])),
    } as Parameters<typeof factsOf>[0];
    const retention = storedRetentionFor(
      options.organisation,
      category,
      factsOf(record, { dateOfBirth: subject.dateOfBirth, dateOfDeath: subject.dateOfDeath }),
      options.today,
    );
    rows.case_record.push({
      id,
      organisation_id: options.organisationId,
      category,
      opened_on: opened,

      allocated_account_id: worker,
      allocated_team_id: teamId,
      created_by: worker,
      detail: JSON.stringify(detail),
      ...record,
      ...retentionColumns(retention),
    });
    rows.record_party.push({ record_id: id, person_id: subject.id, role: 'subject' });
    const others = (adultSubject.has(category) ? children : adults).filter(
      (p) => p.id !== subject.id,
    );
    const other =
      others.length && faker.datatype.boolean({ probability: 0.6 })
        ? faker.helpers.arrayElement(others)
        : undefined;
    if (other) {
      rows.record_party.push({
        record_id: id,
        person_id: other.id,
        role: adultSubject.has(category) ? 'child' : 'parent',
      });
    }
    if (worker) {
      for (let n = 0; n < faker.number.int({ min: 1, max: 3 }); n += 1) {
        // A record closed the day it opened ends at that midnight, before
        // the opening's time of day: never a range that runs backwards.
        const to = closed ? Math.max(Date.parse(closed), openedDate.getTime()) : REF_DATE;
        const on = iso(faker.date.between({ from: openedDate, to }));
        rows.case_note.push({
          record_id: id,
          author_account_id: worker,
          occurred_on: on,
          written_at: new Date(`${on}T16:00:00Z`),
          kind: faker.helpers.arrayElement(['note', 'visit', 'phone-call', 'meeting']),
          text: `Synthetic note ${n + 1}: ${faker.lorem.sentence()}`,
        });
      }
      // A last visit on open plans and looked-after records, so My work shows
      // visits overdue, due soon and later (issue 13 item 13). The first such
      // record's visit was 50 days ago (overdue on a plan's 10 working days
      // and a placement's 6 weeks alike) until one is overdue, then 4 days
      // ago (due on both) until one is due, the rest spread from 3 to 52 days
      // ago — so a newcomer sees both whatever faker drew. Never before the
      // record opened.
      // Taken from positions, not from faker, so every other demo value stays
      // as it was.
      if (!closed && (category === 'child-protection-plan' || category === 'looked-after')) {
        const daysAgo = !shown.overdue ? 50 : !shown.due ? 4 : 3 + ((i * 11) % 50);
        const ago = Temporal.PlainDate.from(options.today).subtract({ days: daysAgo }).toString();
        const dayAfterOpening = Temporal.PlainDate.from(opened).add({ days: 1 }).toString();
        const visitedOn = ago > dayAfterOpening ? ago : dayAfterOpening;
        if (visitedOn <= options.today) {
          const nextDue = latestNextVisit(category, visitedOn);
          if (nextDue !== null && nextDue < options.today) shown.overdue = true;
          else shown.due = true;
          rows.statutory_visit.push({
            record_id: id,
            visited_on: visitedOn,
            child_seen: true,
            seen_alone: i % 3 !== 0,
            bedroom_seen: i % 2 === 1,
            present: i % 3 === 0 ? 'Synthetic parent' : '',
            wishes_and_feelings: 'Synthetic wishes and feelings.',
            next_due_on: nextDue,
            recorded_by: worker,
          });
        }
      }
      if (!closed) {
        structuredDemoEntries(rows, {
          position: i,
          id,
          category,
          // A looked-after review falls within the period of care.
          opened: periodStart,
          worker,
          manager: teamSlug ? options.managers?.get(teamSlug) : undefined,
          today: options.today,
        });
        // A care leaver's record stays open; their reviews ended with their care.
        if (periodEnd !== undefined) {
          const end = periodEnd;
          rows.statutory_review = rows.statutory_review.filter(
            (r) => r.record_id !== id || r.kind !== 'looked-after-review' || r.held_on <= end,
          );
        }
      }
      if (options.organisation === 'kent-scs' && faker.datatype.boolean({ probability: 0.5 })) {
        const kind = faker.helpers.arrayElement([
          'police-missing-report',
          'school-attendance',
          'partner-referral',
          'court-decision',
        ] as const);
        rows.record_source.push({
          record_id: id,
          kind,
          provider: {
            'police-missing-report': 'Synthetic Police',
            'school-attendance': 'Synthetic Primary School',
            'partner-referral': 'Synthetic Health Visitor',
            'court-decision': 'Synthetic Family Court',
          }[kind],
          received_on: opened,
          reference: null,
          summary: `Synthetic ${kind.replace(/-/g, ' ')}.`,
          added_by: worker,
        });
      }
    }
  }
  if (options.organisation === 'kent-lado') ladoStages(rows, options, adults, children);
  if (options.organisation === 'kent-scs' && options.retentionExamples !== false)
    retentionDue(rows, options, adults);
  return rows;
}

/** The LADO allegation stages the demo always holds, whatever faker drew. */
export type LadoStage =
  | 'referral'
  | 'consideration'
  | 'strategy'
  | 'no-further-action'
  | 'unfounded'
  | 'false'
  | 'malicious'
  | 'unsubstantiated'
  | 'substantiated';

/**
 * One Kent LADO allegation at each stage (issue 13, item 13): open ones
 * with no outcome (a referral just in, one at initial consideration, one at
 * strategy), and one closed with each outcome the policy knows. The
 * no-further-action one closed over 10 years ago, so its retention review
 * is due now. Dates count back from today; nothing is drawn from faker, so
 * every other demo value stays as it was.
 */
export const ladoStagePlans: readonly {
  stage: LadoStage;
  /** Days before today the allegation was referred. */
  openedAgo: number;
  /** Days before today it was closed; absent while open. */
  closedAgo?: number;
  meetings: ('initial-consideration' | 'strategy')[];
}[] = [
  { stage: 'referral', openedAgo: 2, meetings: [] },
  { stage: 'consideration', openedAgo: 9, meetings: ['initial-consideration'] },
  { stage: 'strategy', openedAgo: 30, meetings: ['initial-consideration', 'strategy'] },
  {
    stage: 'no-further-action',
    openedAgo: 11 * 365 + 40,
    closedAgo: 11 * 365,
    meetings: ['initial-consideration'],
  },
  {
    stage: 'unfounded',
    openedAgo: 3 * 365,
    closedAgo: 3 * 365 - 60,
    meetings: ['initial-consideration', 'strategy'],
  },
  {
    stage: 'false',
    openedAgo: 4 * 365,
    closedAgo: 4 * 365 - 50,
    meetings: ['initial-consideration', 'strategy'],
  },
  {
    stage: 'malicious',
    openedAgo: 5 * 365,
    closedAgo: 5 * 365 - 45,
    meetings: ['initial-consideration', 'strategy'],
  },
  {
    stage: 'unsubstantiated',
    openedAgo: 2 * 365,
    closedAgo: 2 * 365 - 90,
    meetings: ['initial-consideration', 'strategy'],
  },
  {
    stage: 'substantiated',
    openedAgo: 400,
    closedAgo: 200,
    meetings: ['initial-consideration', 'strategy'],
  },
];

/** A fixed id for a demo row from its organisation and name: the same world on every load. */
function demoId(organisationId: string, name: string): string {
  const hex = createHash('sha256').update(`${organisationId}/${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function ladoStages(
  rows: DemoRows,
  options: Parameters<typeof buildDemoRecords>[1],
  adults: DemoPerson[],
  children: DemoPerson[],
): void {
  const teamId = options.teams.get('lado') ?? null;
  const worker =
    (options.workers.get('lado') ?? options.workers.get('') ?? [])[0]?.accountId ?? null;
  const ago = (days: number) =>
    Temporal.PlainDate.from(options.today).subtract({ days }).toString();
  const settings = ['Academy', 'Nursery', 'Football Club', 'Youth Centre'] as const;
  const roles = ['Teacher', 'Nursery practitioner', 'Coach', 'Youth worker'] as const;
  for (const [n, plan] of ladoStagePlans.entries()) {
    // The adults from the end of the list, so they are not those the drawn records took first.
    const subject = adults[adults.length - 1 - (n % Math.max(adults.length, 1))];
    if (!subject) continue;
    const id = demoId(options.organisationId, `lado-stage/${plan.stage}`);
    const opened = ago(plan.openedAgo);
    const closed = plan.closedAgo === undefined ? null : ago(plan.closedAgo);
    const record = {
      closed_on: closed,
      child_died: null,
      outcome: closed ? plan.stage : null,
      ...Object.fromEntries(Object.values(factColumns).map((c) => [c, null])),
    } as Parameters<typeof factsOf>[0];
    const retention = storedRetentionFor(
      options.organisation,
      'lado-allegation',
      factsOf(record, { dateOfBirth: subject.dateOfBirth, dateOfDeath: subject.dateOfDeath }),
      options.today,
    );
    const detail = {
      employer: `Synthetic ${settings[n % settings.length] ?? 'Academy'}`,
      employerSector: employerSectors[n % employerSectors.length],
      role: roles[n % roles.length],
      allegation: 'Synthetic allegation for demonstration only.',
      meetings: plan.meetings.map((kind, k) => ({
        kind,
        heldOn: ago(Math.max(plan.openedAgo - 2 - 7 * k, 0)),
      })),
    };
    rows.case_record.push({
      id,
      organisation_id: options.organisationId,
      category: 'lado-allegation',
      opened_on: opened,
      allocated_account_id: worker,
      allocated_team_id: teamId,
      created_by: worker,
      detail: JSON.stringify(detail),
      ...record,
      ...retentionColumns(retention),
    });
    rows.record_party.push({ record_id: id, person_id: subject.id, role: 'subject' });
    const child = children[n % Math.max(children.length, 1)];
    if (child) rows.record_party.push({ record_id: id, person_id: child.id, role: 'child' });
    if (worker) {
      rows.case_note.push({
        record_id: id,
        author_account_id: worker,
        occurred_on: opened,
        written_at: new Date(`${opened}T16:00:00Z`),
        kind: 'phone-call',
        text: 'Synthetic note: referral received from the employer’s designated safeguarding lead.',
      });
    }
  }
}

/**
 * Two Kent SCS private foster parents whose records the notice destroys 10
 * years after the last contact (issue 13, item 13): one last in contact
 * eleven years ago, assessed when it closed and so overdue for destruction
 * until the daily sweep destroys it; one whose destruction falls due in 30
 * days, which stays on the dashboard as due soon. Dated back from today;
 * nothing drawn from faker.
 */
function retentionDue(
  rows: DemoRows,
  options: Parameters<typeof buildDemoRecords>[1],
  adults: DemoPerson[],
): void {
  const today = Temporal.PlainDate.from(options.today);
  const plans = [
    { name: 'retention/destroy-overdue', lastContact: today.subtract({ years: 11 }) },
    {
      name: 'retention/destroy-soon',
      lastContact: today.subtract({ years: 10 }).add({ days: 30 }),
    },
  ];
  for (const [n, plan] of plans.entries()) {
    const subject = adults[adults.length - 1 - n];
    if (!subject) continue;
    const closed = plan.lastContact.toString();
    const record = {
      closed_on: closed,
      child_died: null,
      outcome: null,
      ...Object.fromEntries(Object.values(factColumns).map((c) => [c, null])),
      last_contact_date: closed,
    } as Parameters<typeof factsOf>[0];
    // Assessed the day it closed, as the service did then (a date already
    // passed when the facts are recorded would go to review instead).
    const retention = storedRetentionFor(
      options.organisation,
      'private-foster-parent',
      factsOf(record, { dateOfBirth: subject.dateOfBirth, dateOfDeath: subject.dateOfDeath }),
      closed,
    );
    const id = demoId(options.organisationId, plan.name);
    rows.case_record.push({
      id,
      organisation_id: options.organisationId,
      category: 'private-foster-parent',
      opened_on: plan.lastContact.subtract({ years: 2 }).toString(),
      allocated_account_id: null,
      allocated_team_id: options.teams.get('children-in-care') ?? null,
      created_by: null,
      detail: JSON.stringify({
        assessmentCompletedOn: plan.lastContact.subtract({ years: 1 }).toString(),
        suitability: 'suitable',
      }),
      ...record,
      ...retentionColumns(retention, new Date(`${closed}T12:00:00Z`)),
    });
    rows.record_party.push({ record_id: id, person_id: subject.id, role: 'subject' });
  }
}

export async function insertDemoRecords(trx: Transaction<Database>, rows: DemoRows): Promise<void> {
  const batches = <T>(list: T[]) =>
    Array.from({ length: Math.ceil(list.length / BATCH) }, (_, n) =>
      list.slice(n * BATCH, (n + 1) * BATCH),
    );
  for (const batch of batches(rows.case_record))
    await trx.insertInto('case_record').values(batch).execute();
  for (const batch of batches(rows.record_party))
    await trx.insertInto('record_party').values(batch).execute();
  for (const batch of batches(rows.case_note))
    await trx.insertInto('case_note').values(batch).execute();
  for (const batch of batches(rows.record_source))
    await trx.insertInto('record_source').values(batch).execute();
  for (const batch of batches(rows.statutory_visit))
    await trx.insertInto('statutory_visit').values(batch).execute();
  for (const batch of batches(rows.statutory_review))
    await trx.insertInto('statutory_review').values(batch).execute();
  for (const batch of batches(rows.case_summary))
    await trx.insertInto('case_summary').values(batch).execute();
  for (const batch of batches(rows.oversight_note))
    await trx.insertInto('oversight_note').values(batch).execute();
  for (const batch of batches(rows.looked_after_outcome))
    await trx.insertInto('looked_after_outcome').values(batch).execute();
}

/** Synthetic records for one organisation's demo people. */
export async function createDemoRecords(
  trx: Transaction<Database>,
  faker: Faker,
  options: {
    organisationId: string;
    organisation: OrganisationSlug;
    personIds: string[];
    /** Demo teams by "organisation/team-slug". */
    teamIds: Map<string, string>;
    today?: string;
    retentionExamples?: boolean;
  },
): Promise<string[]> {
  if (options.personIds.length === 0) return [];
  // In lists of 10,000: a statement carries at most 65,535 parameters, and
  // the returns benchmark makes an organisation of 80,000 people.
  const byId = new Map<string, { date_of_birth: string | null; date_of_death: string | null }>();
  for (let at = 0; at < options.personIds.length; at += 10_000) {
    const people = await trx
      .selectFrom('person')
      .select(['id', 'date_of_birth', 'date_of_death'])
      .where('id', 'in', options.personIds.slice(at, at + 10_000))
      .execute();
    for (const p of people) byId.set(p.id, p);
  }
  const teams = new Map<string, string>();
  for (const [key, id] of options.teamIds) {
    const [org, slug] = key.split('/');
    if (org === options.organisation && slug) teams.set(slug, id);
  }
  const memberships = await trx
    .selectFrom('membership')
    .leftJoin('team', 'team.id', 'membership.team_id')
    .select(['membership.account_id', 'membership.role_slug', 'team.slug'])
    .where('membership.organisation_id', '=', options.organisationId)
    .where('membership.role_slug', 'in', [
      'practitioner',
      'lado-officer',
      'designated-safeguarding-officer',
      'partnership-business',
    ])
    .execute();
  const workers = new Map<string, { accountId: string; role: RoleSlug }[]>();
  for (const m of memberships) {
    const key = m.slug ?? '';
    const worker = { accountId: m.account_id, role: m.role_slug as RoleSlug };
    workers.set(key, [...(workers.get(key) ?? []), worker]);
  }
  // A team with nobody in it still gets its records; with no team, anyone with a casework role.
  for (const [key, list] of workers)
    if (key !== '') workers.set('', [...(workers.get('') ?? []), ...list]);
  const managerRows = await trx
    .selectFrom('membership')
    .innerJoin('team', 'team.id', 'membership.team_id')
    .select(['membership.account_id', 'team.slug'])
    .where('membership.organisation_id', '=', options.organisationId)
    .where('membership.role_slug', '=', 'team-manager')
    .execute();
  const managers = new Map(managerRows.map((m) => [m.slug, m.account_id]));
  const rows = buildDemoRecords(faker, {
    managers,
    organisation: options.organisation,
    organisationId: options.organisationId,
    people: options.personIds.flatMap((id) => {
      const p = byId.get(id);
      return p ? [{ id, dateOfBirth: p.date_of_birth, dateOfDeath: p.date_of_death }] : [];
    }),
    teams,
    workers,
    today: options.today ?? londonToday(),
    ...(options.retentionExamples === false ? { retentionExamples: false } : {}),
  });
  await insertDemoRecords(trx, rows);
  return rows.case_record.map((r) => String(r.id));
}
