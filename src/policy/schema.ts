/**
 * The shape of an organisation's policy document (src/policy/documents/*.yaml),
 * checked with zod, and the cross-checks a shape cannot express. Every error
 * names the file, the place in the document (`categories[0].retention.rules[3].period.years`)
 * and what is wrong in words a Data Protection Officer can act on. A document
 * with any error is refused whole (docs/decisions/0016-policy-as-documents.md).
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';

import { offenceDataKinds, specialCharacteristics } from '../people/tables.js';
import { roleSlugs } from '../platform/access/roles.js';
import { reaches } from './access-rules.js';
import type { OrganisationPolicy } from './types.js';
import {
  article9NeedsSchedule1,
  categorySlugs,
  dateFactNames,
  ladoOutcomes,
  retentionActions,
} from './types.js';

const text = z.string().trim().min(1, { error: 'must not be empty' });
const nullableText = text.nullable();
/** Free-text fields a notice may leave out: absent, or written. */
const optionalText = text.optional();

const basisSource = z.enum(['notice', 'inferred']);

const lawfulBasis = z.strictObject({
  article: z.enum(['6(1)(a)', '6(1)(b)', '6(1)(c)', '6(1)(d)', '6(1)(e)', '6(1)(f)']),
  name: text,
  source: basisSource,
  note: optionalText,
});

const schedule1Condition = z.strictObject({
  paragraph: z
    .string()
    .regex(/^Part [1-4] para \d+$/, { error: 'must be written like "Part 2 para 18"' }),
  name: text,
  source: basisSource,
  note: optionalText,
});

const article9Condition = z.enum([
  '9(2)(a)',
  '9(2)(b)',
  '9(2)(c)',
  '9(2)(d)',
  '9(2)(e)',
  '9(2)(f)',
  '9(2)(g)',
  '9(2)(h)',
  '9(2)(i)',
  '9(2)(j)',
]);

const specialCategoryCondition = z.strictObject({
  article: article9Condition,
  name: text,
  schedule1: z.array(schedule1Condition),
  source: basisSource,
  note: optionalText,
});

const criminalOffenceCondition = z.strictObject({
  article: z.literal('10'),
  schedule1: z.array(schedule1Condition),
  source: basisSource,
  note: optionalText,
});

const years = z
  .number({ error: 'must be a whole number of years' })
  .int({ error: 'must be a whole number of years' })
  .min(1, { error: 'must be at least 1 year' })
  .max(150, { error: 'must be 150 years or fewer' });

const retentionPeriod = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('calendar-years'), years }),
    z.strictObject({ kind: z.literal('end-of-year-plus'), years }),
    z.strictObject({ kind: z.literal('on-trigger') }),
  ],
  { error: 'kind must be one of: calendar-years, end-of-year-plus, on-trigger' },
);

const dateFact = z.enum(dateFactNames);

const ruleCondition = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('outcome-in'), outcomes: z.array(z.enum(ladoOutcomes)) }),
    z.strictObject({ kind: z.literal('child-died'), died: z.boolean() }),
    z.strictObject({
      kind: z.literal('died-before-age'),
      age: z.number().int().min(1).max(150),
    }),
    z.strictObject({
      kind: z.literal('fact-recorded'),
      fact: dateFact,
      recorded: z.boolean(),
    }),
  ],
  { error: 'kind must be one of: outcome-in, child-died, died-before-age, fact-recorded' },
);

const statutoryMinimum = z.strictObject({
  trigger: dateFact,
  period: retentionPeriod,
  authority: text,
  whenTriggerUnknown: z.literal('review'),
});

const retentionRule = z.strictObject({
  id: text,
  trigger: dateFact,
  triggerKind: z.enum(['known-fact', 'future-event']),
  period: retentionPeriod,
  action: z.enum(retentionActions),
  afterReview: z.enum(['destroy', 'make-inaccessible', 'archive']).optional(),
  conditions: z.array(ruleCondition),
  statutoryMinimum: statutoryMinimum.optional(),
  noticeWording: text,
  interpretation: optionalText,
  authority: optionalText,
});

const categoryRetention = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('schedule'),
      noticeCategoryWording: text,
      combine: z.enum(['first-match', 'earliest']),
      rules: z.array(retentionRule).min(1, { error: 'must list at least one rule' }),
      openWhileNoneRecorded: z.array(z.enum([...dateFactNames, 'childDied', 'outcome'])).optional(),
    }),
    z.strictObject({ kind: z.literal('no-rule'), noticeWording: text, reason: text }),
  ],
  { error: 'kind must be one of: schedule, no-rule' },
);

const dataCategory = z.strictObject({
  slug: z.enum(categorySlugs),
  name: text,
  purpose: text,
  lawfulBases: z.array(lawfulBasis).min(1, {
    error:
      'must name at least one Article 6 lawful basis (mark it "inferred" if the notice states none)',
  }),
  specialCategory: z.union([
    z.literal(false),
    z.strictObject({ conditions: z.array(specialCategoryCondition).min(1) }),
  ]),
  criminalOffence: z.union([z.literal(false), criminalOffenceCondition]),
  retention: categoryRetention,
  notes: optionalText,
});

const slugPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const organisationSlug = z.string().regex(slugPattern, {
  error: 'must be lower-case letters, digits and single hyphens, like "wessex-bc"',
});

const recipient = z.strictObject({
  id: z.string().regex(slugPattern, { error: 'must be lower-case letters, digits and hyphens' }),
  name: text,
  noticeWording: text,
  safekeepOrganisations: z.array(organisationSlug).optional(),
  outsideUk: z.strictObject({ country: text }).optional(),
});

const consentPurpose = z.strictObject({
  id: z.string().regex(slugPattern, { error: 'must be lower-case letters, digits and hyphens' }),
  name: text,
  noticeWording: text,
  discloseTo: z
    .string()
    .regex(slugPattern, { error: 'must be the id of one of the recipients' })
    .optional(),
  directMarketing: z.boolean(),
});

const contactRoute = z.strictObject({
  name: nullableText,
  email: z
    .email({ error: 'must be an email address, or null if the notice gives none' })
    .nullable(),
  postalAddress: nullableText,
  phone: z
    .string({ error: 'must be written in quotes as text, or null if the notice gives none' })
    .regex(/^[0-9 +()]+$/, { error: 'must be a phone number (digits and spaces)' })
    .nullable(),
  webForm: z
    .strictObject({ wording: text, url: z.url({ error: 'must be a web address' }).nullable() })
    .nullable(),
  source: nullableText,
  note: nullableText,
});

const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

const recordRule = z.strictObject({
  read: z.enum(reaches),
  write: z.enum(reaches),
  search: z.enum(reaches),
  breakGlass: z.boolean().optional(),
  rectify: z.boolean().optional(),
});

const categoryAccess = z.strictObject({
  onlyTeam: optionalText,
  roles: z.partialRecord(z.enum(roleSlugs), recordRule),
});

export const policyDocumentSchema = z.strictObject({
  slug: organisationSlug,
  name: text,
  shortName: text,
  notice: z.strictObject({
    seedFile: text,
    lastUpdated: z
      .string()
      .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { error: 'must be written YYYY, YYYY-MM or YYYY-MM-DD' })
      .nullable(),
  }),
  noticeReview: z.strictObject({
    statement: nullableText,
    lastUpdated: z.string().nullable(),
    intervalMonths: z.number().int().min(1).max(60).nullable(),
    // Optional so that documents stored before it existed still validate.
    reviewed: isoDate.nullable().default(null),
    nextReviewDue: isoDate.nullable(),
    note: nullableText,
  }),
  contacts: z.strictObject({
    controller: contactRoute,
    dataProtectionOfficer: contactRoute,
    exercisingRights: contactRoute,
    complaints: contactRoute,
    otherRoutes: z.array(z.strictObject({ purpose: text, route: contactRoute })),
    informationCommissioner: contactRoute,
  }),
  sources: z.strictObject({
    items: z.array(z.strictObject({ description: text, noticeWording: text })),
    note: nullableText,
  }),
  categories: z.array(dataCategory).min(1, { error: 'must list at least one category of record' }),
  recipients: z.array(recipient),
  consentPurposes: z.array(consentPurpose).optional(),
  matching: z
    .strictObject({ autoLink: z.number().gt(0).lt(1), review: z.number().gt(0).lt(1) })
    .refine((m) => m.review < m.autoLink, { error: 'review must be below autoLink' })
    .optional(),
  transfersAbroad: z.strictObject({
    safeguards: z.array(z.strictObject({ country: text, safeguard: text })),
    source: nullableText,
    note: optionalText,
  }),
  personSensitiveData: z.strictObject({
    specialCategory: z.array(z.enum(specialCharacteristics)),
    offenceData: z.array(z.enum(offenceDataKinds)),
    source: text,
  }),
  roleHolderLimits: z.array(
    z.strictObject({
      roles: z.array(z.enum(roleSlugs)).min(1),
      max: z.number().int().min(1),
      source: text,
    }),
  ),
  automatedDecisions: z.strictObject({
    statement: nullableText,
    automatedDecisionsMade: z.boolean().nullable(),
    note: nullableText,
  }),
  legislation: z.strictObject({
    items: z.array(text),
    source: nullableText,
    note: nullableText,
  }),
  access: z.strictObject({
    records: z.partialRecord(z.enum(categorySlugs), categoryAccess),
    people: z.array(z.enum(roleSlugs)),
  }),
});

/* ------------------------------------------------------------------ */
/* Errors a DPO can act on                                             */
/* ------------------------------------------------------------------ */

export interface PolicyProblem {
  /** The document's file name, e.g. "wessex-bc.yaml". */
  file: string;
  /** Where in the document, e.g. "categories[0].retention.rules[3].period.years"; "" for the whole document. */
  path: string;
  /** What is wrong, in plain English. */
  message: string;
  /** The line of the document it is on, where known (problem-lines.ts). */
  line?: number;
}

export class PolicyDocumentError extends Error {
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems.map(describeProblem).join('\n'));
    this.name = 'PolicyDocumentError';
  }
}

export function describeProblem(problem: PolicyProblem): string {
  const line =
    problem.line !== undefined && problem.path !== `line ${problem.line}`
      ? ` line ${problem.line}`
      : '';
  const where = problem.path ? ` at ${problem.path}` : '';
  return `${problem.file}${line}${where}: ${problem.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a section of named fields',
  null: 'null',
};

/** One zod issue in words: zod's own messages are for programmers. */
function plainMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is missing';
      // A custom message (set on the schema) is already plain English.
      if (!issue.message.startsWith('Invalid input')) return issue.message;
      return `must be ${typeWords[issue.expected] ?? issue.expected}`;
    }
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} Safekeep does not know: ${issue.keys.join(', ')} (check the spelling)`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_key':
      return `"${String(issue.path.at(-1) ?? '')}" is not one Safekeep knows`;
    case 'invalid_union':
      return issue.message.startsWith('Invalid input')
        ? 'is not in a form Safekeep understands'
        : issue.message;
    default:
      return issue.message;
  }
}

/* ------------------------------------------------------------------ */
/* Cross-checks                                                        */
/* ------------------------------------------------------------------ */

type Check = { path: string; message: string };

function crossCheck(policy: OrganisationPolicy, expectedSlug: string | null): Check[] {
  const problems: Check[] = [];
  if (expectedSlug !== null && policy.slug !== expectedSlug) {
    problems.push({
      path: 'slug',
      message: `is "${policy.slug}" but the file is named for "${expectedSlug}": name the file ${policy.slug}.yaml or change the slug`,
    });
  }
  const used = new Set<string>();
  policy.categories.forEach((category, c) => {
    const at = `categories[${c}]`;
    if (used.has(category.slug)) {
      problems.push({ path: `${at}.slug`, message: `"${category.slug}" is listed twice` });
    }
    used.add(category.slug);
    // DPA 2018 s10(2)-(3): these Art 9(2) conditions are met only with a Schedule 1 condition.
    if (category.specialCategory !== false) {
      category.specialCategory.conditions.forEach((condition, i) => {
        if (article9NeedsSchedule1[condition.article] && condition.schedule1.length === 0) {
          problems.push({
            path: `${at}.specialCategory.conditions[${i}].schedule1`,
            message: `Article ${condition.article} needs a condition from Schedule 1 to the Data Protection Act 2018 (section 10): name at least one`,
          });
        }
        if (condition.article === '9(2)(g)') {
          condition.schedule1.forEach((s1, j) => {
            if (!s1.paragraph.startsWith('Part 2')) {
              problems.push({
                path: `${at}.specialCategory.conditions[${i}].schedule1[${j}].paragraph`,
                message: `Article 9(2)(g) needs a Part 2 (substantial public interest) condition, not ${s1.paragraph}`,
              });
            }
          });
        }
      });
    }
    if (category.criminalOffence !== false && category.criminalOffence.schedule1.length === 0) {
      problems.push({
        path: `${at}.criminalOffence.schedule1`,
        message:
          'criminal offence data (Article 10) needs a condition from Schedule 1 to the Data Protection Act 2018 (section 10(5)): name at least one',
      });
    }
    if (category.retention.kind === 'schedule') {
      const ruleIds = new Set<string>();
      category.retention.rules.forEach((rule, r) => {
        const ruleAt = `${at}.retention.rules[${r}]`;
        const prefix = `${policy.slug}/${category.slug}/`;
        if (!rule.id.startsWith(prefix)) {
          problems.push({
            path: `${ruleAt}.id`,
            message: `must start with "${prefix}" (organisation/category/name)`,
          });
        }
        if (ruleIds.has(rule.id)) {
          problems.push({ path: `${ruleAt}.id`, message: `"${rule.id}" is used twice` });
        }
        ruleIds.add(rule.id);
        if (rule.action === 'review' && !rule.afterReview) {
          problems.push({
            path: `${ruleAt}.afterReview`,
            message: 'a review rule must say what happens if the reviewer finds no reason to keep',
          });
        }
        if (rule.action !== 'review' && rule.afterReview) {
          problems.push({
            path: `${ruleAt}.afterReview`,
            message: 'only a rule whose action is review has an afterReview',
          });
        }
      });
    }
  });
  for (const [category, access] of Object.entries(policy.access.records)) {
    if (!used.has(category)) {
      problems.push({
        path: `access.records.${category}`,
        message: `gives access to "${category}" records, but the organisation does not list that category under categories`,
      });
    }
    if (access && Object.keys(access.roles).length === 0) {
      problems.push({
        path: `access.records.${category}.roles`,
        message: 'must give at least one role',
      });
    }
  }
  policy.recipients.forEach((recipient, i) => {
    if (policy.recipients.findIndex((other) => other.id === recipient.id) !== i) {
      problems.push({ path: `recipients[${i}].id`, message: `"${recipient.id}" is used twice` });
    }
    if (recipient.safekeepOrganisations?.includes(policy.slug)) {
      problems.push({
        path: `recipients[${i}].safekeepOrganisations`,
        message: 'names the organisation itself: a recipient is someone else',
      });
    }
  });
  (policy.consentPurposes ?? []).forEach((purpose, i, all) => {
    if (all.findIndex((other) => other.id === purpose.id) !== i) {
      problems.push({ path: `consentPurposes[${i}].id`, message: `"${purpose.id}" is used twice` });
    }
    if (purpose.discloseTo && !policy.recipients.some((r) => r.id === purpose.discloseTo)) {
      problems.push({
        path: `consentPurposes[${i}].discloseTo`,
        message: `names "${purpose.discloseTo}", which is not one of the recipients`,
      });
    }
  });
  return problems;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

export type PolicyParseResult =
  { ok: true; policy: OrganisationPolicy } | { ok: false; problems: PolicyProblem[] };

/**
 * Validates a policy given as data. `expectedSlug`: the slug the file name
 * promises (null when the name does not matter, e.g. a proposed version).
 */
export function validatePolicy(
  data: unknown,
  file: string,
  expectedSlug: string | null = null,
): PolicyParseResult {
  const parsed = policyDocumentSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        file,
        path: formatPath(issue.path),
        message: plainMessage(issue),
      })),
    };
  }
  // The schema mirrors OrganisationPolicy field for field (schema.test.ts
  // checks every shipped document round-trips); zod's inferred type spells
  // optional fields as `| undefined`, which exactOptionalPropertyTypes keeps apart.
  const policy = parsed.data as unknown as OrganisationPolicy;
  const problems = crossCheck(policy, expectedSlug).map((check) => ({ file, ...check }));
  return problems.length ? { ok: false, problems } : { ok: true, policy };
}

/** Parses YAML (or JSON, which is YAML) text and validates it. */
export function parsePolicyDocument(
  source: string,
  file: string,
  expectedSlug: string | null = null,
): PolicyParseResult {
  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        file,
        path: error.linePos ? `line ${error.linePos[0].line}` : '',
        message: `is not valid YAML: ${error.message.split('\n')[0] ?? error.code}`,
      })),
    };
  }
  return validatePolicy(document.toJS(), file, expectedSlug);
}
