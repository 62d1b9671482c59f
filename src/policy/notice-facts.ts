/**
 * What each privacy notice says about who to contact, where data comes from,
 * automated decisions, the law relied on and the notice's own review —
 * copied verbatim so the notice Safekeep renders (issue 11) says exactly what
 * the published one says, and no more.
 *
 * Where a notice is silent the field is null and `note` says the notice does
 * not state it: contact details are never invented.
 */

/** One way of reaching someone, as the notice gives it. */
export interface ContactRoute {
  /** The person or team the notice names, e.g. "Information Resilience and Transparency Team". */
  name: string | null;
  email: string | null;
  /** Postal address, lines joined with ", " as the notice prints them. */
  postalAddress: string | null;
  phone: string | null;
  /**
   * An online form. `wording` is the notice's words for it; `url` is null
   * when the notice's text does not include the address.
   */
  webForm: { wording: string; url: string | null } | null;
  /** The notice's passage this route comes from, verbatim; null when the notice has none. */
  source: string | null;
  /** What the notice leaves unstated, in plain English; set whenever a field above is null. */
  note: string | null;
}

export interface PolicyContacts {
  /** The controller itself ("Who we are"). */
  controller: ContactRoute;
  dataProtectionOfficer: ContactRoute;
  /** How a person exercises their rights (access, rectification, erasure, …). */
  exercisingRights: ContactRoute;
  /** Where a data protection complaint goes first (before the ICO). */
  complaints: ContactRoute;
  /** Routes the notice gives for one purpose only, e.g. withdrawing consent to the newsletter. */
  otherRoutes: readonly { purpose: string; route: ContactRoute }[];
  /**
   * The Information Commissioner as the notice prints it, verbatim (some
   * notices misprint the number: `note` says so; show the ICO's own details
   * from reference.md rather than a misprint).
   */
  informationCommissioner: ContactRoute;
}

/** A source of personal data other than, or as well as, the person. */
export interface DataSource {
  /** Plain English, for a notice page. */
  description: string;
  /** The notice's words, verbatim. */
  noticeWording: string;
}

export interface PolicySources {
  items: readonly DataSource[];
  note: string | null;
}

export interface AutomatedDecisionStatement {
  /** The notice's statement, verbatim; null when it makes none. */
  statement: string | null;
  /** true/false when the notice says; null when it does not say. */
  automatedDecisionsMade: boolean | null;
  note: string | null;
}

export interface LegislationList {
  /** The Acts, regulations and statutory guidance the notice names, in its order and words. */
  items: readonly string[];
  /** The notice's lead-in sentence, verbatim. */
  source: string | null;
  note: string | null;
}

export interface NoticeReview {
  /** The notice's words on its own review, verbatim. */
  statement: string | null;
  /** As precisely as the notice says ('2021-10', '2025-04-07'); null when it does not say. */
  lastUpdated: string | null;
  /** How often the notice is reviewed, in months; null when the notice does not say. */
  intervalMonths: number | null;
  /**
   * ISO date the notice was last reviewed: the notice's own date where it
   * states one, otherwise the date Safekeep loaded it (`note` says which).
   * Marking the notice reviewed sets it, as a new policy version (decision 0025).
   */
  reviewed: string | null;
  /** ISO date the next review falls due; null when it cannot be worked out from the notice. */
  nextReviewDue: string | null;
  note: string | null;
}

/** The notice facts an organisation's policy carries (spread into OrganisationPolicy). */
export interface NoticeFacts {
  contacts: PolicyContacts;
  sources: PolicySources;
  automatedDecisions: AutomatedDecisionStatement;
  legislation: LegislationList;
  noticeReview: NoticeReview;
}
