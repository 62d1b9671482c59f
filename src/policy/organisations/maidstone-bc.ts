import type { OrganisationPolicy, PolicyRecipient } from '../types.js';
import { article6, article9, schedule1 } from './common.js';
import { maidstoneBcNoticeFacts } from './notice-facts.js';

/*
 * Maidstone Borough Council safeguarding, from the notice in
 * shared/seeds/003_8584554633113e2b.txt. One category: the Designated
 * Safeguarding Officer's concern log (access: the DSO and two deputies only).
 */

const safeguardingConditionWording =
  'The notice: "the Data Protection Act 2018 includes ‘safeguarding of children and individuals at risk’ as a condition that allows practitioners to share information without consent".';

/** "Who we share your personal information with", as the notice lists it (src/sharing). */
const recipients: readonly PolicyRecipient[] = [
  {
    id: 'police',
    name: 'Police, including the West Kent MARAC and VISOR teams',
    noticeWording: 'Police including the West Kent MARAC and VISOR teams',
  },
  {
    id: 'probation',
    name: 'National Probation Service',
    noticeWording:
      'National Probation Service (NPS) and Community Rehabilitation Company – soon to be part of the reformed NPS',
  },
  {
    id: 'social-services',
    name: 'Social services',
    noticeWording: 'Social Services',
    safekeepOrganisations: ['kent-scs'],
  },
  {
    id: 'kent-county-council',
    name: 'Kent County Council',
    noticeWording: 'Kent County Council',
    safekeepOrganisations: ['kent-scs', 'kent-lado'],
  },
  {
    id: 'health-providers',
    name: 'Clinical health providers (mental and physical health)',
    noticeWording: 'Clinical health providers – including both mental and physical health',
  },
  { id: 'support-providers', name: 'Support providers', noticeWording: 'Support providers' },
  {
    id: 'internal',
    name: 'Departments within Maidstone Borough Council',
    noticeWording: 'Internal department within Maidstone Borough Council.',
  },
];

export const maidstoneBc: OrganisationPolicy = {
  ...maidstoneBcNoticeFacts,
  slug: 'maidstone-bc',
  name: 'Maidstone Borough Council',
  shortName: 'Maidstone Borough Council',
  notice: { seedFile: '003_8584554633113e2b.txt', lastUpdated: null },
  recipients,
  // No recipient abroad and no safeguard named: nothing leaves the UK.
  transfersAbroad: {
    safeguards: [],
    source: null,
    note: 'The notice says nothing about transfers abroad: no recipient it lists is outside the UK and it names no safeguard, so nothing leaves the UK.',
  },
  personSensitiveData: {
    // "safeguarding concerns e.g. domestic abuse, mental health concerns": health;
    // the notice names no criminal offence data.
    specialCategory: ['health'],
    offenceData: [],
    source: 'safeguarding concerns e.g. domestic abuse, mental health concerns',
  },
  roleHolderLimits: [
    {
      roles: ['designated-safeguarding-officer'],
      // The officer and two deputies, who hold the same role (access/record-rules.ts).
      max: 3,
      source:
        'Only the Designated Safeguarding Officer and two deputy Designated Safeguarding Officer will have access to this information.',
    },
  ],
  categories: [
    {
      slug: 'safeguarding-concern',
      name: 'Safeguarding concern log',
      purpose:
        'To provide further information to statutory partners such as social care services and the police where there are concerns about a person’s or others’ safety, and to keep a log of it.',
      lawfulBases: [
        article6(
          '6(1)(e)',
          'inferred',
          'The notice states no Art 6 basis; a district council’s safeguarding duty (Children Act 2004 s11) is a public task. Needs DPO confirmation.',
        ),
      ],
      // "safeguarding concerns e.g. domestic abuse, mental health concerns ...
      // This is also known as special category personal data".
      specialCategory: {
        conditions: [
          article9(
            '9(2)(g)',
            'inferred',
            [schedule1('safeguarding', 'notice', safeguardingConditionWording)],
            'The notice names the Schedule 1 condition but not the article; para 18 is a Part 2 (substantial public interest) condition, so Art 9(2)(g).',
          ),
        ],
      },
      // Concerns such as domestic abuse, shared with the MARAC and VISOR
      // teams and probation, are allegations of offences: Art 10 data.
      criminalOffence: {
        article: '10',
        schedule1: [schedule1('safeguarding', 'inferred', safeguardingConditionWording)],
        source: 'inferred',
        note: 'The notice does not mention criminal offence data, but the log records allegations such as domestic abuse and is shared with police MARAC/VISOR teams and probation. Needs DPO confirmation.',
      },
      retention: {
        kind: 'schedule',
        noticeCategoryWording:
          'In line with our record retention schedule, records relating to Safeguarding will be kept for seven years.',
        combine: 'first-match',
        rules: [
          {
            id: 'maidstone-bc/safeguarding-concern/recorded-plus-7',
            trigger: 'recordedDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 7 },
            action: 'destroy',
            conditions: [],
            noticeWording:
              'We will also keep a log of this information, which will be retained for up to seven years.',
            interpretation:
              'The notice says both "up to seven years" and "kept for seven years" and names no start date. We count 7 calendar years from the date the concern was recorded in the log (recordedDate) and destroy then: "up to" is a maximum, "for seven years" the period.',
          },
        ],
      },
    },
  ],
};
