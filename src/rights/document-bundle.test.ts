import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { makeDocx, makePdf, tinyPng } from '../../test/support/documents.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { sarFixture, type SarFixture } from '../../test/support/rights.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { ConflictError } from '../platform/errors/errors.js';
import { RightsService } from './service.js';

/**
 * Issue 12 item 2: documents go into a subject access bundle as the
 * information itself — their text, redacted like a note, and images and
 * PDFs disclosed in full as they are held. Fixture documents are made here.
 */

const TODAY = '2025-10-20';
const WITNESS = 'Pat Example-Neighbour';
const KEPT = 'The family agreed the plan at the meeting.';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let ig: CaseworkStaff;
let ig2: CaseworkStaff;
let fixture: SarFixture;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  rights = new RightsService(db, () => TODAY);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ig2 = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  const practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner']);
  fixture = await sarFixture(db, { authorAccountId: practitioner.accountId });
  const documents = [
    {
      filename: 'referral.pdf',
      media_type: 'application/pdf',
      content: await makePdf([`${WITNESS} raised the concern.`, KEPT]),
    },
    {
      filename: 'plan.docx',
      media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      content: await makeDocx(['Plan agreed with Rowan.', 'Next review in the spring.']),
    },
    { filename: 'drawing.png', media_type: 'image/png', content: tinyPng },
  ];
  for (const d of documents) {
    await db
      .insertInto('record_document')
      .values({
        record_id: fixture.recordId,
        ...d,
        size_bytes: d.content.length,
        uploaded_by: practitioner.accountId,
      })
      .execute();
  }
});

afterAll(async () => {
  await handle.close();
});

describe('documents in a subject access bundle', () => {
  it('gives their text to redact, and the image itself, in the approved bundle', async () => {
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
    const page = await rights.review.review(ig.context, id);
    const byTitle = (name: string) => page.items.find((i) => i.title === `Document: ${name}`)!;

    const pdf = byTitle('referral.pdf');
    expect(pdf.preview).toContain(WITNESS);
    expect(pdf.source_note).toContain('referral.pdf (PDF');
    expect(byTitle('plan.docx').preview).toBe(
      'Plan agreed with Rowan.\n\nNext review in the spring.',
    );
    const image = byTitle('drawing.png');
    expect(image.preview).toBe('');
    expect(image.source_note).toMatch(/image: text in it is not read by machine/);
    // An image has no text to redact in: disclose or withhold it.
    await expect(
      rights.review.redact(ig.context, id, image.id, {
        phrase: 'anything',
        ground: 'sch2-para16-third-party',
        thirdParty: 'other-individual',
      }),
    ).rejects.toThrow(ConflictError);

    for (const item of page.items) {
      if (item.id === pdf.id) {
        await rights.review.redact(ig.context, id, item.id, {
          phrase: WITNESS,
          ground: 'sch2-para16-third-party',
          thirdParty: 'other-individual',
        });
      } else {
        await rights.review.decide(ig.context, id, item.id, { decision: 'disclose' });
      }
    }
    await rights.transition(ig.context, id, { to: 'review' });
    await rights.transition(ig2.context, id, { to: 'approved' });

    const json = (await rights.bundle(ig.context, id, 'json')).body as {
      items: { title: string; text: string; original?: { mediaType: string; base64: string } }[];
    };
    const text = JSON.stringify(json);
    expect(text).not.toContain(WITNESS);
    const referral = json.items.find((i) => i.title === 'Document: referral.pdf')!;
    expect(referral.text).toContain('[redacted: sch2-para16-third-party]');
    expect(referral.text).toContain(KEPT);
    // A redacted PDF goes as its text with the boxes burnt in, never as the original.
    expect(referral.original).toBeUndefined();
    expect(json.items.find((i) => i.title === 'Document: plan.docx')!.text).toContain(
      'Next review in the spring.',
    );
    expect(json.items.find((i) => i.title === 'Document: drawing.png')!.original).toEqual({
      filename: 'drawing.png',
      mediaType: 'image/png',
      base64: tinyPng.toString('base64'),
    });

    const bundle = (await rights.bundle(ig.context, id, 'pdf')).body as Buffer;
    const words = await pdfText(bundle);
    expect(words).not.toContain('Example-Neighbour');
    expect(words).toContain(KEPT);
    expect(words).toContain('Next review in the spring.');
    // The image is drawn into the bundle.
    expect(bundle.includes(Buffer.from('/Subtype /Image'))).toBe(true);
  });
});
