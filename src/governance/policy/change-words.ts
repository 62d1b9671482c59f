/**
 * A policy change in plain English for the people who approve it (issue 11;
 * decision 0025): which parts of the document change, what the retention
 * engine says it would do to records (per category, by name), and what it
 * would change in the privacy notice (notice/version-changes.ts). Pure.
 */
import type { OrganisationPolicy } from '../../policy/index.js';
import { formatDate } from '../../platform/http/views.js';
import { noticeChanges, type SectionChange } from '../notice/version-changes.js';
import type { ChangePreview } from './changes.js';

/**
 * Each part of a policy document, in words: one row per top-level field. A
 * field added to the documents without a row here is still compared, and
 * named from its key ("consentPurposes" → "Consent purposes").
 */
const partWords: Partial<Record<keyof OrganisationPolicy, string>> = {
  name: 'The organisation’s name',
  shortName: 'The organisation’s short name',
  notice: 'Which published notice it comes from',
  noticeReview: 'When the notice was updated and reviewed',
  contacts: 'Contacts: controller, data protection officer, rights, complaints',
  sources: 'Where information comes from',
  categories: 'Categories of record: purposes, lawful bases, retention',
  recipients: 'Who information may be shared with',
  transfersAbroad: 'Transfers outside the UK',
  personSensitiveData: 'Special category and criminal offence information held',
  roleHolderLimits: 'Limits on how many people may hold a role',
  automatedDecisions: 'Automated decisions',
  legislation: 'The law the work relies on',
  access: 'Who may open which records and people',
};

function partName(key: string): string {
  const known = partWords[key as keyof OrganisationPolicy];
  if (known) return known;
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The parts of the document that differ, in the order the table gives, then any others. */
function changedParts(before: OrganisationPolicy, after: OrganisationPolicy): string[] {
  const keys = [
    ...new Set([...Object.keys(partWords), ...Object.keys(before), ...Object.keys(after)]),
  ] as (keyof OrganisationPolicy)[];
  return keys
    .filter((key) => key !== 'slug')
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map(partName);
}

export interface ChangeInWords {
  /** The parts of the document that differ, in words. */
  parts: string[];
  records: {
    summary: string;
    categories: { name: string; records: number; changed: number; due: number; action: number }[];
    earliest: string | null;
  };
  notice: SectionChange[];
}

export function changeInWords(
  before: OrganisationPolicy,
  after: OrganisationPolicy,
  preview: ChangePreview,
): ChangeInWords {
  const nameOf = (slug: string) =>
    after.categories.find((c) => c.slug === slug)?.name ??
    before.categories.find((c) => c.slug === slug)?.name ??
    'A category the policy no longer lists';
  const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
  return {
    parts: changedParts(before, after),
    records: {
      summary:
        preview.records === 0
          ? 'The organisation holds no records yet, so none would change.'
          : `${preview.changed} of ${records(preview.records)} would change when they are due for review or destruction, or what happens then.`,
      categories: preview.categories.map((c) => ({
        name: nameOf(c.category),
        records: c.records,
        changed: c.changed,
        due: c.dueChanged,
        action: c.actionChanged,
      })),
      earliest: preview.earliestNewDestruction ? formatDate(preview.earliestNewDestruction) : null,
    },
    notice: noticeChanges(before, after, { publishedDifferences: true }),
  };
}
