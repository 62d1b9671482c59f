/**
 * What changed in the privacy notice between two versions of a policy
 * (issue 11: "earlier versions … with what changed between versions"), and
 * what a proposed change would change in it (the policy change preview).
 *
 * Compared as a person reads them: each notice is built by `privacyNotice`
 * (the same function the public page renders) and reduced to its sentences,
 * section by section; a change is a sentence one says and the other does
 * not. The differences from the published notice (differences.ts) are
 * compared the same way when asked, so a DPO sees which of them a change
 * settles.
 * Pure: no database.
 */
import type { OrganisationPolicy } from '../../policy/index.js';
import { noticeDifferences } from './differences.js';
import { privacyNotice, type ContactLines, type PrivacyNotice } from './notice.js';

export interface SectionChange {
  section: string;
  /** Sentences the later version says and the earlier did not. */
  added: string[];
  /** Sentences the earlier version said and the later does not. */
  removed: string[];
}

const contactWords = (who: string, contact: ContactLines): string[] => [
  ...(contact.name ? [`${who}: ${contact.name}`] : []),
  ...contact.lines.map((line) => `${who}, ${line.label.toLowerCase()}: ${line.value}`),
  ...(contact.missing ? [`${who}: ${contact.missing}`] : []),
];

/**
 * The notice's sentences, by the section of the page they appear in. One
 * row per section, in page order: a section added to the page is a row here.
 */
const sections: readonly { title: string; sentences: (n: PrivacyNotice) => string[] }[] = [
  {
    title: 'Who we are',
    sentences: (n) => [
      `The controller is ${n.controllerName}.`,
      ...contactWords('Contact', n.controller),
      ...contactWords('Data protection officer', n.dataProtectionOfficer),
    ],
  },
  {
    title: 'What we collect and where it comes from',
    sentences: (n) => [
      ...n.activities.map((a) => `${a.name}: about ${a.dataSubjects}; ${a.personalData}.`),
      ...n.specialCategoryData.map((c) => `Special category information: ${c}.`),
      ...n.criminalOffenceData.map((c) => `Information about criminal offences: ${c}.`),
      ...n.sources.map((s) => `We get it from: ${s}`),
      ...(n.sourcesNote ? [n.sourcesNote] : []),
    ],
  },
  {
    title: 'Why we use it, and on what lawful basis',
    sentences: (n) => [
      ...n.activities.flatMap((a) => [
        `${a.name}: ${a.purpose}`,
        ...a.lawfulBases.map((b) => `${a.name}: ${b}`),
        ...a.specialCategoryConditions.map((b) => `${a.name}, special category: ${b}`),
        ...a.criminalOffenceConditions.map((b) => `${a.name}, criminal offences: ${b}`),
      ]),
      ...n.legislation.map((l) => `The law behind this work includes ${l}.`),
    ],
  },
  {
    title: 'Who we share it with',
    sentences: (n) => [...n.recipients.map((r) => `We may share it with ${r.name}.`), n.transfers],
  },
  {
    title: 'How long we keep it',
    sentences: (n) =>
      n.activities.flatMap((a) =>
        [
          a.retention.noRule,
          a.retention.open,
          ...a.retention.rules.map((r) => r.sentence),
          a.retention.rules.length > 1 ? a.retention.combine : null,
        ]
          .filter((s): s is string => !!s)
          .map((s) => `${a.name}: ${s}`),
      ),
  },
  {
    title: 'Your rights',
    sentences: (n) => [
      ...n.rights.flatMap((r) => [
        `${r.name}: ${r.what}`,
        ...(r.appliesTo?.length ? [`${r.name} applies to: ${r.appliesTo.join('; ')}.`] : []),
        ...r.doesNotApply.map((d) => `${r.name}, ${d.category}: ${d.why}`),
      ]),
      ...contactWords('How to use your rights', n.exercisingRights),
      ...n.otherRoutes.flatMap((o) => contactWords(o.purpose, o.contact)),
    ],
  },
  { title: 'Automated decisions', sentences: (n) => [n.automatedDecisions] },
  { title: 'Complaints', sentences: (n) => contactWords('Complaints', n.complaints) },
  {
    title: 'Changes to this notice',
    sentences: (n) => [
      ...(n.reviewStatement ? [n.reviewStatement] : []),
      ...(n.lastReviewed ? [`Last reviewed on ${n.lastReviewed}.`] : []),
    ],
  },
];

function compare(title: string, before: string[], after: string[]): SectionChange[] {
  const was = new Set(before);
  const now = new Set(after);
  const added = [...now].filter((s) => !was.has(s));
  const removed = [...was].filter((s) => !now.has(s));
  return added.length || removed.length ? [{ section: title, added, removed }] : [];
}

/** Every section of the notice that reads differently under `after` than under `before`. */
export function noticeChanges(
  before: OrganisationPolicy,
  after: OrganisationPolicy,
  options: { publishedDifferences?: boolean } = {},
): SectionChange[] {
  const [was, now] = [privacyNotice(before), privacyNotice(after)];
  const topics = (policy: OrganisationPolicy) =>
    noticeDifferences(policy).map((d) => `${d.topic}: ${d.safekeep}`);
  return [
    ...sections.flatMap((s) => compare(s.title, s.sentences(was), s.sentences(now))),
    // For the DPO: which differences from the published notice it settles or opens.
    ...(options.publishedDifferences
      ? compare('Differences from the published notice', topics(before), topics(after))
      : []),
  ];
}
