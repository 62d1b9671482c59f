import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { disclosureToLado } from '../../test/support/sharing.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { policyFor } from '../policy/index.js';
import { seedAgreements } from '../sharing/agreements.js';
import { SharingService } from '../sharing/service.js';
import type { SupplementaryInformation } from './supplementary.js';
import { RightsService } from './service.js';

/**
 * UK GDPR Art 15(1)(c): a subject access response names the recipients —
 * those the notice names, and each disclosure actually made of the
 * person's information, read from the disclosure log.
 */
let handle: DatabaseHandle;
let rights: RightsService;
let ig: CaseworkStaff;
let ig2: CaseworkStaff;
let worker: CaseworkStaff;
let child: string;
let otherChild: string;

beforeAll(async () => {
  handle = await testDatabase();
  const { db } = handle;
  await seedAgreements(db);
  rights = new RightsService(db, () => '2026-11-20');
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ig2 = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  const casework = new CaseworkService(db);
  const sharing = new SharingService(db);
  const kmisa = (
    await db
      .selectFrom('sharing_agreement')
      .select('id')
      .where('slug', '=', 'kmisa')
      .executeTakeFirstOrThrow()
  ).id;
  const plan = async (personId: string) =>
    casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: personId,
      openedOn: '2025-01-10',
      detail: { categoryOfAbuse: 'neglect' },
    });
  child = await createPerson(db, 'kent-scs', {
    givenName: 'Sorrel',
    familyName: 'Quillfeather',
    dateOfBirth: '2016-04-04',
  });
  otherChild = await createPerson(db, 'kent-scs', {
    givenName: 'Tamsin',
    familyName: 'Brackenridge',
    dateOfBirth: '2015-05-05',
  });
  const recordId = await plan(child);
  await sharing.create(
    worker.context,
    disclosureToLado(kmisa, [{ recordId, kind: 'record', id: recordId }]),
  );
  // Another child's record shared too: it must not appear in Sorrel's response.
  const otherRecord = await plan(otherChild);
  await sharing.create(
    worker.context,
    disclosureToLado(kmisa, [{ recordId: otherRecord, kind: 'record', id: otherRecord }], {
      recipientName: 'Another LADO officer',
    }),
  );
});

afterAll(async () => {
  await handle?.close();
});

async function approvedAccessRequest(personId: string, givenName: string, familyName: string) {
  const id = await rights.create(ig.context, {
    type: 'access',
    receivedOn: '2026-11-02',
    channel: 'email',
    description: 'Everything you hold about me.',
    requesterRole: 'self',
    requesterName: `${givenName} ${familyName}`,
    requesterContact: 'subject@example.test',
    identityCheck: 'photo-id-seen',
    subject: { givenName, familyName },
  });
  await rights.transition(ig.context, id, { to: 'in-progress' });
  await rights.review.discover(ig.context, id);
  await rights.confirmSubject(ig.context, id, personId);
  await rights.review.prepare(ig.context, id);
  for (const item of (await rights.review.review(ig.context, id)).items) {
    await rights.review.decide(ig.context, id, item.id, { decision: 'disclose' });
  }
  await rights.transition(ig.context, id, { to: 'review' });
  await rights.transition(ig2.context, id, { to: 'approved' });
  return id;
}

describe('a subject access response names who received the information', () => {
  it('lists the notice’s recipients and each disclosure of the subject’s records, in words', async () => {
    const id = await approvedAccessRequest(child, 'Sorrel', 'Quillfeather');
    const onPage = await rights.supplementaryForRequest(ig.context, id);
    const json = (await rights.bundle(ig.context, id, 'json')).body as {
      supplementaryInformation: SupplementaryInformation;
    };
    const recipients = json.supplementaryInformation.recipients;
    expect(onPage.recipients).toEqual(recipients);

    expect(recipients.names).toEqual(policyFor('kent-scs').recipients.map((r) => r.name));
    expect(recipients.names.length).toBeGreaterThan(0);
    expect(recipients.disclosures).toHaveLength(1);
    const [disclosure] = recipients.disclosures;
    expect(disclosure).toMatchObject({
      recipient: 'Kent LADO duty officer',
      purpose: 'Managing an allegation against an adult who works with children',
      lawfulBasis: 'Public task (Art 6(1)(e) UK GDPR)',
      what: ['Child protection plan: the whole record'],
    });
    expect(disclosure?.agreement).toMatch(/\(version 1\)$/);
    // A date in words, never an ISO date.
    expect(disclosure?.on).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    expect(JSON.stringify(recipients)).not.toContain('Another LADO officer');

    const words = await pdfText((await rights.bundle(ig.context, id, 'pdf')).body as Buffer);
    expect(words).toContain('shared with Kent LADO duty officer');
    expect(words).toContain(`Our privacy notice names: ${recipients.names[0]}`);
  });

  it('says nothing was shared when the log holds no disclosure of the subject', async () => {
    const quiet = await createPerson(handle.db, 'kent-scs', {
      givenName: 'Wren',
      familyName: 'Hollowmere',
      dateOfBirth: '2017-06-06',
    });
    await new CaseworkService(handle.db).create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: quiet,
      openedOn: '2025-01-10',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const id = await approvedAccessRequest(quiet, 'Wren', 'Hollowmere');
    const words = await pdfText((await rights.bundle(ig.context, id, 'pdf')).body as Buffer);
    expect(words).toContain('We have not shared the information in this response with anyone.');
  });
});
