import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { disclosureToLado } from '../../test/support/sharing.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { chainAndVerify } from '../../test/support/audit.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../platform/errors/errors.js';
import { seedAgreements } from './agreements.js';
import type { DisclosureInput } from './schemas.js';
import { SharingService } from './service.js';

let database: DatabaseHandle;
let clock: Date;
let casework: CaseworkService;
let sharing: SharingService;
let worker: CaseworkStaff;
let ig: CaseworkStaff;
let lado: CaseworkStaff;
let dso: CaseworkStaff;
let kmisa: string;

const now = () => clock;
const standardFontDataUrl = `${join(
  dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
  'standard_fonts',
)}/`;

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  await seedAgreements(db);
  clock = new Date('2026-11-25T10:00:00Z');
  casework = new CaseworkService(db, { now, today: () => '2026-11-25' });
  sharing = new SharingService(db, { now });
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  lado = await caseworkStaff(db, 'kent-lado', ['lado-officer'], ['lado']);
  dso = await caseworkStaff(db, 'maidstone-bc', ['designated-safeguarding-officer']);
  kmisa = (
    await db
      .selectFrom('sharing_agreement')
      .select('id')
      .where('slug', '=', 'kmisa')
      .executeTakeFirstOrThrow()
  ).id;
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

/** A child protection plan with two notes and a document. */
async function recordWithItems(notes = 2) {
  const child = await createPerson(database.db, 'kent-scs');
  const recordId = await casework.create(worker.context, {
    category: 'child-protection-plan',
    subjectPersonId: child,
    openedOn: '2025-01-10',
    detail: { categoryOfAbuse: 'neglect' },
  });
  const noteIds: string[] = [];
  for (let i = 0; i < notes; i++) {
    noteIds.push(
      await casework.addNote(worker.context, recordId, {
        occurredOn: '2025-02-01',
        kind: 'visit',
        text: `Synthetic visit note ${i + 1}. `.repeat(i === 0 ? 1 : 30),
      }),
    );
  }
  const documentId = await casework.addDocument(worker.context, recordId, {
    filename: 'plan.txt',
    mediaType: 'text/plain',
    content: Buffer.from('synthetic plan'),
  });
  return { recordId, noteIds, documentId };
}

function grantToLado(
  recordId: string,
  items: DisclosureInput['items'],
  extra: Partial<DisclosureInput> = {},
): DisclosureInput {
  return disclosureToLado(kmisa, items, extra);
}

describe('a grant to an organisation inside Safekeep', () => {
  it('shows exactly the shared items, read-only, audited for both organisations', async () => {
    const { recordId, noteIds, documentId } = await recordWithItems();
    // Before sharing, nobody at the LADO service can see the record.
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(NotFoundError);

    const id = await sharing.create(
      worker.context,
      grantToLado(recordId, [{ recordId, kind: 'note', id: noteIds[0]! }]),
    );
    const view = await casework.open(lado.context, recordId);
    expect(view.access).toEqual({ via: 'grant', canWrite: false });
    expect(view.notes.map((n) => n.id)).toEqual([noteIds[0]]);
    expect(view.documents).toEqual([]);
    expect(view.parties).toEqual([]);
    expect(view.detail).toEqual({});
    expect(view.allocatedWorker).toBeNull();
    expect(view.sharedWith).toBeUndefined();
    // The recipient is told who shared it, why, under what and until when.
    expect(view.sharedWithUs).toEqual([
      {
        from: "Kent Children's Social Care",
        purpose: 'Managing an allegation against an adult who works with children',
        agreement: expect.any(String),
        until: expect.any(Date),
        items: '1 note',
      },
    ]);
    // Not shared: the document, the change history; never a write.
    expect(
      await rejection(casework.readDocument(lado.context, recordId, documentId)),
    ).toBeInstanceOf(NotFoundError);
    expect(await rejection(casework.history(lado.context, recordId))).toBeInstanceOf(NotFoundError);
    expect(
      await rejection(
        casework.addNote(lado.context, recordId, { occurredOn: '2025-03-01', text: 'x' }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    // Another organisation named by no grant sees nothing.
    expect(await rejection(casework.open(dso.context, recordId))).toBeInstanceOf(NotFoundError);

    const reads = await database.db
      .selectFrom('audit_event')
      .select(['organisation_id', 'actor_account_id', 'purpose', 'object_ids'])
      .where('action', '=', 'record.read')
      .where('outcome', '=', 'success')
      .where('actor_account_id', '=', lado.accountId)
      .execute();
    expect(reads.map((r) => r.organisation_id).sort()).toEqual(
      [worker.context.organisation!.id, lado.context.organisation!.id].sort(),
    );
    for (const r of reads) {
      expect(r.purpose).toBe('shared-grant');
      expect(r.object_ids).toEqual([recordId, id]);
    }

    // Sharing the whole record and the document widens it; the holders see where it went.
    await sharing.create(
      worker.context,
      grantToLado(recordId, [
        { recordId, kind: 'record', id: recordId },
        { recordId, kind: 'document', id: documentId },
      ]),
    );
    const wider = await casework.open(lado.context, recordId);
    expect(wider.parties.map((p) => p.role)).toEqual(['subject']);
    expect(wider.documents.map((d) => d.id)).toEqual([documentId]);
    expect(wider.notes.map((n) => n.id)).toEqual([noteIds[0]]);
    const document = await casework.readDocument(lado.context, recordId, documentId);
    expect(document.content.toString()).toBe('synthetic plan');
    const own = await casework.open(worker.context, recordId);
    expect(own.sharedWith?.map((s) => s.recipient)).toEqual([
      'Kent LADO duty officer',
      'Kent LADO duty officer',
    ]);
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });

  it('shows nothing after it expires or is revoked', async () => {
    const { recordId, noteIds } = await recordWithItems(1);
    const id = await sharing.create(
      worker.context,
      grantToLado(recordId, [{ recordId, kind: 'note', id: noteIds[0]! }], {
        expiresOn: '2026-11-30',
      }),
    );
    expect((await casework.open(lado.context, recordId)).notes).toHaveLength(1);
    clock = new Date('2026-11-30T23:30:00Z'); // the last day of access, in London (GMT)
    expect((await casework.open(lado.context, recordId)).notes).toHaveLength(1);
    clock = new Date('2026-12-01T00:00:01Z');
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(NotFoundError);
    clock = new Date('2026-11-25T10:00:00Z');

    expect((await casework.open(lado.context, recordId)).notes).toHaveLength(1);
    await sharing.revoke(worker.context, id);
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(NotFoundError);
    expect(await sharing.received(lado.context)).not.toContainEqual(
      expect.objectContaining({ disclosureId: id }),
    );
  });
});

describe('refusals', () => {
  it('refuses a disclosure without a lawful basis, or with one the notice does not give', async () => {
    const { recordId } = await recordWithItems(0);
    const items = [{ recordId, kind: 'record' as const, id: recordId }];
    const withoutBasis: Partial<DisclosureInput> = grantToLado(recordId, items);
    delete withoutBasis.lawfulBasis;
    const missing = await rejection(
      sharing.create(worker.context, withoutBasis as DisclosureInput),
    );
    expect((missing as ValidationError).fieldErrors.map((e) => e.field)).toContain('lawfulBasis');
    const wrong = await rejection(
      sharing.create(worker.context, grantToLado(recordId, items, { lawfulBasis: '6(1)(f)' })),
    );
    expect((wrong as ValidationError).fieldErrors.map((e) => e.field)).toContain('lawfulBasis');
    const noCondition = await rejection(
      sharing.create(worker.context, grantToLado(recordId, items, { specialCondition: '' })),
    );
    expect((noCondition as ValidationError).fieldErrors.map((e) => e.field)).toContain(
      'specialCondition',
    );
    const noReason = await rejection(
      sharing.create(worker.context, grantToLado(recordId, items, { consentReason: '' })),
    );
    expect((noReason as ValidationError).fieldErrors.map((e) => e.field)).toContain(
      'consentReason',
    );
    const notListed = await rejection(
      sharing.create(worker.context, grantToLado(recordId, items, { recipientId: 'newspaper' })),
    );
    expect((notListed as ValidationError).fieldErrors.map((e) => e.field)).toContain('recipientId');
    const count = await database.db
      .selectFrom('disclosure_item')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses sharing outside every agreement without a justification', async () => {
    const { recordId } = await recordWithItems(0);
    const items = [{ recordId, kind: 'record' as const, id: recordId }];
    const error = await rejection(
      sharing.create(worker.context, grantToLado(recordId, items, { agreementId: '' })),
    );
    expect((error as ValidationError).fieldErrors.map((e) => e.field)).toContain('justification');
    // An agreement that does not cover the purpose is no agreement for this sharing.
    const uncovered = await rejection(
      sharing.create(worker.context, grantToLado(recordId, items, { purpose: 'care-and-support' })),
    );
    expect((uncovered as ValidationError).fieldErrors.map((e) => e.field)).toContain('agreementId');
  });

  it('refuses items the discloser may not read', async () => {
    const { recordId } = await recordWithItems(0);
    const other = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['elsewhere']);
    const error = await rejection(
      sharing.create(
        other.context,
        grantToLado(recordId, [{ recordId, kind: 'record', id: recordId }]),
      ),
    );
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('outside every agreement', () => {
  it('needs a written justification and a second approver, not the requester', async () => {
    const { recordId } = await recordWithItems(0);
    const id = await sharing.create(
      worker.context,
      grantToLado(recordId, [{ recordId, kind: 'record', id: recordId }], {
        agreementId: '',
        justification: 'Urgent: the LADO needs the plan today to decide on a strategy meeting.',
      }),
    );
    expect((await sharing.disclosure(worker.context, id)).status).toBe('awaiting-approval');
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(NotFoundError);
    // The requester cannot approve it, even holding a governance role.
    expect(await rejection(sharing.decide(worker.context, id, 'approve'))).toBeInstanceOf(
      ForbiddenError,
    );
    const selfIg = await sharing.create(
      ig.context,
      grantToLado(recordId, [{ recordId, kind: 'record', id: recordId }], {
        agreementId: '',
        justification: 'Governance officer asking on behalf of the duty team, urgently.',
      }),
    );
    expect(await rejection(sharing.decide(ig.context, selfIg, 'approve'))).toBeInstanceOf(
      ForbiddenError,
    );

    await sharing.decide(ig.context, id, 'approve');
    expect((await casework.open(lado.context, recordId)).parties).toHaveLength(1);
    expect(await rejection(sharing.decide(ig.context, id, 'approve'))).toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('a package for a recipient outside Safekeep', () => {
  it('marks every page of the PDF, carries the JSON, and downloads once', async () => {
    const { recordId, noteIds, documentId } = await recordWithItems(12);
    const id = await sharing.create(worker.context, {
      items: [
        { recordId, kind: 'record', id: recordId },
        ...noteIds.map((n) => ({ recordId, kind: 'note' as const, id: n })),
        { recordId, kind: 'document', id: documentId },
      ],
      recipientId: 'kmisa-partners',
      recipientName: 'Kent Police, Child Abuse Investigation Team',
      purpose: 'child-protection-enquiry',
      agreementId: kmisa,
      lawfulBasis: '6(1)(c)',
      specialCondition: '9(2)(g)',
      consent: 'given',
    });
    const { content, filename } = await sharing.downloadPackage(worker.context, id);
    expect(filename).toBe(`disclosure-${id}.pdf`);
    const pdf = await getDocument({ data: new Uint8Array(content), standardFontDataUrl }).promise;
    expect(pdf.numPages).toBeGreaterThan(1);
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const text = (await page.getTextContent()).items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/\s+/g, ' ');
      expect(text, `page ${n}`).toContain(
        'Shared with Kent Police, Child Abuse Investigation Team on 2026-11-25 for Child protection enquiry',
      );
    }
    const attachments = (await pdf.getAttachments()) as Record<
      string,
      { filename: string; content: Uint8Array }
    >;
    const json = Object.values(attachments).find((a) => a.filename === 'disclosure.json');
    const parsed = JSON.parse(Buffer.from(json!.content).toString('utf8')) as {
      records: { notes: unknown[]; documents: { contentBase64: string }[] }[];
    };
    expect(parsed.records[0]?.notes).toHaveLength(12);
    expect(Buffer.from(parsed.records[0]!.documents[0]!.contentBase64, 'base64').toString()).toBe(
      'synthetic plan',
    );

    expect(await rejection(sharing.downloadPackage(worker.context, id))).toBeInstanceOf(
      ConflictError,
    );
    expect(await rejection(sharing.downloadPackage(ig.context, id))).toBeInstanceOf(ConflictError);
    const downloads = await database.db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('action', '=', 'disclosure.package.download')
      .execute();
    expect(downloads.filter((d) => d.object_ids[0] === id)).toHaveLength(1);
  });
});

describe('the disclosure log', () => {
  it('lists disclosures for governance, filterable by partner, purpose, basis and consent', async () => {
    const log = await sharing.log(ig.context);
    expect(log.entries.length).toBeGreaterThan(3);
    const given = await sharing.log(ig.context, { consent: 'given' });
    expect(given.entries.length).toBeGreaterThan(0);
    expect(given.entries.every((e) => e.consent === 'Given')).toBe(true);
    const police = await sharing.log(ig.context, {
      partner: 'kmisa-partners',
      purpose: 'child-protection-enquiry',
      basis: '6(1)(c)',
    });
    expect(police.entries.map((e) => e.recipientName)).toEqual([
      'Kent Police, Child Abuse Investigation Team',
    ]);
    expect(await rejection(sharing.log(worker.context))).toBeInstanceOf(NotFoundError);
  });
});

/** A plan whose child has a known name and date of birth, with detail beyond the category of abuse. */
async function planWithFields() {
  const child = await createPerson(database.db, 'kent-scs', {
    givenName: 'Fieldina',
    familyName: 'Synthetic',
    dateOfBirth: '2016-02-29',
  });
  const recordId = await casework.create(worker.context, {
    category: 'child-protection-plan',
    subjectPersonId: child,
    openedOn: '2025-01-10',
    detail: {
      categoryOfAbuse: 'emotional-abuse',
      planStartedOn: '2025-01-20',
      conferences: [{ kind: 'initial', heldOn: '2025-01-18', decision: 'plan-made' }],
    },
  });
  const noteId = await casework.addNote(worker.context, recordId, {
    occurredOn: '2025-02-01',
    kind: 'visit',
    text: 'Synthetic note that is not shared',
  });
  const documentId = await casework.addDocument(worker.context, recordId, {
    filename: 'plan.txt',
    mediaType: 'text/plain',
    content: Buffer.from('synthetic plan'),
  });
  return { child, recordId, noteId, documentId };
}

const fieldItems = (recordId: string, fields: string[]): DisclosureInput['items'] =>
  fields.map((field) => ({ recordId, kind: 'field' as const, field }));

describe('field-level items', () => {
  it('a grant of some fields shows exactly those fields and nothing else, and nothing once it ends', async () => {
    const { recordId, documentId } = await planWithFields();
    const id = await sharing.create(
      worker.context,
      grantToLado(
        recordId,
        fieldItems(recordId, ['subject.name', 'subject.dateOfBirth', 'detail.categoryOfAbuse']),
        { expiresOn: '2026-11-30' },
      ),
    );
    const view = await casework.open(lado.context, recordId);
    expect(view.access).toEqual({ via: 'grant', canWrite: false });
    expect(view.parties).toEqual([
      expect.objectContaining({
        role: 'subject',
        givenName: 'Fieldina',
        familyName: 'Synthetic',
        dateOfBirth: '2016-02-29',
      }),
    ]);
    expect(view.detail).toEqual({ categoryOfAbuse: 'emotional-abuse' });
    expect(view.factNames).toEqual([]);
    expect(view.notes).toEqual([]);
    expect(view.documents).toEqual([]);
    expect(view.sources).toEqual([]);
    expect(view.allocatedWorker).toBeNull();
    expect(
      await rejection(casework.readDocument(lado.context, recordId, documentId)),
    ).toBeInstanceOf(NotFoundError);

    // The holder's page names the fields shared.
    const disclosure = await sharing.disclosure(worker.context, id);
    expect(disclosure.items.map((i) => i.fieldLabel)).toEqual([
      'Category of abuse',
      'Their date of birth',
      'Name of the person the record is about',
    ]);

    clock = new Date('2026-12-01T00:00:01Z');
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(NotFoundError);
    clock = new Date('2026-11-25T10:00:00Z');
    await sharing.revoke(worker.context, id);
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(NotFoundError);
  });

  it('a date of birth alone shows no name', async () => {
    const { recordId } = await planWithFields();
    await sharing.create(
      worker.context,
      grantToLado(recordId, fieldItems(recordId, ['subject.dateOfBirth'])),
    );
    const view = await casework.open(lado.context, recordId);
    expect(view.parties.map((p) => [p.givenName, p.familyName, p.dateOfBirth])).toEqual([
      ['Name not shared', '', '2016-02-29'],
    ]);
    expect(view.detail).toEqual({});
  });

  it('refuses a field the record does not have', async () => {
    const { recordId } = await planWithFields();
    const error = await rejection(
      sharing.create(
        worker.context,
        grantToLado(recordId, fieldItems(recordId, ['detail.employer'])),
      ),
    );
    expect((error as ValidationError).fieldErrors.map((e) => e.field)).toEqual(['items']);
  });

  it('a package of some fields holds only those fields', async () => {
    const { recordId } = await planWithFields();
    const id = await sharing.create(worker.context, {
      items: fieldItems(recordId, ['subject.dateOfBirth', 'detail.categoryOfAbuse']),
      recipientId: 'kmisa-partners',
      recipientName: 'Kent Police, Public Protection Unit',
      purpose: 'child-protection-enquiry',
      agreementId: kmisa,
      lawfulBasis: '6(1)(c)',
      specialCondition: '9(2)(g)',
      consent: 'given',
    });
    const { content } = await sharing.downloadPackage(worker.context, id);
    const pdf = await getDocument({ data: new Uint8Array(content), standardFontDataUrl }).promise;
    const attachments = (await pdf.getAttachments()) as Record<
      string,
      { filename: string; content: Uint8Array }
    >;
    const files = Object.values(attachments).map((a) => a.filename);
    expect(files).toEqual(['disclosure.json']);
    const json = Object.values(attachments).find((a) => a.filename === 'disclosure.json')!;
    const parsed = JSON.parse(Buffer.from(json.content).toString('utf8')) as {
      records: { summary: unknown; notes: unknown[]; documents: unknown[] }[];
    };
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]!.summary).toEqual({
      people: [{ name: 'Not shared', role: 'subject', dateOfBirth: '2016-02-29' }],
      facts: {},
      detail: { categoryOfAbuse: 'emotional-abuse' },
    });
    expect(parsed.records[0]!.notes).toEqual([]);
    expect(parsed.records[0]!.documents).toEqual([]);
    let text = '';
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      text += (await page.getTextContent()).items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ');
    }
    expect(text).toContain('emotional-abuse');
    expect(text).not.toContain('Fieldina');
    expect(text).not.toContain('2025-01-20');
    expect(text).not.toContain('not shared');
  });
});

describe('restricted records are never shared (UK GDPR Art 18(2))', () => {
  async function restrict(target: { recordId?: string; personId?: string }) {
    const { id } = await database.db
      .insertInto('restriction')
      .values({
        organisation_id: worker.context.organisation!.id,
        scope: target.recordId ? 'record' : 'person',
        record_id: target.recordId ?? null,
        person_id: target.personId ?? null,
        ground: 'accuracy-contested',
        placed_by: ig.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return async () => {
      await database.db
        .updateTable('restriction')
        .set({
          lifted_at: new Date(),
          lifted_by: ig.accountId,
          person_told_on: '2026-11-25',
          lift_reason: 'Accuracy checked and confirmed',
        })
        .where('id', '=', id)
        .execute();
    };
  }

  it('refuses a new disclosure, the share form, the grant and the package while restricted', async () => {
    const { recordId, noteId } = await planWithFields();
    await sharing.create(
      worker.context,
      grantToLado(recordId, [{ recordId, kind: 'note', id: noteId }]),
    );
    const packageId = await sharing.create(worker.context, {
      items: fieldItems(recordId, ['detail.categoryOfAbuse']),
      recipientId: 'kmisa-partners',
      recipientName: 'Kent Police, Public Protection Unit',
      purpose: 'child-protection-enquiry',
      agreementId: kmisa,
      lawfulBasis: '6(1)(c)',
      specialCondition: '9(2)(g)',
      consent: 'given',
    });
    const lift = await restrict({ recordId });

    const refused = await rejection(
      sharing.create(worker.context, grantToLado(recordId, fieldItems(recordId, ['subject.name']))),
    );
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toContain('restricted (UK GDPR Article 18)');
    expect(await rejection(sharing.shareForm(worker.context, recordId))).toBeInstanceOf(
      ConflictError,
    );
    expect(await rejection(casework.open(lado.context, recordId))).toBeInstanceOf(ConflictError);
    const download = await rejection(sharing.downloadPackage(worker.context, packageId));
    expect(download).toBeInstanceOf(ConflictError);
    expect((download as Error).message).toContain('restricted (UK GDPR Article 18)');
    // The refused download did not use the package up.
    const row = await database.db
      .selectFrom('disclosure')
      .select('package_downloaded_at')
      .where('id', '=', packageId)
      .executeTakeFirstOrThrow();
    expect(row.package_downloaded_at).toBeNull();

    await lift();
    expect((await casework.open(lado.context, recordId)).notes).toHaveLength(1);
    expect(
      (await sharing.downloadPackage(worker.context, packageId)).content.length,
    ).toBeGreaterThan(0);
  });

  it('refuses sharing a record whose subject is restricted', async () => {
    const { child, recordId } = await planWithFields();
    const lift = await restrict({ personId: child });
    expect(
      await rejection(
        sharing.create(
          worker.context,
          grantToLado(recordId, [{ recordId, kind: 'record', id: recordId }]),
        ),
      ),
    ).toBeInstanceOf(ConflictError);
    await lift();
  });
});
