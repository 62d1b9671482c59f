import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { sarFixture, type SarFixture } from '../../test/support/rights.js';
import type { DatabaseHandle } from '../db/connection.js';
import { RightsService } from './service.js';

/**
 * Issue 13 item 9: a reviewer redacts or withholds what must not go, then
 * discloses the rest at once — each item checked and audited as if decided
 * alone; items with redactions keep their decision-in-progress.
 */
let handle: DatabaseHandle;
let rights: RightsService;
let ig: CaseworkStaff;
let fixture: SarFixture;

beforeAll(async () => {
  handle = await testDatabase();
  rights = new RightsService(handle.db, () => '2025-10-20');
  ig = await caseworkStaff(handle.db, 'kent-scs', ['information-governance']);
  const practitioner = await caseworkStaff(handle.db, 'kent-scs', ['practitioner']);
  fixture = await sarFixture(handle.db, { authorAccountId: practitioner.accountId });
});
afterAll(async () => {
  await handle?.close();
});

describe('disclosing every item still needing a decision', () => {
  it('discloses the undecided items, leaves redacted and decided ones, and audits each', async () => {
    const id = await rights.create(ig.context, {
      type: 'access',
      receivedOn: '2025-10-01',
      channel: 'email',
      description: 'Everything you hold about me.',
      requesterRole: 'self',
      requesterName: 'Rowan Fairweather',
      requesterContact: 'rowan@example.test',
      identityCheck: 'photo-id-seen',
      subject: { givenName: 'Rowan', familyName: 'Fairweather' },
    });
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.confirmSubject(ig.context, id, fixture.childId);
    await rights.review.prepare(ig.context, id);
    const before = await rights.review.review(ig.context, id);
    expect(before.items.length).toBeGreaterThan(2);
    const [withheld, redacted] = before.items.filter((i) => i.kind === 'note');
    await rights.review.decide(ig.context, id, withheld!.id, {
      decision: 'withhold',
      ground: 'sch2-para16-third-party',
    });
    await rights.review.redact(ig.context, id, redacted!.id, {
      start: 0,
      end: 3,
      ground: 'sch2-para16-third-party',
      thirdParty: 'family-member',
    });

    const result = await rights.review.discloseUndecided(ig.context, id);
    expect(result).toEqual({ disclosed: before.items.length - 2, left: 0 });
    const after = await rights.review.review(ig.context, id);
    const decision = (itemId: string) => after.items.find((i) => i.id === itemId)?.decision;
    expect(decision(withheld!.id)).toBe('withhold');
    expect(decision(redacted!.id)).toBe('redact');
    expect(after.items.filter((i) => i.decision === 'disclose')).toHaveLength(result.disclosed);
    const audited = await handle.db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_account_id', '=', ig.accountId)
      .where('action', '=', 'rights.review.disclose')
      .execute();
    expect(audited).toHaveLength(result.disclosed);

    // Nothing left to disclose: the same call changes nothing.
    expect(await rights.review.discloseUndecided(ig.context, id)).toEqual({
      disclosed: 0,
      left: 0,
    });
  });
});
