import { stateLabels } from './machine.js';
import { annotationLabels } from './rectification.js';

/** Words shown on pages for the stored codes. */
export const labels = {
  type: {
    access: 'Access (subject access request)',
    rectification: 'Rectification',
    erasure: 'Erasure',
    restriction: 'Restriction',
    'objection-public-task': 'Objection to processing for a public task',
    'objection-direct-marketing': 'Objection to direct marketing',
    'consent-withdrawal': 'Consent withdrawal or unsubscribe',
    portability: 'Data portability',
    'automated-decision-objection': 'Objection to automated decisions',
  },
  role: {
    self: 'The person themselves',
    parent: 'A parent with parental responsibility',
    solicitor: 'A solicitor',
    'court-appointee': 'A person appointed by a court',
  },
  channel: {
    email: 'Email',
    letter: 'Letter',
    phone: 'Phone',
    'in-person': 'In person',
    'web-form': 'Web form',
    other: 'Other',
  },
  identity: {
    'not-yet-checked': 'Not checked yet',
    'known-to-us': 'Already known to us',
    'photo-id-seen': 'Photo ID seen',
    'documents-copied': 'Documents copied',
    'verified-in-person': 'Verified in person',
    'not-required': 'Not required (no reasonable doubt)',
  },
  authority: {
    'birth-certificate': 'Birth certificate',
    'parental-responsibility-order': 'Parental responsibility order or agreement',
    'signed-authority-from-subject': 'Signed authority from the subject',
    'court-order': 'Court order',
    'lasting-power-of-attorney': 'Lasting power of attorney',
    other: 'Other',
  },
  ground: {
    'accuracy-contested': 'Accuracy contested (Art 18(1)(a))',
    'unlawful-erasure-opposed': 'Unlawful, but the person opposes erasure (Art 18(1)(b))',
    'needed-for-legal-claims': 'Needed by the person for legal claims (Art 18(1)(c))',
    'objection-pending': 'Objection being considered (Art 18(1)(d))',
    'objection-upheld': 'Objection upheld: processing for this purpose has stopped (Art 21(1))',
  },
  state: stateLabels,
  outcome: {
    erased: 'Erased',
    unsubscribed: 'Unsubscribed and deleted',
    refused: 'Refused',
    'not-linkable': 'Cannot be linked to the person',
  },
  source: {
    'training-booking': 'Training booking',
    'newsletter-subscriber': 'Newsletter subscription',
    'survey-response': 'Survey responses',
    'case-record': 'Case record',
  },
  notice: {
    told: 'Told',
    impossible: 'Telling them is impossible',
    disproportionate: 'Telling them would take disproportionate effort',
  },
  annotation: annotationLabels,
} as const;
