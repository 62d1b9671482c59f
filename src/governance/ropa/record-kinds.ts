import type { CategorySlug } from '../../policy/index.js';

/**
 * Who each kind of record Safekeep keeps is about, and what it holds: the
 * record of processing's "categories of data subjects" and "categories of
 * personal data" (UK GDPR Art 30(1)(c)). These follow from the record kind
 * itself (its fields in casework/categories.ts and partnership/, as the
 * notices describe them), so they are the same whichever organisation keeps
 * it; what differs per organisation (purpose, bases, retention, recipients)
 * comes from its policy.
 */
export const recordKinds: Readonly<
  Record<CategorySlug, { dataSubjects: string; personalData: string }>
> = {
  'child-protection-plan': {
    dataSubjects: 'Children with a child protection plan; their parents, carers and family members',
    personalData:
      'Names, dates of birth, addresses and identifiers; category of abuse; section 47 enquiries and child protection conferences; the plan and its reviews; case notes',
  },
  'looked-after': {
    dataSubjects: 'Children in care and care leavers; their parents, carers and family members',
    personalData:
      'Names, dates of birth, addresses and identifiers; placements; health and education; plans and reviews; support as a care leaver; case notes',
  },
  adoption: {
    dataSubjects: 'Adopted children; birth parents and families; adopters',
    personalData:
      'Names, dates of birth and identifiers; the adoption order; assessments and reports; case notes',
  },
  'private-fostering': {
    dataSubjects: 'Privately fostered children; their parents',
    personalData: 'Names, dates of birth and addresses; the arrangement; visits; case notes',
  },
  'private-foster-parent': {
    dataSubjects: 'Private foster carers and members of their household',
    personalData: 'Names, dates of birth and addresses; assessments and checks; case notes',
  },
  'child-in-need': {
    dataSubjects: 'Children in need; their parents, carers and family members',
    personalData:
      'Names, dates of birth, addresses and identifiers; assessment and plan information; primary need; case notes',
  },
  'risk-register': {
    dataSubjects: 'People cautioned or convicted of offences against children',
    personalData: 'Names, dates of birth and addresses; the caution or conviction',
  },
  'practice-review': {
    dataSubjects:
      'Children who died or were seriously harmed; their families and other adults connected with the incident; practitioners involved',
    personalData:
      'Names, dates of birth and addresses; chronologies of agencies’ involvement; review reports and action plans',
  },
  'panel-referral-not-notified': {
    dataSubjects:
      'Children whose case was considered for notification; their families; practitioners involved',
    personalData: 'Names and dates of birth; the referral and the decision not to notify',
  },
  training: {
    dataSubjects: 'People who book or attend training',
    personalData: 'Name; job role, organisation and sector; email address; attendance',
  },
  'training-booking-details': {
    dataSubjects: 'People who book training',
    personalData: 'Telephone number and address; budget codes; dietary or other requirements',
  },
  'audit-qa': {
    dataSubjects: 'Children, families and linked people in the cases audited; practitioners',
    personalData: 'Case information drawn from partner agencies’ records; audit findings',
  },
  'meeting-admin': {
    dataSubjects: 'Members of the board and its sub-groups; people attending meetings',
    personalData: 'Names, job roles, organisations and contact details; attendance; minutes',
  },
  survey: {
    dataSubjects: 'People who answer surveys',
    personalData: 'Answers to survey questions (anonymous unless the person chooses otherwise)',
  },
  'newsletter-subscription': {
    dataSubjects: 'People who sign up for newsletters and other communications',
    personalData: 'Name; organisation; email address; the consent given and when',
  },
  'learning-system-record': {
    dataSubjects: 'People enrolled on courses through the learning management system',
    personalData: 'Name; job role, organisation and sector; email address; courses taken',
  },
  'safeguarding-concern': {
    dataSubjects:
      'Children and adults about whom a safeguarding concern is raised; the people who raise it',
    personalData:
      'Name and address; the safeguarding concern (for example domestic abuse or mental health); other details such as GP and social care provision',
  },
  'lado-allegation': {
    dataSubjects:
      'Adults who work with children against whom an allegation is made; the children concerned; the people who report it',
    personalData:
      'Names, dates of birth and employment details; the allegation, its investigation and outcome; case notes',
  },
};
