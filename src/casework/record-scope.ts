/**
 * What casework's parts share about a record and its reader: the scope the
 * access decision (src/platform/access/access.ts) is asked about, the
 * category's name in the reader's organisation, and the reader's own
 * organisation (a reader without one, or not fully signed in, finds nothing).
 */
import type { RecordScope } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { NotFoundError } from '../platform/errors/errors.js';
import {
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  type CategorySlug,
  type OrganisationSlug,
} from '../policy/index.js';
import type { RecordRow } from './store.js';

/**
 * What the access decision needs of a record. Whether it is restricted (Art
 * 18) is the caller's to load (src/rights/restriction.ts), once per record
 * or in bulk for a list.
 */
export function scopeOf(record: RecordRow, restricted: boolean): RecordScope {
  return {
    organisationId: record.organisation_id,
    category: record.category as CategorySlug,
    allocatedAccountId: record.allocated_account_id,
    allocatedTeamId: record.allocated_team_id,
    restricted,
    state: record.record_state,
  };
}

/**
 * The scope the access decision is asked about for an id that names no
 * record: an organisation nobody belongs to, so it is refused like another
 * organisation's record, by the same code.
 */
export function noOrganisationsRecord(restricted: boolean): RecordScope {
  return {
    organisationId: '',
    category: 'child-in-need',
    allocatedAccountId: null,
    allocatedTeamId: null,
    restricted,
    state: 'active',
  };
}

export function categoryName(organisation: string, category: string): string {
  if (!isOrganisationSlug(organisation) || !isCategorySlug(category)) return category;
  return findCategory(organisation, category)?.name ?? category;
}

export function staffOrganisation(staff: StaffContext) {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
    throw new NotFoundError();
  }
  return { id: organisation.id, slug: organisation.slug as OrganisationSlug };
}
