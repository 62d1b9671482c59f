import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, team, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { sarFixture, type SarFixture } from '../../test/support/rights.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { searchSchema } from '../people/schemas.js';
import { PeopleService } from '../people/service.js';
import { decideRecord } from '../platform/access/access.js';
import { ConflictError } from '../platform/errors/errors.js';
import { RetentionService } from '../retention/service.js';
import { recordDisposal } from '../services.js';
import { RESTRICTED_MESSAGE } from './restriction.js';
import { RightsService, type NewRequest } from './service.js';

/**
 * Issue 5: "restriction — the data may only be stored; every other
 * processing path refuses it (enforced by the access function, not by a
 * banner)". Two synthetic children: Tamsin, restricted as a person, and
 * Ottoline, one of whose records is restricted. Each processing path is
 * first shown to work, then to refuse (or, for storage, to keep).
 */

const TODAY = '2025-10-20';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let casework: CaseworkService;
let people: PeopleService;
let ig: CaseworkStaff;
let practitioner: CaseworkStaff;
let outsider: CaseworkStaff;
let tamsin: SarFixture;
let ottoline: SarFixture;
let restrictionRequest: string;
let personRestriction: string;
let recordRestriction: string;
/** An access request prepared before the restrictions were placed. */
let preparedEarlier: string;

function request(over: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'access',
    receivedOn: '2025-10-01',
    channel: 'email',
    description: 'Everything you hold.',
    requesterRole: 'parent',
    requesterName: 'Synthetic Parent',
    requesterContact: 'parent@example.test',
    identityCheck: 'photo-id-seen',
    authorityEvidence: 'birth-certificate',
    subject: { givenName: 'Tamsin', familyName: 'Pellowe', dateOfBirth: '2013-04-04' },
    ...over,
  };
}

async function accessRequest(over: Partial<NewRequest>, subjectId: string) {
  const id = await rights.create(ig.context, request(over));
  await rights.transition(ig.context, id, { to: 'in-progress' });
  await rights.review.discover(ig.context, id);
  await rights.confirmSubject(ig.context, id, subjectId);
  return id;
}

const bundleRecordIds = (id: string) =>
  db
    .transaction()
    .execute((trx) => rights.review.bundleItems(trx, id))
    .then(({ items }) => [...new Set(items.map((i) => i.record_id))]);

const restricted = expect.objectContaining({ message: RESTRICTED_MESSAGE });

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  rights = new RightsService(db, () => TODAY);
  casework = new CaseworkService(db, { today: () => TODAY });
  people = new PeopleService(db);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['restriction-team']);
  outsider = await caseworkStaff(db, 'kent-scs', ['practitioner']);
  tamsin = await sarFixture(db, {
    authorAccountId: practitioner.accountId,
    givenName: 'Tamsin',
    familyName: 'Pellowe',
    dateOfBirth: '2013-04-04',
  });
  // The fixture's identifiers are unique in an organisation: Tamsin's are moved aside.
  await db
    .updateTable('person_identifier')
    .set({ value: sql`value || '-T'` })
    .where('person_id', '=', tamsin.childId)
    .execute();
  ottoline = await sarFixture(db, {
    authorAccountId: practitioner.accountId,
    givenName: 'Ottoline',
    familyName: 'Tregear',
    dateOfBirth: '2012-09-09',
  });
  // The practitioner's team holds every record of both families.
  const allocatedTeam = await team(db, 'kent-scs', 'restriction-team');
  await db
    .updateTable('case_record')
    .set({ allocated_team_id: allocatedTeam.id })
    .where('organisation_id', '=', ig.context.organisation?.id ?? '')
    .execute();
  preparedEarlier = await accessRequest(
    { subject: { givenName: 'Ottoline', familyName: 'Tregear' } },
    ottoline.childId,
  );
  await rights.review.prepare(ig.context, preparedEarlier);
  expect(await bundleRecordIds(preparedEarlier)).toContain(ottoline.recordId);
});

afterAll(async () => {
  await handle.close();
});

describe('before any restriction, every path processes the data', () => {
  it('opens, lists, finds and charts both children', async () => {
    await expect(casework.open(practitioner.context, tamsin.recordId)).resolves.toBeDefined();
    await expect(casework.open(practitioner.context, ottoline.recordId)).resolves.toBeDefined();
    const found = await people.search(ig.context, searchSchema.parse({ name: 'Tamsin Pellowe' }));
    expect(found.map((h) => h.id)).toContain(tamsin.childId);
    await expect(people.get(ig.context, tamsin.childId)).resolves.toBeDefined();
    const chart = await casework.chronology(practitioner.context, ottoline.childId);
    expect(chart.entries.some((e) => e.recordId === ottoline.recordId)).toBe(true);
  });
});

describe('while restricted', () => {
  beforeAll(async () => {
    restrictionRequest = await rights.create(
      ig.context,
      request({ type: 'restriction', requesterRole: 'self' }),
    );
    personRestriction = await rights.restrict(ig.context, restrictionRequest, {
      scope: 'person',
      targetId: tamsin.childId,
      ground: 'accuracy-contested',
    });
    recordRestriction = await rights.restrict(ig.context, restrictionRequest, {
      scope: 'record',
      targetId: ottoline.recordId,
      ground: 'needed-for-legal-claims',
    });
  });

  it('the access function refuses every action, saying why only to those who could act', () => {
    const scope = {
      organisationId: ig.context.organisation?.id ?? '',
      category: 'child-in-need' as const,
      allocatedAccountId: null,
      allocatedTeamId: practitioner.context.teams[0]?.id ?? null,
      restricted: false,
      state: 'active' as const,
    };
    for (const action of ['read', 'write', 'search'] as const) {
      expect(decideRecord(practitioner.context, action, scope).allowed).toBe(true);
      expect(decideRecord(practitioner.context, action, { ...scope, restricted: true })).toEqual({
        allowed: false,
        breakGlassPossible: false,
        restricted: true,
      });
    }
    // Beyond allocation the practitioner could break glass: not into a restricted record.
    const other = { ...scope, allocatedTeamId: null };
    expect(decideRecord(outsider.context, 'read', other).allowed).toBe(false);
    expect(decideRecord(outsider.context, 'read', { ...other, restricted: true })).toEqual({
      allowed: false,
      breakGlassPossible: false,
      restricted: true,
    });
    expect(
      decideRecord(outsider.context, 'read', { ...other, restricted: true }, { breakGlass: true })
        .allowed,
    ).toBe(false);
    // Someone with no access at all learns nothing, not even the restriction.
    const lado = { ...scope, category: 'lado-allegation' as const };
    expect(decideRecord(practitioner.context, 'read', { ...lado, restricted: true })).toEqual({
      allowed: false,
      breakGlassPossible: false,
    });
  });

  it('casework refuses to open, export, change or add to a restricted record', async () => {
    for (const recordId of [tamsin.recordId, ottoline.recordId]) {
      await expect(casework.open(practitioner.context, recordId)).rejects.toThrow(ConflictError);
      await expect(casework.open(ig.context, recordId)).rejects.toEqual(restricted);
      await expect(casework.history(practitioner.context, recordId)).rejects.toEqual(restricted);
      await expect(
        casework.addNote(practitioner.context, recordId, {
          occurredOn: '2025-10-01',
          kind: 'visit',
          text: 'A synthetic note that must not be added.',
        }),
      ).rejects.toEqual(restricted);
    }
    const denied = await db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('outcome', '=', 'denied')
      .where('action', '=', 'record.read')
      .execute();
    expect(denied.flatMap((d) => d.object_ids)).toContain(ottoline.recordId);
  });

  it('the records list shows that a restricted record exists, not whom it is about', async () => {
    const list = await casework.list(practitioner.context);
    const row = list.records.find((r) => r.id === ottoline.recordId);
    expect(row).toMatchObject({ restricted: true, subject: null });
    const open = list.records.find(
      (r) => r.subject?.id === ottoline.siblingId && r.id !== ottoline.recordId,
    );
    expect(open?.restricted).toBe(false);
  });

  it('the chronology leaves a restricted record out and refuses a restricted person', async () => {
    const chart = await casework.chronology(practitioner.context, ottoline.childId);
    expect(chart.entries.some((e) => e.recordId === ottoline.recordId)).toBe(false);
    expect(chart.restrictedRecords.map((r) => r.recordId)).toEqual([ottoline.recordId]);
    await expect(casework.chronology(practitioner.context, tamsin.childId)).rejects.toEqual(
      restricted,
    );
  });

  it('people search, lists and the person page neither show nor change a restricted person', async () => {
    const found = await people.search(ig.context, searchSchema.parse({ name: 'Tamsin Pellowe' }));
    expect(found.map((h) => h.id)).not.toContain(tamsin.childId);
    const byBirth = await people.search(
      ig.context,
      searchSchema.parse({ dateOfBirth: '2013-04-04' }),
    );
    expect(byBirth.map((h) => h.id)).not.toContain(tamsin.childId);
    const listed = await people.list(ig.context, 1);
    expect(listed.people.map((p) => p.id)).not.toContain(tamsin.childId);
    await expect(people.get(ig.context, tamsin.childId)).rejects.toEqual(restricted);
    await expect(people.sensitive(ig.context, tamsin.childId)).rejects.toEqual(restricted);
    // Her mother is not restricted.
    await expect(people.get(ig.context, tamsin.motherId)).resolves.toBeDefined();
  });

  it('the retention sweep keeps restricted records and reports them as held', async () => {
    const sibling = await db
      .selectFrom('record_party')
      .select('record_id')
      .where('person_id', '=', ottoline.siblingId)
      .where('role', '=', 'subject')
      .executeTakeFirstOrThrow();
    const due = [tamsin.recordId, ottoline.recordId, sibling.record_id];
    await db
      .updateTable('case_record')
      .set({
        retention_status: 'scheduled',
        retention_action: 'destroy',
        retention_due: '2020-01-01',
        retention_needs_review: false,
      })
      .where('id', 'in', due)
      .execute();
    const retention = new RetentionService(db, recordDisposal());
    const dashboard = await retention.dashboard(ig.context, TODAY);
    expect(dashboard.held).toBeGreaterThanOrEqual(2);
    const report = await retention.sweep({ asOf: TODAY, dryRun: false });
    expect(report.disposed).toBe(1);
    const left = await db.selectFrom('case_record').select('id').where('id', 'in', due).execute();
    expect(left.map((r) => r.id).sort()).toEqual([tamsin.recordId, ottoline.recordId].sort());
    const person = await db
      .selectFrom('person')
      .select('id')
      .where('id', '=', tamsin.childId)
      .executeTakeFirst();
    expect(person?.id).toBe(tamsin.childId);
  });

  it('another request’s discovery and bundle leave restricted data out', async () => {
    // A parent asks about Tamsin: she is found (so the answer is not "nothing
    // held") but flagged, and none of her records is listed or gathered.
    const parent = await rights.create(ig.context, request());
    await rights.transition(ig.context, parent, { to: 'in-progress' });
    const result = await rights.review.discover(ig.context, parent);
    const candidate = result.candidates.find((c) => c.personId === tamsin.childId);
    expect(candidate).toMatchObject({ restricted: true, records: [] });
    await rights.confirmSubject(ig.context, parent, tamsin.childId);
    await rights.review.prepare(ig.context, parent);
    expect(await bundleRecordIds(parent)).toEqual([]);

    // Ottoline's restricted record is gone from a bundle prepared before the restriction.
    const earlier = await bundleRecordIds(preparedEarlier);
    expect(earlier).not.toContain(ottoline.recordId);
    const review = await rights.review.review(ig.context, preparedEarlier);
    const hidden = review.items.filter((i) => i.record_id === ottoline.recordId);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((i) => i.restricted && i.body === '')).toBe(true);
  });

  it('the subject asking for their own data still gets it (Art 18(2): with their consent)', async () => {
    const own = await accessRequest({ requesterRole: 'self' }, tamsin.childId);
    await rights.review.prepare(ig.context, own);
    expect(await bundleRecordIds(own)).toContain(tamsin.recordId);
  });
});

describe('once lifted', () => {
  it('every path processes the data again', async () => {
    for (const id of [personRestriction, recordRestriction]) {
      await rights.restrictionTold(ig.context, id, '2025-10-15');
      await rights.liftRestriction(ig.context, id, 'Accuracy checked and the record corrected');
    }
    await expect(casework.open(practitioner.context, tamsin.recordId)).resolves.toBeDefined();
    await expect(people.get(ig.context, tamsin.childId)).resolves.toBeDefined();
    expect(await bundleRecordIds(preparedEarlier)).toContain(ottoline.recordId);
  });
});
