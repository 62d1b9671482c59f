import type { ColumnType, Generated } from 'kysely';

import type { CalendarDate, CreatedAt, Timestamp } from '../../db/schema.js';

/** One numbered version of an organisation's policy document (migration 0025). */
export interface PolicyVersionTable {
  id: Generated<string>;
  organisation_id: string;
  version: number;
  /** The document as written (YAML), for people to read. */
  document_text: string;
  /** The document as validated, for the service. */
  document: ColumnType<unknown, string, never>;
  effective_from: CalendarDate;
  proposed_by: string | null;
  approved_by: string | null;
  /** Set when the version records a review of the notice (migration 0030), by whom. */
  review_by: Generated<string | null>;
  created_at: CreatedAt;
}

/** A proposed change to a policy, until applied (migration 0025). */
export interface PolicyChangeTable {
  id: Generated<string>;
  organisation_id: string;
  document_text: string;
  document: ColumnType<unknown, string, never>;
  effective_from: CalendarDate;
  proposed_by: string;
  proposed_at: CreatedAt;
  approved_by: string | null;
  approved_at: Timestamp | null;
  version_id: string | null;
  /** The last record (by id) assessed again when applying; resume after it. */
  applied_through: string | null;
  records_recomputed: Generated<number>;
  applied_at: Timestamp | null;
}

export interface PolicyTables {
  policy_version: PolicyVersionTable;
  policy_change: PolicyChangeTable;
}
