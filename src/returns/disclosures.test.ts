import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { RightsService } from '../rights/service.js';
import type { SupplementaryInformation } from '../rights/supplementary.js';
import { disclosuresAboutPerson } from '../sharing/disclosure-log.js';
import { ReturnsService } from './service.js';

/**
 * A statutory return made is a disclosure the child can see: the disclosure
 * log read for a person lists each return that carried one of their records
 * (to whom, when, why and under which basis, in words), so a subject access
 * response says "sent to the Department for Education in the Children in
 * Need census of 31 March 2026". A child not in the return has none.
 */
let handle: DatabaseHandle;
let kent: string;
let ig: CaseworkStaff;
let ig2: CaseworkStaff;
let performance: CaseworkStaff;
let rights: RightsService;
let inCensus: string;
let notInCensus: string;
let parent: string;
let returnId: string;

beforeAll(async () => {
  handle = await testDatabase();
  const { db } = handle;
  kent = (
    await db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kent-scs')
      .executeTakeFirstOrThrow()
  ).id;
  rights = new RightsService(db, () => '2026-11-20');
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ig2 = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  performance = await caseworkStaff(db, 'kent-scs', ['performance']);
  const worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  const casework = new CaseworkService(db);
  const plan = (personId: string, openedOn: string) =>
    casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: personId,
      openedOn,
      detail: {
        categoryOfAbuse: 'neglect',
        referralSource: 'individual-family',
        primaryNeed: 'abuse-or-neglect',
      },
    });
  inCensus = await createPerson(db, 'kent-scs', {
    givenName: 'Bramble',
    familyName: 'Oakenshaw',
    dateOfBirth: '2016-04-04',
  });
  notInCensus = await createPerson(db, 'kent-scs', {
    givenName: 'Linnet',
    familyName: 'Farrowdale',
    dateOfBirth: '2015-05-05',
  });
  await db
    .updateTable('person')
    .set({ gender: 'female' })
    .where('id', 'in', [inCensus, notInCensus])
    .execute();
  // Open during the 2026 census year (1 April 2025 to 31 March 2026) …
  const record = await plan(inCensus, '2025-06-10');
  // … with a parent on it, whom the census does not carry.
  parent = await createPerson(db, 'kent-scs', {
    givenName: 'Rowan',
    familyName: 'Oakenshaw',
    dateOfBirth: '1988-09-09',
  });
  await casework.addParty(worker.context, record, { personId: parent, role: 'parent' });
  // … and one opened after it ended: not in that census.
  await plan(notInCensus, '2026-06-10');
  const run = await new ReturnsService(db).cinCensus(performance.context, {
    year: 2026,
    produce: true,
  });
  expect(run.failures.filter((f) => f.rule.kind === 'error')).toEqual([]);
  expect(run.children.map((c) => c.personId)).toContain(inCensus);
  expect(run.children.map((c) => c.personId)).not.toContain(notInCensus);
  returnId = run.returnId ?? '';
  expect(returnId).not.toBe('');
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

describe('a statutory return in the disclosure log', () => {
  it('is not a disclosure about a parent on the child’s record: a return carries only the child', async () => {
    expect(await disclosuresAboutPerson(handle.db, kent, parent)).toEqual([]);
  });

  it('is one of the child’s disclosures: the DfE, the census and its date, the basis, what went', async () => {
    const disclosures = await disclosuresAboutPerson(handle.db, kent, inCensus);
    expect(disclosures).toHaveLength(1);
    expect(disclosures[0]).toMatchObject({
      disclosureId: returnId,
      recipient: 'Department for Education',
      purpose: 'Statutory return: the Children in Need census of 31 March 2026',
      lawfulBasis: '6(1)(c)',
      agreement: null,
      items: [{ recordCategory: 'child-protection-plan', kinds: ['field'] }],
    });
    expect(disclosures[0]?.disclosedOn).toBeInstanceOf(Date);
  });

  it('is not among the disclosures of a child the return did not carry', async () => {
    expect(await disclosuresAboutPerson(handle.db, kent, notInCensus)).toEqual([]);
  });

  it('is named in the subject access response, on the page, in the bundle and in its PDF', async () => {
    const id = await approvedAccessRequest(inCensus, 'Bramble', 'Oakenshaw');
    const onPage = await rights.supplementaryForRequest(ig.context, id);
    const json = (await rights.bundle(ig.context, id, 'json')).body as {
      supplementaryInformation: SupplementaryInformation;
    };
    const recipients = json.supplementaryInformation.recipients;
    expect(onPage.recipients).toEqual(recipients);
    expect(recipients.disclosures).toHaveLength(1);
    expect(recipients.disclosures[0]).toMatchObject({
      recipient: 'Department for Education',
      purpose: 'Statutory return: the Children in Need census of 31 March 2026',
      lawfulBasis: 'Legal obligation (Art 6(1)(c) UK GDPR)',
      agreement: null,
      what: ['Child protection plan: some details'],
    });
    expect(recipients.disclosures[0]?.on).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    const words = await pdfText((await rights.bundle(ig.context, id, 'pdf')).body as Buffer);
    expect(words).toContain('shared with Department for Education');
    expect(words).toContain('the Children in Need census of 31 March 2026');
  });

  it('leaves the response of a child not in the return saying nothing was shared', async () => {
    const id = await approvedAccessRequest(notInCensus, 'Linnet', 'Farrowdale');
    const words = await pdfText((await rights.bundle(ig.context, id, 'pdf')).body as Buffer);
    expect(words).toContain('We have not shared the information in this response with anyone.');
    expect(words).not.toContain('Department for Education');
  });
});
