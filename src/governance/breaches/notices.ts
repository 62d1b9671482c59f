import { formatDateTime } from '../../platform/http/views.js';
import type { OrganisationSlug } from '../../policy/index.js';
import { policyFor } from '../../policy/index.js';
import {
  dataCategories,
  exemptions,
  risks,
  type DataCategoryCode,
  type Exemption,
  type IcoDecision,
  type Risk,
  type SubjectsDecision,
} from './tables.js';

/**
 * What goes out of the register: the ICO report's fields, ready to copy
 * into the ICO's form (Art 33(3)), and the letter to each person to be told
 * (Art 34(2)). Built from the breach as recorded, in words, never ids.
 */

export interface BreachFacts {
  summary: string;
  occurredAt: Date;
  awareAt: Date;
  discovery: string;
  dataCategories: readonly DataCategoryCode[];
  approxPeople: number;
  approxRecords: number;
  risk: Risk | null;
  consequences: string | null;
  measures: string | null;
  dpoContact: string | null;
  icoDecision: IcoDecision | null;
  icoLateReasons: string | null;
  subjectsDecision: SubjectsDecision | null;
  subjectsExemption: Exemption | null;
  subjectsDecidedAt: Date | null;
  subjectsNotice: string | null;
}

/** The controller's name as its notice gives it, from the policy in force. */
export function organisationName(slug: string): string {
  try {
    return policyFor(slug as OrganisationSlug).name;
  } catch {
    return slug;
  }
}

const notYet = 'Not yet recorded';

/**
 * The fields the ICO asks for when a breach is reported (Art 33(3)(a)–(d)
 * and the ICO's online form), in the form's order, each ready to copy.
 */
export function icoReportFields(
  breach: BreachFacts,
  organisation: string,
): { label: string; value: string }[] {
  const told =
    breach.subjectsDecision === 'tell'
      ? `Yes: we decided on ${formatDateTime(breach.subjectsDecidedAt)} to tell them, by letter`
      : breach.subjectsDecision === 'not-tell'
        ? `No. ${breach.subjectsExemption ? exemptions[breach.subjectsExemption] : ''}`
        : 'Not yet decided';
  return [
    { label: 'Organisation (the controller)', value: organisation },
    {
      label: 'Data protection officer (name and contact details)',
      value: breach.dpoContact ?? notYet,
    },
    { label: 'What happened', value: breach.summary },
    { label: 'When the breach happened', value: formatDateTime(breach.occurredAt) },
    { label: 'When we discovered it', value: formatDateTime(breach.awareAt) },
    { label: 'How we discovered it', value: breach.discovery },
    {
      label: 'Categories of personal data involved',
      value: breach.dataCategories.map((c) => dataCategories[c] ?? c).join('; '),
    },
    {
      label: 'Approximate number of people affected',
      value: breach.approxPeople.toLocaleString('en-GB'),
    },
    {
      label: 'Approximate number of records involved',
      value: breach.approxRecords.toLocaleString('en-GB'),
    },
    { label: 'Our assessment of the risk', value: breach.risk ? risks[breach.risk] : notYet },
    { label: 'Likely consequences', value: breach.consequences ?? notYet },
    {
      label: 'Measures taken or proposed, including to reduce possible harm',
      value: breach.measures ?? notYet,
    },
    { label: 'Have the people affected been told?', value: told },
    ...(breach.icoLateReasons
      ? [{ label: 'Reasons for reporting later than 72 hours', value: breach.icoLateReasons }]
      : []),
  ];
}

/** The paragraphs of a letter to a person affected, in plain English (Art 34(2)). */
export function letterParagraphs(breach: BreachFacts, organisation: string) {
  return {
    what: breach.subjectsNotice ?? '',
    when: `It happened on or around ${formatDateTime(breach.occurredAt)}, and we found out about it at ${formatDateTime(breach.awareAt)}.`,
    consequences: breach.consequences ?? '',
    measures: breach.measures ?? '',
    contact: breach.dpoContact ?? '',
    organisation,
  };
}
