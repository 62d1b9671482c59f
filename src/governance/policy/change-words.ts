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

/** Each part of a policy document, in words. One row per top-level field. */
const parts: readonly { key: keyof OrganisationPolicy; words: string }[] = [
  { key: 'name', words: 'The organisation’s name' },
  { key: 'shortName', words: 'The organisation’s short name' },
  { key: 'notice', words: 'Which published notice it comes from' },
  { key: 'noticeReview', words: 'When the notice was updated and reviewed' },
  { key: 'contacts', words: 'Contacts: controller, data protection officer, rights, complaints' },
  { key: 'sources', words: 'Where information comes from' },
  { key: 'categories', words: 'Categories of record: purposes, lawful bases, retention' },
  { key: 'recipients', words: 'Who information may be shared with' },
  { key: 'transfersAbroad', words: 'Transfers outside the UK' },
  { key: 'personSensitiveData', words: 'Special category and criminal offence information held' },
  { key: 'roleHolderLimits', words: 'Limits on how many people may hold a role' },
  { key: 'automatedDecisions', words: 'Automated decisions' },
  { key: 'legislation', words: 'The law the work relies on' },
  { key: 'access', words: 'Who may open which records and people' },
];

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
    parts: parts
      .filter((p) => JSON.stringify(before[p.key]) !== JSON.stringify(after[p.key]))
      .map((p) => p.words),
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
