import type { OrganisationPolicy, PolicyRecipient, RetentionRule } from '../types.js';
import { article6, article9, schedule1 } from './common.js';
import { kentLadoNoticeFacts } from './notice-facts.js';

/*
 * Kent Local Authority Designated Officer (LADO) service, from the notice in
 * shared/seeds/004_b2d80513fdbbe00d.txt (last updated October 2021), table
 * under "How long your personal data will be kept". Facts on a LADO record
 * describe the alleged person (the adult who works with children): their
 * dateOfBirth sets the "age of 100 years" rule.
 */

const reviewedTenYearsAfterClosure = {
  trigger: 'closureDate',
  triggerKind: 'known-fact',
  period: { kind: 'calendar-years', years: 10 },
  action: 'review',
  // "deleted or removed": removal from users' view is the notice's other
  // disposal ("made inaccessible to system users"); destroy is the default,
  // the reviewer may choose otherwise.
  afterReview: 'destroy',
} as const satisfies Partial<RetentionRule>;

const keptUntilAge100 = {
  trigger: 'dateOfBirth',
  triggerKind: 'known-fact',
  period: { kind: 'calendar-years', years: 100 },
  action: 'destroy',
  noticeWording:
    'These records should be retained until the alleged perpetrator reaches the age of 100 years. Following this time they should be deleted and destroyed.',
  interpretation:
    'Due on the alleged person’s 100th birthday (a 29 February birthday falls on 1 March in a non-leap year), whether or not they have died: the notice keeps records after death for allegations made later (Operation Yewtree). Without a date of birth the record goes to review.',
} as const satisfies Partial<RetentionRule>;

/** "Who we share your personal information with", as the notice lists it (src/sharing). */
const recipients: readonly PolicyRecipient[] = [
  {
    id: 'kcc-teams',
    name: 'Teams within Kent County Council',
    noticeWording: 'Teams within KCC working to improve outcomes for children and young people',
    safekeepOrganisations: ['kent-scs'],
  },
  {
    id: 'commissioned-providers',
    name: 'Commissioned providers of local authority services',
    noticeWording:
      'Commissioned providers of local authority services (such as Independent Foster Care Agencies, Children’s Homes, Semi-Independent Accommodation Providers, Supported Lodgings Providers, Residential Special Schools and Secure accommodation)',
  },
  { id: 'police', name: 'Police', noticeWording: 'Police' },
  {
    id: 'integrated-childrens-services',
    name: 'Integrated Children’s Services',
    noticeWording: 'Integrated Children’s Services',
    safekeepOrganisations: ['kent-scs'],
  },
  {
    id: 'other-local-authorities',
    name: 'Other local authorities',
    noticeWording: 'Other Local Authorities',
  },
  {
    id: 'education',
    name: 'Education settings',
    noticeWording:
      'Education including Early Years, Local Education Authority, academies, private, independent and unregistered schools',
  },
  { id: 'nhs-england', name: 'NHS England', noticeWording: 'NHS England' },
  {
    id: 'employers',
    name: 'Employers, including voluntary and charity organisations',
    noticeWording: 'Employers, including voluntary and charity organisations',
  },
  { id: 'nspcc', name: 'NSPCC', noticeWording: 'NSPCC' },
  { id: 'ofsted', name: 'Ofsted', noticeWording: 'Ofsted' },
  { id: 'cqc', name: 'Care Quality Commission', noticeWording: 'Care Quality Commission' },
  { id: 'cps', name: 'Crown Prosecution Service', noticeWording: 'Crown Prosecution Service.' },
  {
    id: 'law-enforcement',
    name: 'Law enforcement or other authorities, where the law requires',
    noticeWording:
      'We will share personal information with law enforcement or other authorities if required by applicable law.',
  },
];

export const kentLado: OrganisationPolicy = {
  ...kentLadoNoticeFacts,
  slug: 'kent-lado',
  name: 'Kent Local Authority Designated Officer (LADO) service',
  shortName: 'Kent LADO',
  notice: { seedFile: '004_b2d80513fdbbe00d.txt', lastUpdated: '2021-10' },
  recipients,
  // No recipient abroad and no safeguard named: nothing leaves the UK.
  transfersAbroad: {
    safeguards: [],
    source: null,
    note: 'The notice says nothing about transfers abroad: no recipient it lists is outside the UK and it names no safeguard, so nothing leaves the UK.',
  },
  personSensitiveData: {
    // "Protected characteristics (such as ethnicity and disability)"; an adult who
    // has "possibly committed a criminal offence against or related to a child".
    specialCategory: ['ethnicity', 'disability'],
    offenceData: ['proceedings', 'caution', 'conviction'],
    source:
      'Protected characteristics (such as ethnicity and disability). Possibly committed a criminal offence against or related to a child.',
  },
  roleHolderLimits: [],
  categories: [
    {
      slug: 'lado-allegation',
      name: 'Allegation against an adult who works with children',
      purpose:
        'To safeguard children; to support, advise and guide employers, charities and professionals when an allegation is raised against an employee or volunteer; to reduce the incidents of positions of trust being abused or misused.',
      lawfulBases: [article6('6(1)(c)', 'notice'), article6('6(1)(e)', 'notice')],
      specialCategory: {
        conditions: [
          article9('9(2)(b)', 'notice', [schedule1('employment', 'notice')]),
          article9('9(2)(f)', 'notice'),
          article9('9(2)(g)', 'notice', [schedule1('equality', 'notice')]),
          article9('9(2)(h)', 'notice', [schedule1('healthOrSocialCare', 'notice')]),
        ],
      },
      // Allegations that someone "possibly committed a criminal offence
      // against or related to a child", shared with police and the CPS.
      criminalOffence: {
        article: '10',
        schedule1: [
          schedule1(
            'employment',
            'inferred',
            'Stated in the notice for Art 9(2)(b); DPA 2018 s10(5) lets it serve Art 10.',
          ),
          schedule1('safeguarding', 'inferred'),
        ],
        source: 'inferred',
        note: 'The notice names no Art 10 condition although allegations of offences are criminal offence data. Needs DPO confirmation.',
      },
      retention: {
        kind: 'schedule',
        noticeCategoryWording:
          'Contacts, initial considerations and referrals that do not progress … Malicious, false or unfounded … Unsubstantiated … Substantiated',
        combine: 'first-match',
        // An allegation with neither outcome nor closure date is still being
        // managed: no retention clock has started.
        openWhileNoneRecorded: ['outcome', 'closureDate'],
        rules: [
          {
            id: 'kent-lado/lado-allegation/not-progressed-review-10',
            ...reviewedTenYearsAfterClosure,
            conditions: [{ kind: 'outcome-in', outcomes: ['no-further-action'] }],
            noticeWording:
              'Reviewed 10 years from the date of closure. … All information should be deleted or removed. … A decision to retain information beyond 10 years may be taken by the County LADO Service if patterns or behaviour are emerging that suggest the person could continue to pose risk of harm.',
            interpretation:
              'Outcome "no-further-action" is the notice’s "contacts, initial considerations and referrals that do not progress". At the review the record is deleted unless the County LADO Service records a decision to keep it because a pattern of concern is emerging.',
          },
          {
            id: 'kent-lado/lado-allegation/malicious-false-unfounded-review-10',
            ...reviewedTenYearsAfterClosure,
            conditions: [{ kind: 'outcome-in', outcomes: ['unfounded', 'false', 'malicious'] }],
            noticeWording:
              'Reviewed 10 years from the date of closure. … If no additional information or evidence is brought to light during this period, the information should be deleted or removed. … A decision to retain information beyond 10 years may be taken by the LADO if patterns or behaviour are emerging that suggest the person could continue to pose risk of harm.',
            interpretation:
              'At the review the record is deleted unless additional information has come to light or the LADO records a decision to keep it because a pattern of concern is emerging.',
          },
          {
            id: 'kent-lado/lado-allegation/unsubstantiated-age-100',
            ...keptUntilAge100,
            conditions: [{ kind: 'outcome-in', outcomes: ['unsubstantiated'] }],
          },
          {
            id: 'kent-lado/lado-allegation/substantiated-age-100',
            ...keptUntilAge100,
            conditions: [{ kind: 'outcome-in', outcomes: ['substantiated'] }],
          },
        ],
      },
    },
  ],
};
