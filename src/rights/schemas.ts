import { z } from 'zod';
import { pastDate } from '../platform/validation/dates.js';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import { categorySlugs } from '../policy/index.js';
import {
  annotationKinds,
  authorityEvidenceKinds,
  channels,
  decisionKinds,
  decisionOutcomes,
  identityChecks,
  noticeOutcomes,
  outcomeActions,
  outcomeSources,
  requestStates,
  requestTypes,
  requesterRoles,
  restrictionGrounds,
  subjectIdentifierTypes,
} from './tables.js';

/**
 * One zod schema per input, shared by the API (and so its OpenAPI
 * description) and the pages (design.md "Validation").
 */

// Every date a rights request records is a day that has happened: when it
// arrived, when a step was taken, when someone was told
// (docs/decisions/0011-date-ranges.md).
const isoDate = pastDate('date');
const optionalText = (max: number, label = 'this answer') =>
  multiLineText(label)
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const newRequestSchema = z.object({
  type: z.enum(requestTypes, { error: 'Select the type of request' }),
  receivedOn: pastDate('date the request was received').describe(
    'The day the request arrived, by any channel',
  ),
  channel: z.enum(channels, { error: 'Select how the request arrived' }),
  description: multiLineText('what the request asks for')
    .min(1, 'Enter what the request asks for')
    .max(10_000, 'The description must be 10,000 characters or fewer'),
  categories: z.array(z.enum(categorySlugs)).max(50).optional(),
  requesterRole: z.enum(requesterRoles, { error: 'Select who is asking' }),
  requesterName: singleLineText('the requester’s name')
    .min(1, 'Enter the requester’s name')
    .max(200),
  requesterContact: multiLineText('how to contact the requester')
    .min(1, 'Enter how to contact the requester')
    .max(500, 'The contact details must be 500 characters or fewer'),
  identityCheck: z.enum(identityChecks, { error: 'Select how identity was checked' }),
  authorityEvidence: z.enum(authorityEvidenceKinds).optional(),
  authorityNote: optionalText(2000),
  subject: z.object({
    givenName: singleLineText('the subject’s first name')
      .min(1, 'Enter the subject’s first name')
      .max(200),
    familyName: singleLineText('the subject’s last name')
      .min(1, 'Enter the subject’s last name')
      .max(200),
    otherNames: optionalText(500, 'other names').describe('Previous names and aliases, as given'),
    dateOfBirth: pastDate('subject’s date of birth').optional(),
    identifiers: z
      .array(
        z.object({
          type: z.enum(subjectIdentifierTypes),
          value: singleLineText('the identifier').min(1, 'Enter the identifier').max(100),
        }),
      )
      .max(20)
      .optional(),
  }),
});

export const transitionSchema = z.object({
  to: z.enum(requestStates, { error: 'Select what happens next' }),
  on: isoDate.optional().describe('The day the step happened; today if not given'),
  note: optionalText(4000),
  identityCheck: z.enum(identityChecks).optional(),
  authorityEvidence: z.enum(authorityEvidenceKinds).optional(),
  authorityNote: optionalText(2000),
  extension: z
    .object({
      toldOn: pastDate('date they were told'),
      reason: multiLineText('the reason for the extension')
        .min(1, 'Give the reason for the extension')
        .max(4000),
      months: z.union([z.literal(1), z.literal(2)]),
    })
    .optional(),
  expectedVersion: z.number().int().optional().describe('Optimistic locking: the version read'),
});

export const decisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('portability') }),
  z.object({ kind: z.literal('erasure') }),
  z.object({ kind: z.literal('automated-decision-objection') }),
  z.object({
    kind: z.literal('objection-direct-marketing'),
    subscriberIds: z
      .array(z.uuid())
      .max(100)
      .optional()
      .describe(
        'Newsletter subscriptions discovery found and a person confirmed are the subject’s',
      ),
  }),
  z.object({
    kind: z.literal('objection-public-task'),
    category: z.enum(categorySlugs, { error: 'Select the category objected to' }),
    outcome: z.enum(['upheld', 'not-upheld'], { error: 'Select the decision' }),
    subjectGrounds: multiLineText('the grounds the person gave')
      .min(1, 'Enter the grounds the person gave, relating to their situation')
      .max(4000),
    compellingGrounds: optionalText(4000),
  }),
]);

export const restrictionSchema = z.object({
  scope: z.enum(['person', 'record'], { error: 'Select what the restriction covers' }),
  targetId: z.uuid({ error: 'Enter the id shown on the person or record page' }),
  ground: z.enum(restrictionGrounds, { error: 'Select the ground for restriction' }),
});

export const toldSchema = z.object({ toldOn: pastDate('date they were told') });

// ---------------------------------------------------------------------------
// Carrying out what was decided

export const carryOutErasureSchema = z.object({
  items: z
    .array(
      z.object({
        source: z.enum(['training-booking', 'newsletter-subscriber']),
        id: z.uuid(),
      }),
    )
    .max(200)
    .describe('Entries the latest discovery found that a person confirmed are the subject’s'),
});

export const personCorrectionSchema = z.object({
  version: z.number().int().min(1).describe('The person’s version you read'),
  givenName: singleLineText('the first name').min(1, 'Enter the first name').max(200).optional(),
  familyName: singleLineText('the last name').min(1, 'Enter the last name').max(200).optional(),
  dateOfBirth: pastDate('date of birth').nullable().optional(),
  dateOfDeath: pastDate('date of death').nullable().optional(),
});

export const annotationSchema = z.object({
  kind: z.enum(annotationKinds, { error: 'Select what is being recorded' }),
  recordId: z.uuid({ error: 'Select the record or note' }),
  noteId: z.uuid().optional(),
  text: multiLineText('what the person disputes, or their statement')
    .min(1, 'Enter what the person disputes, or their statement')
    .max(4000, 'Keep it to 4,000 characters or fewer'),
});

export const recipientNoticeSchema = z.object({
  disclosureId: z.uuid(),
  outcome: z.enum(noticeOutcomes, { error: 'Select what happened' }),
  toldOn: pastDate('date they were told').optional(),
  method: optionalText(500),
  reason: optionalText(2000),
});

export const outcomeLineSchema = z.object({
  action: z.enum(outcomeActions),
  source: z.enum(outcomeSources),
  itemId: z.string().nullable(),
  category: z.string(),
  ground: z.string().nullable(),
  reason: z.string(),
});
export const liftSchema = z.object({
  reason: multiLineText('the reason')
    .min(10, 'Give the reason in at least 10 characters')
    .max(2000),
});

// ---------------------------------------------------------------------------
// Responses

export const clockSchema = z.object({
  status: z.enum(['running', 'paused', 'waiting', 'invalid']),
  start: z.string().nullable(),
  startedBy: z.string().nullable(),
  due: z.string().nullable().describe('The working day the response is due'),
  firstMonthDue: z.string().nullable(),
  pausedDays: z.number(),
  pausedSince: z.string().nullable(),
  daysLeftWhenPaused: z.number().nullable(),
  problem: z.string().nullable(),
  daysLeft: z.number().nullable().describe('Calendar days; negative when overdue'),
  overdue: z.boolean(),
});

export const dashboardRowSchema = z.object({
  id: z.uuid(),
  type: z.enum(requestTypes),
  state: z.enum(requestStates),
  receivedOn: z.string(),
  subjectName: z.string(),
  clock: clockSchema,
});

export const requestDetailSchema = z.object({
  id: z.uuid(),
  type: z.enum(requestTypes),
  state: z.enum(requestStates),
  version: z.number(),
  receivedOn: z.string(),
  requesterRole: z.enum(requesterRoles),
  identityCheck: z.enum(identityChecks),
  authorityEvidence: z.enum(authorityEvidenceKinds).nullable(),
  subjectPersonId: z.string().nullable(),
  categories: z.array(z.string()),
  clock: clockSchema,
  nextStates: z.array(z.enum(requestStates)),
  events: z.array(
    z.object({
      kind: z.string(),
      fromState: z.string().nullable(),
      toState: z.string().nullable(),
      onDate: z.string().nullable(),
      occurredAt: z.date(),
    }),
  ),
  outcomes: z.array(outcomeLineSchema).describe('What carrying out an erasure did, item by item'),
  annotations: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(annotationKinds),
      recordId: z.string(),
      noteId: z.string().nullable(),
      text: z.string(),
    }),
  ),
  recipients: z
    .array(
      z.object({
        disclosureId: z.uuid(),
        recipient: z.string(),
        disclosedOn: z.date(),
        recordIds: z.array(z.string()),
        notice: z
          .object({
            outcome: z.enum(noticeOutcomes),
            toldOn: z.string().nullable(),
            method: z.string().nullable(),
            reason: z.string().nullable(),
          })
          .nullable()
          .describe('Null: still to be told (Art 19)'),
      }),
    )
    .describe('Who the data was disclosed to (Art 19)'),
  decisions: z.array(
    z.object({
      kind: z.enum(decisionKinds),
      category: z.string().nullable(),
      outcome: z.enum(decisionOutcomes),
      ground: z.string().nullable(),
      reasoning: z.string(),
    }),
  ),
});

export const supplementarySchema = z.object({
  controller: z.string(),
  noticeLastUpdated: z.string().nullable().describe('In words; null when the notice gives no date'),
  purposes: z.array(
    z.object({
      category: z.string(),
      name: z.string(),
      purpose: z.string(),
      lawfulBases: z.array(z.string()),
    }),
  ),
  categories: z.array(
    z.object({
      category: z.string(),
      name: z.string(),
      specialCategory: z.boolean(),
      criminalOffence: z.boolean(),
    }),
  ),
  recipients: z.object({
    names: z.array(z.string()).describe('The recipients the privacy notice names'),
    disclosures: z
      .array(
        z.object({
          recipient: z.string(),
          on: z.string(),
          purpose: z.string(),
          lawfulBasis: z.string(),
          agreement: z.string().nullable(),
          what: z.array(z.string()),
        }),
      )
      .describe('Each disclosure made of the person’s information, from the disclosure log'),
    note: z.string(),
  }),
  retention: z.array(z.object({ category: z.string(), name: z.string(), period: z.string() })),
  rights: z.array(z.object({ right: z.string(), article: z.string() })),
  complaint: z.object({ body: z.string(), website: z.string(), telephone: z.string() }),
  source: z.string(),
  automatedDecisions: z.string(),
});

export const reminderSchema = z.object({
  requestId: z.uuid(),
  organisationId: z.uuid(),
  type: z.enum(requestTypes),
  state: z.enum(requestStates),
  due: z.string(),
  daysLeft: z.number(),
});
