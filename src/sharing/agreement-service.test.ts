import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { childProtectionPlan, disclosureToLado } from '../../test/support/sharing.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { chainAndVerify } from '../../test/support/audit.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../platform/errors/errors.js';
import { SharingAgreements } from './agreement-service.js';
import type { AgreementTermsInput } from './schemas.js';
import { SharingService } from './service.js';

let database: DatabaseHandle;
let clock: Date;
let agreements: SharingAgreements;
let sharing: SharingService;
let casework: CaseworkService;
let ig: CaseworkStaff;
let worker: CaseworkStaff;
let lado: CaseworkStaff;
let dso: CaseworkStaff;

const now = () => clock;

beforeAll(async () => {
  database = await testDatabase();
  clock = new Date('2026-11-25T10:00:00Z');
  agreements = new SharingAgreements(database.db, { now });
  sharing = new SharingService(database.db, { now });
  casework = new CaseworkService(database.db, { now, today: () => '2026-11-25' });
  ig = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  lado = await caseworkStaff(database.db, 'kent-lado', ['lado-officer'], ['lado']);
  dso = await caseworkStaff(database.db, 'maidstone-bc', ['designated-safeguarding-officer']);
});
afterAll(async () => {
  await database?.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function fieldsRefused(promise: Promise<unknown>): Promise<string[]> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors.map((e) => e.field);
}

const terms = (extra: Partial<AgreementTermsInput> = {}): AgreementTermsInput => ({
  title: 'Synthetic allegations protocol',
  parties: ['kent-scs', 'kent-lado'],
  // Police are listed by the LADO service's notice, not Kent SCS's.
  externalRecipients: ['police'],
  purposes: ['allegation-management'],
  dataCategories: ['child-protection-plan', 'lado-allegation'],
  lawfulBases: ['6(1)(e)'],
  specialConditions: ['9(2)(g)'],
  reviewDate: '2027-11-01',
  ...extra,
});

describe('setting up an agreement', () => {
  it('checks every term against the parties’ privacy notices', async () => {
    // A category no party declares, or one never shared.
    expect(
      await fieldsRefused(
        agreements.create(ig.context, terms({ dataCategories: ['safeguarding-concern'] })),
      ),
    ).toContain('dataCategories');
    expect(
      await fieldsRefused(
        agreements.create(
          ig.context,
          terms({ dataCategories: ['newsletter-subscription'], parties: ['kent-scs', 'kscmp'] }),
        ),
      ),
    ).toContain('dataCategories');
    // A basis the notice does not give for a category covered.
    expect(
      await fieldsRefused(agreements.create(ig.context, terms({ lawfulBases: ['6(1)(a)'] }))),
    ).toEqual(['lawfulBases']);
    // Special category data without a condition the notice gives, or a condition it does not.
    expect(
      await fieldsRefused(agreements.create(ig.context, terms({ specialConditions: [] }))),
    ).toEqual(['specialConditions']);
    expect(
      await fieldsRefused(
        agreements.create(ig.context, terms({ specialConditions: ['9(2)(g)', '9(2)(a)'] })),
      ),
    ).toEqual(['specialConditions']);
    // A recipient no party's notice lists, or one only a non-party lists.
    expect(
      await fieldsRefused(
        agreements.create(ig.context, terms({ externalRecipients: ['newspaper'] })),
      ),
    ).toEqual(['externalRecipients']);
    expect(
      await fieldsRefused(
        agreements.create(
          ig.context,
          terms({ parties: ['kent-scs'], dataCategories: ['child-protection-plan'] }),
        ),
      ),
    ).toEqual(['externalRecipients']);
    // The lead must be a party; the review date must be ahead.
    expect(
      await fieldsRefused(agreements.create(ig.context, terms({ parties: ['kent-lado'] }))),
    ).toContain('parties');
    expect(
      await fieldsRefused(agreements.create(ig.context, terms({ reviewDate: '2026-11-24' }))),
    ).toEqual(['reviewDate']);
    expect(await fieldsRefused(agreements.create(ig.context, terms({ purposes: [] })))).toEqual([
      'purposes',
    ]);
    const count = await database.db
      .selectFrom('sharing_agreement')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('is for information governance or the DPO only; parties read it, others do not see it', async () => {
    expect(await rejection(agreements.create(worker.context, terms()))).toBeInstanceOf(
      ForbiddenError,
    );
    const id = await agreements.create(ig.context, terms());
    const seen = await agreements.get(lado.context, id);
    expect(seen.title).toBe('Synthetic allegations protocol');
    expect(seen.leadOrganisation).toBeTruthy();
    expect(seen.can.manage).toBe(false);
    expect(seen.specialConditions[0]?.schedule1.length).toBeGreaterThan(0);
    expect(
      await rejection(agreements.update(lado.context, id, { ...terms(), version: 1 })),
    ).toBeInstanceOf(ForbiddenError);
    expect(await rejection(agreements.get(dso.context, id))).toBeInstanceOf(NotFoundError);
    expect((await agreements.get(ig.context, id)).can.manage).toBe(true);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_ids'])
      .where('action', '=', 'sharing-agreement.create')
      .execute();
    expect(audit.map((a) => a.object_ids)).toEqual([[id]]);
  });
});

describe('changing an agreement', () => {
  it('refuses a stale version, keeps every version, and a disclosure shows the terms it relied on', async () => {
    const id = await agreements.create(ig.context, terms({ title: 'Versioned protocol' }));
    const recordId = await childProtectionPlan(database.db, casework, worker);
    const disclosureId = await sharing.create(
      worker.context,
      disclosureToLado(id, [{ recordId, kind: 'field', field: 'detail.categoryOfAbuse' }]),
    );

    const version = await agreements.update(ig.context, id, {
      ...terms({ title: 'Versioned protocol', purposes: ['safeguarding-child'] }),
      version: 1,
    });
    expect(version).toBe(2);
    // Someone who opened version 1 cannot overwrite version 2.
    expect(
      await rejection(
        agreements.update(ig.context, id, { ...terms({ title: 'Stale change' }), version: 1 }),
      ),
    ).toBeInstanceOf(ConflictError);
    const current = await agreements.get(ig.context, id);
    expect(current.title).toBe('Versioned protocol');
    expect(current.purposes.map((p) => p.slug)).toEqual(['safeguarding-child']);
    expect(current.versions.map((v) => [v.version, v.change])).toEqual([
      [2, 'edited'],
      [1, 'created'],
    ]);

    const disclosure = await sharing.disclosure(worker.context, disclosureId);
    expect(disclosure.agreementVersion).toBe(1);
    const relied = await agreements.get(worker.context, id, 1);
    expect(relied.purposes.map((p) => p.slug)).toEqual(['allegation-management']);
    expect(await rejection(agreements.get(worker.context, id, 9))).toBeInstanceOf(NotFoundError);

    // The new terms no longer cover allegation management.
    const refused = await rejection(
      sharing.create(
        worker.context,
        disclosureToLado(id, [{ recordId, kind: 'record', id: recordId }]),
      ),
    );
    expect((refused as ValidationError).fieldErrors.map((e) => e.field)).toEqual(['agreementId']);
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });

  it('shows review due, then past review (no longer relied on), until a review is recorded', async () => {
    const id = await agreements.create(
      ig.context,
      terms({ title: 'Reviewed protocol', reviewDate: '2027-01-10' }),
    );
    const status = async () => (await agreements.list(ig.context)).find((a) => a.id === id)?.status;
    expect(await status()).toBe('review-due');
    clock = new Date('2026-10-01T10:00:00Z');
    expect(await status()).toBe('in-force');
    clock = new Date('2027-01-11T10:00:00Z');
    expect(await status()).toBe('past-review');

    const recordId = await childProtectionPlan(database.db, casework, worker);
    const disclose = () =>
      sharing.create(
        worker.context,
        disclosureToLado(id, [{ recordId, kind: 'record', id: recordId }]),
      );
    expect(await rejection(disclose())).toBeInstanceOf(ValidationError);

    expect(
      await fieldsRefused(
        agreements.review(ig.context, id, {
          version: 1,
          reviewedOn: '2027-01-12',
          nextReviewDate: '2027-01-05',
        }),
      ),
    ).toEqual(['reviewedOn', 'nextReviewDate']);
    await agreements.review(ig.context, id, {
      version: 1,
      reviewedOn: '2027-01-11',
      nextReviewDate: '2028-01-11',
    });
    const reviewed = await agreements.get(ig.context, id);
    expect(reviewed.status).toBe('in-force');
    expect(reviewed.lastReviewedOn).toBe('2027-01-11');
    expect(reviewed.lastReviewedBy).toBeTruthy();
    expect(reviewed.versions[0]?.change).toBe('reviewed');
    expect(await disclose()).toMatch(/^[0-9a-f-]{36}$/);
    clock = new Date('2026-11-25T10:00:00Z');
  });

  it('an ended agreement cannot be relied on or changed', async () => {
    const id = await agreements.create(ig.context, terms({ title: 'Ending protocol' }));
    expect(
      await fieldsRefused(agreements.end(ig.context, id, { version: 1, reason: 'short' })),
    ).toEqual(['reason']);
    await agreements.end(ig.context, id, {
      version: 1,
      reason: 'Replaced by the county-wide protocol',
    });
    const ended = await agreements.get(ig.context, id);
    expect(ended.status).toBe('ended');
    expect(ended.endReason).toBe('Replaced by the county-wide protocol');
    expect(ended.can.manage).toBe(false);
    expect(
      await rejection(agreements.update(ig.context, id, { ...terms(), version: 2 })),
    ).toBeInstanceOf(ConflictError);
    expect((await sharing.agreements(worker.context)).map((a) => a.id)).not.toContain(id);
  });
});

describe('ending an agreement', () => {
  it('revokes every grant still in force under any of its versions, in the same change, audited', async () => {
    const id = await agreements.create(ig.context, terms({ title: 'Revoking protocol' }));
    const recordId = await childProtectionPlan(database.db, casework, worker);
    const share = () =>
      sharing.create(
        worker.context,
        disclosureToLado(id, [{ recordId, kind: 'record', id: recordId }]),
      );
    const underFirst = await share();
    const alreadyRevoked = await share();
    await sharing.revoke(worker.context, alreadyRevoked);
    const version = await agreements.update(ig.context, id, {
      ...terms({ title: 'Revoking protocol' }),
      version: 1,
    });
    const underSecond = await share();
    // Ending another agreement leaves this one's grants alone.
    const other = await agreements.create(ig.context, terms({ title: 'Unrelated protocol' }));
    const underOther = await sharing.create(
      worker.context,
      disclosureToLado(other, [{ recordId, kind: 'record', id: recordId }]),
    );

    await agreements.end(ig.context, other, { version: 1, reason: 'Ended to check it alone' });
    expect(await agreements.grantsInForce(ig.context, id)).toBe(2);
    // Still readable through the grant under the first agreement.
    expect((await casework.open(lado.context, recordId)).id).toBe(recordId);
    await agreements.end(ig.context, id, {
      version,
      reason: 'Replaced by the county-wide protocol',
    });
    expect(await agreements.grantsInForce(ig.context, id)).toBe(0);

    const status = async (disclosureId: string) =>
      (await sharing.disclosure(worker.context, disclosureId)).status;
    expect(await status(underFirst)).toBe('revoked');
    expect(await status(underSecond)).toBe('revoked');
    expect(await status(underOther)).toBe('revoked');
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(NotFoundError);
    const events = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_ids'])
      .where('action', '=', 'disclosure.revoke')
      .execute();
    for (const disclosureId of [underFirst, underSecond]) {
      expect(events.filter((e) => e.object_ids.includes(disclosureId)).length).toBe(2);
    }
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });
});
