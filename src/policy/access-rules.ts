/**
 * Who may do what with an organisation's records and people, as data in its
 * policy document (platform/access/record-rules.ts reads it; design.md
 * principle 1). Read it as: in this organisation, a member with ROLE may
 * read / write / search records of CATEGORY at this REACH. Anything not
 * listed is refused.
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
import type { RoleSlug } from '../platform/access/roles.js';

import type { CategorySlug } from './types.js';

export const reaches = ['any', 'team', 'none'] as const;
export type Reach = (typeof reaches)[number];
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

export interface PolicyAccess {
  /** Per category the organisation holds: which roles reach which records. */
  records: Partial<Record<CategorySlug, CategoryAccess>>;
  /**
   * Roles that list and open people in the organisation (to find a person
   * and avoid duplicates); what each person's records say stays behind the
   * record rules.
   */
  people: readonly RoleSlug[];
}
