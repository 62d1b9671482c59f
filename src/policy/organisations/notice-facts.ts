/**
 * Each notice's contacts, sources, automated decision statement, legislation
 * and review, verbatim from shared/seeds (see ../notice-facts.ts). Every
 * `source` and `noticeWording` here appears word for word in its notice
 * (policy.test.ts checks it).
 */
import { routeNotStated } from '../notice-facts.js';
import type { ContactRoute, NoticeFacts } from '../notice-facts.js';

const kentRightsTeam = 'Information Resilience and Transparency Team';
const kentRightsEmail = 'data.protection@kent.gov.uk';
const kentDpoName = 'Benjamin Watts';
const kentDpoEmail = 'dpo@kent.gov.uk';
const kentDpoAddress = 'Data Protection Officer, Sessions House, Maidstone, Kent ME14 1XQ';

const kentContactSentence =
  'Please contact the Information Resilience and Transparency Team at data.protection@kent.gov.uk to exercise any of your rights, or if you have a complaint about why your information has been collected, how it has been used or how long we have kept it for.';

/** The Kent County Council rights team, as the KCC notices (KSCMP, SCS, LADO) name it. */
const kentRightsRoute: ContactRoute = {
  name: kentRightsTeam,
  email: kentRightsEmail,
  postalAddress: null,
  phone: null,
  webForm: null,
  source: kentContactSentence,
  note: 'The notice gives an email address only: no postal address, phone number or online form for exercising rights or complaining.',
};

const noAutomatedDecisionStatement = {
  statement: null,
  automatedDecisionsMade: null,
  note: 'The notice does not say whether any decisions are made automatically; it lists the right to "object to decisions being made that significantly affect you". Safekeep makes no decision about a person without a human.',
};

const noReviewInterval =
  'The notice does not say how often it is reviewed or when the next review is due.';

/** Kent Safeguarding Children Multi-agency Partnership (000_69cac5fa93a9a0d7.txt). */
export const kscmpNoticeFacts: NoticeFacts = {
  contacts: {
    controller: {
      name: 'Kent Safeguarding Children Multi-agency Partnership Business Team',
      email: null,
      postalAddress: null,
      phone: null,
      webForm: null,
      source:
        'The KSCMP Business Team is hosted by Kent County Council and as such operates in-line with Kent County Council’s guidelines and procedures as appropriate.',
      note: 'The notice gives no postal address, phone number or general email address for the partnership as controller.',
    },
    dataProtectionOfficer: {
      name: kentDpoName,
      email: kentDpoEmail,
      postalAddress: null,
      phone: null,
      webForm: null,
      source: 'You can contact our Data Protection Officer, Benjamin Watts, at dpo@kent.gov.uk.',
      note: 'The notice gives the Data Protection Officer’s email address only: no postal address or phone number.',
    },
    exercisingRights: {
      ...kentRightsRoute,
      source:
        'If you would like to exercise a right, please contact the Information Resilience and Transparency Team at data.protection@kent.gov.uk.',
    },
    complaints: kentRightsRoute,
    otherRoutes: [
      {
        purpose:
          'Withdrawing consent to communication or newsletter sign-ups, or to learning and development (training) sign-ups',
        route: {
          name: 'KSCMP',
          email: 'kscmp@kent.gov.uk',
          postalAddress: null,
          phone: null,
          webForm: null,
          source:
            'You can do this by emailing kscmp@kent.gov.uk if it relates to communication/newsletter sign ups or relating to learning and development / training sign up.',
          note: 'The notice gives an email address only.',
        },
      },
      {
        purpose: 'Withdrawing consent for other matters',
        route: {
          name: kentRightsTeam,
          email: kentRightsEmail,
          postalAddress: null,
          phone: null,
          webForm: null,
          source: 'For other matters you can do this by emailing data.protection@kent.gov.uk.',
          note: 'The notice gives an email address only.',
        },
      },
    ],
    informationCommissioner: {
      name: 'Information Commissioner',
      email: null,
      postalAddress: null,
      phone: '0303 123 1113',
      webForm: {
        wording: 'https://ico.org.uk/make-a-complaint/',
        url: 'https://ico.org.uk/make-a-complaint/',
      },
      source:
        'The United Kingdom General Data Protection Regulation also gives you the right to lodge a complaint with the Information Commissioner who may be contacted at https://ico.org.uk/make-a-complaint/or telephone 0303 123 1113.',
      note: 'The notice gives no postal address or email address for the ICO.',
    },
  },
  sources: {
    items: [
      {
        description:
          'Partner agencies, who send chronologies of the child’s life and of their own involvement with the child, family and other adults',
        noticeWording:
          'We will also request from agencies where necessary, chronologies of their involvement with the child/children, family and other adults connected with the review/incident during key practice episodes.',
      },
      {
        description:
          'Multi-agency partners, for audit and quality assurance work (including data on linked family and other people)',
        noticeWording:
          'Other quality assurance processes we undertake may involve the collection of additional personal information, special category data, and data on linked individuals (familial and extra-familial) from a range of multi-agency partners.',
      },
      {
        description: 'You, when you book a course or training event',
        noticeWording:
          'For the purpose of learning and development opportunities we ask you for the following information when you book a course/training event:',
      },
      {
        description: 'You, when you sign up to receive newsletters and other communications',
        noticeWording:
          'If you sign up to receive communications from us (newsletters, updates, campaigns and event details) we collect the following:',
      },
      {
        description: 'You, when you answer one of our surveys',
        noticeWording: 'From time-to-time we conduct surveys to gather feedback.',
      },
    ],
    note: null,
  },
  automatedDecisions: noAutomatedDecisionStatement,
  legislation: {
    items: [
      'Working Together 2023.',
      'Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018.',
      'The Children Act 1989.',
      'The Children Act 2004.',
      'The Children and Social Work Act 2017.',
    ],
    source:
      'These legal bases are underpinned by acts of legislation that dictate what actions can and should be taken by Children Safeguarding Partnerships, including:',
    note: null,
  },
  noticeReview: {
    statement:
      'We keep this privacy notice under regular review and was last updated on 7th April 2025.',
    lastUpdated: '2025-04-07',
    intervalMonths: null,
    nextReviewDue: null,
    note: noReviewInterval,
  },
};

/** Kent County Council Specialist Children's Services (001_5605ae4242eb5adf.txt). */
export const kentScsNoticeFacts: NoticeFacts = {
  contacts: {
    controller: {
      name: 'Kent County Council',
      email: null,
      postalAddress: null,
      phone: null,
      webForm: null,
      source:
        'Kent County Council (KCC) collects, uses and is responsible for certain personal information about you.',
      note: 'The notice gives no postal address, phone number or general email address for the council as controller; it gives the Data Protection Officer’s.',
    },
    dataProtectionOfficer: {
      name: kentDpoName,
      email: kentDpoEmail,
      postalAddress: kentDpoAddress,
      phone: null,
      webForm: null,
      source:
        'You can contact our Data Protection Officer, Benjamin Watts, at dpo@kent.gov.uk, or write to: Data Protection Officer, Sessions House, Maidstone, Kent ME14 1XQ.',
      note: 'The notice gives no phone number for the Data Protection Officer.',
    },
    exercisingRights: {
      ...kentRightsRoute,
      source:
        'If you would like to exercise a right, please contact the Information Resilience and Transparency Team at data.protection@kent.gov.uk.',
    },
    complaints: kentRightsRoute,
    otherRoutes: [],
    informationCommissioner: {
      name: 'Information Commissioner',
      email: null,
      postalAddress: null,
      phone: '03031 231113',
      webForm: null,
      source:
        'The supervisory authority in the UK is the Information Commissioner who may be contacted on 03031 231113.',
      note: 'The notice gives a phone number only.',
    },
  },
  sources: {
    items: [
      {
        description: 'You, when you give us information while we support your child and family',
        noticeWording:
          'In the course of providing specialist support for a child, young person and their family we collect the following personal information when you provide it to us:',
      },
      {
        description: 'The police, when a young person is reported missing from home',
        noticeWording: 'details of any young person reported missing from home, from the Police',
      },
      {
        description:
          'Partner organisations, who refer a child to us or are involved with the family',
        noticeWording: 'referral and involvement information from partner organisations',
      },
      {
        description:
          'Your child’s school: attendance, exclusions, pupil characteristics and unique pupil number',
        noticeWording:
          'attendance and exclusion information (such as sessions attended, number of absences, reasons, details to support statutory processes) pupil characteristics, and unique pupil number, from your child’s school',
      },
      {
        description:
          'Other Kent County Council children’s services teams, from our existing records',
        noticeWording:
          'involvement with other KCC children’s services teams from our existing records',
      },
      {
        description: 'The courts, about decisions relating to our legal duties',
        noticeWording: 'court decisions relating to our statutory legal duties',
      },
    ],
    note: null,
  },
  automatedDecisions: noAutomatedDecisionStatement,
  legislation: {
    items: [
      'The Children and Families Act 2014',
      'Children and Social Work Act 2017',
      'Children Act 1989',
    ],
    source:
      'These legal bases are underpinned by acts of legislation that dictate what actions can and should be taken by local authorities, including:',
    note: null,
  },
  noticeReview: {
    statement: null,
    lastUpdated: null,
    intervalMonths: null,
    nextReviewDue: null,
    note: 'The notice does not say when it was last updated, how often it is reviewed or when the next review is due.',
  },
};

/** Somerset Safeguarding Children Partnership (002_2a557741a794e07f.txt). */
export const sscpNoticeFacts: NoticeFacts = {
  contacts: {
    controller: {
      name: 'Somerset Safeguarding Children Partnership',
      email: null,
      postalAddress: null,
      phone: null,
      webForm: null,
      source:
        'This notice is overarching and provides general information about how the Somerset Safeguarding Children Partnership processes data.',
      note: 'The notice gives no postal address, phone number or email address for the partnership.',
    },
    dataProtectionOfficer: routeNotStated(
      'The notice does not name a Data Protection Officer or give any contact details for one.',
    ),
    exercisingRights: routeNotStated(
      'The notice does not say how to exercise your rights: it gives no email address, postal address, phone number or form for rights requests.',
    ),
    complaints: {
      name: 'Somerset Safeguarding Children Partnership',
      email: null,
      postalAddress: null,
      phone: null,
      webForm: { wording: 'fill in our online form', url: null },
      source:
        'If you would like to make a formal complaint or compliment, please fill in our online form',
      note: 'The notice links to an online form but its text does not give the form’s address; it gives no email address, postal address or phone number.',
    },
    otherRoutes: [
      {
        purpose: 'Raising a concern about the way your information is being used',
        route: {
          name: 'Somerset Safeguarding Children Partnership',
          email: null,
          postalAddress: null,
          phone: null,
          webForm: { wording: 'fill in our online form', url: null },
          source:
            'If you have a concern about the way your information is being used, we ask that you raise your concerns with us in the first instance by emailing using our fill in our online form',
          note: 'The notice says "emailing" but gives no email address; it links to an online form whose address its text does not give.',
        },
      },
    ],
    informationCommissioner: {
      name: 'Information Commissioner’s Office',
      email: null,
      postalAddress:
        'Information Commissioner’s Officer (Head Office), Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF.',
      phone: '03000 123 1113',
      webForm: null,
      source: 'Telephone: 03000 123 1113',
      note: 'The notice prints the ICO’s number as 03000 123 1113, which is not the ICO’s published helpline (0303 123 1113); it gives no email address or website.',
    },
  },
  sources: {
    items: [
      {
        description: 'Partner agencies, who send chronologies of the child’s life',
        noticeWording:
          'We will also request chronologies of the child’s life from partner agencies, if necessary.',
      },
      {
        description:
          'Multi-agency partners, for quality assurance work (including data on linked family and other people)',
        noticeWording:
          'Other quality assurance processes we undertake may involve the collection of additional personal information, special category data, data on linked individuals (familial and extra-familial) from a range of multi-agency partners.',
      },
      {
        description: 'You, when you book a course',
        noticeWording:
          'For the purpose of learning and development opportunities we ask you for the following information when you book a course:',
      },
      {
        description: 'You, when you sign up to receive newsletters and other communications',
        noticeWording:
          'If you sign up to receive communications from us (newsletters, updates, campaigns, and event details) we will collect and store your name, organisation, and email address.',
      },
      {
        description: 'You, when you answer one of our surveys',
        noticeWording: 'From time-to-time we conduct surveys to gather feedback.',
      },
    ],
    note: null,
  },
  automatedDecisions: {
    statement: null,
    automatedDecisionsMade: null,
    note: 'The notice does not mention automated decisions. Safekeep makes no decision about a person without a human.',
  },
  legislation: {
    items: [
      'Part 3 of the Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018',
      'Working Together 2023 statutory guidance',
    ],
    source:
      'Part 3 of the Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018 and Working Together 2023 statutory guidance requires local safeguarding partners to undertake reviews of cases in specific circumstances where there is potential for identifying improvements to safeguard and promote the welfare of children.',
    note: 'The notice has no list of legislation; these are the regulations and guidance it names for practice reviews.',
  },
  noticeReview: {
    statement: null,
    lastUpdated: null,
    intervalMonths: null,
    nextReviewDue: null,
    note: 'The notice does not say when it was last updated, how often it is reviewed or when the next review is due.',
  },
};

const maidstoneAddress = 'Maidstone Borough Council, Maidstone, Kent, ME15 6JQ';
const maidstonePhone = '01622 602000';
const maidstoneDpoName = 'Angela Woodhouse';

/** Maidstone Borough Council safeguarding (003_8584554633113e2b.txt). */
export const maidstoneBcNoticeFacts: NoticeFacts = {
  contacts: {
    controller: {
      name: 'Maidstone Borough Council',
      email: null,
      postalAddress: maidstoneAddress,
      phone: maidstonePhone,
      webForm: null,
      source: 'Phone: 01622 602000',
      note: 'Under "Who we are" the notice prints "Email: Angela Woodhouse" as a link; the email address itself is not in its text.',
    },
    dataProtectionOfficer: {
      name: maidstoneDpoName,
      email: null,
      postalAddress: maidstoneAddress,
      phone: maidstonePhone,
      webForm: null,
      source:
        'If you would like to make a complaint regarding the use of your personal data you can contact our Data Protection Officer; Angela Woodhouse.',
      note: 'The notice names the Data Protection Officer and gives the council’s address and phone under "Who we are", with "Email: Angela Woodhouse" as a link whose address is not in its text.',
    },
    exercisingRights: routeNotStated(
      'The notice lists your rights but does not say how to exercise them; the only contact it gives is the council’s under "Who we are" (Maidstone Borough Council, Maidstone, Kent, ME15 6JQ; phone 01622 602000).',
    ),
    complaints: {
      name: `Data Protection Officer, ${maidstoneDpoName}`,
      email: null,
      postalAddress: maidstoneAddress,
      phone: maidstonePhone,
      webForm: null,
      source:
        'If you would like to make a complaint regarding the use of your personal data you can contact our Data Protection Officer; Angela Woodhouse.',
      note: 'The notice sends complaints to the Data Protection Officer without an email address; the address and phone are the council’s under "Who we are".',
    },
    otherRoutes: [],
    informationCommissioner: {
      name: "Information Commissioner's Office",
      email: null,
      postalAddress:
        "Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF",
      phone: '0303 123 1113',
      webForm: null,
      source:
        'Phone: 0303 123 1113 (local rate) or 01625 545 745 if you prefer to use a national rate number',
      note: 'The notice also gives 01625 545 745 as a national rate number, and links to the ICO’s email and website without printing their addresses.',
    },
  },
  sources: {
    items: [
      {
        description: 'You, when you visit maidstone.gov.uk',
        noticeWording: 'visit maidstone.gov.uk;',
      },
      { description: 'You, when you write to us', noticeWording: 'contact us in writing,' },
      {
        description: 'You, when you phone, email or contact us electronically in another way',
        noticeWording:
          'speak to us on the phone, email or any other type of electronic communication,',
      },
      {
        description: 'You, when you talk to us face to face',
        noticeWording: 'talk to us face to face.',
      },
    ],
    note: 'The notice lists only the ways it collects information from you; it names no other source.',
  },
  automatedDecisions: {
    statement: 'There are no automated decisions in this process.',
    automatedDecisionsMade: false,
    note: null,
  },
  legislation: {
    items: ['Data Protection Act 2018'],
    source:
      'If we need to share special category personal data, the Data Protection Act 2018 includes ‘safeguarding of children and individuals at risk’ as a condition that allows practitioners to share information without consent',
    note: 'The notice has no list of legislation; the Data Protection Act 2018 is the only Act it names.',
  },
  noticeReview: {
    statement: null,
    lastUpdated: null,
    intervalMonths: null,
    nextReviewDue: null,
    note: 'The notice does not say when it was last updated, how often it is reviewed or when the next review is due.',
  },
};

/** Kent LADO service (004_b2d80513fdbbe00d.txt). */
export const kentLadoNoticeFacts: NoticeFacts = {
  contacts: {
    controller: kentScsNoticeFacts.contacts.controller,
    dataProtectionOfficer: kentScsNoticeFacts.contacts.dataProtectionOfficer,
    exercisingRights: {
      ...kentRightsRoute,
      source:
        'If you would like to exercise a right, please contact the Information Resilience and Transparency Team at data.protection@kent.gov.uk.',
    },
    complaints: kentRightsRoute,
    otherRoutes: [],
    informationCommissioner: {
      name: 'Information Commissioner',
      email: null,
      postalAddress: null,
      phone: '03031 231113',
      webForm: { wording: "the Information Commissioner's website", url: null },
      source:
        "UK GDPR also gives you right to lodge a complaint with the Information Commissioner who may be contacted via the Information Commissioner's website or call 03031 231113.",
      note: 'The notice links to the ICO’s website without printing its address; it gives no postal or email address.',
    },
  },
  sources: {
    items: [
      {
        description: 'You, when you give us information while we manage a concern about an adult',
        noticeWording:
          'In the course of managing concerns, including allegations of harm, against an adult who works with children we collect the following personal information when you provide it to us:',
      },
      { description: 'The police', noticeWording: 'Police' },
      {
        description: 'Integrated Children’s Services',
        noticeWording: 'Integrated Children’s Services',
      },
      { description: 'Other local authorities', noticeWording: 'Other Local Authorities' },
      {
        description:
          'Education: early years settings, the local education authority, academies and private, independent and unregistered schools',
        noticeWording:
          'Education including Early Years, Local Education Authority, academies, private, independent and unregistered schools',
      },
      { description: 'NHS England', noticeWording: 'NHS England' },
      {
        description: 'Employers, including voluntary and charity organisations',
        noticeWording: 'Employers, including voluntary and charity organisations',
      },
      { description: 'The NSPCC', noticeWording: 'NSPCC' },
      {
        description: 'Ofsted or governing bodies',
        noticeWording: 'Ofsted and or Governing bodies',
      },
      {
        description: 'The Care Quality Commission',
        noticeWording: 'Care Quality Commission (CQC)',
      },
      {
        description: 'The Crown Prosecution Service',
        noticeWording: 'Crown Prosecution Service (CPS).',
      },
    ],
    note: null,
  },
  automatedDecisions: noAutomatedDecisionStatement,
  legislation: {
    items: [
      'Children Act 1989',
      'Children Act 2004',
      'Children and Social Work Act 2017',
      'Working Together to Safeguard Children 2015',
      'Working Together to Safeguard Children 2018',
      'Keeping Children Safe in Education 2020.',
    ],
    source: 'We rely on the following laws to process your personal data:',
    note: null,
  },
  noticeReview: {
    statement:
      'We keep this privacy notice under regular review and was last updated in October 2021.',
    lastUpdated: '2021-10',
    intervalMonths: null,
    nextReviewDue: null,
    note: noReviewInterval,
  },
};
