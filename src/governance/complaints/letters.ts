import { formatDate } from '../../platform/http/views.js';
import { referenceInWords } from './reference.js';
import type { ComplaintOutcome } from './tables.js';

/**
 * The response letter that tells a complainant the outcome (DPA 2018
 * s.164A(4)(b)), in plain English, with their right to complain to the
 * Information Commissioner if they are not satisfied (UK GDPR Art 77; DPA
 * 2018 s.165). A pure function of the complaint, so the page, a printout
 * and the tests read the same words.
 */

/** How to complain to the ICO, as the ICO publishes it. */
export const ICO_CONTACT = {
  name: "Information Commissioner's Office",
  address: ['Wycliffe House', 'Water Lane', 'Wilmslow', 'Cheshire', 'SK9 5AF'],
  phone: '0303 123 1113',
  web: 'ico.org.uk/make-a-complaint',
} as const;

/** What the outcome means, said to the complainant. */
const outcomeSentence: Record<ComplaintOutcome, string> = {
  upheld:
    'We agree with your complaint. We did not handle your personal information as we should have, and we are sorry.',
  'partly-upheld':
    'We agree with part of your complaint. Some of what you told us was right, and we are sorry for that part.',
  'not-upheld':
    'We have not upheld your complaint. We looked carefully at what you told us and we believe we handled your personal information correctly.',
  withdrawn:
    'You told us that you no longer want us to go on with your complaint, so we have closed it.',
};

export interface LetterInput {
  organisationName: string;
  reference: string;
  complainantName: string;
  postalAddress: string | null;
  email: string | null;
  receivedOn: string;
  outcome: ComplaintOutcome;
  findings: string;
  actions: string | null;
  closedOn: string;
  onBehalfOfName: string | null;
}

export interface Letter {
  date: string;
  to: string[];
  reference: string;
  greeting: string;
  sections: { heading: string; paragraphs: string[] }[];
  ico: typeof ICO_CONTACT;
  signOff: string;
}

const paragraphsOf = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s*\r?\n\s*/g, ' ').trim())
    .filter(Boolean);

export function outcomeLetter(input: LetterInput): Letter {
  const to = [input.complainantName];
  if (input.postalAddress)
    to.push(
      ...input.postalAddress
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    );
  else if (input.email) to.push(input.email);
  const about = input.onBehalfOfName
    ? `about how we have used ${input.onBehalfOfName}’s personal information`
    : 'about how we have used your personal information';
  const sections: Letter['sections'] = [
    {
      heading: 'Your complaint',
      paragraphs: [
        `Thank you for your complaint to ${input.organisationName}, which we received on ${formatDate(input.receivedOn)}, ${about}. This letter tells you what we found and what we have decided.`,
      ],
    },
    { heading: 'What we decided', paragraphs: [outcomeSentence[input.outcome]] },
    { heading: 'What we found', paragraphs: paragraphsOf(input.findings) },
  ];
  if (input.actions) {
    sections.push({ heading: 'What we will do', paragraphs: paragraphsOf(input.actions) });
  }
  sections.push({
    heading: 'If you are not happy with our answer',
    paragraphs: [
      'You have the right to complain to the Information Commissioner’s Office (ICO), the independent body that makes sure organisations follow data protection law. It is usually best to contact them within 3 months of this letter. You can:',
    ],
  });
  return {
    date: formatDate(input.closedOn),
    to,
    reference: referenceInWords(input.reference),
    greeting: `Dear ${input.complainantName}`,
    sections,
    ico: ICO_CONTACT,
    signOff: `${input.organisationName}, data protection`,
  };
}
