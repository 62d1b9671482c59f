import type { Kysely } from 'kysely';
import type { CaseworkService } from '../../src/casework/service.js';
import type { Database } from '../../src/db/schema.js';
import type { DisclosureInput } from '../../src/sharing/schemas.js';
import { createPerson, type CaseworkStaff } from './casework.js';

/**
 * A child protection plan for a new synthetic Kent child, opened by `worker`:
 * the record most sharing tests share.
 */
export async function childProtectionPlan(
  db: Kysely<Database>,
  casework: CaseworkService,
  worker: CaseworkStaff,
): Promise<string> {
  return casework.create(worker.context, {
    category: 'child-protection-plan',
    subjectPersonId: await createPerson(db, 'kent-scs'),
    openedOn: '2025-01-10',
    detail: { categoryOfAbuse: 'neglect' },
  });
}

/**
 * A disclosure from Kent children's services to the Kent LADO service for
 * allegation management under `agreementId`, without consent because asking
 * would put the child at risk: the terms most sharing tests rely on.
 * `extra` overrides any of them.
 */
export function disclosureToLado(
  agreementId: string,
  items: DisclosureInput['items'],
  extra: Partial<DisclosureInput> = {},
): DisclosureInput {
  return {
    items,
    recipientId: 'kcc-teams',
    recipientName: 'Kent LADO duty officer',
    recipientOrganisation: 'kent-lado',
    purpose: 'allegation-management',
    agreementId,
    lawfulBasis: '6(1)(e)',
    specialCondition: '9(2)(g)',
    consent: 'not-sought',
    consentReason: 'risk-to-child',
    ...extra,
  };
}
