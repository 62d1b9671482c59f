import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../platform/errors/errors.js';
import { RESTRICTED_MESSAGE } from './restriction.js';
import { RightsService, type NewRequest } from './service.js';

/**
 * Rectification of a record's facts (Art 16) by information governance,
 * authorised by the request through the access function, and the person's
 * annotations travelling with their records into an access bundle.
 */

const TODAY = '2026-03-10';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let casework: CaseworkService;
let ig: CaseworkStaff;
let ig2: CaseworkStaff;
let ladoIg: CaseworkStaff;
let worker: CaseworkStaff;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  rights = new RightsService(db, () => TODAY);
  casework = new CaseworkService(db, { today: () => TODAY });
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ig2 = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
});

afterAll(async () => {
  await handle?.close();
});

function request(over: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'rectification',
    receivedOn: '2026-03-02',
    channel: 'email',
    description: 'The date on my record is wrong.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: 'requester@synthetic.example',
    identityCheck: 'known-to-us',
    subject: { givenName: 'Synthetic', familyName: 'Requester' },
    ...over,
  };
}

async function rectificationFor(staff: CaseworkStaff, personId: string) {
  const id = await rights.create(staff.context, request());
  await rights.transition(staff.context, id, { to: 'in-progress' });
  await rights.confirmSubject(staff.context, id, personId);
  return id;
}

/** A risk register entry: retention runs 75 years from the latest caution or conviction. */
async function riskRecord(personId: string, cautionOrConvictionDate = '2019-06-01') {
  return casework.create(worker.context, {
    category: 'risk-register',
    subjectPersonId: personId,
    openedOn: '2020-01-15',
    facts: { cautionOrConvictionDate },
    detail: { natureOfRisk: 'Synthetic risk description.' },
  });
}

async function recordRow(id: string) {
  return db
    .selectFrom('case_record')
    .select(['caution_or_conviction_date', 'retention_due', 'version', 'closed_on'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('correcting a fact of a record in the subject’s file', () => {
  it('keeps the field history, recomputes retention and records it on the request', async () => {
    const adult = await createPerson(db, 'kent-scs', {
      givenName: 'Corin',
      familyName: 'Datewrong',
    });
    const recordId = await riskRecord(adult);
    const before = await recordRow(recordId);
    expect(before.retention_due).toBe('2094-06-01');
    const id = await rectificationFor(ig, adult);

    // Governance may not edit records as a practitioner does: no bypass there.
    expect(
      await rejection(
        casework.update(ig.context, recordId, {
          version: before.version,
          facts: { cautionOrConvictionDate: '2018-06-01' },
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);

    const shown = await rights.rectification.recordToRectify(ig.context, id, recordId);
    expect(shown).toMatchObject({
      factNames: ['cautionOrConvictionDate'],
      facts: { cautionOrConvictionDate: '2019-06-01' },
      version: before.version,
    });
    const version = await rights.rectification.rectifyRecord(ig.context, id, recordId, {
      version: shown.version,
      facts: { cautionOrConvictionDate: '2018-06-01' },
      closedOn: '2025-12-31',
    });
    expect(version).toBe(before.version + 1);
    const after = await recordRow(recordId);
    expect(after).toMatchObject({
      caution_or_conviction_date: '2018-06-01',
      closed_on: '2025-12-31',
      retention_due: '2093-06-01',
    });
    const history = await db
      .selectFrom('record_change')
      .select(['field', 'from_value', 'to_value', 'changed_by', 'version'])
      .where('record_id', '=', recordId)
      .orderBy('field')
      .execute();
    expect(history).toEqual([
      {
        field: 'closedOn',
        from_value: null,
        to_value: '2025-12-31',
        changed_by: ig.accountId,
        version: version,
      },
      {
        field: 'facts.cautionOrConvictionDate',
        from_value: '2019-06-01',
        to_value: '2018-06-01',
        changed_by: ig.accountId,
        version: version,
      },
    ]);
    const event = (await rights.get(ig.context, id)).events.find(
      (e) => e.kind === 'rectified-record',
    );
    expect(event?.note).toBe(
      'Record corrected: date closed, date of the latest caution or conviction',
    );
    const audit = await db
      .selectFrom('audit_event')
      .select(['action', 'object_ids', 'purpose'])
      .where('action', 'in', ['record.rectify', 'rights.rectification.record'])
      .where('actor_account_id', '=', ig.accountId)
      .orderBy('action')
      .execute();
    expect(audit).toEqual([
      { action: 'record.rectify', object_ids: [recordId, id], purpose: 'rights-request' },
      {
        action: 'rights.rectification.record',
        object_ids: [recordId, id],
        purpose: 'rights-request',
      },
    ]);

    // A stale version changes nothing, on the record or the request.
    expect(
      await rejection(
        rights.rectification.rectifyRecord(ig.context, id, recordId, {
          version: before.version,
          facts: { cautionOrConvictionDate: '2010-01-01' },
        }),
      ),
    ).toBeInstanceOf(ConflictError);
    expect((await recordRow(recordId)).caution_or_conviction_date).toBe('2018-06-01');
    const kinds = (await rights.get(ig.context, id)).events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'rectified-record')).toHaveLength(1);
  });

  it('refuses a record not in the subject’s file, another organisation’s request, and a request not in progress', async () => {
    const subject = await createPerson(db, 'kent-scs');
    const stranger = await createPerson(db, 'kent-scs');
    const theirs = await riskRecord(subject);
    const notTheirs = await riskRecord(stranger);
    const id = await rectificationFor(ig, subject);
    const { version } = await recordRow(notTheirs);
    const correction = { version, facts: { cautionOrConvictionDate: '2018-01-01' } };

    expect(
      await rejection(rights.rectification.rectifyRecord(ig.context, id, notTheirs, correction)),
    ).toEqual(new NotFoundError('The subject takes no part in that record'));
    expect(
      await rejection(rights.rectification.recordToRectify(ig.context, id, notTheirs)),
    ).toBeInstanceOf(NotFoundError);
    // Another organisation's staff do not see this request at all…
    expect(
      await rejection(rights.rectification.rectifyRecord(ladoIg.context, id, theirs, correction)),
    ).toBeInstanceOf(NotFoundError);
    // …and their own request authorises nothing in another organisation's records.
    const ladoSubject = await createPerson(db, 'kent-lado');
    const ladoRequest = await rectificationFor(ladoIg, ladoSubject);
    expect(
      await rejection(
        rights.rectification.rectifyRecord(ladoIg.context, ladoRequest, theirs, correction),
      ),
    ).toBeInstanceOf(NotFoundError);

    // Closed: worked through to the end, then nothing more is corrected.
    await rights.transition(ig.context, id, { to: 'review' });
    expect(
      await rejection(rights.rectification.rectifyRecord(ig.context, id, theirs, correction)),
    ).toBeInstanceOf(ConflictError);
    await rights.transition(ig2.context, id, { to: 'approved' });
    await rights.transition(ig.context, id, { to: 'responded-in-full' });
    await rights.transition(ig.context, id, { to: 'closed' });
    expect(
      await rejection(rights.rectification.rectifyRecord(ig.context, id, theirs, correction)),
    ).toBeInstanceOf(ConflictError);
    expect((await recordRow(theirs)).caution_or_conviction_date).toBe('2019-06-01');
    expect((await recordRow(notTheirs)).caution_or_conviction_date).toBe('2019-06-01');
  });

  it('corrects through the subject’s own accuracy restriction, but not through any other', async () => {
    const subject = await createPerson(db, 'kent-scs');
    const contested = await riskRecord(subject);
    const id = await rectificationFor(ig, subject);
    // Art 18(1)(a): the subject contests accuracy while it is checked.
    await rights.restrict(ig.context, id, {
      scope: 'record',
      targetId: contested,
      ground: 'accuracy-contested',
    });
    expect(await rejection(casework.open(worker.context, contested))).toEqual(
      new ConflictError(RESTRICTED_MESSAGE),
    );
    const { version } = await recordRow(contested);
    await rights.rectification.rectifyRecord(ig.context, id, contested, {
      version,
      facts: { cautionOrConvictionDate: '2017-03-03' },
    });
    expect((await recordRow(contested)).caution_or_conviction_date).toBe('2017-03-03');
    // The restriction stays until the person is told and it is lifted (Art 18(3)).
    expect(await rejection(casework.open(worker.context, contested))).toBeInstanceOf(ConflictError);

    // A restriction kept for legal claims is not the subject's contest of accuracy.
    const kept = await riskRecord(subject);
    await rights.restrict(ig.context, id, {
      scope: 'record',
      targetId: kept,
      ground: 'needed-for-legal-claims',
    });
    const keptVersion = (await recordRow(kept)).version;
    expect(
      await rejection(
        rights.rectification.rectifyRecord(ig.context, id, kept, {
          version: keptVersion,
          facts: { cautionOrConvictionDate: '2017-03-03' },
        }),
      ),
    ).toEqual(new ConflictError(RESTRICTED_MESSAGE));

    // Nor is another person's contest of accuracy over data in the same record.
    const shared = await riskRecord(subject);
    const other = await createPerson(db, 'kent-scs');
    await casework.addParty(worker.context, shared, { personId: other, role: 'other-adult' });
    const otherRequest = await rectificationFor(ig, other);
    await rights.restrict(ig.context, otherRequest, {
      scope: 'person',
      targetId: other,
      ground: 'accuracy-contested',
    });
    expect(
      await rejection(
        rights.rectification.rectifyRecord(ig.context, id, shared, {
          version: (await recordRow(shared)).version,
          facts: { cautionOrConvictionDate: '2017-03-03' },
        }),
      ),
    ).toEqual(new ConflictError(RESTRICTED_MESSAGE));
    expect((await recordRow(kept)).caution_or_conviction_date).toBe('2019-06-01');
    expect((await recordRow(shared)).caution_or_conviction_date).toBe('2019-06-01');
  });
});

describe('correcting a restricted person’s own details', () => {
  it('goes through their accuracy restriction, not through one kept for legal claims', async () => {
    const person = await createPerson(db, 'kent-scs', { dateOfBirth: '2001-01-01' });
    const id = await rectificationFor(ig, person);
    await rights.restrict(ig.context, id, {
      scope: 'person',
      targetId: person,
      ground: 'accuracy-contested',
    });
    const version = async () =>
      (
        await db
          .selectFrom('person')
          .select('version')
          .where('id', '=', person)
          .executeTakeFirstOrThrow()
      ).version;
    await rights.rectification.rectifyPerson(ig.context, id, {
      version: await version(),
      dateOfBirth: '2001-01-02',
    });
    const entries = await rights.rectification.subjectEntries(ig.context, id);
    expect(entries.personId).toBe(person);
    const added = await rights.rectification.completePerson(ig.context, id, {
      kind: 'identifier',
      identifier: { type: 'home-office-reference', value: 'C1234567' },
    });
    await rights.rectification.rectifyPersonEntry(ig.context, id, {
      kind: 'remove-identifier',
      entryId: added,
    });

    await rights.restrict(ig.context, id, {
      scope: 'person',
      targetId: person,
      ground: 'needed-for-legal-claims',
    });
    expect(
      await rejection(
        rights.rectification.rectifyPerson(ig.context, id, {
          version: await version(),
          dateOfBirth: '2001-01-03',
        }),
      ),
    ).toEqual(new ConflictError(RESTRICTED_MESSAGE));
    const row = await db
      .selectFrom('person')
      .select('date_of_birth')
      .where('id', '=', person)
      .executeTakeFirstOrThrow();
    expect(row.date_of_birth).toBe('2001-01-02');
  });
});

describe('wrong identifiers and addresses', () => {
  it('removes a wrong identifier and address, and ends another, with history kept', async () => {
    const child = await createPerson(db, 'kent-scs', {
      givenName: 'Wren',
      familyName: 'Misnumbered',
    });
    const id = await rectificationFor(ig, child);
    const identifierId = await rights.rectification.completePerson(ig.context, id, {
      kind: 'identifier',
      identifier: { type: 'home-office-reference', value: 'A1234567' },
    });
    const wrongAddress = await rights.rectification.completePerson(ig.context, id, {
      kind: 'address',
      address: {
        line1: '9 Nowhere Lane',
        line2: null,
        town: 'Ashford',
        postcode: null,
        fromDate: null,
        toDate: null,
      },
    });
    const oldAddress = await rights.rectification.completePerson(ig.context, id, {
      kind: 'address',
      address: {
        line1: '3 Former Street',
        line2: null,
        town: 'Dover',
        postcode: null,
        fromDate: '2015-01-01',
        toDate: null,
      },
    });
    await rights.rectification.rectifyPersonEntry(ig.context, id, {
      kind: 'remove-identifier',
      entryId: identifierId,
    });
    await rights.rectification.rectifyPersonEntry(ig.context, id, {
      kind: 'remove-address',
      entryId: wrongAddress,
    });
    for (const toDate of ['2024-02-30', '2014-12-31']) {
      expect(
        await rejection(
          rights.rectification.rectifyPersonEntry(ig.context, id, {
            kind: 'end-address',
            entryId: oldAddress,
            toDate,
          }),
        ),
      ).toBeInstanceOf(ValidationError);
    }
    await rights.rectification.rectifyPersonEntry(ig.context, id, {
      kind: 'end-address',
      entryId: oldAddress,
      toDate: '2024-08-31',
    });
    expect(
      await db
        .selectFrom('person_identifier')
        .select('id')
        .where('person_id', '=', child)
        .execute(),
    ).toEqual([]);
    const addresses = await db
      .selectFrom('person_address')
      .select(['id', 'to_date'])
      .where('person_id', '=', child)
      .execute();
    expect(addresses).toEqual([{ id: oldAddress, to_date: '2024-08-31' }]);
    const history = await db
      .selectFrom('person_change')
      .select(['field', 'from_value', 'to_value', 'changed_by'])
      .where('person_id', '=', child)
      .orderBy('changed_at')
      .orderBy('field')
      .execute();
    expect(history).toEqual(
      expect.arrayContaining([
        {
          field: 'identifier.home-office-reference',
          from_value: 'A1234567',
          to_value: null,
          changed_by: ig.accountId,
        },
        {
          field: 'address',
          from_value: '9 Nowhere Lane, Ashford',
          to_value: null,
          changed_by: ig.accountId,
        },
        {
          field: 'address.to_date (3 Former Street, Dover)',
          from_value: null,
          to_value: '2024-08-31',
          changed_by: ig.accountId,
        },
      ]),
    );
    expect(history).toHaveLength(3);
    // Once removed it is gone: a second removal is refused and nothing is recorded.
    expect(
      await rejection(
        rights.rectification.rectifyPersonEntry(ig.context, id, {
          kind: 'remove-identifier',
          entryId: identifierId,
        }),
      ),
    ).toBeInstanceOf(NotFoundError);
    // Another person's identifier cannot be removed through this request.
    const other = await createPerson(db, 'kent-scs');
    const othersId = await db
      .insertInto('person_identifier')
      .values({
        person_id: other,
        organisation_id: (
          await db
            .selectFrom('person')
            .select('organisation_id')
            .where('id', '=', other)
            .executeTakeFirstOrThrow()
        ).organisation_id,
        type: 'home-office-reference',
        value: 'B1234567',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(
      await rejection(
        rights.rectification.rectifyPersonEntry(ig.context, id, {
          kind: 'remove-identifier',
          entryId: othersId.id,
        }),
      ),
    ).toBeInstanceOf(NotFoundError);
  });
});

describe('annotations in the access bundle', () => {
  it('sends what the person disputes with the record and the note it is attached to', async () => {
    const child = await createPerson(db, 'kent-scs', {
      givenName: 'Linnet',
      familyName: 'Annotated',
      dateOfBirth: '2013-04-04',
    });
    const recordId = await casework.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2025-01-10',
      detail: {},
    });
    const noteId = await casework.addNote(worker.context, recordId, {
      occurredOn: '2025-02-01',
      kind: 'visit',
      text: 'Linnet seemed withdrawn at the visit.',
    });
    const rectification = await rectificationFor(ig, child);
    const onNote = 'Linnet says she was unwell that day, not withdrawn.';
    const onRecord = 'Linnet does not accept that she needed a plan.';
    await rights.rectification.annotate(ig.context, rectification, {
      kind: 'disputed-opinion',
      recordId,
      noteId,
      text: onNote,
    });
    await rights.rectification.annotate(ig.context, rectification, {
      kind: 'refusal-statement',
      recordId,
      text: onRecord,
    });

    const id = await rights.create(
      ig.context,
      request({ type: 'access', description: 'Everything you hold about me.' }),
    );
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.review.discover(ig.context, id);
    await rights.confirmSubject(ig.context, id, child);
    await rights.review.prepare(ig.context, id);
    const page = await rights.review.review(ig.context, id);
    for (const item of page.items) {
      await rights.review.decide(ig.context, id, item.id, { decision: 'disclose' });
    }
    await rights.transition(ig.context, id, { to: 'review' });
    await rights.transition(ig2.context, id, { to: 'approved' });

    const json = (await rights.bundle(ig.context, id, 'json')).body as {
      items: { kind: string; text: string; annotations: { label: string; text: string }[] }[];
    };
    const note = json.items.find((i) => i.kind === 'note' && i.text.includes('withdrawn'));
    const record = json.items.find((i) => i.kind === 'record');
    expect(note?.annotations).toEqual([
      { label: 'The person disputes this', addedOn: expect.any(String), text: onNote },
    ]);
    expect(record?.annotations).toEqual([
      {
        label: 'The person’s statement (rectification refused)',
        addedOn: expect.any(String),
        text: onRecord,
      },
    ]);
    expect(json.items.filter((i) => i.annotations.length > 0)).toHaveLength(2);

    const words = await pdfText((await rights.bundle(ig.context, id, 'pdf')).body as Buffer);
    expect(words).toContain(onNote);
    expect(words).toContain(onRecord);
    expect(words).toContain('The person disputes this');
  });
});
