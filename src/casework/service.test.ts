import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { chainAndVerify } from '../../test/support/audit.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../platform/errors/errors.js';
import { UNUSUAL_DAILY_READS } from './access-monitoring.js';
import { destroyRecord, destroyRecords } from './destruction.js';
import {
  BreakGlassRequiredError,
  CaseworkService,
  recomputeRetentionForPerson,
} from './service.js';
import { findCategory } from '../policy/index.js';
import { MAX_DOCUMENT_BYTES } from './schemas.js';

let database: DatabaseHandle;
let service: CaseworkService;
const TODAY = '2026-11-25';

let assessmentWorker: CaseworkStaff;
let assessmentManager: CaseworkStaff;
let childrenInCareWorker: CaseworkStaff;
let adoptionWorker: CaseworkStaff;
let kentIg: CaseworkStaff;
let ladoOfficer: CaseworkStaff;
let kentLadoPartner: CaseworkStaff;
let dso: CaseworkStaff;
let maidstonePractitioner: CaseworkStaff;
let kscmpBusiness: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  service = new CaseworkService(database.db, { today: () => TODAY });
  const db = database.db;
  assessmentWorker = await caseworkStaff(
    db,
    'kent-scs',
    ['practitioner'],
    ['assessment'],
    'Sam Worker',
  );
  assessmentManager = await caseworkStaff(db, 'kent-scs', ['team-manager'], ['assessment']);
  childrenInCareWorker = await caseworkStaff(
    db,
    'kent-scs',
    ['practitioner'],
    ['children-in-care'],
    'Cass Okafor',
  );
  adoptionWorker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['adoption']);
  kentIg = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ladoOfficer = await caseworkStaff(db, 'kent-lado', ['lado-officer'], ['lado']);
  kentLadoPartner = await caseworkStaff(db, 'kent-lado', ['partner-agency']);
  dso = await caseworkStaff(db, 'maidstone-bc', ['designated-safeguarding-officer']);
  maidstonePractitioner = await caseworkStaff(db, 'maidstone-bc', ['practitioner']);
  kscmpBusiness = await caseworkStaff(db, 'kscmp', ['partnership-business']);
});
afterAll(async () => {
  await database.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function newCpp(worker = assessmentWorker, dateOfBirth = '2014-03-01') {
  const child = await createPerson(database.db, 'kent-scs', { dateOfBirth });
  const id = await service.create(worker.context, {
    category: 'child-protection-plan',
    subjectPersonId: child,
    openedOn: '2025-01-10',
    detail: { categoryOfAbuse: 'neglect' },
  });
  return { id, child };
}

describe('categories and detail', () => {
  it('refuses a category the organisation’s policy does not declare', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const error = await rejection(
      service.create(assessmentWorker.context, {
        category: 'lado-allegation',
        subjectPersonId: child,
        openedOn: '2025-01-10',
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors[0]).toMatchObject({ field: 'category' });
    const count = await database.db
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('category', '=', 'lado-allegation')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('validates the category detail and refuses facts the category does not record', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const missing = await rejection(
      service.create(assessmentWorker.context, {
        category: 'child-protection-plan',
        subjectPersonId: child,
        openedOn: '2025-01-10',
        detail: {},
      }),
    );
    expect((missing as ValidationError).fieldErrors[0]?.field).toBe('detail.categoryOfAbuse');
    const wrongFact = await rejection(
      service.create(assessmentWorker.context, {
        category: 'child-protection-plan',
        subjectPersonId: child,
        openedOn: '2025-01-10',
        detail: { categoryOfAbuse: 'neglect' },
        facts: { outcome: 'substantiated' },
      }),
    );
    expect((wrongFact as ValidationError).fieldErrors[0]?.field).toBe('facts.outcome');
  });
});

describe('need-to-know', () => {
  it('keeps a Maidstone concern log entry to the Designated Safeguarding Officer', async () => {
    const person = await createPerson(database.db, 'maidstone-bc', { dateOfBirth: null });
    const id = await service.create(dso.context, {
      category: 'safeguarding-concern',
      subjectPersonId: person,
      openedOn: '2026-02-03',
      detail: { concernTypes: ['domestic-abuse'], gp: 'Synthetic Surgery' },
    });
    expect((await service.open(dso.context, id)).category).toBe('safeguarding-concern');
    expect(await rejection(service.open(maidstonePractitioner.context, id))).toBeInstanceOf(
      NotFoundError,
    );
    expect((await service.list(maidstonePractitioner.context)).records).toEqual([]);
    expect((await service.list(dso.context)).records.map((r) => r.id)).toContain(id);
    // The notice's seven years run from the date the concern was logged.
    const view = await service.open(dso.context, id);
    expect(view.retention).toMatchObject({ due: '2033-02-03', action: 'destroy' });
  });

  it('keeps LADO allegations to the LADO service, and never reads across organisations', async () => {
    const adult = await createPerson(database.db, 'kent-lado', { dateOfBirth: '1980-05-05' });
    const id = await service.create(ladoOfficer.context, {
      category: 'lado-allegation',
      subjectPersonId: adult,
      openedOn: '2026-01-05',
      detail: {
        employer: 'Synthetic Academy',
        employerSector: 'education',
        role: 'Teacher',
        allegation: 'Synthetic allegation text',
      },
    });
    expect((await service.open(ladoOfficer.context, id)).categoryName).toBeTruthy();
    for (const outsider of [kentLadoPartner, assessmentManager, kentIg, kscmpBusiness, dso]) {
      expect(await rejection(service.open(outsider.context, id))).toBeInstanceOf(NotFoundError);
    }
  });

  it('keeps adoption records to the adoption team, whoever the record is allocated to', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2019-01-01' });
    const id = await service.create(adoptionWorker.context, {
      category: 'adoption',
      subjectPersonId: child,
      openedOn: '2024-05-01',
      facts: { adoptionOrderDate: '2025-02-02' },
    });
    expect((await service.open(adoptionWorker.context, id)).retention).toMatchObject({
      due: '2125-02-02',
      ruleId: 'kent-scs/adoption/birth-plus-100',
    });
    // A team manager elsewhere, even allocated the record, cannot see it.
    await database.db
      .updateTable('case_record')
      .set({ allocated_account_id: assessmentManager.accountId })
      .where('id', '=', id)
      .execute();
    expect(await rejection(service.open(assessmentManager.context, id))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await rejection(
        service.create(assessmentWorker.context, {
          category: 'adoption',
          subjectPersonId: child,
          openedOn: '2024-05-01',
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);
  });

  it('lets a caseworker break glass with a reason, audited and listed for governance', async () => {
    const { id } = await newCpp(assessmentWorker);
    const error = await rejection(service.open(childrenInCareWorker.context, id));
    expect(error).toBeInstanceOf(BreakGlassRequiredError);
    expect(
      await rejection(service.breakGlass(childrenInCareWorker.context, id, { reason: 'short' })),
    ).toBeInstanceOf(ValidationError);
    await service.breakGlass(childrenInCareWorker.context, id, {
      reason: 'Out of hours call from police about this child',
    });
    const view = await service.open(childrenInCareWorker.context, id);
    expect(view.access).toEqual({ via: 'break-glass', canWrite: false });
    // Reading only: break-glass never opens writing.
    expect(
      await rejection(
        service.addNote(childrenInCareWorker.context, id, { text: 'x', occurredOn: TODAY }),
      ),
    ).toBeInstanceOf(ForbiddenError);

    const events = await database.db
      .selectFrom('audit_event')
      .select(['action', 'purpose', 'outcome'])
      .where('actor_account_id', '=', childrenInCareWorker.accountId)
      .orderBy('seq')
      .execute();
    expect(events).toEqual(
      expect.arrayContaining([
        { action: 'record.read', purpose: null, outcome: 'denied' },
        { action: 'record.break-glass', purpose: 'break-glass', outcome: 'success' },
        { action: 'record.read', purpose: 'break-glass', outcome: 'success' },
      ]),
    );
    // The free-text reason is kept with the record, never in the audit log.
    const rows = await database.db.selectFrom('audit_event').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('Out of hours');

    const monitoring = await service.accessMonitoring(kentIg.context);
    expect(monitoring.breakGlass).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recordId: id,
          reason: 'Out of hours call from police about this child',
        }),
      ]),
    );
    expect(monitoring.unallocated.map((u) => u.recordId)).toContain(id);
    const log = await service.accessLog(kentIg.context, id);
    expect(log.entries.map((e) => [e.action, e.purpose])).toEqual(
      expect.arrayContaining([
        ['record.read', 'break-glass'],
        ['record.create', 'casework'],
      ]),
    );
    // Governance pages are for governance.
    expect(await rejection(service.accessLog(assessmentWorker.context, id))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(service.accessMonitoring(assessmentWorker.context))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('flags a reader who shares a surname with someone in the record, and unusual volumes', async () => {
    const reader = await caseworkStaff(
      database.db,
      'kent-scs',
      ['practitioner'],
      ['assessment'],
      'Robin Zebedee-Test',
    );
    const child = await createPerson(database.db, 'kent-scs', { familyName: 'Zebedee-Test' });
    const id = await service.create(reader.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-01-01',
    });
    await service.open(reader.context, id);
    const ids: string[] = [];
    for (let i = 0; i <= UNUSUAL_DAILY_READS; i += 1) ids.push((await newCpp(reader)).id);
    for (const recordId of ids) await service.open(reader.context, recordId);
    const monitoring = await service.accessMonitoring(kentIg.context);
    expect(monitoring.sameSurname.map((s) => s.recordId)).toContain(id);
    expect(monitoring.unusualVolumes).toEqual(
      expect.arrayContaining([expect.objectContaining({ accountId: reader.accountId })]),
    );
  });

  it('lists only what the searcher may see', async () => {
    const { id } = await newCpp(assessmentWorker);
    expect((await service.list(assessmentManager.context)).records.map((r) => r.id)).toContain(id);
    expect(
      (await service.list(childrenInCareWorker.context)).records.map((r) => r.id),
    ).not.toContain(id);
    expect((await service.list(kentIg.context)).records.map((r) => r.id)).toContain(id);
  });
});

describe('editing', () => {
  it('refuses a stale edit and overwrites nothing', async () => {
    const { id } = await newCpp();
    const first = await service.update(assessmentWorker.context, id, {
      version: 1,
      detail: { categoryOfAbuse: 'emotional-abuse' },
    });
    expect(first).toBe(2);
    const stale = await rejection(
      service.update(assessmentManager.context, id, {
        version: 1,
        detail: { categoryOfAbuse: 'physical-abuse' },
      }),
    );
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as Error).message).toContain('changed by someone else');
    const view = await service.open(assessmentWorker.context, id);
    expect(view.detail.categoryOfAbuse).toBe('emotional-abuse');
    expect(view.version).toBe(2);
  });

  it('keeps the change history field by field: from, to, who, when', async () => {
    const { id } = await newCpp();
    await service.update(assessmentWorker.context, id, {
      version: 1,
      openedOn: '2025-01-11',
      closedOn: '2026-01-01',
      detail: { categoryOfAbuse: 'neglect', planStartedOn: '2025-01-20' },
    });
    const { changes } = await service.history(assessmentWorker.context, id);
    expect(changes.map((c) => [c.field, c.from, c.to, c.changedBy, c.version]).sort()).toEqual(
      [
        ['closedOn', null, '2026-01-01', 'Sam Worker', 2],
        ['detail.planStartedOn', null, '2025-01-20', 'Sam Worker', 2],
        ['openedOn', '2025-01-10', '2025-01-11', 'Sam Worker', 2],
      ].sort(),
    );
    expect(changes.every((c) => c.changedAt instanceof Date)).toBe(true);
  });
});

describe('documents', () => {
  const pdf = Buffer.from('%PDF-1.4 synthetic');

  it('limits size and type, and checks the content matches the type', async () => {
    const { id } = await newCpp();
    const add = (file: { filename: string; mediaType: string; content: Buffer }) =>
      rejection(service.addDocument(assessmentWorker.context, id, file));
    expect(
      await add({
        filename: 'big.pdf',
        mediaType: 'application/pdf',
        content: Buffer.concat([pdf, Buffer.alloc(MAX_DOCUMENT_BYTES)]),
      }),
    ).toBeInstanceOf(ValidationError);
    expect(
      await add({
        filename: 'run.exe',
        mediaType: 'application/x-msdownload',
        content: Buffer.from('MZ'),
      }),
    ).toBeInstanceOf(ValidationError);
    expect(
      await add({
        filename: 'fake.pdf',
        mediaType: 'application/pdf',
        content: Buffer.from('MZ not a pdf'),
      }),
    ).toBeInstanceOf(ValidationError);
    const docId = await service.addDocument(assessmentWorker.context, id, {
      filename: '../../etc/letter.pdf',
      mediaType: 'application/pdf',
      content: pdf,
    });
    const read = await service.readDocument(assessmentWorker.context, id, docId);
    expect(read).toEqual({ filename: 'letter.pdf', mediaType: 'application/pdf', content: pdf });
  });

  it('destroys the record with its documents, notes, sources, parties and history', async () => {
    const { id, child } = await newCpp();
    await service.addDocument(assessmentWorker.context, id, {
      filename: 'letter.pdf',
      mediaType: 'application/pdf',
      content: pdf,
    });
    await service.addNote(assessmentWorker.context, id, {
      text: 'Visited',
      occurredOn: '2025-02-01',
    });
    await service.addSource(assessmentWorker.context, id, {
      kind: 'police-missing-report',
      provider: 'Synthetic Police',
      receivedOn: '2025-02-02',
      summary: 'Reported missing overnight',
    });
    await service.update(assessmentWorker.context, id, { version: 1, closedOn: '2026-01-01' });
    const result = await database.db
      .transaction()
      .execute((trx) => destroyRecord(trx, id, { accountId: null, purpose: 'retention' }));
    expect(result).toMatchObject({
      personIds: [child],
      documents: 1,
      notes: 1,
      sources: 1,
      parties: 1,
    });
    for (const table of [
      'record_document',
      'case_note',
      'record_source',
      'record_change',
      'record_party',
    ] as const) {
      const left = await database.db
        .selectFrom(table)
        .select('record_id')
        .where('record_id', '=', id)
        .execute();
      expect(left, table).toEqual([]);
    }
    expect(await rejection(service.open(assessmentWorker.context, id))).toBeInstanceOf(
      NotFoundError,
    );
    expect((await service.recordsForPerson(child)).map((r) => r.recordId)).not.toContain(id);
    expect(await chainAndVerify(database.db)).toMatchObject({ ok: true });
  });

  it('destroys many records as one set, for the retention sweep', async () => {
    const a = await newCpp();
    const b = await newCpp();
    await service.addNote(assessmentWorker.context, a.id, { text: 'Note', occurredOn: TODAY });
    const result = await database.db
      .transaction()
      .execute((trx) => destroyRecords(trx, [a.id, b.id]));
    expect(result).toMatchObject({ records: 2, notes: 1, parties: 2 });
    expect(result.personIds.sort()).toEqual([a.child, b.child].sort());
    const left = await database.db
      .selectFrom('case_record')
      .select('id')
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(left).toEqual([]);
  });
});

describe('the chronology', () => {
  it('puts records, events, notes and sources across the child’s file in date order, with sources', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2013-04-04' });
    const cin = await service.create(assessmentWorker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2024-06-01',
      closedOn: '2024-12-01',
      detail: { assessmentCompletedOn: '2024-07-15' },
    });
    const cpp = await service.create(assessmentWorker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2024-12-01',
      detail: {
        categoryOfAbuse: 'neglect',
        conferences: [{ kind: 'initial', heldOn: '2024-12-10', decision: 'plan-made' }],
      },
    });
    await service.addNote(assessmentWorker.context, cpp, {
      text: 'Home visit',
      occurredOn: '2025-01-05',
      kind: 'visit',
    });
    await service.addSource(assessmentWorker.context, cin, {
      kind: 'school-attendance',
      provider: 'Synthetic Primary',
      receivedOn: '2024-06-20',
      summary: 'Attendance 71% this term',
    });
    // A record the reader may not see contributes nothing. Since decision 0005
    // closed its open question, another team may no longer open a record for a
    // child it cannot see; the team that holds the child opens it and
    // allocates it to them.
    const hidden = await service.create(assessmentManager.context, {
      category: 'looked-after',
      subjectPersonId: child,
      openedOn: '2024-09-09',
    });
    await service.update(assessmentManager.context, hidden, {
      version: 1,
      allocatedAccountId: childrenInCareWorker.accountId,
      allocatedTeamId: childrenInCareWorker.context.teams[0]!.id,
    });

    const { entries } = await service.chronology(assessmentWorker.context, child);
    const cinName = findCategory('kent-scs', 'child-in-need')!.name;
    expect(entries.map((e) => [e.date, e.text, e.source])).toEqual([
      ['2024-06-01', `${cinName} opened`, `${cinName} record`],
      ['2024-06-20', 'Attendance 71% this term', 'School attendance from Synthetic Primary'],
      ['2024-07-15', 'Child in need assessment completed', `${cinName} record`],
      ['2024-12-01', 'Child protection plan opened', 'Child protection plan record'],
      ['2024-12-01', `${cinName} closed`, `${cinName} record`],
      [
        '2024-12-10',
        'Initial child protection conference: Plan made',
        'Child protection plan record',
      ],
      [
        '2025-01-05',
        'Home visit',
        'Visit recorded by Sam Worker on the child protection plan record',
      ],
    ]);
    expect(entries.map((e) => e.recordId)).not.toContain(hidden);
    // Someone in no record the reader may see is "not found", as is anyone elsewhere.
    const stranger = await createPerson(database.db, 'kent-scs');
    await service.create(childrenInCareWorker.context, {
      category: 'looked-after',
      subjectPersonId: stranger,
      openedOn: '2024-09-09',
    });
    expect(await rejection(service.chronology(assessmentWorker.context, stranger))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(service.chronology(dso.context, child))).toBeInstanceOf(NotFoundError);
  });
});

describe('retention stored with the record', () => {
  it('computes on creation from the subject’s date of birth', async () => {
    const { id } = await newCpp(assessmentWorker, '2014-03-01');
    const view = await service.open(assessmentWorker.context, id);
    expect(view.retention).toMatchObject({
      status: 'scheduled',
      due: '2054-03-01',
      action: 'destroy',
      ruleId: 'kent-scs/child-protection-plan/birth-plus-40',
      needsReview: false,
    });
  });

  it('sets the due date when a LADO allegation is closed with an outcome', async () => {
    const adult = await createPerson(database.db, 'kent-lado', { dateOfBirth: '1975-07-07' });
    const id = await service.create(ladoOfficer.context, {
      category: 'lado-allegation',
      subjectPersonId: adult,
      openedOn: '2026-01-05',
      detail: {
        employer: 'Synthetic FC',
        employerSector: 'sport',
        role: 'Coach',
        allegation: 'Synthetic',
      },
    });
    expect((await service.open(ladoOfficer.context, id)).retention).toMatchObject({
      status: 'pending',
      due: null,
    });
    await service.update(ladoOfficer.context, id, {
      version: 1,
      closedOn: '2026-03-31',
      facts: { outcome: 'unfounded' },
    });
    expect((await service.open(ladoOfficer.context, id)).retention).toMatchObject({
      status: 'scheduled',
      due: '2036-03-31',
      action: 'review',
      ruleId: 'kent-lado/lado-allegation/malicious-false-unfounded-review-10',
    });
    await service.update(ladoOfficer.context, id, {
      version: 2,
      facts: { outcome: 'substantiated' },
    });
    expect((await service.open(ladoOfficer.context, id)).retention).toMatchObject({
      due: '2075-07-07',
      action: 'destroy',
    });
  });

  it('sends a record a correction makes already due to review, never to destruction that day', async () => {
    const person = await createPerson(database.db, 'kent-scs', { dateOfBirth: '1950-01-01' });
    const id = await service.create(assessmentWorker.context, {
      category: 'risk-register',
      subjectPersonId: person,
      openedOn: '2020-01-01',
      detail: { natureOfRisk: 'Synthetic' },
      facts: { cautionOrConvictionDate: '2010-06-06' },
    });
    expect((await service.open(assessmentWorker.context, id)).retention).toMatchObject({
      due: '2085-06-06',
      action: 'destroy',
    });
    await service.update(assessmentWorker.context, id, {
      version: 1,
      facts: { cautionOrConvictionDate: '1950-06-06' },
    });
    const corrected = (await service.open(assessmentWorker.context, id)).retention;
    expect(corrected).toMatchObject({
      status: 'needs-review',
      due: '2025-06-06',
      action: 'review',
      needsReview: true,
    });
    expect(corrected.explanation).toContain('already been reached');
  });

  it('recomputes a person’s records in the transaction that changes their date of birth', async () => {
    const { id, child } = await newCpp(assessmentWorker, '2014-03-01');
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('person')
          .set({ date_of_birth: '2016-03-01' })
          .where('id', '=', child)
          .execute();
        expect(await recomputeRetentionForPerson(trx, child, TODAY)).toEqual([id]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // Rolled back together: the stored date did not move without the fact.
    expect((await service.open(assessmentWorker.context, id)).retention.due).toBe('2054-03-01');
    await database.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('person')
        .set({ date_of_birth: '2016-03-01' })
        .where('id', '=', child)
        .execute();
      await recomputeRetentionForPerson(trx, child, TODAY);
    });
    expect((await service.open(assessmentWorker.context, id)).retention.due).toBe('2056-03-01');
  });
});
