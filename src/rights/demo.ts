/**
 * The demo's rights requests (issue 13, item 13): Kent SCS and Maidstone
 * hold requests at every open step of the state machine (machine.ts) and
 * one that was answered and closed, so information governance's My work
 * and the rights pages have something real to show.
 *
 * Every step goes through RightsService as the organisation's demo
 * governance accounts, exactly as the pages would: the state machine
 * checks each move, the clock is recomputed, every event is audited, and
 * approval comes from a second person (the preparer never approves). The
 * service is handed the demo's own transaction (src/db/joined-transaction.ts),
 * so the demo still loads all or nothing. Dates count back from today, so
 * one request is overdue and others fall due within days, whenever the
 * demo is loaded. Requesters are synthetic: fixed names, never real people.
 */
import type { Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { joinTransaction } from '../db/joined-transaction.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { OrganisationSlug } from '../policy/index.js';
import { RightsService, type NewRequest } from './service.js';
import type { RequestState, RequestType } from './tables.js';
import { demoStaffContext } from '../demo/staff-context.js';

/** The stages the demo puts requests at: each open state, and one closed. */
export type DemoRightsStage =
  | 'received'
  | 'awaiting-id'
  | 'awaiting-clarification'
  | 'in-progress-due-soon'
  | 'in-progress-overdue'
  | 'extended'
  | 'review'
  | 'approved'
  | 'closed';

/** The state each demo stage leaves its request in. */
export const demoRightsStates: Readonly<Record<DemoRightsStage, RequestState>> = {
  received: 'received',
  'awaiting-id': 'awaiting-id',
  'awaiting-clarification': 'awaiting-clarification',
  'in-progress-due-soon': 'in-progress',
  'in-progress-overdue': 'in-progress',
  extended: 'extended',
  review: 'review',
  approved: 'approved',
  closed: 'closed',
};

/**
 * Who works each organisation's requests (src/demo/demo-data.ts demoStaff):
 * the preparer, and a second person who approves what the preparer sent
 * for review — and who prepares the one response the preparer approves.
 */
export const demoRightsAccounts = {
  'kent-scs': { preparer: 'ig.officer@kent-scs.example', second: 'dpo@kscmp.example' },
  'maidstone-bc': { preparer: 'ig@maidstone-bc.example', second: 'dpo@maidstone-bc.example' },
} as const satisfies Partial<Record<OrganisationSlug, { preparer: string; second: string }>>;

type DemoOrganisation = keyof typeof demoRightsAccounts;

/** Synthetic requesters: invented names, never real people. */
const requesters: readonly { given: string; family: string; born: string }[] = [
  { given: 'Rowan', family: 'Examplefield', born: '1988-03-14' },
  { given: 'Ellis', family: 'Demoworth', born: '2004-07-02' },
  { given: 'Harper', family: 'Samplebrook', born: '1979-11-23' },
  { given: 'Quinn', family: 'Fictonby', born: '1995-01-30' },
  { given: 'Remy', family: 'Testington', born: '2001-05-17' },
  { given: 'Skye', family: 'Mockridge', born: '1983-09-09' },
  { given: 'Tatum', family: 'Placeholt', born: '1999-12-04' },
  { given: 'Arden', family: 'Inventley', born: '1972-06-21' },
  { given: 'Blair', family: 'Notrealle', born: '1990-02-11' },
];

interface Plan {
  stage: DemoRightsStage;
  type: RequestType;
  /** Days before today the request arrived. */
  receivedAgo: number;
}

/** Kent SCS: every stage. Receipt dates put the overdue and due-soon ones where their names say. */
const kentPlans: readonly Plan[] = [
  { stage: 'received', type: 'access', receivedAgo: 1 },
  { stage: 'awaiting-id', type: 'access', receivedAgo: 6 },
  { stage: 'awaiting-clarification', type: 'access', receivedAgo: 10 },
  { stage: 'in-progress-due-soon', type: 'access', receivedAgo: 26 },
  { stage: 'in-progress-overdue', type: 'access', receivedAgo: 40 },
  { stage: 'extended', type: 'access', receivedAgo: 50 },
  { stage: 'review', type: 'rectification', receivedAgo: 20 },
  { stage: 'approved', type: 'access', receivedAgo: 22 },
  { stage: 'closed', type: 'access', receivedAgo: 70 },
];

/** Maidstone: a smaller set, so a second organisation's governance has work too. */
const maidstonePlans: readonly Plan[] = [
  { stage: 'received', type: 'access', receivedAgo: 2 },
  { stage: 'in-progress-due-soon', type: 'access', receivedAgo: 24 },
  { stage: 'review', type: 'access', receivedAgo: 18 },
  { stage: 'closed', type: 'access', receivedAgo: 60 },
];

export interface DemoRightsOptions {
  /** Today in England, as the demo sees it: every date is counted back from it. */
  today: string;
}

/** Creates the demo's rights requests; returns each request's id and stage. */
export async function createDemoRightsRequests(
  trx: Transaction<Database>,
  options: DemoRightsOptions,
): Promise<Map<string, DemoRightsStage>> {
  const given = new Map<string, DemoRightsStage>();
  const rights = new RightsService(joinTransaction(trx), () => options.today);
  const day = (ago: number) =>
    Temporal.PlainDate.from(options.today).subtract({ days: ago }).toString();
  const all: [DemoOrganisation, readonly Plan[]][] = [
    ['kent-scs', kentPlans],
    ['maidstone-bc', maidstonePlans],
  ];
  for (const [organisation, plans] of all) {
    const accounts = demoRightsAccounts[organisation];
    const preparer = await demoStaffContext(trx, organisation, accounts.preparer);
    const second = await demoStaffContext(trx, organisation, accounts.second);
    if (!preparer || !second) continue;
    for (const [index, plan] of plans.entries()) {
      const person = requesters[index % requesters.length];
      if (!person) continue;
      const received = day(plan.receivedAgo);
      const known = plan.stage !== 'received' && plan.stage !== 'awaiting-id';
      const input: NewRequest = {
        type: plan.type,
        receivedOn: received,
        channel: index % 2 === 0 ? 'email' : 'letter',
        description:
          plan.type === 'rectification'
            ? 'Synthetic request: my date of birth is recorded wrongly; please correct it.'
            : 'Synthetic request: a copy of everything held about me by children’s services.',
        requesterRole: 'self',
        requesterName: `${person.given} ${person.family}`,
        requesterContact: `${person.given.toLowerCase()}.${person.family.toLowerCase()}@requester.example`,
        identityCheck: known ? 'photo-id-seen' : 'not-yet-checked',
        subject: { givenName: person.given, familyName: person.family, dateOfBirth: person.born },
      };
      const id = await rights.create(preparer, input);
      const move = (staff: StaffContext, to: RequestState, on: string, note?: string) =>
        rights.transition(staff, id, { to, on, ...(note ? { note } : {}) });
      switch (plan.stage) {
        case 'received':
          break;
        case 'awaiting-id':
          await move(preparer, 'awaiting-id', day(plan.receivedAgo - 1));
          break;
        case 'awaiting-clarification':
          await move(
            preparer,
            'awaiting-clarification',
            day(plan.receivedAgo - 2),
            'Synthetic: asked which years the request covers.',
          );
          break;
        case 'in-progress-due-soon':
        case 'in-progress-overdue':
          await move(preparer, 'in-progress', received);
          break;
        case 'extended':
          await move(preparer, 'in-progress', received);
          await rights.transition(preparer, id, {
            to: 'extended',
            extension: {
              toldOn: day(plan.receivedAgo - 20),
              reason: 'Synthetic: the request is complex; records span many years and teams.',
              months: 2,
            },
          });
          break;
        case 'review':
          // Prepared by the second account, so the preparer's My work offers it for approval.
          await move(second, 'in-progress', received);
          await move(second, 'review', day(1));
          break;
        case 'approved':
          await move(preparer, 'in-progress', received);
          await move(preparer, 'review', day(3));
          await move(second, 'approved', day(1));
          break;
        case 'closed':
          await move(preparer, 'in-progress', received);
          await move(preparer, 'review', day(plan.receivedAgo - 20));
          await move(second, 'approved', day(plan.receivedAgo - 22));
          await move(preparer, 'responded-in-full', day(plan.receivedAgo - 24));
          await move(preparer, 'closed', day(plan.receivedAgo - 25));
          break;
      }
      given.set(id, plan.stage);
    }
  }
  return given;
}
