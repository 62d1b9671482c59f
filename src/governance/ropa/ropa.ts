/**
 * The record of processing activities (UK GDPR Art 30(1)) for one
 * organisation, generated from its policy — the same data the retention
 * engine, sharing and the privacy notice use — so it is never out of date.
 * One row per processing activity (a category of record and its purpose),
 * with the columns of the ICO's template for controllers (reference.md
 * "Record of processing"). Pure: no database (what has been imported from
 * partners is read by the caller and passed in).
 */
import { stringify } from 'csv-stringify/sync';
import type { DataCategory, OrganisationPolicy } from '../../policy/index.js';
import {
  acceptedRecipients,
  characteristicWords,
  criminalOffenceConditionWords,
  lawfulBasisWords,
  noticePath,
  offenceWords,
  retentionSentences,
  securityMeasures,
  specialCategoryConditionWords,
  transfersWords,
} from './legal-words.js';
import { importSourceWords, type ImportSource } from '../../intake/ropa-sources.js';
import { recordKinds } from './record-kinds.js';
import { sourceWords, dpoWords } from './contacts.js';

export interface RopaRow {
  controller: string;
  dataProtectionOfficer: string;
  activity: string;
  purpose: string;
  dataSubjects: string;
  personalData: string;
  specialCategoryData: string;
  criminalOffenceData: string;
  recipients: string;
  transfers: string;
  retention: string;
  securityMeasures: string;
  lawfulBasis: string;
  source: string;
  privacyNotice: string;
}

/** The columns, in the ICO template's order and words. */
export const ropaColumns: readonly { key: keyof RopaRow; header: string }[] = [
  { key: 'controller', header: 'Controller' },
  { key: 'dataProtectionOfficer', header: 'Data protection officer' },
  { key: 'activity', header: 'Processing activity' },
  { key: 'purpose', header: 'Purpose of processing' },
  { key: 'dataSubjects', header: 'Categories of individuals' },
  { key: 'personalData', header: 'Categories of personal data' },
  { key: 'specialCategoryData', header: 'Special category data and condition for processing' },
  { key: 'criminalOffenceData', header: 'Criminal offence data and condition for processing' },
  { key: 'recipients', header: 'Categories of recipients' },
  { key: 'transfers', header: 'Transfers to third countries and safeguards' },
  { key: 'retention', header: 'Retention schedule' },
  { key: 'securityMeasures', header: 'Technical and organisational security measures' },
  { key: 'lawfulBasis', header: 'Article 6 lawful basis for processing' },
  { key: 'source', header: 'Source of personal data' },
  { key: 'privacyNotice', header: 'Link to privacy notice' },
];

function specialCategoryText(policy: OrganisationPolicy, category: DataCategory): string {
  const conditions = specialCategoryConditionWords(category);
  if (conditions.length === 0) return 'None';
  const kinds = policy.personSensitiveData.specialCategory.map((c) => characteristicWords[c]);
  const held = kinds.length ? `Data about ${kinds.join(', ')}. ` : '';
  return `${held}Conditions: ${conditions.join('; ')}.`;
}

function criminalOffenceText(policy: OrganisationPolicy, category: DataCategory): string {
  const conditions = criminalOffenceConditionWords(category);
  if (conditions.length === 0) return 'None';
  const kinds = policy.personSensitiveData.offenceData.map((k) => offenceWords[k]);
  const held = kinds.length ? `Data about ${kinds.join(', ')}. ` : '';
  return `${held}Condition: ${conditions.join('; ')}.`;
}

/**
 * Where an activity's data comes from: the policy's sources, then each
 * partner whose files are imported into it (issue 15), as imported so far.
 */
function sourceText(
  policy: OrganisationPolicy,
  category: DataCategory,
  imports: readonly ImportSource[],
): string {
  const words = sourceWords(policy);
  const here = imports.filter((i) => i.category === category.slug);
  if (here.length === 0) return words;
  return `${words}. Imported from partners’ files: ${here.map(importSourceWords).join('; ')}`;
}

/**
 * One row per processing activity of the organisation, in its policy's
 * order. `imports` (from the database, intake/ropa-sources.ts) adds each
 * partner's imported files to the sources of the activity they feed.
 */
export function recordOfProcessing(
  policy: OrganisationPolicy,
  options: { siteUrl?: string; imports?: readonly ImportSource[] } = {},
): RopaRow[] {
  const recipients = acceptedRecipients(policy)
    .map((r) => r.name)
    .join('; ');
  const security = securityMeasures(policy).join('; ');
  return policy.categories.map((category) => ({
    controller: policy.name,
    dataProtectionOfficer: dpoWords(policy),
    activity: category.name,
    purpose: category.purpose,
    dataSubjects: recordKinds[category.slug].dataSubjects,
    personalData: recordKinds[category.slug].personalData,
    specialCategoryData: specialCategoryText(policy, category),
    criminalOffenceData: criminalOffenceText(policy, category),
    recipients,
    transfers: transfersWords(policy),
    retention: retentionSentences(category).join(' '),
    securityMeasures: security,
    lawfulBasis: lawfulBasisWords(category).join('; '),
    source: sourceText(policy, category, options.imports ?? []),
    privacyNotice: `${options.siteUrl ?? ''}${noticePath(policy)}`,
  }));
}

/** The record as CSV (RFC 4180, CRLF), headed with the template's column names. */
export function ropaCsv(rows: readonly RopaRow[]): string {
  return stringify(
    rows.map((row) => ropaColumns.map((c) => row[c.key])),
    { header: true, columns: ropaColumns.map((c) => c.header), record_delimiter: 'windows' },
  );
}
