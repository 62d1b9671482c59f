/**
 * The supplementary information a subject access response carries (UK GDPR
 * Art 15(1)(a)–(h) and 15(2); reference.md "A response carries"), generated
 * from the organisation's policy data — not typed by hand — so the response
 * says exactly what the notice and the engine say (design.md principle 7).
 */
import type { DataCategory, OrganisationPolicy } from '../policy/index.js';
import { lawfulBasisName } from '../policy/names.js';
import { formatDate } from '../platform/http/views.js';
import type { SubjectDisclosure } from '../sharing/disclosure-log.js';
import type { ItemKind } from '../sharing/tables.js';
import { routeWords } from '../governance/ropa/contacts.js';
import { noAutomatedDecisions, retentionWording } from './decisions.js';

export interface SupplementaryInformation {
  controller: string;
  /** "October 2021", "7 April 2025"; null when the notice gives no date. */
  noticeLastUpdated: string | null;
  /** Art 15(1)(a): why we hold it, with the lawful basis for each purpose. */
  purposes: { category: string; name: string; purpose: string; lawfulBases: string[] }[];
  /** Art 15(1)(b): the categories of personal data, flagged where special or criminal offence data. */
  categories: {
    category: string;
    name: string;
    specialCategory: boolean;
    criminalOffence: boolean;
  }[];
  /**
   * Art 15(1)(c): the recipients the notice names (from policy), and each
   * disclosure actually made of this person's information (from the
   * disclosure log), in words.
   */
  recipients: { names: string[]; disclosures: DisclosureLine[]; note: string };
  /** Art 15(1)(d): how long, in the notice's own words. */
  retention: { category: string; name: string; period: string }[];
  /** Art 15(1)(e): the other rights. */
  rights: { right: string; article: string }[];
  /**
   * Art 13(1)(b): the DPO, and who to contact to use these rights or to
   * complain, from the policy's contacts (the notice's own words).
   */
  contacts: { dataProtectionOfficer: string; exercisingRights: string; complaints: string };
  /** Art 15(1)(f): the right to complain to the ICO. */
  complaint: { body: string; website: string; telephone: string };
  /** Art 15(1)(g): where the data came from, if not from the person. */
  source: string;
  /** Art 15(1)(h): automated decision-making. */
  automatedDecisions: string;
}

/** One disclosure of the person's information, as the person reads it. */
export interface DisclosureLine {
  recipient: string;
  /** "3 October 2025". */
  on: string;
  purpose: string;
  lawfulBasis: string;
  /** "Kent multi-agency information sharing agreement (version 2)", or null when none was relied on. */
  agreement: string | null;
  /** "Child protection plan: the whole record". */
  what: string[];
}

const itemKindWords: Record<ItemKind, string> = {
  record: 'the whole record',
  note: 'notes',
  document: 'documents',
  field: 'some details',
};

function disclosureLine(policy: OrganisationPolicy, d: SubjectDisclosure): DisclosureLine {
  return {
    recipient: d.recipient,
    on: formatDate(d.disclosedOn),
    purpose: d.purpose,
    lawfulBasis: `${lawfulBasisName(d.lawfulBasis)} (Art ${d.lawfulBasis} UK GDPR)`,
    agreement: d.agreement ? `${d.agreement.title} (version ${d.agreement.version})` : null,
    what: d.items.map((item) => {
      const name =
        policy.categories.find((c) => c.slug === item.recordCategory)?.name ?? 'A record';
      return `${name}: ${item.kinds.map((k) => itemKindWords[k]).join(', ')}`;
    }),
  };
}

/** Art 15(1)(e), plus the rights the notices list alongside it. */
const rights: SupplementaryInformation['rights'] = [
  { right: 'Ask us to correct information that is wrong or incomplete', article: 'Art 16' },
  { right: 'Ask us to erase information', article: 'Art 17' },
  { right: 'Ask us to restrict how we use information', article: 'Art 18' },
  { right: 'Object to how we use information', article: 'Art 21' },
  { right: 'Withdraw consent where we rely on it, at any time', article: 'Art 7(3)' },
  {
    right: 'Have information you gave us on consent in a machine-readable form',
    article: 'Art 20',
  },
];

function basisNames(category: DataCategory): string[] {
  return category.lawfulBases.map((b) => `${b.name} (Art ${b.article} UK GDPR)`);
}

/**
 * Builds the Art 15 information for the categories a response covers (all
 * the organisation's categories when none are named, e.g. before discovery),
 * with the disclosures made of the person's records in those categories.
 */
export function supplementaryInformation(
  policy: OrganisationPolicy,
  categorySlugs: readonly string[] = [],
  disclosures: readonly SubjectDisclosure[] = [],
): SupplementaryInformation {
  const covered = (category: string) =>
    categorySlugs.length === 0 || categorySlugs.includes(category);
  const categories =
    categorySlugs.length === 0
      ? policy.categories
      : policy.categories.filter((c) => categorySlugs.includes(c.slug));
  return {
    controller: policy.name,
    noticeLastUpdated: policy.notice.lastUpdated ? formatDate(policy.notice.lastUpdated) : null,
    purposes: categories.map((c) => ({
      category: c.slug,
      name: c.name,
      purpose: c.purpose,
      lawfulBases: basisNames(c),
    })),
    categories: categories.map((c) => ({
      category: c.slug,
      name: c.name,
      specialCategory: c.specialCategory !== false,
      criminalOffence: c.criminalOffence !== false,
    })),
    recipients: {
      names: policy.recipients.map((r) => r.name),
      disclosures: disclosures
        .map((d) => ({ ...d, items: d.items.filter((i) => covered(i.recordCategory)) }))
        .filter((d) => d.items.length > 0)
        .map((d) => disclosureLine(policy, d)),
      note:
        'Our privacy notice names the organisations we may share information with. ' +
        'Where we shared information about you, each time is listed here: who received it, ' +
        'when, why and what. We share with law enforcement or other authorities only where ' +
        'the law allows it.',
    },
    retention: categories.map((c) => ({
      category: c.slug,
      name: c.name,
      period: retentionWording(c),
    })),
    rights,
    contacts: {
      dataProtectionOfficer: routeWords(policy.contacts.dataProtectionOfficer),
      exercisingRights: routeWords(policy.contacts.exercisingRights),
      complaints: routeWords(policy.contacts.complaints),
    },
    complaint: {
      body: 'Information Commissioner’s Office',
      website: 'https://ico.org.uk/make-a-complaint/',
      telephone: '0303 123 1113',
    },
    source:
      'Where information did not come from you, the records we send say who provided it ' +
      '(for example a school, health service, the police or a family member).',
    automatedDecisions: noAutomatedDecisions,
  };
}
