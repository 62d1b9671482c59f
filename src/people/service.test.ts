import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { peopleStaff, recordWith, type PeopleTestStaff } from '../../test/support/people.js';
import type { DatabaseHandle } from '../db/connection.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { syntheticNhsNumber, syntheticUpn } from './identifiers.js';
import { createPersonSchema, identifierSchema, searchSchema } from './schemas.js';
import { PeopleService } from './service.js';

let database: DatabaseHandle;
let people: PeopleService;
let worker: PeopleTestStaff; // kent-scs practitioner, assessment team
let colleague: PeopleTestStaff; // kent-scs practitioner, other team
let governance: PeopleTestStaff; // kent-scs information governance
let dso: PeopleTestStaff; // maidstone designated safeguarding officer

const person = (fields: Record<string, unknown>) =>
  createPersonSchema.parse({ confirmedNotDuplicate: true, ...fields });

beforeAll(async () => {
  database = await testDatabase();
  people = new PeopleService(database.db);
  worker = await peopleStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  colleague = await peopleStaff(database.db, 'kent-scs', ['practitioner'], ['children-in-care']);
  governance = await peopleStaff(database.db, 'kent-scs', ['information-governance']);
  dso = await peopleStaff(database.db, 'maidstone-bc', ['designated-safeguarding-officer']);
});
afterAll(() => database.close());

async function auditEvents(accountId: string, action: string) {
  return database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('actor_account_id', '=', accountId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

describe('identifiers', () => {
  it('refuses an invalid NHS number or UPN with the reason, before anything is saved', () => {
    const nhs = createPersonSchema.safeParse({
      givenName: 'Ava',
      familyName: 'Test',
      nhsNumber: '943 476 5918',
    });
    expect(nhs.success).toBe(false);
    expect(nhs.error?.issues[0]).toMatchObject({
      path: ['nhsNumber'],
      message:
        'The NHS number check digit (the last digit) should be 9, not 8: check for a mistyped or swapped digit',
    });
    const upn = identifierSchema.safeParse({ type: 'upn', value: 'C801200005001' });
    expect(upn.error?.issues[0]?.message).toMatch(/check letter .* should be B, not C/);
    const port = identifierSchema.safeParse({ type: 'port-reference', value: 'ABCDEFG' });
    expect(port.error?.issues[0]?.message).toBe(
      'A port reference contains at least one number; "ABCDEFG" has none',
    );
  });

  it('keeps an identifier to one person per organisation, and says so', async () => {
    const nhsNumber = syntheticNhsNumber(5000);
    const first = await people.create(
      worker.context,
      person({ givenName: 'Ivy', familyName: 'Holder', nhsNumber }),
    );
    const second = await people.create(
      worker.context,
      person({ givenName: 'Ivan', familyName: 'Other' }),
    );
    const refused = people.addIdentifier(worker.context, second, {
      type: 'nhs-number',
      value: nhsNumber,
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toThrow(
      /NHS number 999 \d{3} \d{4} is already recorded for another person/,
    );
    const detail = await people.get(worker.context, second);
    expect(detail.identifiers).toEqual([]);
    // The same number may be held by another organisation: each is its own controller.
    const elsewhere = await people.create(
      dso.context,
      person({ givenName: 'Ivy', familyName: 'Holder', nhsNumber }),
    );
    expect(elsewhere).not.toBe(first);
  });
});

describe('search', () => {
  let john: string;
  let hiddenAdoption: string;
  let allocatedElsewhere: string;
  let concernLogOnly: string;

  beforeAll(async () => {
    john = await people.create(
      worker.context,
      person({
        givenName: 'John',
        familyName: 'Smith',
        dateOfBirth: '2015-03-27',
        upn: syntheticUpn(77),
      }),
    );
    await people.addName(worker.context, john, {
      kind: 'alias',
      givenName: 'Jack',
      familyName: 'Blackwood',
      fromDate: null,
      toDate: null,
    });
    await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [john],
      allocatedTeamId: worker.context.teams[0]!.id,
    });
    // Only in an adoption record: sealed to the adoption team.
    hiddenAdoption = await people.create(
      worker.context,
      person({ givenName: 'Johnny', familyName: 'Smithe', dateOfBirth: '2015-03-27' }),
    );
    await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'adoption',
      personIds: [hiddenAdoption],
    });
    // Only in a child-in-need record allocated to another team.
    allocatedElsewhere = await people.create(
      worker.context,
      person({ givenName: 'Jon', familyName: 'Smithson', dateOfBirth: '2015-03-27' }),
    );
    await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [allocatedElsewhere],
      allocatedTeamId: colleague.context.teams[0]!.id,
    });
    // Only in Maidstone's concern log.
    concernLogOnly = await people.create(
      dso.context,
      person({ givenName: 'John', familyName: 'Smith', dateOfBirth: '2015-03-27' }),
    );
    await recordWith(database.db, {
      organisation: 'maidstone-bc',
      category: 'safeguarding-concern',
      personIds: [concernLogOnly],
    });
  });

  const search = (staff: PeopleTestStaff, query: Record<string, string>) =>
    people.search(staff.context, searchSchema.parse(query));

  it('finds "John Smith" from "Jon Smyth", and by an alias', async () => {
    const hits = await search(worker, { name: 'Jon Smyth' });
    expect(hits.map((h) => h.id)).toContain(john);
    expect(hits[0]?.id).toBe(john);
    const byAlias = await search(worker, { name: 'Jak Blackwod' });
    expect(byAlias[0]).toMatchObject({
      id: john,
      matchedName: { kind: 'alias', givenName: 'Jack', familyName: 'Blackwood' },
    });
    expect((await search(worker, { name: 'Smyth' })).map((h) => h.id)).toContain(john);
  });

  it('finds by date of birth, NHS number and UPN', async () => {
    expect((await search(worker, { dateOfBirth: '2015-03-27' })).map((h) => h.id)).toEqual([john]);
    expect(
      (await search(worker, { upn: syntheticUpn(77).toLowerCase() })).map((h) => h.id),
    ).toEqual([john]);
    expect(await search(worker, { name: 'John Smith', dateOfBirth: '2016-03-27' })).toEqual([]);
    const nhs = await search(worker, { nhsNumber: syntheticNhsNumber(5000) });
    expect(nhs).toHaveLength(1);
  });

  it('never finds a person who is only in records the searcher may not see', async () => {
    const found = (await search(worker, { name: 'John Smith' })).map((h) => h.id);
    expect(found).not.toContain(hiddenAdoption);
    expect(found).not.toContain(allocatedElsewhere);
    expect(found).not.toContain(concernLogOnly);
    // Nor counts them: the list total is the visible people only.
    const list = await people.list(worker.context, 1);
    expect(list.people.map((p) => p.id)).not.toContain(hiddenAdoption);
    expect(list.total).toBe(list.people.length);
    expect(list.people.map((p) => p.id)).not.toContain(allocatedElsewhere);
    // A hidden person answers "not found", never "forbidden".
    await expect(people.get(worker.context, hiddenAdoption)).rejects.toBeInstanceOf(NotFoundError);
    await expect(people.get(worker.context, concernLogOnly)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets each see what their role reaches', async () => {
    expect((await search(colleague, { name: 'Jon Smithson' })).map((h) => h.id)).toContain(
      allocatedElsewhere,
    );
    // Governance may search every allocation, but adoption stays with the adoption team.
    const all = (await search(governance, { name: 'John Smith' })).map((h) => h.id);
    expect(all).toEqual(expect.arrayContaining([john, allocatedElsewhere]));
    expect(all).not.toContain(hiddenAdoption);
    expect(all).not.toContain(concernLogOnly);
    expect((await search(dso, { name: 'John Smith' })).map((h) => h.id)).toEqual([concernLogOnly]);
  });

  it('audits the people shown, never the search terms', async () => {
    const before = (await auditEvents(worker.accountId, 'person.search')).length;
    const hits = await search(worker, { name: 'Jon Smyth' });
    const events = await auditEvents(worker.accountId, 'person.search');
    expect(events).toHaveLength(before + 1);
    const event = events.at(-1)!;
    expect(event.object_ids).toEqual(hits.map((h) => h.id));
    expect(JSON.stringify(event)).not.toMatch(/smyth|smith/i);
  });

  it('refuses people search to a role that does not work with people', async () => {
    const officer = await peopleStaff(database.db, 'maidstone-bc', ['practitioner']);
    await expect(search(officer, { name: 'John Smith' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('suggests likely existing matches before a person is added', async () => {
    const matches = await people.likelyMatches(worker.context, {
      givenName: 'Jon',
      familyName: 'Smyth',
      dateOfBirth: '2015-03-27',
    });
    expect(matches[0]).toMatchObject({ id: john });
    expect(matches[0]?.reasons).toEqual(['Similar name', 'Same date of birth']);
    expect(matches.map((m) => m.id)).not.toContain(hiddenAdoption);
    // A similar name born years apart is not suggested.
    const far = await people.likelyMatches(worker.context, {
      givenName: 'John',
      familyName: 'Smith',
      dateOfBirth: '1960-01-01',
    });
    expect(far.map((m) => m.id)).not.toContain(john);
    const byUpn = await people.likelyMatches(worker.context, {
      givenName: 'Someone',
      familyName: 'Different',
      dateOfBirth: null,
      upn: syntheticUpn(77),
    });
    expect(byUpn[0]).toMatchObject({ id: john, reasons: ['Same unique pupil number'] });
    expect((await auditEvents(worker.accountId, 'person.duplicate-check')).length).toBe(3);
  });
});

describe('editing', () => {
  it('refuses an edit made on a stale version and overwrites nothing', async () => {
    const id = await people.create(
      worker.context,
      person({ givenName: 'Lena', familyName: 'Locke', dateOfBirth: '2012-05-01' }),
    );
    const opened = await people.get(worker.context, id);
    const fields = {
      givenName: 'Lena',
      familyName: 'Locke',
      dateOfBirth: '2012-05-01',
      dateOfBirthPrecision: 'exact' as const,
      dateOfDeath: null,
      gender: null,
    };
    const next = await people.update(colleague.context, id, {
      ...fields,
      gender: 'female',
      version: opened.version,
    });
    expect(next).toBe(opened.version + 1);
    const stale = people.update(worker.context, id, {
      ...fields,
      familyName: 'Lock',
      version: opened.version,
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toThrow(/Someone else changed this person’s details/);
    const now = await people.get(worker.context, id);
    expect(now).toMatchObject({ familyName: 'Locke', gender: 'female', version: next });
    expect((await auditEvents(worker.accountId, 'person.update')).length).toBe(0);
  });

  it('keeps a date of birth known only to the year, with its precision', async () => {
    const id = await people.create(
      worker.context,
      person({
        givenName: 'Yara',
        familyName: 'Year',
        dateOfBirth: '2014-01-01',
        dateOfBirthPrecision: 'year',
      }),
    );
    expect(await people.get(worker.context, id)).toMatchObject({
      dateOfBirth: '2014-01-01',
      dateOfBirthPrecision: 'year',
    });
    const hits = await people.search(
      worker.context,
      searchSchema.parse({ dateOfBirth: '2014-08-19' }),
    );
    expect(hits.map((h) => h.id)).toContain(id);
  });
});

describe('special category and criminal offence data', () => {
  it('only of the kinds the organisation’s notice covers; anything else is refused and not written', async () => {
    // Maidstone's notice names mental health concerns, and no criminal offence data.
    const id = await people.create(
      dso.context,
      person({ givenName: 'Noor', familyName: 'Noticebound' }),
    );
    await people.addSpecialCategory(dso.context, id, {
      characteristic: 'health',
      value: 'Synthetic mental health concern',
      recordedOn: null,
    });
    const religion = people.addSpecialCategory(dso.context, id, {
      characteristic: 'religion-or-belief',
      value: 'Synthetic',
      recordedOn: null,
    });
    await expect(religion).rejects.toThrow(ValidationError);
    await expect(religion).rejects.toMatchObject({
      fieldErrors: [
        {
          field: 'characteristic',
          message: expect.stringMatching(
            /Maidstone Borough Council’s privacy notice does not cover/,
          ),
        },
      ],
    });
    const offence = people.addOffenceData(dso.context, id, {
      kind: 'caution',
      description: 'Synthetic',
      occurredOn: null,
    });
    await expect(offence).rejects.toMatchObject({
      fieldErrors: [{ field: 'kind', message: expect.stringMatching(/does not say it holds/) }],
    });
    const held = await people.sensitive(dso.context, id);
    expect(held.specialCategory.map((s) => s.characteristic)).toEqual(['health']);
    expect(held.offenceData).toEqual([]);
  });

  it('is kept apart: not in the person’s details, read on its own and audited as such', async () => {
    const id = await people.create(
      worker.context,
      person({ givenName: 'Sara', familyName: 'Separate' }),
    );
    await people.addSpecialCategory(worker.context, id, {
      characteristic: 'health',
      value: 'Synthetic condition',
      recordedOn: null,
    });
    await people.addOffenceData(worker.context, id, {
      kind: 'caution',
      description: 'Synthetic caution',
      occurredOn: '2020-01-01',
    });
    const details = await people.get(worker.context, id);
    expect(JSON.stringify(details)).not.toContain('Synthetic condition');
    expect(JSON.stringify(details)).not.toContain('Synthetic caution');
    const columns = await database.db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Object.keys(columns)).not.toContain('ethnicity');
    const sensitive = await people.sensitive(worker.context, id);
    expect(sensitive.specialCategory).toMatchObject([{ characteristic: 'health' }]);
    expect(sensitive.offenceData).toMatchObject([{ kind: 'caution', occurredOn: '2020-01-01' }]);
    const reads = await auditEvents(worker.accountId, 'person.sensitive.read');
    expect(reads.at(-1)?.object_ids).toEqual([id]);
    const added = await auditEvents(worker.accountId, 'person.special-category.add');
    expect(added.at(-1)?.object_ids[0]).toBe(id);
  });
});

describe('merging', () => {
  it('folds a duplicate into a person, and undoing puts back exactly what was there', async () => {
    const keep = await people.create(
      worker.context,
      person({ givenName: 'Mia', familyName: 'Merge', dateOfBirth: '2013-02-02' }),
    );
    const duplicate = await people.create(
      worker.context,
      person({
        givenName: 'Mya',
        familyName: 'Merge',
        dateOfBirth: '2013-02-02',
        nhsNumber: syntheticNhsNumber(6001),
      }),
    );
    const parent = await people.create(
      worker.context,
      person({ givenName: 'Pat', familyName: 'Merge' }),
    );
    await people.addAddress(worker.context, duplicate, {
      line1: '1 Synthetic Street',
      line2: null,
      town: 'Maidstone',
      postcode: 'ME14 1XX',
      fromDate: null,
      toDate: null,
    });
    await people.addRelationship(worker.context, duplicate, {
      relatedPersonId: parent,
      type: 'family',
      description: 'Mother',
    });
    await people.addRelationship(worker.context, keep, {
      relatedPersonId: duplicate,
      type: 'family',
      description: 'Same child, entered twice',
    });
    const team = worker.context.teams[0]!.id;
    const shared = await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [keep],
      allocatedTeamId: team,
    });
    await database.db
      .insertInto('record_party')
      .values({ record_id: shared, person_id: duplicate, role: 'subject-sibling' })
      .execute();
    const own = await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'child-protection-plan',
      personIds: [duplicate],
      allocatedTeamId: team,
    });

    const snapshot = () =>
      Promise.all(
        [
          'person_name',
          'person_address',
          'person_identifier',
          'person_relationship',
          'record_party',
        ].map((table) =>
          database.db
            .selectFrom(table as 'person_name')
            .selectAll()
            .execute()
            .then((rows) => rows.map((r) => JSON.stringify(r)).sort()),
        ),
      );
    const before = await snapshot();

    const mergeId = await people.merge(worker.context, keep, duplicate);
    const merged = await people.get(worker.context, keep);
    expect(merged.names.map((n) => `${n.kind}:${n.givenName}`)).toEqual([
      'current:Mia',
      'alias:Mya',
    ]);
    expect(merged.identifiers).toMatchObject([
      { type: 'nhs-number', value: syntheticNhsNumber(6001) },
    ]);
    expect(merged.addresses).toHaveLength(1);
    expect(merged.relationships.map((r) => r.relatedPersonId)).toEqual([parent]);
    expect(merged.merges).toMatchObject([{ id: mergeId, mergedId: duplicate }]);
    await expect(people.get(worker.context, duplicate)).rejects.toBeInstanceOf(NotFoundError);
    const parties = await database.db
      .selectFrom('record_party')
      .select(['record_id', 'role'])
      .where('person_id', '=', keep)
      .execute();
    expect(parties).toEqual(
      expect.arrayContaining([
        { record_id: shared, role: 'subject' },
        { record_id: shared, role: 'subject-sibling' },
        { record_id: own, role: 'subject' },
      ]),
    );

    const undone = await people.undoMerge(worker.context, mergeId);
    expect(undone).toEqual({ survivorId: keep, restoredId: duplicate });
    expect(await snapshot()).toEqual(before);
    expect((await people.get(worker.context, duplicate)).givenName).toBe('Mya');
    await expect(people.undoMerge(worker.context, mergeId)).rejects.toBeInstanceOf(ConflictError);

    const merges = await auditEvents(worker.accountId, 'person.merge');
    expect(merges.at(-1)?.object_ids).toEqual([keep, duplicate, mergeId]);
    const undos = await auditEvents(worker.accountId, 'person.merge.undo');
    expect(undos.at(-1)?.object_ids).toEqual([keep, duplicate, mergeId]);
  });

  it('refuses to merge two entries with different NHS numbers', async () => {
    const a = await people.create(
      worker.context,
      person({ givenName: 'Nia', familyName: 'Number', nhsNumber: syntheticNhsNumber(7001) }),
    );
    const b = await people.create(
      worker.context,
      person({ givenName: 'Nia', familyName: 'Number', nhsNumber: syntheticNhsNumber(7002) }),
    );
    await expect(people.merge(worker.context, a, b)).rejects.toThrow(/different NHS numbers/);
    expect((await people.get(worker.context, b)).identifiers).toHaveLength(1);
  });

  it('cannot merge a person the staff member may not see', async () => {
    const mine = await people.create(
      worker.context,
      person({ givenName: 'Al', familyName: 'Mine' }),
    );
    const sealed = await people.create(
      worker.context,
      person({ givenName: 'Al', familyName: 'Mine' }),
    );
    await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'adoption',
      personIds: [sealed],
    });
    await expect(people.merge(worker.context, mine, sealed)).rejects.toBeInstanceOf(NotFoundError);
  });
});
