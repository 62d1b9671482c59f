import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, ValidationError } from '../platform/errors/errors.js';
import type { OrganisationPolicy } from '../policy/index.js';
import {
  categoriesFor,
  directMarketingCategories,
  erasureFor,
  noAutomatedDecisions,
  objectionNotReachingReasoning,
  objectionReaches,
  portabilityFor,
} from './decisions.js';
import { activeHolds } from './erasure.js';
import { openStates } from './machine.js';
import { unsubscribe, type CarryingOutContext } from './request-outcomes.js';
import {
  loadRequest,
  recordRequestEvent,
  RIGHTS_PURPOSE,
  rightsOrganisation,
  rightsPolicy,
} from './request-store.js';
import { upheldObjectionFor } from './restriction.js';
import type { DecisionKind, RequestType, RightsRequestTable } from './tables.js';

/**
 * The decision a request's type takes (decisions.ts generates it from policy
 * where it can be): portability, erasure, an objection to processing for a
 * public task or to direct marketing, or to automated decisions.
 */

type RequestRow = Selectable<RightsRequestTable>;

export type DecisionInput =
  | { kind: 'portability' }
  | { kind: 'erasure' }
  | { kind: 'automated-decision-objection' }
  | {
      kind: 'objection-direct-marketing';
      /** Newsletter subscriptions a person confirmed from discovery as the subject's. */
      subscriberIds?: string[] | undefined;
    }
  | {
      kind: 'objection-public-task';
      category: string;
      outcome: 'upheld' | 'not-upheld';
      subjectGrounds: string;
      /** Required when not upheld: the compelling legitimate grounds (Art 21(1)). */
      compellingGrounds?: string | undefined;
    };

/** Which decision each request type takes. */
export const decisionForType: Partial<Record<RequestType, DecisionKind>> = {
  portability: 'portability',
  erasure: 'erasure',
  'consent-withdrawal': 'erasure',
  'objection-public-task': 'objection-public-task',
  'objection-direct-marketing': 'objection-direct-marketing',
  'automated-decision-objection': 'automated-decision-objection',
};

/** Records the decision the request's type takes, generated from policy where it can be. */
export async function decideRequest(
  context: CarryingOutContext,
  staff: StaffContext,
  id: string,
  input: DecisionInput,
): Promise<void> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  const policy = rightsPolicy(staff);
  await context.db.transaction().execute(async (trx) => {
    const row = await loadRequest(trx, organisation.id, id);
    if (decisionForType[row.type] !== input.kind) {
      throw new ConflictError(`A ${row.type} request does not take a ${input.kind} decision`);
    }
    if (!openStates.includes(row.state) || row.state === 'approved') {
      throw new ConflictError(
        'Decisions can be recorded only while the request is being worked on',
      );
    }
    const categories = categoriesFor(policy, row.categories);
    const insert = (values: {
      kind: DecisionKind;
      category: string | null;
      outcome: Selectable<Database['rights_decision']>['outcome'];
      ground: string | null;
      reasoning: string;
      subject_grounds?: string | null;
    }) =>
      trx
        .insertInto('rights_decision')
        .values({ request_id: id, decided_by: staff.accountId, subject_grounds: null, ...values })
        .execute();
    switch (input.kind) {
      case 'portability':
        for (const category of categories) {
          const d = portabilityFor(category);
          await insert({
            kind: 'portability',
            category: d.category,
            outcome: d.outcome,
            ground: d.ground,
            reasoning: d.reasoning,
          });
        }
        break;
      case 'erasure': {
        const holds = await activeHolds(trx, organisation.id, row.subject_person_id);
        for (const category of categories) {
          const d = erasureFor(
            category,
            holds.filter((h) => h.category === null || h.category === category.slug),
          );
          await insert({
            kind: 'erasure',
            category: d.category,
            outcome: d.outcome,
            ground: d.ground,
            reasoning: d.reasoning,
          });
        }
        break;
      }
      case 'automated-decision-objection':
        await insert({
          kind: 'automated-decision-objection',
          category: null,
          outcome: 'no-automated-decisions',
          ground: 'Art 22 UK GDPR',
          reasoning: noAutomatedDecisions,
        });
        break;
      case 'objection-direct-marketing':
        await insertDirectMarketing(trx, staff, id, policy);
        await unsubscribe(
          context,
          trx,
          staff,
          organisation.id,
          id,
          input.subscriberIds ?? [],
          'Art 21(3) UK GDPR',
        );
        break;
      case 'objection-public-task': {
        const category = policy.categories.find((c) => c.slug === input.category);
        if (!category) {
          throw new ValidationError([
            { field: 'category', message: 'Select a category this organisation holds' },
          ]);
        }
        if (!objectionReaches(category)) {
          // Art 21(1) reaches Art 6(1)(e) and (f) only.
          await insert({
            kind: 'objection-public-task',
            category: category.slug,
            outcome: 'not-upheld',
            ground: 'Art 21(1) UK GDPR does not apply',
            reasoning: objectionNotReachingReasoning(category),
            subject_grounds: input.subjectGrounds,
          });
          break;
        }
        const compelling = input.compellingGrounds?.trim() ?? '';
        if (input.outcome === 'not-upheld' && compelling.length < 20) {
          throw new ValidationError([
            {
              field: 'compellingGrounds',
              message:
                'Write down the compelling legitimate grounds that override the person’s interests (at least 20 characters)',
            },
          ]);
        }
        await insert({
          kind: 'objection-public-task',
          category: category.slug,
          outcome: input.outcome,
          ground:
            input.outcome === 'not-upheld'
              ? 'Art 21(1) UK GDPR: compelling legitimate grounds'
              : null,
          reasoning:
            input.outcome === 'not-upheld'
              ? compelling
              : 'The objection is upheld: we will no longer process this information for that purpose.',
          subject_grounds: input.subjectGrounds,
        });
        if (input.outcome === 'upheld') {
          await stopProcessingFor(trx, staff, row, category.slug);
        }
        break;
      }
    }
    await recordRequestEvent(trx, staff, id, { kind: `decided-${input.kind}` });
  });
}

/**
 * Art 21(1): an upheld objection stops processing the subject's data for
 * that purpose. A restriction on the person, narrowed to the category,
 * makes each of their records of it storage-only, through the same access
 * decision every route already takes (Art 18(2)), and keeps new ones from
 * being opened for them (casework/service.ts). It needs to know who the
 * person is; a second upheld decision adds nothing.
 */
async function stopProcessingFor(
  trx: Transaction<Database>,
  staff: StaffContext,
  row: RequestRow,
  category: string,
): Promise<void> {
  const personId = row.subject_person_id;
  if (!personId) {
    throw new ValidationError([
      {
        field: 'outcome',
        message:
          'Confirm who the person is before upholding the objection: processing of their information stops when it is upheld',
      },
    ]);
  }
  if (await upheldObjectionFor(trx, personId, category)) return;
  const { id } = await trx
    .insertInto('restriction')
    .values({
      organisation_id: row.organisation_id,
      request_id: row.id,
      scope: 'person',
      person_id: personId,
      record_id: null,
      category,
      ground: 'objection-upheld',
      placed_by: staff.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordRequestEvent(trx, staff, row.id, { kind: 'restriction-placed' });
  await recordAudit(trx, {
    action: 'rights.restriction.place',
    actorAccountId: staff.accountId,
    organisationId: row.organisation_id,
    objectType: 'person',
    objectIds: [personId, id],
    purpose: RIGHTS_PURPOSE,
  });
}

export async function insertDirectMarketing(
  trx: Transaction<Database>,
  staff: StaffContext,
  id: string,
  policy: OrganisationPolicy,
) {
  const marketing = policy.categories.filter((c) => directMarketingCategories.includes(c.slug));
  for (const category of marketing.length ? marketing : [null]) {
    await trx
      .insertInto('rights_decision')
      .values({
        request_id: id,
        kind: 'objection-direct-marketing',
        category: category?.slug ?? null,
        outcome: 'upheld',
        ground: 'Art 21(3) UK GDPR',
        reasoning:
          'An objection to direct marketing is absolute: we stop using the information for ' +
          'marketing at once, with no balancing test (Art 21(2)–(3) UK GDPR).',
        subject_grounds: null,
        decided_by: staff.accountId,
      })
      .execute();
  }
}
