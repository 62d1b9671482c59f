/**
 * The law an organisation's policy relies on, in words for the record of
 * processing, the appropriate policy document and the privacy notice. All
 * three read these from the same policy, so they say the same thing.
 */
import type { OffenceDataKind, SpecialCharacteristic } from '../../people/tables.js';
import type { DataCategory, OrganisationPolicy, Schedule1Condition } from '../../policy/index.js';
import { describeRetention } from '../../retention/wording.js';
import { recipientRefusal } from '../../sharing/recipient-check.js';

export const characteristicWords: Readonly<Record<SpecialCharacteristic, string>> = {
  ethnicity: 'ethnicity',
  disability: 'disability',
  'religion-or-belief': 'religion or belief',
  'sexual-orientation': 'sexual orientation',
  'marriage-or-civil-partnership': 'marriage or civil partnership',
  'gender-reassignment': 'gender reassignment',
  health: 'health, including mental health',
  'drug-and-alcohol-use': 'drug and alcohol use',
};

export const offenceWords: Readonly<Record<OffenceDataKind, string>> = {
  'legal-status': 'legal status',
  proceedings: 'proceedings',
  caution: 'cautions',
  conviction: 'convictions',
};

/** "Public task (Art 6(1)(e) UK GDPR)". */
export function lawfulBasisWords(category: DataCategory): string[] {
  return category.lawfulBases.map((b) => `${b.name} (Art ${b.article} UK GDPR)`);
}

function schedule1Words(condition: Schedule1Condition): string {
  return `${condition.name} (DPA 2018 Schedule 1 ${condition.paragraph})`;
}

/** "Reasons of substantial public interest (Art 9(2)(g) UK GDPR), with Safeguarding … (DPA 2018 Schedule 1 Part 2 para 18)". */
export function specialCategoryConditionWords(category: DataCategory): string[] {
  if (category.specialCategory === false) return [];
  return category.specialCategory.conditions.map((c) => {
    const schedule = c.schedule1.map(schedule1Words);
    return `${c.name} (Art ${c.article} UK GDPR)${schedule.length ? `, with ${schedule.join(' and ')}` : ''}`;
  });
}

export function criminalOffenceConditionWords(category: DataCategory): string[] {
  if (category.criminalOffence === false) return [];
  const schedule = category.criminalOffence.schedule1.map(schedule1Words);
  return [`Art 10 UK GDPR${schedule.length ? `, with ${schedule.join(' and ')}` : ''}`];
}

/** Every Schedule 1 condition a category relies on (Art 9 and Art 10), once each. */
export function schedule1ConditionsOf(category: DataCategory): Schedule1Condition[] {
  const all = [
    ...(category.specialCategory === false
      ? []
      : category.specialCategory.conditions.flatMap((c) => c.schedule1)),
    ...(category.criminalOffence === false ? [] : category.criminalOffence.schedule1),
  ];
  const seen = new Set<string>();
  return all.filter((c) => !seen.has(c.paragraph) && seen.add(c.paragraph));
}

/** The recipients sharing accepts (sharing/recipient-check.ts), as the notice names them. */
export function acceptedRecipients(policy: OrganisationPolicy) {
  return policy.recipients.filter((r) => recipientRefusal(policy, r.id) === null);
}

/** Transfers outside the UK: none, or each country with its safeguard. */
export function transfersWords(policy: OrganisationPolicy): string {
  const safeguards = policy.transfersAbroad.safeguards;
  if (safeguards.length === 0) {
    return 'None. Safekeep refuses to send personal data to a recipient outside the UK unless a safeguard for its country is named in this policy, and none is.';
  }
  return safeguards.map((s) => `${s.country}: ${s.safeguard}`).join('; ');
}

/**
 * Art 30(1)(g) / Art 32: the technical and organisational measures Safekeep
 * itself enforces for every organisation (design.md "Principles"), then the
 * limits this organisation's policy sets on who may hold a role.
 */
export function securityMeasures(policy: OrganisationPolicy): string[] {
  return [
    'Access on a need-to-know basis: one access decision for every read and change, by organisation, role, allocation to the case and restriction',
    'Two-factor authentication for privileged roles; sign-in throttling',
    'Every view and change of personal data recorded in a tamper-evident, hash-chained audit log with signed checkpoints',
    'Retention computed from the published schedule; destruction removes the data everywhere and leaves a certificate without personal data',
    'Every disclosure logged with its purpose and lawful basis; only to recipients the privacy notice lists',
    ...policy.roleHolderLimits.map(
      (limit) => `At most ${limit.max} people may hold this access at once: “${limit.source}”`,
    ),
  ];
}

/** The public notice's address, relative to the site. */
export function noticePath(policy: Pick<OrganisationPolicy, 'slug'>): string {
  return `/privacy/${policy.slug}`;
}

/** A category's retention as sentences, every one from retention/wording.ts. */
export function retentionSentences(category: DataCategory): string[] {
  const d = describeRetention(category.retention);
  return [
    ...(d.noRule ? [d.noRule] : []),
    ...d.rules.map((r) => r.sentence),
    ...(d.combine ? [d.combine] : []),
    ...(d.open ? [d.open] : []),
  ];
}
