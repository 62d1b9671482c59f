import { formatDate } from '../platform/http/views.js';
import type { FactKind } from './tables.js';

/**
 * The kinds of file partners send, as data (issue 15): each with its
 * columns, how each is checked, which organisation's notice names it as a
 * source (and in what words), whose lawful bases it is held under, and what
 * a row puts on the person's record. Adding a kind is adding an entry here.
 */
export type FieldType =
  'text' | 'date' | 'count' | 'choice' | 'upn' | 'nhs-number' | 'postcode' | 'sex';

export interface IntakeField {
  key: string;
  /** As a heading and in messages: "Date of birth". */
  label: string;
  type: FieldType;
  required: boolean;
  /** Column headings matched to this field without asking (lower case, letters only). */
  aliases: readonly string[];
  /** For 'choice': the value as written in the file → the words shown. */
  choices?: Readonly<Record<string, string>>;
  /** For 'text': the longest accepted. */
  max?: number;
}

/** A fact a row puts on the person's record: its kind, date and sentence. */
export interface FactOut {
  fact: FactKind;
  occurredOn: string;
  summary: string;
}

export interface IntakeKind {
  slug: IntakeKindSlug;
  name: string;
  /** The organisation whose notice names this source. */
  organisation: string;
  /** The source's words in the organisation's policy (`sources.items[].noticeWording`). */
  noticeWording: string;
  /** The category of record whose lawful bases the information is held under. */
  category: string;
  /** The fields whose values name the row: the same key is the same row (idempotent). */
  rowKey: readonly string[];
  fields: readonly IntakeField[];
  /** When the partner is one of the notice's named sources, they are listed. */
  partners?: readonly string[];
  creates(values: Readonly<Record<string, string>>, partner: string): FactOut[];
}

export const intakeKindSlugs = [
  'police-missing',
  'school-attendance',
  'court-order',
  'partner-referral',
  'lado-referral',
] as const;
export type IntakeKindSlug = (typeof intakeKindSlugs)[number];

const letters = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
const aliases = (...names: string[]) => names.map(letters);

/** Who the row is about: read by the matcher. */
const personFields: readonly IntakeField[] = [
  {
    key: 'givenName',
    label: 'Given name',
    type: 'text',
    required: true,
    max: 100,
    aliases: aliases('given name', 'first name', 'forename', 'forenames', 'firstname'),
  },
  {
    key: 'familyName',
    label: 'Family name',
    type: 'text',
    required: true,
    max: 100,
    aliases: aliases('family name', 'surname', 'last name', 'lastname'),
  },
  {
    key: 'dateOfBirth',
    label: 'Date of birth',
    type: 'date',
    required: true,
    aliases: aliases('date of birth', 'dob', 'birth date', 'birthdate'),
  },
  {
    key: 'sex',
    label: 'Sex',
    type: 'sex',
    required: false,
    aliases: aliases('sex', 'gender'),
  },
  {
    key: 'addressLine1',
    label: 'Address',
    type: 'text',
    required: false,
    max: 200,
    aliases: aliases('address', 'address line 1', 'street', 'home address'),
  },
  {
    key: 'postcode',
    label: 'Postcode',
    type: 'postcode',
    required: false,
    aliases: aliases('postcode', 'post code', 'zip'),
  },
  {
    key: 'nhsNumber',
    label: 'NHS number',
    type: 'nhs-number',
    required: false,
    aliases: aliases('nhs number', 'nhs no', 'nhs'),
  },
];

const withUpn = (required: boolean): IntakeField => ({
  key: 'upn',
  label: 'Unique pupil number',
  type: 'upn',
  required,
  aliases: aliases('upn', 'unique pupil number', 'pupil number', 'pupil upn'),
});

const reference = (label: string, ...names: string[]): IntakeField => ({
  key: 'reference',
  label,
  type: 'text',
  required: true,
  max: 60,
  aliases: aliases('reference', 'ref', ...names),
});

const date = (key: string, label: string, required: boolean, ...names: string[]): IntakeField => ({
  key,
  label,
  type: 'date',
  required,
  aliases: aliases(label, ...names),
});

const text = (key: string, label: string, required: boolean, max: number, ...names: string[]) => ({
  key,
  label,
  type: 'text' as const,
  required,
  max,
  aliases: aliases(label, ...names),
});

const value = (values: Readonly<Record<string, string>>, key: string) => values[key] ?? '';

const courtOrders: Record<string, string> = {
  'care order': 'Care order',
  'interim care order': 'Interim care order',
  'supervision order': 'Supervision order',
  'placement order': 'Placement order',
  'child arrangements order': 'Child arrangements order',
  'emergency protection order': 'Emergency protection order',
  'special guardianship order': 'Special guardianship order',
  'adoption order': 'Adoption order',
};

const exclusions: Record<string, string> = {
  suspension: 'Suspension',
  'fixed term': 'Suspension',
  permanent: 'Permanent exclusion',
  'permanent exclusion': 'Permanent exclusion',
};

/** Kent LADO's notice: the ten agencies that refer allegations (seeds/004). */
export const ladoAgencies = [
  'Police',
  'Integrated Children’s Services',
  'Other Local Authorities',
  'Education including Early Years, Local Education Authority, academies, private, independent and unregistered schools',
  'NHS England',
  'Employers, including voluntary and charity organisations',
  'NSPCC',
  'Ofsted and or Governing bodies',
  'Care Quality Commission (CQC)',
  'Crown Prosecution Service (CPS).',
] as const;

export const intakeKinds: Readonly<Record<IntakeKindSlug, IntakeKind>> = {
  'police-missing': {
    slug: 'police-missing',
    name: 'Police missing-from-home notifications',
    organisation: 'kent-scs',
    noticeWording: 'details of any young person reported missing from home, from the Police',
    category: 'child-in-need',
    rowKey: ['reference'],
    fields: [
      reference('Police reference', 'police reference', 'incident number', 'occurrence number'),
      ...personFields,
      date('missingFrom', 'Date reported missing', true, 'missing from', 'missing date'),
      date('returnedOn', 'Date returned', false, 'returned', 'found date', 'return date'),
      text('circumstances', 'Circumstances', false, 500, 'details', 'notes'),
    ],
    creates(values, partner) {
      const from = value(values, 'missingFrom');
      const back = value(values, 'returnedOn');
      const episode = back
        ? `missing from home until ${formatDate(back)}`
        : 'missing from home, not yet back';
      return [
        {
          fact: 'missing-episode',
          occurredOn: from,
          summary: `Reported ${episode} (${partner}, reference ${value(values, 'reference')})`,
        },
        {
          fact: 'chronology',
          occurredOn: from,
          summary: `${partner} notified us that the child was reported missing from home`,
        },
        ...(back
          ? []
          : [
              {
                fact: 'alert' as const,
                occurredOn: from,
                summary: 'Missing from home: no return reported yet',
              },
            ]),
      ];
    },
  },
  'school-attendance': {
    slug: 'school-attendance',
    name: 'School attendance and exclusion returns',
    organisation: 'kent-scs',
    noticeWording:
      'attendance and exclusion information (such as sessions attended, number of absences, reasons, details to support statutory processes) pupil characteristics, and unique pupil number, from your child’s school',
    category: 'child-in-need',
    rowKey: ['upn', 'periodEnd'],
    fields: [
      withUpn(true),
      ...personFields.filter((f) => f.key !== 'nhsNumber'),
      date('periodEnd', 'Period ending', true, 'period end', 'term end', 'week ending'),
      {
        key: 'sessionsPossible',
        label: 'Sessions possible',
        type: 'count',
        required: true,
        aliases: aliases('sessions possible', 'possible sessions', 'possible'),
      },
      {
        key: 'sessionsAttended',
        label: 'Sessions attended',
        type: 'count',
        required: true,
        aliases: aliases('sessions attended', 'attended'),
      },
      {
        key: 'exclusion',
        label: 'Exclusion',
        type: 'choice',
        required: false,
        choices: exclusions,
        aliases: aliases('exclusion', 'exclusion type'),
      },
      date('exclusionStart', 'Exclusion start date', false, 'exclusion start', 'excluded from'),
      text('exclusionReason', 'Exclusion reason', false, 200, 'reason'),
    ],
    creates(values, partner) {
      const possible = Number(value(values, 'sessionsPossible'));
      const attended = Number(value(values, 'sessionsAttended'));
      const rate = possible > 0 ? Math.round((attended / possible) * 1000) / 10 : 0;
      const facts: FactOut[] = [
        {
          fact: 'attendance',
          occurredOn: value(values, 'periodEnd'),
          summary: `Attended ${attended} of ${possible} sessions (${rate}%), ${possible - attended} missed (${partner})`,
        },
      ];
      const exclusion = value(values, 'exclusion');
      if (exclusion) {
        const reason = value(values, 'exclusionReason');
        facts.push({
          fact: 'exclusion',
          occurredOn: value(values, 'exclusionStart') || value(values, 'periodEnd'),
          summary: `${exclusions[exclusion] ?? exclusion}${reason ? `: ${reason}` : ''} (${partner})`,
        });
      }
      return facts;
    },
  },
  'court-order': {
    slug: 'court-order',
    name: 'Court orders',
    organisation: 'kent-scs',
    noticeWording: 'court decisions relating to our statutory legal duties',
    category: 'looked-after',
    rowKey: ['reference', 'orderType', 'madeOn'],
    fields: [
      reference('Court case number', 'case number', 'case no'),
      ...personFields,
      withUpn(false),
      {
        key: 'orderType',
        label: 'Order',
        type: 'choice',
        required: true,
        choices: courtOrders,
        aliases: aliases('order', 'order type', 'decision'),
      },
      date('madeOn', 'Date made', true, 'made on', 'order date', 'date of order'),
      date('endsOn', 'Date it ends', false, 'ends on', 'expiry', 'expires'),
      text('court', 'Court', false, 120, 'court name'),
    ],
    creates(values) {
      const ends = value(values, 'endsOn');
      const court = value(values, 'court');
      return [
        {
          fact: 'court-order',
          occurredOn: value(values, 'madeOn'),
          summary: `${courtOrders[value(values, 'orderType')] ?? 'Order'} made${court ? ` by ${court}` : ''}${ends ? `, ending ${formatDate(ends)}` : ''} (case ${value(values, 'reference')})`,
        },
      ];
    },
  },
  'partner-referral': {
    slug: 'partner-referral',
    name: 'Referrals from partner agencies',
    organisation: 'kent-scs',
    noticeWording: 'referral and involvement information from partner organisations',
    category: 'child-in-need',
    rowKey: ['reference'],
    fields: [
      reference('Referral reference', 'referral reference', 'referral id'),
      ...personFields,
      withUpn(false),
      date('referredOn', 'Date referred', true, 'referral date', 'referred'),
      text('reason', 'Reason for referral', true, 500, 'reason', 'concern'),
    ],
    creates(values, partner) {
      return [
        {
          fact: 'referral',
          occurredOn: value(values, 'referredOn'),
          summary: `Referred by ${partner}: ${value(values, 'reason')}`,
        },
      ];
    },
  },
  'lado-referral': {
    slug: 'lado-referral',
    name: 'Referrals of allegations to the LADO',
    organisation: 'kent-lado',
    // Each of the ten agencies is its own source item; the job names which.
    noticeWording: '',
    category: 'lado-allegation',
    partners: ladoAgencies,
    rowKey: ['reference'],
    fields: [
      reference('Referral reference', 'referral reference'),
      ...personFields.filter((f) => f.key !== 'nhsNumber'),
      text('role', 'Role with children', true, 200, 'role', 'job', 'occupation'),
      date('referredOn', 'Date referred', true, 'referral date', 'referred'),
      text('allegation', 'Allegation', true, 1000, 'concern', 'details'),
    ],
    creates(values, partner) {
      return [
        {
          fact: 'referral',
          occurredOn: value(values, 'referredOn'),
          summary: `Allegation referred by ${partner} about them as ${value(values, 'role')}: ${value(values, 'allegation')}`,
        },
      ];
    },
  },
};

export function isIntakeKind(value: string): value is IntakeKindSlug {
  return (intakeKindSlugs as readonly string[]).includes(value);
}

/** The kinds an organisation's notice names as sources. */
export function kindsFor(organisationSlug: string): IntakeKind[] {
  return intakeKindSlugs
    .map((k) => intakeKinds[k])
    .filter((k) => k.organisation === organisationSlug);
}

/** Column headings compared as letters only: "Date of Birth" = "date_of_birth". */
export function headingKey(heading: string): string {
  return letters(heading);
}
