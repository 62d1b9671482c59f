/**
 * One zod schema per input (design.md "Validation"), shared by the pages,
 * the API and other capabilities.
 */
import { z } from 'zod';
import { ValidationError } from '../platform/errors/errors.js';
import { categorySlugs } from '../policy/index.js';
import { pastDate } from '../platform/validation/dates.js';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import { recordFactsSchema } from './categories.js';

/** A person's part in a record. `subject` is the one retention's dates of birth and death describe. */
export const partyRoles = [
  'subject',
  'child',
  'parent',
  'carer',
  'sibling',
  'family-member',
  'friend',
  'other-adult',
  'foster-parent',
  'professional',
  'referrer',
] as const;
export type PartyRole = (typeof partyRoles)[number];

export const noteKinds = [
  'note',
  'visit',
  'phone-call',
  'meeting',
  'conference',
  'strategy-meeting',
  'court-hearing',
  'placement-change',
  'other',
] as const;

/**
 * Where a record's information came from (Kent SCS notice "We also obtain
 * personal information from the following other sources", and partners'
 * referrals in the other notices).
 */
export const sourceKinds = [
  'police-missing-report',
  'school-attendance',
  'school-exclusion',
  'partner-referral',
  'court-decision',
  'existing-records',
  'self-or-family',
  'other',
] as const;

const detailInput = z.record(z.string(), z.unknown());

// A record is opened and closed on days that have happened (docs/decisions/0011-date-ranges.md).
const openedOn = pastDate('date the record was opened');
const closedOn = pastDate('date the record was closed');

export const createRecordSchema = z.object({
  category: z.enum(categorySlugs, { error: 'Select a category' }),
  subjectPersonId: z.uuid({ error: 'Choose the person the record is about' }),
  openedOn: openedOn,
  closedOn: closedOn.nullable().optional(),
  allocatedAccountId: z.uuid().nullable().optional(),
  allocatedTeamId: z.uuid().nullable().optional(),
  facts: recordFactsSchema.default({}),
  detail: detailInput.default({}),
});
export type CreateRecordInput = z.input<typeof createRecordSchema>;

export const updateRecordSchema = z.object({
  /** The version the edit was made on: a stale version is refused (optimistic locking). */
  version: z.coerce.number().int().min(1),
  openedOn: openedOn.optional(),
  closedOn: closedOn.nullable().optional(),
  allocatedAccountId: z.uuid().nullable().optional(),
  allocatedTeamId: z.uuid().nullable().optional(),
  facts: recordFactsSchema.optional(),
  /** Replaces the category detail as a whole; validated by the category's schema. */
  detail: detailInput.optional(),
  /** Changes some detail fields and keeps the rest; a null removes a field. */
  detailPatch: detailInput.optional(),
});
export type UpdateRecordInput = z.input<typeof updateRecordSchema>;

export const noteSchema = z.object({
  text: multiLineText('the note')
    .min(1, 'Enter the note')
    .max(20_000, 'Note must be 20,000 characters or fewer'),
  occurredOn: pastDate('date of the note'),
  kind: z.enum(noteKinds).default('note'),
});
export type NoteInput = z.input<typeof noteSchema>;

export const partySchema = z.object({
  personId: z.uuid({ error: 'Choose a person' }),
  role: z.enum(partyRoles, { error: 'Select their role in the record' }),
});
export type PartyInput = z.input<typeof partySchema>;

export const sourceSchema = z.object({
  kind: z.enum(sourceKinds, { error: 'Select where the information came from' }),
  provider: singleLineText('who provided it').min(1, 'Enter who provided it').max(200),
  receivedOn: pastDate('date it was received'),
  reference: singleLineText('the reference').max(200).optional(),
  summary: multiLineText('what the information was')
    .min(1, 'Enter what the information was')
    .max(4000),
});
export type SourceInput = z.input<typeof sourceSchema>;

export const breakGlassSchema = z.object({
  reason: multiLineText('why you need to open this record')
    .min(10, 'Enter why you need to open this record (at least 10 characters)')
    .max(1000),
});

/** Document limits: big enough for a scanned letter, small enough for the database. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const allowedDocumentTypes = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'text/plain': 'text file',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
} as const;
export type DocumentType = keyof typeof allowedDocumentTypes;

export const documentApiSchema = z.object({
  filename: singleLineText('the file name').min(1, 'Enter the file name').max(200),
  mediaType: singleLineText('the file type').max(200),
  /** The file, base64-encoded. */
  contentBase64: z.base64(),
});

/**
 * A correction for a rectification request (src/rights): a record's facts
 * and dates only — never its allocation or its narrative detail, where an
 * opinion is annotated rather than rewritten.
 */
export const recordCorrectionSchema = updateRecordSchema.pick({
  version: true,
  openedOn: true,
  closedOn: true,
  facts: true,
});
export type RecordCorrectionInput = z.input<typeof recordCorrectionSchema>;

/** The input as its schema parses it, or a ValidationError naming each field at fault. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || 'form',
      message: issue.message,
    })),
  );
}
