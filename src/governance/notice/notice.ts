/**
 * The privacy notice (UK GDPR Art 13 and 14) of one organisation, built
 * only from the policy in force — the same data the retention engine,
 * sharing and rights requests enforce (design.md principle 7):
 * - each retention sentence is `describeRule` of a rule the engine applies
 *   (retention/wording.ts);
 * - each recipient is one `recipientRefusal` accepts (sharing/recipient-check.ts);
 * - each right says where it applies by the same decisions the rights
 *   service takes (rights/decisions.ts: Art 20(3) portability, Art 21
 *   objection, Art 17 erasure on consent).
 * Pure: no database. notice.test.ts holds the page to all three.
 */
import type { DataCategory, OrganisationPolicy } from '../../policy/index.js';
import type { ContactRoute } from '../../policy/notice-facts.js';
import { formatDate } from '../../platform/http/views.js';
import {
  directMarketingCategories,
  erasureFor,
  noAutomatedDecisions,
  objectionReaches,
  portabilityFor,
} from '../../rights/decisions.js';
import { auditLogRetention, auditLogRetentionWords } from '../../policy/audit-log.js';
import { describeRetention, type RetentionDescription } from '../../retention/wording.js';
import {
  acceptedRecipients,
  characteristicWords,
  criminalOffenceConditionWords,
  lawfulBasisWords,
  offenceWords,
  specialCategoryConditionWords,
  transfersWords,
} from '../ropa/legal-words.js';
import { recordKinds } from '../ropa/record-kinds.js';
import { statutoryReturnFileRetentionFor } from '../../policy/retention-actions.js';
import { localAuthorityCodes } from '../../returns/codes.js';

/** A contact as lines a person reads: each a label and a value, or the notice's gap in words. */
export interface ContactLines {
  name: string | null;
  lines: { label: string; value: string; href?: string }[];
  /** When the notice gives no way at all. */
  missing: string | null;
}

export interface NoticeRight {
  id: string;
  name: string;
  article: string;
  what: string;
  /** Which of the organisation's records it reaches, when not all of them. */
  appliesTo: string[] | null;
  /** Where it does not apply, and why, per record kind. */
  doesNotApply: { category: string; why: string }[];
}

export interface PrivacyNotice {
  slug: string;
  controllerName: string;
  shortName: string;
  controller: ContactLines;
  dataProtectionOfficer: ContactLines;
  exercisingRights: ContactLines;
  complaints: ContactLines;
  otherRoutes: { purpose: string; contact: ContactLines }[];
  activities: {
    category: string;
    name: string;
    purpose: string;
    dataSubjects: string;
    personalData: string;
    lawfulBases: string[];
    specialCategoryConditions: string[];
    criminalOffenceConditions: string[];
    retention: RetentionDescription;
  }[];
  specialCategoryData: string[];
  criminalOffenceData: string[];
  sources: string[];
  sourcesNote: string | null;
  recipients: { id: string; name: string; noticeWording: string }[];
  /** For a local authority that makes statutory returns: how long their files are kept. */
  statutoryReturnFiles: { ruleId: string; sentence: string } | null;
  transfers: string;
  /**
   * The audit log's retention, as the daily job carries it out
   * (policy/audit-log.ts): how long the record of who saw or changed
   * someone's information is kept, and what it holds once their records go.
   */
  accessLog: string[];
  rights: NoticeRight[];
  automatedDecisions: string;
  legislation: string[];
  lastUpdated: string | null;
  /** "7 April 2025": when the notice was last reviewed, or null. */
  lastReviewed: string | null;
  reviewStatement: string | null;
}

function contactLines(route: ContactRoute): ContactLines {
  const lines: ContactLines['lines'] = [];
  if (route.email)
    lines.push({ label: 'Email', value: route.email, href: `mailto:${route.email}` });
  if (route.phone) lines.push({ label: 'Phone', value: route.phone });
  if (route.postalAddress) lines.push({ label: 'Post', value: route.postalAddress });
  if (route.webForm) {
    lines.push({
      label: 'Online',
      value: route.webForm.url ?? route.webForm.wording,
      ...(route.webForm.url ? { href: route.webForm.url } : {}),
    });
  }
  return {
    name: route.name,
    lines,
    missing:
      lines.length === 0
        ? (route.note ?? 'The privacy notice does not give a way to do this.')
        : null,
  };
}

/** The same for every organisation: one audit log per database, one policy for it. */
function accessLogWords(): string[] {
  const kept = auditLogRetentionWords(auditLogRetention.months);
  return [
    'We keep a record of each time our staff look at, change or share your information: who, when, which records and why. It helps us answer a request for your information or a complaint, and find out what happened if your information is misused.',
    `We keep this record for ${kept} after the end of the month it was made in, then delete it.`,
    'It holds reference numbers, not what your records say. When your records are destroyed, the record of who saw them keeps only those reference numbers: never your name or anything from your records.',
  ];
}

const has = (category: DataCategory, article: string) =>
  category.lawfulBases.some((b) => b.article === article);

function rightsFor(policy: OrganisationPolicy): NoticeRight[] {
  const all = policy.categories;
  const named = (categories: readonly DataCategory[]) => categories.map((c) => c.name);
  const everywhere = (right: Omit<NoticeRight, 'appliesTo' | 'doesNotApply'>): NoticeRight => ({
    ...right,
    appliesTo: null,
    doesNotApply: [],
  });
  const portable = all.filter((c) => portabilityFor(c).outcome === 'applies');
  const erasable = all.filter((c) => erasureFor(c).outcome === 'erase');
  const objectable = all.filter(objectionReaches);
  const onConsent = all.filter((c) => has(c, '6(1)(a)'));
  const marketing = all.filter((c) => directMarketingCategories.includes(c.slug));
  const rights: NoticeRight[] = [
    everywhere({
      id: 'informed',
      name: 'To be told how we use your information',
      article: 'Articles 13 and 14',
      what: 'This notice. It is published from the same policy Safekeep enforces.',
    }),
    everywhere({
      id: 'access',
      name: 'To have a copy of your information',
      article: 'Article 15',
      what: 'Ask us for the information we hold about you, why, who we shared it with and how long we keep it. We answer within one calendar month.',
    }),
    everywhere({
      id: 'rectification',
      name: 'To have wrong information corrected',
      article: 'Article 16',
      what: 'Ask us to correct information that is wrong, or to complete what is incomplete. We tell those we shared it with.',
    }),
    {
      id: 'erasure',
      name: 'To have your information erased',
      article: 'Article 17',
      what: 'Ask us to delete your information.',
      appliesTo: named(erasable),
      doesNotApply: all
        .filter((c) => !erasable.includes(c))
        .map((c) => ({
          category: c.name,
          why: `We need it for ${has(c, '6(1)(c)') ? 'a legal obligation' : 'a task in the public interest'}, so the right to erasure does not apply (Article 17(3)(b)); it is kept for its retention period, then disposed of.`,
        })),
    },
    everywhere({
      id: 'restriction',
      name: 'To restrict how we use your information',
      article: 'Article 18',
      what: 'Ask us to only store your information, and not use it, while a question about its accuracy or our use of it is settled. We tell you before the restriction ends.',
    }),
    {
      id: 'portability',
      name: 'To have your information in a form you can take elsewhere',
      article: 'Article 20',
      what: 'Ask for information you gave us in a machine-readable form (JSON and CSV).',
      appliesTo: named(portable),
      doesNotApply: all
        .filter((c) => !portable.includes(c))
        .map((c) => ({
          category: c.name,
          why: has(c, '6(1)(e)')
            ? 'It does not apply to information we need for a task in the public interest (Article 20(3)). You can still have a copy through an access request.'
            : 'It applies only to information held on your consent or a contract. You can still have a copy through an access request.',
        })),
    },
    {
      id: 'objection',
      name: 'To object to how we use your information',
      article: 'Article 21',
      what: `Object to our use of your information. We stop unless we have compelling legitimate grounds that override your interests, or need it for legal claims.${marketing.length ? ' If you object to our newsletters and other communications, we stop at once.' : ''}`,
      appliesTo: named([...new Set([...objectable, ...marketing])]),
      doesNotApply: all
        .filter((c) => !objectable.includes(c) && !marketing.includes(c))
        .map((c) => ({
          category: c.name,
          why: has(c, '6(1)(a)')
            ? 'We hold it on your consent: withdraw your consent instead, and we stop at once.'
            : 'We hold it to meet a legal obligation, which the right to object does not cover.',
        })),
    },
  ];
  if (onConsent.length > 0) {
    rights.push({
      id: 'withdraw-consent',
      name: 'To withdraw your consent',
      article: 'Article 7(3)',
      what: 'Where we rely on your consent you can withdraw it at any time, and we stop.',
      appliesTo: named(onConsent),
      doesNotApply: [],
    });
  }
  rights.push(
    everywhere({
      id: 'automated-decisions',
      name: 'Not to be subject to decisions made only by a computer',
      article: 'Article 22',
      what: 'No decision about you is made solely by automated means; you can ask a person to look again at any decision.',
    }),
  );
  return rights;
}

/**
 * The files of statutory returns, for the organisations Safekeep makes them
 * for: the same rule the retention sweep destroys them by
 * (retention/return-files.ts).
 */
function statutoryReturnFilesFor(slug: string): PrivacyNotice['statutoryReturnFiles'] {
  if (localAuthorityCodes[slug] === undefined) return null;
  const rule = statutoryReturnFileRetentionFor(slug);
  return {
    ruleId: rule.ruleId,
    sentence: `A copy of each file we send to the Department for Education for its statutory returns (the Children in Need census and the children looked after return), or to Ofsted for an inspection of children’s services, is kept for ${rule.years} years after the date the return is for, then securely destroyed. The note that we sent it, when and to whom, is kept.`,
  };
}

export function privacyNotice(policy: OrganisationPolicy): PrivacyNotice {
  const review = policy.noticeReview;
  return {
    slug: policy.slug,
    controllerName: policy.name,
    shortName: policy.shortName,
    controller: contactLines(policy.contacts.controller),
    dataProtectionOfficer: contactLines(policy.contacts.dataProtectionOfficer),
    exercisingRights: contactLines(policy.contacts.exercisingRights),
    complaints: contactLines(policy.contacts.complaints),
    otherRoutes: policy.contacts.otherRoutes.map((r) => ({
      purpose: r.purpose,
      contact: contactLines(r.route),
    })),
    activities: policy.categories.map((c) => ({
      category: c.slug,
      name: c.name,
      purpose: c.purpose,
      dataSubjects: recordKinds[c.slug].dataSubjects,
      personalData: recordKinds[c.slug].personalData,
      lawfulBases: lawfulBasisWords(c),
      specialCategoryConditions: specialCategoryConditionWords(c),
      criminalOffenceConditions: criminalOffenceConditionWords(c),
      retention: describeRetention(c.retention),
    })),
    specialCategoryData: policy.personSensitiveData.specialCategory.map(
      (c) => characteristicWords[c],
    ),
    criminalOffenceData: policy.personSensitiveData.offenceData.map((k) => offenceWords[k]),
    sources: policy.sources.items.map((s) => s.description),
    sourcesNote: policy.sources.note,
    recipients: acceptedRecipients(policy).map((r) => ({
      id: r.id,
      name: r.name,
      noticeWording: r.noticeWording,
    })),
    statutoryReturnFiles: statutoryReturnFilesFor(policy.slug),
    transfers: transfersWords(policy),
    accessLog: accessLogWords(),
    rights: rightsFor(policy),
    // What Safekeep does (every decision is a person's), whatever the notice says.
    automatedDecisions: noAutomatedDecisions,
    legislation: [...policy.legislation.items],
    lastUpdated: review.lastUpdated ? formatDate(review.lastUpdated) : null,
    lastReviewed: review.reviewed ? formatDate(review.reviewed) : null,
    reviewStatement: review.statement,
  };
}
