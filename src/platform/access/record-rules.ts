import type { CategorySlug, OrganisationSlug } from '../../policy/index.js';
import type { RoleSlug } from './roles.js';

/**
 * Who may do what with records, in one table (design.md principle 1).
 * Read it as: in ORGANISATION, a member with ROLE may read / write / search
 * records of CATEGORY at this REACH. Anything not listed is refused.
 *
 * Reach:
 * - 'any':        every record of the category in the organisation
 * - 'team':       records allocated to the staff member or to a team of theirs
 * - 'none':       nothing (the default)
 *
 * `onlyTeam` narrows a category to one team's members (adoption records are
 * for the adoption team alone). `breakGlass` lets the role open a record
 * beyond its reach by giving a reason, which is audited and reviewed.
 */
export type Reach = 'any' | 'team' | 'none';
export type RecordAction = 'read' | 'write' | 'search';

export interface RecordRule {
  read: Reach;
  write: Reach;
  search: Reach;
  breakGlass?: boolean;
  /**
   * Correct a record's facts for an open rectification request (UK GDPR
   * Art 16) whose confirmed subject takes part in the record — never any
   * other write. Decided by decideRectification in access.ts.
   */
  rectify?: boolean;
}

export interface CategoryAccess {
  /** Members of this team only (by team slug), whatever their role. */
  onlyTeam?: string;
  roles: Partial<Record<RoleSlug, RecordRule>>;
}

const caseworker: RecordRule = { read: 'team', write: 'team', search: 'team', breakGlass: true };
const governance: RecordRule = { read: 'any', write: 'none', search: 'any', rectify: true };
const owner: RecordRule = { read: 'any', write: 'any', search: 'any' };

/** Children's social care: allocated work, with governance able to find anything for rights requests. */
const childrensSocialCare: CategoryAccess = {
  roles: {
    practitioner: caseworker,
    'team-manager': caseworker,
    'information-governance': governance,
  },
};

const partnershipWork: CategoryAccess = {
  roles: { 'partnership-business': owner, 'information-governance': governance },
};

export const recordRules: Record<
  OrganisationSlug,
  Partial<Record<CategorySlug, CategoryAccess>>
> = {
  'kent-scs': {
    'child-in-need': childrensSocialCare,
    'child-protection-plan': childrensSocialCare,
    'looked-after': childrensSocialCare,
    'private-fostering': childrensSocialCare,
    'private-foster-parent': childrensSocialCare,
    'risk-register': childrensSocialCare,
    // Adoption records are sealed to the adoption team (Adoption Agencies
    // Regulations 2005 reg 41-42: kept secure, access restricted), so no
    // break-glass either.
    adoption: {
      onlyTeam: 'adoption',
      roles: {
        practitioner: { read: 'team', write: 'team', search: 'team' },
        'team-manager': { read: 'any', write: 'any', search: 'any' },
        'information-governance': governance,
      },
    },
  },
  // Allegations are held by the LADO service alone.
  'kent-lado': {
    'lado-allegation': {
      roles: { 'lado-officer': owner, 'team-manager': owner, 'information-governance': governance },
    },
  },
  kscmp: {
    'practice-review': partnershipWork,
    'panel-referral-not-notified': partnershipWork,
    'audit-qa': partnershipWork,
    'meeting-admin': partnershipWork,
    training: partnershipWork,
    survey: partnershipWork,
    'newsletter-subscription': partnershipWork,
    'learning-system-record': partnershipWork,
  },
  sscp: {
    'practice-review': partnershipWork,
    'audit-qa': partnershipWork,
    training: partnershipWork,
    'training-booking-details': partnershipWork,
    survey: partnershipWork,
    'newsletter-subscription': partnershipWork,
  },
  // The concern log: the Designated Safeguarding Officer and two deputies
  // only (Maidstone BC notice). Deputies hold the same role.
  'maidstone-bc': {
    'safeguarding-concern': {
      roles: { 'designated-safeguarding-officer': owner },
    },
  },
};
