/**
 * The Appropriate Policy Document (DPA 2018 Schedule 1 Part 4) an
 * organisation needs when it relies on a Schedule 1 condition that asks for
 * one: every Part 2 (substantial public interest) condition (Sch 1 para 5)
 * and Part 1 paragraph 1, employment and social protection (para 1(1)(b));
 * not Part 1 paragraphs 2 to 4 (health or social care, public health,
 * archiving and research). It explains how the principles of Art 5 are met
 * for that data and the retention and erasure policy for it (para 39), is
 * kept for six months after the processing ends and given to the ICO on
 * request (para 40) — reference.md "Appropriate policy document".
 * Generated from the policy the engine enforces, like the record of processing.
 */
import type { DataCategory, OrganisationPolicy, Schedule1Condition } from '../../policy/index.js';
import { dpoWords } from './contacts.js';
import {
  acceptedRecipients,
  characteristicWords,
  lawfulBasisWords,
  offenceWords,
  retentionSentences,
  schedule1ConditionsOf,
  securityMeasures,
} from './legal-words.js';

/** Whether DPA 2018 Sch 1 asks for an appropriate policy document for this condition. */
export function needsAppropriatePolicy(condition: Pick<Schedule1Condition, 'paragraph'>): boolean {
  return condition.paragraph.startsWith('Part 2') || condition.paragraph === 'Part 1 para 1';
}

export interface AppropriatePolicyDocument {
  controller: string;
  dataProtectionOfficer: string;
  /** Each condition that needs the document, with the activities relying on it. */
  conditions: {
    paragraph: string;
    name: string;
    activities: string[];
    /** "stated in the notice" or the reason it was inferred. */
    source: string;
  }[];
  /** The data held under those conditions. */
  data: { specialCategory: string[]; criminalOffence: string[] };
  /** Art 5(1)(a)–(f) and 5(2), each with how Safekeep and this policy meet it. */
  principles: { principle: string; how: string[] }[];
  /** Para 39(b): retention and erasure, per activity, in the engine's words. */
  retention: { activity: string; sentences: string[] }[];
  review: string;
}

function relying(
  policy: OrganisationPolicy,
): { category: DataCategory; conditions: Schedule1Condition[] }[] {
  return policy.categories
    .map((category) => ({
      category,
      conditions: schedule1ConditionsOf(category).filter(needsAppropriatePolicy),
    }))
    .filter((x) => x.conditions.length > 0);
}

/** The document, or null when the organisation relies on no condition that needs one. */
export function appropriatePolicyDocument(
  policy: OrganisationPolicy,
): AppropriatePolicyDocument | null {
  const relied = relying(policy);
  if (relied.length === 0) return null;
  const conditions = new Map<string, AppropriatePolicyDocument['conditions'][number]>();
  for (const { category, conditions: found } of relied) {
    for (const condition of found) {
      const entry = conditions.get(condition.paragraph) ?? {
        paragraph: condition.paragraph,
        name: condition.name,
        activities: [],
        source:
          condition.source === 'notice'
            ? 'Stated in the privacy notice.'
            : `Not stated in the privacy notice; relied on by Safekeep’s policy and awaiting the DPO’s confirmation.${condition.note ? ` ${condition.note}` : ''}`,
      };
      entry.activities.push(category.name);
      conditions.set(condition.paragraph, entry);
    }
  }
  const categories = relied.map((r) => r.category);
  const purposes = [...new Set(categories.map((c) => `${c.name}: ${c.purpose}`))];
  const bases = [...new Set(categories.flatMap(lawfulBasisWords))];
  return {
    controller: policy.name,
    dataProtectionOfficer: dpoWords(policy),
    conditions: [...conditions.values()],
    data: {
      specialCategory: policy.personSensitiveData.specialCategory.map(
        (c) => characteristicWords[c],
      ),
      criminalOffence: policy.personSensitiveData.offenceData.map((k) => offenceWords[k]),
    },
    principles: [
      {
        principle: 'Lawfulness, fairness and transparency (Art 5(1)(a))',
        how: [
          `Every record has a category with a lawful basis: ${bases.join('; ')}.`,
          'The privacy notice is published from this same policy, so it says what Safekeep does.',
        ],
      },
      {
        principle: 'Purpose limitation (Art 5(1)(b))',
        how: [
          ...purposes,
          'A record cannot be kept without one of these categories, and each disclosure records its purpose.',
        ],
      },
      {
        principle: 'Data minimisation (Art 5(1)(c))',
        how: [
          `Only the special category and criminal offence data the notice names can be recorded about a person (${[
            ...policy.personSensitiveData.specialCategory.map((c) => characteristicWords[c]),
            ...policy.personSensitiveData.offenceData.map((k) => offenceWords[k]),
          ].join(', ')}); anything else is refused.`,
          `Disclosures go only to recipients the notice lists (${acceptedRecipients(policy).length}), and can be limited to the items needed.`,
        ],
      },
      {
        principle: 'Accuracy (Art 5(1)(d))',
        how: [
          'Rectification requests correct records, with the change kept in the record’s history, and recipients are told (Art 19).',
        ],
      },
      {
        principle: 'Storage limitation (Art 5(1)(e))',
        how: [
          'Retention is computed from the published schedule (below); a missing date sends the record to a person, never kept for ever nor destroyed unseen.',
        ],
      },
      {
        principle: 'Integrity and confidentiality (Art 5(1)(f))',
        how: securityMeasures(policy),
      },
      {
        principle: 'Accountability (Art 5(2))',
        how: [
          'The record of processing and this document are generated from the policy in force.',
          'The data protection officer reviews entries the policy infers rather than the notice states.',
        ],
      },
    ],
    retention: categories.map((category) => ({
      activity: category.name,
      sentences: retentionSentences(category),
    })),
    review:
      'This document is kept while the processing continues and for six months after it ends, and given to the Information Commissioner on request (DPA 2018 Schedule 1 para 40). It changes when the policy changes.',
  };
}
