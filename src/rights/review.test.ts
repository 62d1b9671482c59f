import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  createPerson,
  organisationId,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { pdfText } from '../../test/support/pdf-text.js';
import {
  DISCLOSED_SENTENCE,
  SAR_NHS_NUMBER,
  SAR_UPN,
  sarFixture,
  type SarFixture,
} from '../../test/support/rights.js';
import { CaseworkService } from '../casework/service.js';
import { recordDisposal } from '../services.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { ConflictError, ValidationError } from '../platform/errors/errors.js';
import { NCND_STATEMENT } from './exemptions.js';
import { RightsService, type NewRequest } from './service.js';
import type { RequesterRole } from './tables.js';

const TODAY = '2025-10-20';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let ig: CaseworkStaff;
let ig2: CaseworkStaff;
let ladoIg: CaseworkStaff;
let kscmpIg: CaseworkStaff;
let practitioner: CaseworkStaff;
let fixture: SarFixture;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  rights = new RightsService(db, () => TODAY);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ig2 = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  kscmpIg = await caseworkStaff(db, 'kscmp', ['information-governance']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner']);
  fixture = await sarFixture(db, { authorAccountId: practitioner.accountId });
  // The same NHS number and name held by another body: never found from Kent SCS.
  const lado = await createPerson(db, 'kent-lado', {
    givenName: 'Rowan',
    familyName: 'Fairweather',
    dateOfBirth: '2014-02-11',
  });
  await db
    .insertInto('person_identifier')
    .values({
      person_id: lado,
      organisation_id: await organisationId(db, 'kent-lado'),
      type: 'nhs-number',
      value: SAR_NHS_NUMBER,
    })
    .execute();
});

afterAll(async () => {
  await handle.close();
});

function request(
  over: Omit<Partial<NewRequest>, 'subject'> & { subject?: Partial<NewRequest['subject']> } = {},
) {
  const { subject, ...rest } = over;
  return {
    type: 'access',
    receivedOn: '2025-10-01',
    channel: 'email',
    description: 'Everything you hold about my child.',
    requesterRole: 'parent',
    requesterName: 'Synthetic Parent',
    requesterContact: 'parent@example.test',
    identityCheck: 'photo-id-seen',
    authorityEvidence: 'birth-certificate',
    ...rest,
    subject: { givenName: 'Rowan', familyName: 'Fairweather', ...subject },
  } satisfies NewRequest;
}

async function startedRequest(staff: CaseworkStaff, over: Parameters<typeof request>[0] = {}) {
  const id = await rights.create(staff.context, request(over));
  await rights.transition(staff.context, id, { to: 'in-progress' });
  return id;
}

describe('discovery', () => {
  it('finds the subject by NHS number and UPN, saying why', async () => {
    const id = await startedRequest(ig, {
      subject: {
        givenName: 'Nobody',
        familyName: 'Similar',
        identifiers: [
          { type: 'nhs-number', value: '999 000 0018' },
          { type: 'upn', value: SAR_UPN.toLowerCase() },
        ],
      },
    });
    const result = await rights.review.discover(ig.context, id);
    const child = result.candidates.find((c) => c.personId === fixture.childId);
    expect(child?.reasons).toEqual(
      expect.arrayContaining([
        `Same NHS number (${SAR_NHS_NUMBER})`,
        `Same unique pupil number (${SAR_UPN})`,
      ]),
    );
    expect(child?.records.map((r) => r.recordId)).toEqual([fixture.recordId]);
    expect(result.candidates[0]?.personId).toBe(fixture.childId);
  });

  it('finds by a spelling variant, an alias and date of birth', async () => {
    const id = await startedRequest(ig, {
      subject: {
        givenName: 'Rowen',
        familyName: 'Fairwether',
        otherNames: 'Ro Stormcastle',
        dateOfBirth: '2014-02-11',
      },
    });
    const result = await rights.review.discover(ig.context, id);
    const child = result.candidates.find((c) => c.personId === fixture.childId);
    expect(child?.reasons).toEqual(
      expect.arrayContaining([
        'Name like “Rowen Fairwether”',
        'Name like “Ro Stormcastle” (alias name Ro Stormcastle)',
        'Same date of birth',
      ]),
    );
    expect(result.sources).toEqual(
      expect.arrayContaining([
        'person-identifier',
        'person-name',
        'person-date-of-birth',
        'case-note-text',
      ]),
    );
  });

  it('finds notes that name the subject, and logs what it searched without the terms', async () => {
    const id = await startedRequest(ig, {});
    const result = await rights.review.discover(ig.context, id);
    expect(result.mentions.map((m) => m.noteId)).toEqual([fixture.mentionNoteId]);
    const event = await db
      .selectFrom('rights_event')
      .select('note')
      .where('request_id', '=', id)
      .where('kind', '=', 'discovery-run')
      .executeTakeFirstOrThrow();
    expect(event.note).toContain('person-identifier');
    expect(event.note).not.toContain('Rowan');
    const audit = await db
      .selectFrom('audit_event')
      .select(['object_ids', 'purpose'])
      .where('action', '=', 'rights.discovery-run')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.purpose).toBe('rights-request');
    expect(audit.object_ids).toContain(fixture.childId);
    const run = await db
      .selectFrom('rights_discovery')
      .select(['criteria', 'sources'])
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(run.criteria).toMatchObject({ names: ['Rowan Fairweather'] });
  });

  it('never finds across organisations', async () => {
    const id = await startedRequest(ladoIg, {
      subject: { identifiers: [{ type: 'nhs-number', value: SAR_NHS_NUMBER }] },
    });
    const result = await rights.review.discover(ladoIg.context, id);
    expect(result.candidates.length).toBe(1);
    expect(result.candidates.map((c) => c.personId)).not.toContain(fixture.childId);
    expect(result.mentions).toEqual([]);
    // And Kent SCS never sees the LADO's person.
    const scs = await startedRequest(ig, {
      subject: { identifiers: [{ type: 'nhs-number', value: SAR_NHS_NUMBER }] },
    });
    const found = await rights.review.discover(ig.context, scs);
    expect(
      found.candidates.filter((c) => c.reasons.some((r) => r.startsWith('Same NHS'))),
    ).toHaveLength(1);
  });

  it('searches newsletter subscriptions and training bookings by name in a partnership', async () => {
    await db
      .insertInto('newsletter_subscriber')
      .values({
        organisation_id: await organisationId(db, 'kscmp'),
        full_name: 'Rowan Fairweather',
        employer: 'Synthetic School',
        email: 'rowan@example.test',
        consent_notice_version: '1',
        consent_at: new Date(),
        consent_method: 'web-form',
        retention_status: 'pending',
        retention_explanation: 'Kept while subscribed',
      })
      .execute();
    const id = await startedRequest(kscmpIg, {
      requesterRole: 'self',
      authorityEvidence: undefined,
    });
    const result = await rights.review.discover(kscmpIg.context, id);
    expect(result.partnership).toEqual([
      expect.objectContaining({
        source: 'newsletter-subscriber',
        reasons: ['Same name as “rowan fairweather”'],
      }),
    ]);
    expect(result.notes[0]).toContain('Survey responses hold no names');
  });
});

async function preparedRequest(requesterRole: RequesterRole) {
  const id = await startedRequest(ig, {
    requesterRole,
    authorityEvidence: requesterRole === 'self' ? undefined : 'birth-certificate',
  });
  await rights.review.discover(ig.context, id);
  await rights.confirmSubject(ig.context, id, fixture.childId);
  await rights.review.prepare(ig.context, id);
  const page = await rights.review.review(ig.context, id);
  return { id, page };
}

describe('review', () => {
  it('builds items from the record, its notes, documents and chronology, and suggests third parties', async () => {
    const { page } = await preparedRequest('parent');
    expect(page.items.map((i) => i.kind).sort()).toEqual([
      'chronology',
      'document',
      'note',
      'note',
      'note',
      'record',
    ]);
    const family = page.items.find((i) => i.source_id === fixture.noteIds[1])!;
    expect(family.suggestions.map((s) => s.text)).toEqual(['Marigold Fairweather', 'Juniper']);
    // The person reads words: dates as GOV.UK writes them, types by name.
    const record = page.items.find((i) => i.kind === 'record')!;
    expect(record.preview).toContain('opened 10 January 2024');
    for (const item of page.items) {
      expect(`${item.title} ${item.preview}`).not.toMatch(
        /\b\d{4}-\d{2}-\d{2}\b|\/(pdf|plain)\b|bytes/,
      );
    }
  });

  it('refuses para 10 and para 21 when the subject asks, allows them for a parent', async () => {
    for (const code of ['sch3-para10-expectations', 'sch3-para21-child-abuse']) {
      const self = await preparedRequest('self');
      const note = self.page.items.find((i) => i.kind === 'note')!;
      await expect(
        rights.review.decide(ig.context, self.id, note.id, { decision: 'withhold', ground: code }),
      ).rejects.toThrow(/applies only when a parent or a court appointee asks/);
      await expect(
        rights.review.redact(ig.context, self.id, note.id, { phrase: 'Juniper', ground: code }),
      ).rejects.toThrow(ValidationError);

      const parent = await preparedRequest('parent');
      const parentNote = parent.page.items.find((i) => i.kind === 'note')!;
      await rights.review.decide(ig.context, parent.id, parentNote.id, {
        decision: 'withhold',
        ground: code,
      });
    }
  });

  it('asks who a third party is, and why a professional is not disclosed', async () => {
    const { id, page } = await preparedRequest('self');
    const note = page.items.find((i) => i.source_id === fixture.noteIds[0])!;
    const thirdParty = { phrase: 'a neighbour at number 12', ground: 'sch2-para16-third-party' };
    await expect(rights.review.redact(ig.context, id, note.id, thirdParty)).rejects.toThrow(
      ValidationError,
    );
    await expect(
      rights.review.redact(ig.context, id, note.id, { ...thirdParty, thirdParty: 'professional' }),
    ).rejects.toThrow(/normally disclosed/);
    await rights.review.redact(ig.context, id, note.id, { ...thirdParty, thirdParty: 'referrer' });
    const after = await rights.review.review(ig.context, id);
    const redacted = after.items.find((i) => i.id === note.id)!;
    expect(redacted.decision).toBe('redact');
    expect(redacted.preview).toBe(
      `An anonymous referrer, [redacted: sch2-para16-third-party], called about Rowan. ${DISCLOSED_SENTENCE}`,
    );
  });

  it('runs to an approved bundle: PDF and JSON without the redacted words, download audited', async () => {
    const { id, page } = await preparedRequest('parent');
    const secret = 'a neighbour at number 12';
    for (const item of page.items) {
      if (item.source_id === fixture.noteIds[0]) {
        await rights.review.redact(ig.context, id, item.id, {
          phrase: secret,
          ground: 'sch2-para16-third-party',
          thirdParty: 'referrer',
        });
      } else if (item.kind === 'document') {
        await rights.review.decide(ig.context, id, item.id, {
          decision: 'withhold',
          ground: 'sch3-para7-serious-harm',
        });
      } else {
        await rights.review.decide(ig.context, id, item.id, { decision: 'disclose' });
      }
    }
    await expect(rights.bundle(ig.context, id, 'pdf')).rejects.toThrow(ConflictError);
    await rights.transition(ig.context, id, { to: 'review' });
    await expect(rights.transition(ig.context, id, { to: 'approved' })).rejects.toThrow(
      /second person/,
    );
    await rights.transition(ig2.context, id, { to: 'approved' });

    const json = (await rights.bundle(ig.context, id, 'json')).body;
    const text = JSON.stringify(json);
    expect(text).not.toContain(secret);
    expect(text).toContain(DISCLOSED_SENTENCE);
    expect(text).toContain('[redacted: sch2-para16-third-party]');
    expect(json).toMatchObject({
      withheld: [{ ground: 'sch3-para7-serious-harm', items: 1 }],
      supplementaryInformation: { controller: expect.any(String) },
    });

    const pdf = (await rights.bundle(ig.context, id, 'pdf')).body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const words = await pdfText(pdf);
    expect(words).not.toContain('neighbour');
    expect(words).toContain(DISCLOSED_SENTENCE);
    expect(words).toContain('[redacted: sch2-para16-third-party]');
    expect(words).toContain('Your rights');

    const downloads = await db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'rights.bundle.download-%')
      .where('actor_account_id', '=', ig.accountId)
      .execute();
    expect(downloads.map((d) => d.action).sort()).toEqual([
      'rights.bundle.download-json',
      'rights.bundle.download-pdf',
    ]);
  });

  it('does not go to review while an item is undecided', async () => {
    const { id } = await preparedRequest('parent');
    await expect(rights.transition(ig.context, id, { to: 'review' })).rejects.toThrow(
      /still need a decision/,
    );
  });
});

describe('neither confirm nor deny', () => {
  it('is allowed only on a ground that permits it and the requester may be met with, with a reason', async () => {
    const self = await preparedRequest('self');
    await expect(
      rights.review.neitherConfirmNorDeny(ig.context, self.id, {
        ground: 'sch3-para21-child-abuse',
        reason: 'Confirming would tell the parent that abuse data exists.',
      }),
    ).rejects.toThrow(/applies only when a parent or a court appointee asks/);
    await expect(
      rights.review.neitherConfirmNorDeny(ig.context, self.id, {
        ground: 'sch3-para7-serious-harm',
        reason: 'A synthetic reason of enough length.',
      }),
    ).rejects.toThrow(/does not allow neither confirm nor deny/);
    await expect(
      rights.review.neitherConfirmNorDeny(ig.context, self.id, {
        ground: 'sch2-para2-crime',
        reason: 'short',
      }),
    ).rejects.toThrow(ValidationError);
  });

  it('sends a bundle with the statement and no trace of the items withheld on its ground', async () => {
    const { id, page } = await preparedRequest('parent');
    const hidden = page.items.find((i) => i.source_id === fixture.noteIds[1])!;
    const counted = page.items.find((i) => i.kind === 'document')!;
    const secret = 'Juniper had been unwell';
    await rights.review.neitherConfirmNorDeny(ig.context, id, {
      ground: 'sch3-para21-child-abuse',
      reason: 'Telling the parent that this exists is not in the child’s best interests.',
    });
    // A redaction box on the NCND ground would show that something was removed.
    const note = page.items.find((i) => i.source_id === fixture.noteIds[0])!;
    await expect(
      rights.review.redact(ig.context, id, note.id, {
        phrase: 'neighbour',
        ground: 'sch3-para21-child-abuse',
      }),
    ).rejects.toThrow(/withhold whole items/);
    for (const item of page.items) {
      if (item.id === hidden.id) {
        await rights.review.decide(ig.context, id, item.id, {
          decision: 'withhold',
          ground: 'sch3-para21-child-abuse',
        });
      } else if (item.id === counted.id) {
        await rights.review.decide(ig.context, id, item.id, {
          decision: 'withhold',
          ground: 'sch3-para7-serious-harm',
        });
      } else {
        await rights.review.decide(ig.context, id, item.id, { decision: 'disclose' });
      }
    }
    const reviewed = await rights.review.review(ig.context, id);
    expect(reviewed.ncnd).toMatchObject({ ground: 'sch3-para21-child-abuse' });
    await rights.transition(ig.context, id, { to: 'review' });
    await rights.transition(ig2.context, id, { to: 'approved' });

    const json = (await rights.bundle(ig.context, id, 'json')).body as Record<string, unknown>;
    const text = JSON.stringify(json);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('sch3-para21');
    expect(text).not.toContain('Sch 3 Part 5');
    expect(json.neitherConfirmNorDeny).toBe(NCND_STATEMENT);
    // Withheld on another ground: counted, as before.
    expect(json.withheld).toEqual([
      expect.objectContaining({ ground: 'sch3-para7-serious-harm', items: 1 }),
    ]);
    expect(json.items).toHaveLength(page.items.length - 2);

    const words = await pdfText((await rights.bundle(ig.context, id, 'pdf')).body as Buffer);
    expect(words).not.toContain('unwell');
    expect(words).not.toContain('para 21');
    expect(words).toContain(
      'We can neither confirm nor deny whether we hold any other information',
    );
  });

  it('can be withdrawn while in progress, and then counts its items again', async () => {
    const { id, page } = await preparedRequest('parent');
    const item = page.items.find((i) => i.kind === 'note')!;
    await rights.review.neitherConfirmNorDeny(ig.context, id, {
      ground: 'sch2-para2-crime',
      reason: 'A police investigation would be prejudiced by confirming.',
    });
    await rights.review.decide(ig.context, id, item.id, {
      decision: 'withhold',
      ground: 'sch2-para2-crime',
    });
    const withNcnd = await db.transaction().execute((trx) => rights.review.bundleItems(trx, id));
    expect(withNcnd.ncnd).toEqual({ ground: 'sch2-para2-crime' });
    expect(withNcnd.items.find((i) => i.id === item.id)).toMatchObject({
      decision: 'withhold',
      ground: 'sch2-para2-crime',
    });
    await rights.review.withdrawNeitherConfirmNorDeny(ig.context, id);
    expect((await rights.review.review(ig.context, id)).ncnd).toBeNull();
    const without = await db.transaction().execute((trx) => rights.review.bundleItems(trx, id));
    expect(without.ncnd).toBeNull();
    expect(without.items.find((i) => i.id === item.id)).toMatchObject({ decision: 'withhold' });
    await expect(rights.review.withdrawNeitherConfirmNorDeny(ig.context, id)).rejects.toThrow(
      ConflictError,
    );
  });
});

describe('restriction in casework (Art 18)', () => {
  it('refuses reading and writing a restricted record, and allows them again once lifted', async () => {
    const casework = new CaseworkService(db);
    await db
      .updateTable('case_record')
      .set({ allocated_account_id: practitioner.accountId })
      .where('id', '=', fixture.recordId)
      .execute();
    const note = { occurredOn: '2025-10-01', kind: 'note' as const, text: 'Synthetic note' };
    await expect(casework.open(practitioner.context, fixture.recordId)).resolves.toBeTruthy();

    const id = await rights.create(ig.context, request({ type: 'restriction' }));
    const restrictionId = await rights.restrict(ig.context, id, {
      scope: 'person',
      targetId: fixture.motherId,
      ground: 'accuracy-contested',
    });
    await expect(casework.open(practitioner.context, fixture.recordId)).rejects.toThrow(
      'restricted: may only be stored',
    );
    await expect(casework.addNote(practitioner.context, fixture.recordId, note)).rejects.toThrow(
      ConflictError,
    );

    await rights.restrictionTold(ig.context, restrictionId, TODAY);
    await rights.liftRestriction(ig.context, restrictionId, 'Accuracy has now been checked');
    await expect(casework.open(practitioner.context, fixture.recordId)).resolves.toBeTruthy();
    await expect(
      casework.addNote(practitioner.context, fixture.recordId, note),
    ).resolves.toBeTruthy();
  });

  it('refuses a record restricted on its own', async () => {
    const casework = new CaseworkService(db);
    const id = await rights.create(ig.context, request({ type: 'restriction' }));
    const restriction = await rights.restrict(ig.context, id, {
      scope: 'record',
      targetId: fixture.recordId,
      ground: 'needed-for-legal-claims',
    });
    await expect(casework.open(practitioner.context, fixture.recordId)).rejects.toThrow(
      'restricted: may only be stored',
    );
    // Lifted again, so the tests after this one can gather the record.
    await rights.restrictionTold(ig.context, restriction, TODAY);
    await rights.liftRestriction(ig.context, restriction, 'Claim settled; told the person');
  });
});

// Last: it destroys the fixture's record.
describe('retention', () => {
  it('loses its copies of a record that retention destroys', async () => {
    const { id } = await preparedRequest('parent');
    const copies = () =>
      db
        .selectFrom('rights_review_item')
        .select('id')
        .where('request_id', '=', id)
        .where('record_id', '=', fixture.recordId)
        .execute();
    expect((await copies()).length).toBeGreaterThan(0);
    await db
      .transaction()
      .execute((trx) => recordDisposal().destroyRecords(trx, [fixture.recordId]));
    expect(await copies()).toEqual([]);
  });
});
