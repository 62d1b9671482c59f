import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { RightsService } from '../../rights/service.js';
import type { ComplainantInput } from './schemas.js';
import { ComplaintsService } from './service.js';

/** 10:00 on 1 March 2026 in England (GMT). */
let now = new Date('2026-03-01T10:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let complaints: ComplaintsService;
let ig: CaseworkStaff;
let dpo: CaseworkStaff;
let practitioner: CaseworkStaff;
let manager: CaseworkStaff;
let ladoIg: CaseworkStaff;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  complaints = new ComplaintsService(db, { now: () => now });
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  dpo = await caseworkStaff(db, 'kent-scs', ['data-protection-officer']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner']);
  manager = await caseworkStaff(db, 'kent-scs', ['team-manager']);
  ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
});

afterAll(async () => {
  await handle.close();
});

const complainant = (over: Partial<ComplainantInput> = {}): ComplainantInput => ({
  fullName: 'Synthetic Complainant',
  email: 'complainant@synthetic.example',
  postalAddress: null,
  phone: null,
  about: 'You sent my son’s records to the wrong address.',
  theirReference: null,
  onBehalf: 'no',
  onBehalfName: null,
  onBehalfRelationship: null,
  ...over,
});

async function auditOf(id: string) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'actor_account_id', 'outcome', 'object_ids', 'purpose'])
    .where(sql<boolean>`${id}::text = any(object_ids)`)
    .orderBy('seq')
    .execute();
}

describe('complaints from the public form', () => {
  it('are received today in England, with a reference to read out and day 30 to acknowledge', async () => {
    now = new Date('2026-03-01T10:00:00Z');
    const received = await complaints.receive('kent-scs', complainant());
    expect(received.acknowledgeBy).toBe('2026-03-30');
    expect(received.reference).toMatch(/^[a-z]+-[a-z]+-\d{2}$/);
    expect(received.referenceInWords).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
    const row = await db
      .selectFrom('complaint')
      .selectAll()
      .where('reference', '=', received.reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'web-form',
      received_on: '2026-03-01',
      acknowledge_by: '2026-03-30',
      state: 'received',
      recorded_by: null,
    });
    const audit = await auditOf(row.id);
    expect(audit).toEqual([
      {
        action: 'complaint.receive',
        actor_account_id: null,
        outcome: 'success',
        object_ids: [row.id],
        purpose: 'public-form',
      },
    ]);
  });

  it('take the day in England: 00:30 BST on 30 March 2026 is 30 March', async () => {
    now = new Date('2026-03-29T23:30:00Z');
    const received = await complaints.receive('kent-scs', complainant());
    expect(received.acknowledgeBy).toBe('2026-04-28');
  });

  it('refuse an organisation that does not exist, and a complaint with no way back', async () => {
    await expect(complaints.receive('no-such-council', complainant())).rejects.toThrow(
      NotFoundError,
    );
    await expect(complaints.receive('../kent-scs', complainant())).rejects.toThrow(NotFoundError);
    const before = await db
      .selectFrom('complaint')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirst();
    await expect(
      complaints.receive(
        'kent-scs',
        complainant({ email: null, postalAddress: null, phone: null }),
      ),
    ).rejects.toThrow(ValidationError);
    await expect(
      complaints.receive('kent-scs', complainant({ onBehalf: 'yes', onBehalfName: null })),
    ).rejects.toThrow(ValidationError);
    const after = await db
      .selectFrom('complaint')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(after).toEqual(before);
  });
});

describe('who may see and handle complaints', () => {
  let id: string;
  beforeAll(async () => {
    now = new Date('2026-03-01T10:00:00Z');
    id = await complaints.record(ig.context, {
      ...complainant(),
      channel: 'phone',
      receivedOn: '2026-02-27',
    });
  });

  it('information governance and the DPO of the organisation', async () => {
    expect((await complaints.get(ig.context, id)).complaint.id).toBe(id);
    expect((await complaints.get(dpo.context, id)).complaint.id).toBe(id);
    const list = await complaints.list(dpo.context);
    expect(list.open.map((c) => c.id)).toContain(id);
  });

  it('nobody else: another role, or governance elsewhere, is answered as a complaint that does not exist', async () => {
    for (const staff of [practitioner, manager, ladoIg]) {
      await expect(complaints.get(staff.context, id)).rejects.toThrow(NotFoundError);
      await expect(complaints.addNote(staff.context, id, { body: 'Looked' })).rejects.toThrow(
        NotFoundError,
      );
      await expect(complaints.letter(staff.context, id)).rejects.toThrow(NotFoundError);
    }
    for (const staff of [practitioner, manager]) {
      await expect(complaints.list(staff.context)).rejects.toThrow(NotFoundError);
      await expect(complaints.counts(staff.context, '2026-Q1')).rejects.toThrow(NotFoundError);
      expect(await complaints.reminders(staff.context)).toBeNull();
      await expect(
        complaints.record(staff.context, {
          ...complainant(),
          channel: 'phone',
          receivedOn: '2026-02-27',
        }),
      ).rejects.toThrow(NotFoundError);
    }
    // Kent LADO's own list does not show Kent SCS's complaint.
    const lado = await complaints.list(ladoIg.context);
    expect([...lado.open, ...lado.closed].map((c) => c.id)).not.toContain(id);
  });

  it('a refused id and one that names nothing do the same work and write the same denied event', async () => {
    const missing = randomUUID();
    await expect(complaints.get(ladoIg.context, id)).rejects.toThrow(NotFoundError);
    await expect(complaints.get(ladoIg.context, missing)).rejects.toThrow(NotFoundError);
    const denied = async (objectId: string) =>
      (await auditOf(objectId))
        .filter((e) => e.outcome === 'denied' && e.actor_account_id === ladoIg.accountId)
        .map((e) => e.action);
    expect(await denied(missing)).toEqual(['complaint.read']);
    expect((await denied(id)).at(-1)).toBe('complaint.read');
    // A malformed id names nothing and is answered without a query or an event.
    await expect(complaints.get(ladoIg.context, 'not-an-id')).rejects.toThrow(NotFoundError);
  });
});

describe('a complaint from receipt to outcome', () => {
  it('is acknowledged, investigated, updated, linked and closed, every step audited', async () => {
    now = new Date('2026-03-20T10:00:00Z');
    const id = await complaints.record(ig.context, {
      ...complainant({ postalAddress: '1 Synthetic Street\nMaidstone\nME1 1AA' }),
      channel: 'letter',
      receivedOn: '2026-03-02',
    });
    let page = await complaints.get(ig.context, id);
    expect(page.complaint.acknowledge_by).toBe('2026-03-31');
    expect(page.statusInWords).toBe('Acknowledge by 31 March 2026 (11 days left)');
    expect(await complaints.reminders(ig.context)).toMatchObject({ dueSoon: 0 });

    // Closing before acknowledging is refused; so is an acknowledgement dated before receipt.
    await expect(
      complaints.close(ig.context, id, {
        outcome: 'upheld',
        findings: 'We found the letter went astray.',
        actions: null,
        on: '2026-03-20',
        version: page.complaint.version,
      }),
    ).rejects.toThrow(ValidationError);
    await expect(
      complaints.acknowledge(ig.context, id, { on: '2026-03-01', via: 'letter', version: 1 }),
    ).rejects.toThrow(/on or after the day the complaint was received, 2 March 2026/);
    await expect(
      complaints.acknowledge(ig.context, id, { on: '2026-03-20', via: 'letter', version: 99 }),
    ).rejects.toThrow(ConflictError);

    await complaints.acknowledge(ig.context, id, { on: '2026-03-20', via: 'letter', version: 1 });
    await expect(
      complaints.acknowledge(ig.context, id, { on: '2026-03-20', via: 'letter', version: 2 }),
    ).rejects.toThrow(ConflictError);
    await complaints.addNote(dpo.context, id, { body: 'Post room confirms the misdelivery.' });
    await complaints.sendUpdate(ig.context, id, {
      on: '2026-03-20',
      via: 'email',
      body: 'We are still looking into this.',
    });

    const rights = new RightsService(db, () => '2026-03-20');
    const requestId = await rights.create(ig.context, {
      type: 'access',
      receivedOn: '2026-01-05',
      channel: 'email',
      description: 'Everything about me',
      requesterRole: 'self',
      requesterName: 'Synthetic Complainant',
      requesterContact: 'complainant@synthetic.example',
      identityCheck: 'photo-id-seen',
      subject: { givenName: 'Synthetic', familyName: 'Complainant', dateOfBirth: '1990-01-01' },
    });
    const ladoRequest = await rights.create(ladoIg.context, {
      type: 'access',
      receivedOn: '2026-01-05',
      channel: 'email',
      description: 'Everything about me',
      requesterRole: 'self',
      requesterName: 'Synthetic Other',
      requesterContact: 'other@synthetic.example',
      identityCheck: 'photo-id-seen',
      subject: { givenName: 'Synthetic', familyName: 'Other', dateOfBirth: '1990-01-01' },
    });
    // Another organisation's request, one that names nothing and a malformed id: one answer.
    for (const other of [ladoRequest, randomUUID(), 'not-an-id']) {
      await expect(
        complaints.linkRightsRequest(ig.context, id, { rightsRequestId: other }),
      ).rejects.toThrow('rightsRequestId: Select a rights request from the list');
    }
    await complaints.linkRightsRequest(ig.context, id, { rightsRequestId: requestId });
    await complaints.linkRightsRequest(ig.context, id, { rightsRequestId: requestId });

    page = await complaints.get(ig.context, id);
    expect(page.links.map((l) => l.request_id)).toEqual([requestId]);
    expect(page.rightsRequestChoices.map((r) => r.id)).not.toContain(requestId);
    expect(page.entries.map((e) => [e.kind, e.sent_on])).toEqual([
      ['note', null],
      ['progress-update', '2026-03-20'],
    ]);

    await expect(complaints.letter(ig.context, id)).rejects.toThrow(NotFoundError);
    await expect(
      complaints.close(ig.context, id, {
        outcome: 'upheld',
        findings: 'x',
        actions: null,
        on: '2026-03-19',
        version: 2,
      }),
    ).rejects.toThrow(/on or after the day the complaint was acknowledged/);
    await complaints.close(ig.context, id, {
      outcome: 'partly-upheld',
      findings: 'Your letter went to the wrong address.\n\nThe rest was handled correctly.',
      actions: 'We have retrained the post room.',
      on: '2026-03-20',
      version: 2,
    });
    await expect(
      complaints.sendUpdate(ig.context, id, { on: '2026-03-20', via: 'email', body: 'Late' }),
    ).rejects.toThrow(ConflictError);

    const { letter } = await complaints.letter(ig.context, id);
    expect(letter.to).toEqual([
      'Synthetic Complainant',
      '1 Synthetic Street',
      'Maidstone',
      'ME1 1AA',
    ]);
    expect(letter.sections.map((s) => s.heading)).toEqual([
      'Your complaint',
      'What we decided',
      'What we found',
      'What we will do',
      'If you are not happy with our answer',
    ]);
    expect(letter.sections[2]!.paragraphs).toEqual([
      'Your letter went to the wrong address.',
      'The rest was handled correctly.',
    ]);
    expect(letter.ico).toMatchObject({
      phone: '0303 123 1113',
      web: 'ico.org.uk/make-a-complaint',
      address: ['Wycliffe House', 'Water Lane', 'Wilmslow', 'Cheshire', 'SK9 5AF'],
    });

    const actions = (await auditOf(id)).map((e) => e.action);
    for (const action of [
      'complaint.record',
      'complaint.read',
      'complaint.acknowledge',
      'complaint.note',
      'complaint.update',
      'complaint.link',
      'complaint.close',
      'complaint.letter',
    ]) {
      expect(actions).toContain(action);
    }
    // Ids only: nothing the complainant wrote reaches the audit log.
    const events = await db.selectFrom('audit_event').selectAll().execute();
    expect(JSON.stringify(events)).not.toMatch(/Synthetic Complainant|wrong address|complainant@/);
  });

  it('counts each period by received, acknowledged in time or late, and closed by outcome', async () => {
    const march = await complaints.counts(ig.context, '2026-03');
    expect(march.period.label).toBe('March 2026');
    expect(march.counts).toMatchObject({ acknowledged: 1, acknowledgedInTime: 1, closed: 1 });
    expect(march.counts.byOutcome['partly-upheld']).toBe(1);
    expect(march.csv.split('\r\n')[0]).toBe('organisation,period_from,period_to,measure,count');
    expect(march.csv).toContain('"Acknowledged within 30 days",1');
    const february = await complaints.counts(ig.context, '2026-02');
    expect(february.counts.received).toBe(1);
    await expect(complaints.counts(ig.context, '2026-13')).rejects.toThrow(ValidationError);
  });

  it('reminds governance of complaints to acknowledge and of complainants not heard from', async () => {
    now = new Date('2026-03-27T10:00:00Z');
    // Received 27 February: day 30 was 28 March, so 1 day left.
    const reminders = await complaints.reminders(ig.context);
    expect(reminders?.dueSoon).toBeGreaterThanOrEqual(1);
    now = new Date('2026-04-30T10:00:00Z');
    const later = await complaints.reminders(dpo.context);
    expect(later?.overdue).toBeGreaterThanOrEqual(1);
  });
});
