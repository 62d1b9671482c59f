import type {
  CategoryRetention,
  CategorySlug,
  CriminalOffenceCondition,
  DataCategory,
  OrganisationPolicy,
  PolicyRecipient,
} from '../types.js';
import { article6, article9, schedule1 } from './common.js';
import { kentScsNoticeFacts } from './notice-facts.js';

/*
 * Kent County Council Specialist Children's Services (SCS), from the notice in
 * shared/seeds/001_5605ae4242eb5adf.txt, "How long your personal data will be
 * kept". The notice says records are then "archived or securely destroyed";
 * we encode destroy, because archiving (a transfer to the county archive) is a
 * decision a reviewer takes on a particular record, not a default.
 */

/** "We collect and use your personal information to comply with our legal obligations, and to carry out tasks in the public interest." */
const lawfulBases = [article6('6(1)(c)', 'notice'), article6('6(1)(e)', 'notice')];

/*
 * "we rely upon reasons of substantial public interest (safeguarding of
 * children and of individuals at risk, and equality of opportunity or
 * treatment), for the provision of social care, for social security or social
 * protection law, and for the establishment, exercise or defence of legal
 * claims whenever courts are acting in their judicial capacity."
 * The notice names the Schedule 1 conditions only for 9(2)(g); for (h) and (b)
 * DPA 2018 s10(2) needs a Part 1 condition, and we name the one that matches.
 */
const specialCategory = {
  conditions: [
    article9('9(2)(g)', 'notice', [
      schedule1('safeguarding', 'notice'),
      schedule1('equality', 'notice'),
    ]),
    article9('9(2)(h)', 'notice', [
      schedule1(
        'healthOrSocialCare',
        'inferred',
        'The notice says "for the provision of social care" without naming the Schedule 1 condition.',
      ),
    ]),
    article9('9(2)(b)', 'notice', [
      schedule1(
        'employment',
        'inferred',
        'The notice says "for social security or social protection law" without naming the Schedule 1 condition.',
      ),
    ]),
    article9('9(2)(f)', 'notice'),
  ],
};

const childrensServicesPurpose =
  'To safeguard and support children, and to monitor their progress; to plan and provide the most appropriate level of support to the child and family; to work with other teams and organisations.';

function childrensRecord(
  slug: CategorySlug,
  name: string,
  retention: CategoryRetention,
  options: { purpose?: string; criminalOffence?: CriminalOffenceCondition; notes?: string } = {},
): DataCategory {
  return {
    slug,
    name,
    purpose: options.purpose ?? childrensServicesPurpose,
    lawfulBases,
    specialCategory,
    criminalOffence: options.criminalOffence ?? false,
    retention,
    ...(options.notes ? { notes: options.notes } : {}),
  };
}

/** "Who we share your personal information with", as the notice lists it (src/sharing). */
const recipients: readonly PolicyRecipient[] = [
  {
    id: 'kcc-teams',
    name: 'Teams within Kent County Council',
    noticeWording: 'teams within KCC working to improve outcomes for children and young people',
    // The LADO service is a KCC team.
    safekeepOrganisations: ['kent-lado'],
  },
  {
    id: 'commissioned-providers',
    name: 'Commissioned providers of local authority services',
    noticeWording:
      'commissioned providers of local authority services (such as Independent Foster Care Agencies, Children’s Homes, Semi-Independent accommodation Providers, Supported Lodgings Providers, Residential Special Schools and Secure accommodation)',
  },
  { id: 'schools', name: 'Schools', noticeWording: 'schools' },
  {
    id: 'kmisa-partners',
    name: 'Partners under the Kent and Medway Information Sharing Agreement',
    noticeWording:
      'partner organisations signed up to the Kent and Medway Information Sharing Agreement, where necessary, which may include health visitors, midwives, district councils, housing providers, police, school nurses, doctors and mental health workers',
    safekeepOrganisations: ['kscmp', 'kent-lado', 'maidstone-bc'],
  },
  {
    id: 'government-departments',
    name: 'Government departments (DfE, DWP, Home Office)',
    noticeWording:
      'government departments including the Department of Education, Department of Work and Pensions, and the Home Office',
  },
  {
    id: 'ofsted',
    name: 'Ofsted',
    noticeWording: 'Ofsted (in the event of a local authority inspection of children’s services)',
  },
  { id: 'share-foundation', name: 'The Share Foundation', noticeWording: 'The Share-Foundation' },
  {
    id: 'law-enforcement',
    name: 'Law enforcement or other authorities, where the law requires',
    noticeWording:
      'We will share personal information with law enforcement or other authorities if required by applicable law.',
  },
];

export const kentScs: OrganisationPolicy = {
  ...kentScsNoticeFacts,
  slug: 'kent-scs',
  name: "Kent County Council Specialist Children's Services",
  shortName: "Kent Children's Social Care",
  notice: { seedFile: '001_5605ae4242eb5adf.txt', lastUpdated: null },
  recipients,
  // No recipient abroad and no safeguard named: nothing leaves the UK.
  transfersAbroad: {
    safeguards: [],
    source: null,
    note: 'The notice says nothing about transfers abroad: no recipient it lists is outside the UK and it names no safeguard, so nothing leaves the UK.',
  },
  personSensitiveData: {
    // "special category characteristics (such as ethnicity and disability)"; health
    // through looked-after children's health assessments; the register of
    // "those cautioned or convicted of offences against children".
    specialCategory: ['ethnicity', 'disability', 'health'],
    offenceData: ['caution', 'conviction'],
    source:
      'special category characteristics (such as ethnicity and disability); whether health and dental assessments are up to date; those cautioned or convicted of offences against children',
  },
  roleHolderLimits: [],
  categories: [
    childrensRecord('child-protection-plan', 'Child protection plan', {
      kind: 'schedule',
      noticeCategoryWording: 'Children and young people with a Child Protection Plan',
      combine: 'first-match',
      rules: [
        {
          id: 'kent-scs/child-protection-plan/birth-plus-40',
          trigger: 'dateOfBirth',
          triggerKind: 'known-fact',
          period: { kind: 'calendar-years', years: 40 },
          action: 'destroy',
          conditions: [],
          noticeWording: 'Date of birth +40 years',
        },
      ],
    }),

    childrensRecord(
      'looked-after',
      'Looked-after child or care leaver',
      {
        kind: 'schedule',
        noticeCategoryWording:
          'Children and young people who have been in the care of the local authority (Looked After Children and Care Leavers)',
        // The death rule is an exception to the birth rule, so it is tried first.
        combine: 'first-match',
        rules: [
          {
            id: 'kent-scs/looked-after/died-before-18',
            trigger: 'dateOfDeath',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 15 },
            action: 'destroy',
            conditions: [{ kind: 'died-before-age', age: 18 }],
            noticeWording:
              'If the child/young person dies before the age of 18 records will be retained for 15 years from their date of death',
            interpretation:
              '"Dies before the age of 18" means death strictly before the 18th birthday; a death on the birthday itself is not before 18. A 29 February birthday falls on 1 March in a non-leap year.',
            authority:
              'Care Planning, Placement and Case Review (England) Regulations 2010, reg 50 (15 years from death where the child died before 18)',
          },
          {
            id: 'kent-scs/looked-after/birth-plus-75',
            trigger: 'dateOfBirth',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 75 },
            action: 'destroy',
            conditions: [],
            noticeWording: 'Date of birth +75 years',
            authority:
              'Care Planning, Placement and Case Review (England) Regulations 2010, reg 50 (until the 75th anniversary of birth)',
          },
        ],
      },
      {
        purpose:
          'To look after children in the care of the local authority and support care leavers: placements, health, education and outcomes for looked after children, and support for care leavers.',
      },
    ),

    childrensRecord(
      'adoption',
      'Adoption',
      {
        kind: 'schedule',
        noticeCategoryWording: 'Adoption',
        combine: 'first-match',
        rules: [
          {
            id: 'kent-scs/adoption/birth-plus-100',
            trigger: 'dateOfBirth',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 100 },
            action: 'destroy',
            conditions: [],
            // The notice keeps longer "where we are required by legal reasons";
            // the adoption case record must be kept at least 100 years from
            // the adoption order, which is always on or after the birth.
            statutoryMinimum: {
              trigger: 'adoptionOrderDate',
              period: { kind: 'calendar-years', years: 100 },
              authority:
                'Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005: the adoption case record is kept for at least 100 years from the date of the adoption order',
              whenTriggerUnknown: 'review',
            },
            noticeWording: 'Date of birth +100 years',
            interpretation:
              'The notice counts from birth; the law counts from the adoption order. The later date applies. Where no order date is recorded the date of birth + 100 years is shown but the action becomes a review, so the record is not destroyed before someone confirms the statutory minimum.',
          },
        ],
      },
      {
        purpose:
          'To provide adoption services: court orders and decisions, and post-adoption support.',
      },
    ),

    childrensRecord('private-fostering', 'Private fostering arrangement', {
      kind: 'schedule',
      noticeCategoryWording: 'Private fostering arrangements',
      combine: 'first-match',
      rules: [
        {
          id: 'kent-scs/private-fostering/birth-plus-75',
          trigger: 'dateOfBirth',
          triggerKind: 'known-fact',
          period: { kind: 'calendar-years', years: 75 },
          action: 'destroy',
          conditions: [],
          noticeWording: 'Date of birth +75 years',
          interpretation: 'The date of birth is the privately fostered child’s.',
        },
      ],
    }),

    childrensRecord(
      'private-foster-parent',
      'Private foster parent',
      {
        kind: 'schedule',
        noticeCategoryWording:
          'Private foster parents where parents made own arrangements for child to be fostered',
        combine: 'earliest',
        rules: [
          {
            id: 'kent-scs/private-foster-parent/last-contact-plus-10',
            trigger: 'lastContactDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 10 },
            action: 'destroy',
            conditions: [],
            noticeWording:
              'Last contact with the Private Foster Parent +10 years, or date of death of Private Foster Parent + 2 years',
            interpretation:
              '"X, or Y" is read as whichever comes first: a living foster parent’s record goes 10 years after last contact, so a death can only bring the date forward. The last contact date is always needed: without it we cannot tell which comes first.',
          },
          {
            id: 'kent-scs/private-foster-parent/death-plus-2',
            trigger: 'dateOfDeath',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 2 },
            action: 'destroy',
            conditions: [{ kind: 'fact-recorded', fact: 'dateOfDeath', recorded: true }],
            noticeWording:
              'Last contact with the Private Foster Parent +10 years, or date of death of Private Foster Parent + 2 years',
            interpretation:
              'Applies only once the foster parent’s death is recorded; the earlier of this and last contact + 10 years applies.',
          },
        ],
      },
      {
        purpose:
          'To assess and monitor private foster parents caring for children under private fostering arrangements.',
        notes: 'Facts on this record describe the private foster parent, not the child.',
      },
    ),

    childrensRecord(
      'child-in-need',
      'Child in need and all other children’s records',
      {
        kind: 'schedule',
        noticeCategoryWording:
          'All other records relating to Children and Young People Records of children and young people who don’t fall into any of the above categories, including Children in Need, and general papers where a file has not been opened',
        combine: 'first-match',
        rules: [
          {
            id: 'kent-scs/child-in-need/birth-plus-25',
            trigger: 'dateOfBirth',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 25 },
            action: 'destroy',
            conditions: [],
            noticeWording: 'Date of Birth +25 years',
            interpretation:
              'The catch-all for every children’s record not in another category, including general papers where a file has not been opened.',
          },
        ],
      },
      {
        purpose:
          'To assess and plan support for children in need and their families, and to keep general papers about children.',
      },
    ),

    childrensRecord(
      'risk-register',
      'Register of persons posing a risk to children',
      {
        kind: 'schedule',
        noticeCategoryWording:
          'Register of persons posing a risk to children and those cautioned or convicted of offences against children',
        combine: 'first-match',
        rules: [
          {
            id: 'kent-scs/risk-register/caution-or-conviction-plus-75',
            trigger: 'cautionOrConvictionDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 75 },
            action: 'destroy',
            conditions: [],
            noticeWording: '75 years from the date of the caution/conviction',
            interpretation:
              'Where a person has several cautions or convictions, the latest date is recorded as the trigger (it gives the longest retention). A person on the register for risk without a caution or conviction has no trigger date and goes to review.',
          },
        ],
      },
      {
        purpose:
          'To keep a register of persons posing a risk to children and those cautioned or convicted of offences against children, so that children can be safeguarded.',
        criminalOffence: {
          article: '10',
          schedule1: [
            schedule1(
              'safeguarding',
              'inferred',
              'The notice names no Art 10 condition; the safeguarding condition it gives for special category data is the one that fits and is available for criminal offence data (DPA 2018 s10(5)). Needs DPO confirmation.',
            ),
          ],
          source: 'inferred',
          note: 'The register holds cautions and convictions, which are criminal offence data (Art 10 UK GDPR).',
        },
      },
    ),
  ],
};
