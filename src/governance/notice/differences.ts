/**
 * Where the published privacy notice (docs/notices) and the policy Safekeep
 * enforces differ, listed for the DPO to settle (issue 11). Kept as data
 * derived from the policy — every entry the policy marks `inferred`, every
 * gap its notice facts note, every reading of an ambiguous retention
 * period, every category without a published period — plus the known
 * promises a notice makes that the law does not give (`promisedRights`).
 * Pure: no database.
 */
import type { DataCategory, OrganisationPolicy } from '../../policy/index.js';
import { portabilityFor } from '../../rights/decisions.js';

export type DifferenceKind = 'not-stated' | 'contradiction' | 'gap' | 'interpretation';

export interface NoticeDifference {
  kind: DifferenceKind;
  topic: string;
  /** What the published notice says, or that it is silent. */
  notice: string;
  /** What Safekeep enforces, and why. */
  safekeep: string;
}

export const differenceKindWords: Readonly<Record<DifferenceKind, string>> = {
  contradiction: 'The notice promises something the law or the policy does not give',
  'not-stated': 'The notice does not state what Safekeep relies on',
  interpretation: 'The notice is unclear; Safekeep reads it one way',
  gap: 'The notice leaves something out',
};

/**
 * Rights a published notice promises in words, quoted. Each is checked
 * against the decision the rights service takes; where that decision
 * refuses for some records, the promise is a difference.
 */
const promisedRights: readonly { organisation: string; right: 'portability'; quote: string }[] = [
  {
    organisation: 'maidstone-bc',
    right: 'portability',
    quote:
      'Portability – you can ask us to transfer your personal data to different services or to you.',
  },
];

function inferredEntries(category: DataCategory): NoticeDifference[] {
  const found: NoticeDifference[] = [];
  const entry = (what: string, note: string | undefined): NoticeDifference => ({
    kind: 'not-stated',
    topic: `${category.name}: ${what}`,
    notice: 'Not stated in the published notice.',
    safekeep: `Safekeep relies on ${what}.${note ? ` ${note}` : ''}`,
  });
  for (const basis of category.lawfulBases) {
    if (basis.source === 'inferred') {
      found.push(entry(`${basis.name} (Art ${basis.article} UK GDPR)`, basis.note));
    }
  }
  if (category.specialCategory !== false) {
    for (const condition of category.specialCategory.conditions) {
      if (condition.source === 'inferred') {
        found.push(entry(`${condition.name} (Art ${condition.article} UK GDPR)`, condition.note));
      }
      for (const s of condition.schedule1) {
        if (s.source === 'inferred') {
          found.push(entry(`${s.name} (DPA 2018 Schedule 1 ${s.paragraph})`, s.note));
        }
      }
    }
  }
  if (category.criminalOffence !== false) {
    const offence = category.criminalOffence;
    if (offence.source === 'inferred') {
      found.push(entry('a condition for criminal offence data (Art 10 UK GDPR)', offence.note));
    }
    for (const s of offence.schedule1) {
      if (s.source === 'inferred' && offence.source !== 'inferred') {
        found.push(entry(`${s.name} (DPA 2018 Schedule 1 ${s.paragraph})`, s.note));
      }
    }
  }
  return found;
}

function retentionEntries(category: DataCategory): NoticeDifference[] {
  const retention = category.retention;
  if (retention.kind === 'no-rule') {
    return [
      {
        kind: 'gap',
        topic: `${category.name}: how long it is kept`,
        notice: retention.noticeWording,
        safekeep: `No period is set, so each record goes to a person to decide. ${retention.reason}`,
      },
    ];
  }
  return retention.rules.flatMap((rule) =>
    rule.interpretation
      ? [
          {
            kind: 'interpretation' as const,
            topic: `${category.name}: how long it is kept`,
            notice: rule.noticeWording,
            safekeep: rule.interpretation,
          },
        ]
      : [],
  );
}

function promisedRightEntries(policy: OrganisationPolicy): NoticeDifference[] {
  return promisedRights
    .filter((p) => p.organisation === policy.slug)
    .flatMap((promise) => {
      const refused = policy.categories
        .map(portabilityFor)
        .filter((decision) => decision.outcome !== 'applies');
      return refused.map((decision) => ({
        kind: 'contradiction' as const,
        topic: `${decision.categoryName}: the right to data portability`,
        notice: promise.quote,
        safekeep: `${decision.ground ?? 'UK GDPR'}: ${decision.reasoning}`,
      }));
    });
}

/**
 * The parts of a policy that carry a note of what the published notice
 * leaves out: each is a gap when its note is set. One row per part, so a
 * part added to the notice facts is one line here.
 */
const noticeGaps: readonly {
  topic: string;
  note: (policy: OrganisationPolicy) => string | null | undefined;
  notice: (policy: OrganisationPolicy) => string | null;
  silent: string;
}[] = [
  {
    topic: 'Who the controller is',
    note: (p) => p.contacts.controller.note,
    notice: (p) => p.contacts.controller.source,
    silent: 'Not stated.',
  },
  {
    topic: 'The data protection officer',
    note: (p) => p.contacts.dataProtectionOfficer.note,
    notice: (p) => p.contacts.dataProtectionOfficer.source,
    silent: 'Not stated.',
  },
  {
    topic: 'How to use your rights',
    note: (p) => p.contacts.exercisingRights.note,
    notice: (p) => p.contacts.exercisingRights.source,
    silent: 'Not stated.',
  },
  {
    topic: 'Where to complain',
    note: (p) => p.contacts.complaints.note,
    notice: (p) => p.contacts.complaints.source,
    silent: 'Not stated.',
  },
  {
    topic: 'The Information Commissioner',
    note: (p) => p.contacts.informationCommissioner.note,
    notice: (p) => p.contacts.informationCommissioner.source,
    silent: 'Not stated.',
  },
  {
    topic: 'Where the information comes from',
    note: (p) => p.sources.note,
    notice: () => null,
    silent: 'Not stated in full.',
  },
  {
    topic: 'Automated decisions',
    note: (p) => p.automatedDecisions.note,
    notice: (p) => p.automatedDecisions.statement,
    silent: 'Not stated.',
  },
  {
    topic: 'Transfers outside the UK',
    note: (p) => p.transfersAbroad.note,
    notice: (p) => p.transfersAbroad.source,
    silent: 'Not stated.',
  },
  {
    topic: 'When the notice is reviewed',
    note: (p) => p.noticeReview.note,
    notice: (p) => p.noticeReview.statement,
    silent: 'Not stated.',
  },
];

function policyGaps(policy: OrganisationPolicy): NoticeDifference[] {
  return noticeGaps.flatMap((gap) => {
    const note = gap.note(policy);
    return note
      ? [
          {
            kind: 'gap' as const,
            topic: gap.topic,
            notice: gap.notice(policy) ?? gap.silent,
            safekeep: note,
          },
        ]
      : [];
  });
}

/** Every difference for one organisation, the contradictions first. */
export function noticeDifferences(policy: OrganisationPolicy): NoticeDifference[] {
  const all: NoticeDifference[] = [
    ...promisedRightEntries(policy),
    ...policy.categories.flatMap(inferredEntries),
    ...policy.categories.flatMap(retentionEntries),
    ...policyGaps(policy),
  ];
  const order: DifferenceKind[] = ['contradiction', 'not-stated', 'interpretation', 'gap'];
  return all.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** The list as text lines, for `safekeep governance notice-diff`. */
export function differencesText(policy: OrganisationPolicy): string {
  const differences = noticeDifferences(policy);
  const lines = [
    `${policy.name}: ${differences.length} difference${differences.length === 1 ? '' : 's'} between the published privacy notice and the policy Safekeep enforces.`,
    '',
  ];
  differences.forEach((d, i) => {
    lines.push(`${i + 1}. ${d.topic} (${differenceKindWords[d.kind].toLowerCase()})`);
    lines.push(`   Notice: ${d.notice}`);
    lines.push(`   Safekeep: ${d.safekeep}`);
    lines.push('');
  });
  return lines.join('\n');
}
