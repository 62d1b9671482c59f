import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { OrganisationSlug } from '../../src/policy/index.js';
import { createPerson, organisationId } from './casework.js';

/**
 * A synthetic child known to an organisation, for subject access tests: an
 * NHS number and UPN from the ranges never issued (reference.md), an alias,
 * a mother and a sibling, a child-in-need record with notes that name the
 * family, a professional and an anonymous referrer, a document and
 * information received. Names are made up for the test.
 */
export const SAR_NHS_NUMBER = '9990000018';
export const SAR_UPN = 'B801200005001';
export const DISCLOSED_SENTENCE = 'The social worker visited the family home on Tuesday.';

export interface SarFixture {
  childId: string;
  motherId: string;
  siblingId: string;
  recordId: string;
  noteIds: string[];
  /** A note in the sibling's record naming the child. */
  mentionNoteId: string;
}

export async function sarFixture(
  db: Kysely<Database>,
  input: {
    organisation?: OrganisationSlug;
    authorAccountId: string;
    givenName?: string;
    familyName?: string;
    dateOfBirth?: string;
  },
): Promise<SarFixture> {
  const organisation = input.organisation ?? 'kent-scs';
  const orgId = await organisationId(db, organisation);
  const givenName = input.givenName ?? 'Rowan';
  const familyName = input.familyName ?? 'Fairweather';
  const childId = await createPerson(db, organisation, {
    givenName,
    familyName,
    dateOfBirth: input.dateOfBirth ?? '2014-02-11',
  });
  const motherId = await createPerson(db, organisation, {
    givenName: 'Marigold',
    familyName,
    dateOfBirth: '1985-03-04',
  });
  const siblingId = await createPerson(db, organisation, {
    givenName: 'Juniper',
    familyName,
    dateOfBirth: '2011-07-07',
  });
  await db
    .insertInto('person_name')
    .values({
      person_id: childId,
      organisation_id: orgId,
      kind: 'alias',
      given_name: 'Ro',
      family_name: 'Stormcastle',
    })
    .execute();
  await db
    .insertInto('person_identifier')
    .values([
      { person_id: childId, organisation_id: orgId, type: 'nhs-number', value: SAR_NHS_NUMBER },
      { person_id: childId, organisation_id: orgId, type: 'upn', value: SAR_UPN },
    ])
    .execute();
  const { id: recordId } = await db
    .insertInto('case_record')
    .values({ organisation_id: orgId, category: 'child-in-need', opened_on: '2024-01-10' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('record_party')
    .values([
      { record_id: recordId, person_id: childId, role: 'subject' },
      { record_id: recordId, person_id: motherId, role: 'parent' },
      { record_id: recordId, person_id: siblingId, role: 'sibling' },
    ])
    .execute();
  const noteIds: string[] = [];
  for (const [day, text] of [
    [
      '2024-01-11',
      `An anonymous referrer, a neighbour at number 12, called about ${givenName}. ${DISCLOSED_SENTENCE}`,
    ],
    [
      '2024-01-20',
      `Marigold ${familyName} said Juniper had been unwell. ${givenName} was settled at school.`,
    ],
  ] as const) {
    const { id } = await db
      .insertInto('case_note')
      .values({
        record_id: recordId,
        author_account_id: input.authorAccountId,
        occurred_on: day,
        kind: 'visit',
        text,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    noteIds.push(id);
  }
  await db
    .insertInto('record_document')
    .values({
      record_id: recordId,
      filename: 'assessment.txt',
      media_type: 'text/plain',
      size_bytes: 4,
      content: Buffer.from('test'),
      uploaded_by: input.authorAccountId,
    })
    .execute();
  await db
    .insertInto('record_source')
    .values({
      record_id: recordId,
      kind: 'school-attendance',
      provider: 'Synthetic Primary School',
      received_on: '2024-01-15',
      summary: 'Attendance 92% this term.',
      added_by: input.authorAccountId,
    })
    .execute();
  // The sibling's own record names the child in a note: the child's data too.
  const { id: siblingRecordId } = await db
    .insertInto('case_record')
    .values({ organisation_id: orgId, category: 'child-in-need', opened_on: '2023-05-01' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('record_party')
    .values({ record_id: siblingRecordId, person_id: siblingId, role: 'subject' })
    .execute();
  const { id: mentionNoteId } = await db
    .insertInto('case_note')
    .values({
      record_id: siblingRecordId,
      author_account_id: input.authorAccountId,
      occurred_on: '2023-05-02',
      kind: 'note',
      text: `Juniper spoke warmly of ${givenName} ${familyName}.`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { childId, motherId, siblingId, recordId, noteIds, mentionNoteId };
}
