import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  createPerson,
  team,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { recordWith } from '../../test/support/people.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { searchSchema } from '../people/schemas.js';
import { PeopleService } from '../people/service.js';
import { OBJECTION_UPHELD_MESSAGE, RESTRICTED_MESSAGE } from './restriction.js';
import { RightsService, type NewRequest } from './service.js';

/**
 * Issue 12 item 4: "When an objection under Art 21 is upheld, processing
 * for that purpose must stop … visibly and enforced." Wren, a synthetic
 * young person, objects to the child in need work Kent SCS holds on them;
 * the objection is upheld. Their child in need record may then only be
 * stored, no new one is opened for them, and their looked-after record —
 * another purpose — carries on.
 */

const TODAY = '2025-11-03';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let casework: CaseworkService;
let people: PeopleService;
let ig: CaseworkStaff;
let practitioner: CaseworkStaff;
let wren: string;
let childInNeed: string;
let lookedAfter: string;

function objection(over: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'objection-public-task',
    receivedOn: '2025-10-20',
    channel: 'letter',
    description: 'I object to the council keeping child in need records about me.',
    requesterRole: 'self',
    requesterName: 'Wren Abernethy',
    requesterContact: '1 Synthetic Row, Testford',
    identityCheck: 'photo-id-seen',
    categories: ['child-in-need'],
    subject: { givenName: 'Wren', familyName: 'Abernethy', dateOfBirth: '2008-05-05' },
    ...over,
  };
}

const decision = {
  kind: 'objection-public-task' as const,
  category: 'child-in-need',
  subjectGrounds: 'I am nearly an adult and no longer receive any support',
  outcome: 'upheld' as const,
};

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  rights = new RightsService(db, () => TODAY);
  casework = new CaseworkService(db, { today: () => TODAY });
  people = new PeopleService(db);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['objection-team']);
  const allocated = await team(db, 'kent-scs', 'objection-team');
  wren = await createPerson(db, 'kent-scs', {
    givenName: 'Wren',
    familyName: 'Abernethy',
    dateOfBirth: '2008-05-05',
  });
  childInNeed = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [wren],
    allocatedTeamId: allocated.id,
  });
  lookedAfter = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'looked-after',
    personIds: [wren],
    allocatedTeamId: allocated.id,
  });
});

afterAll(async () => {
  await handle.close();
});

describe('an upheld objection to processing for a public task', () => {
  it('cannot be upheld before the person is known, and changes nothing then', async () => {
    const id = await rights.create(ig.context, objection());
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await expect(rights.decide(ig.context, id, decision)).rejects.toMatchObject({
      fieldErrors: [
        { field: 'outcome', message: expect.stringMatching(/Confirm who the person is/) },
      ],
    });
    const { decisions, restrictions } = await rights.get(ig.context, id);
    expect(decisions).toEqual([]);
    expect(restrictions).toEqual([]);
    await expect(casework.open(practitioner.context, childInNeed)).resolves.toBeDefined();
  });

  it('stops the purpose it was upheld for, and only that purpose', async () => {
    const id = await rights.create(ig.context, objection());
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.confirmSubject(ig.context, id, wren);
    await rights.decide(ig.context, id, decision);

    // Visible on the request, in words.
    const { restrictions } = await rights.get(ig.context, id);
    expect(restrictions).toEqual([
      expect.objectContaining({
        ground: 'objection-upheld',
        category: 'child-in-need',
        person_given_name: 'Wren',
        lifted_at: null,
      }),
    ]);

    // Enforced: the child in need record may only be stored.
    await expect(casework.open(practitioner.context, childInNeed)).rejects.toMatchObject({
      message: RESTRICTED_MESSAGE,
    });
    // The looked-after record is another purpose, and Wren is still findable.
    await expect(casework.open(practitioner.context, lookedAfter)).resolves.toBeDefined();
    const found = await people.search(ig.context, searchSchema.parse({ name: 'Wren Abernethy' }));
    expect(found.map((h) => h.id)).toContain(wren);

    // No new child in need record is opened for Wren, nor are they added to one.
    await expect(
      casework.create(practitioner.context, {
        category: 'child-in-need',
        subjectPersonId: wren,
        openedOn: TODAY,
      }),
    ).rejects.toMatchObject({
      fieldErrors: [{ field: 'subjectPersonId', message: OBJECTION_UPHELD_MESSAGE }],
    });
    const sibling = await createPerson(db, 'kent-scs', { givenName: 'Linnet' });
    const otherRecord = await casework.create(practitioner.context, {
      category: 'child-in-need',
      subjectPersonId: sibling,
      openedOn: TODAY,
      allocatedTeamId: practitioner.context.teams[0]?.id ?? null,
    });
    await expect(
      casework.addParty(practitioner.context, otherRecord, { personId: wren, role: 'sibling' }),
    ).rejects.toMatchObject({
      fieldErrors: [{ field: 'personId', message: OBJECTION_UPHELD_MESSAGE }],
    });
    // A looked-after record can still be opened for them.
    await expect(
      casework.create(practitioner.context, {
        category: 'looked-after',
        subjectPersonId: wren,
        openedOn: TODAY,
      }),
    ).resolves.toEqual(expect.any(String));

    // Upholding it again places nothing more.
    await rights.decide(ig.context, id, decision);
    expect((await rights.get(ig.context, id)).restrictions).toHaveLength(1);
  });

  it('a not-upheld objection stops nothing', async () => {
    const person = await createPerson(db, 'kent-scs', { givenName: 'Corin' });
    const record = await recordWith(db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [person],
      allocatedTeamId: practitioner.context.teams[0]?.id ?? null,
    });
    const id = await rights.create(ig.context, objection());
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.confirmSubject(ig.context, id, person);
    await rights.decide(ig.context, id, {
      ...decision,
      outcome: 'not-upheld',
      compellingGrounds: 'The child is still at risk and the record is needed to safeguard them',
    });
    expect((await rights.get(ig.context, id)).restrictions).toEqual([]);
    await expect(casework.open(practitioner.context, record)).resolves.toBeDefined();
  });

  it('the database refuses an upheld objection that names no purpose', async () => {
    const orgId = ig.context.organisation?.id ?? '';
    await expect(
      db
        .insertInto('restriction')
        .values({
          organisation_id: orgId,
          request_id: null,
          scope: 'person',
          person_id: wren,
          record_id: null,
          category: null,
          ground: 'objection-upheld',
          placed_by: ig.accountId,
        })
        .execute(),
    ).rejects.toThrow();
  });
});
