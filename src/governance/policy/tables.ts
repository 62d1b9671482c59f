import type { ColumnType, Generated } from 'kysely';

import type { CalendarDate, CreatedAt } from '../../db/schema.js';

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
  created_at: CreatedAt;
}

export interface PolicyTables {
  policy_version: PolicyVersionTable;
}
