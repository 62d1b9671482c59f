import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt } from '../db/schema.js';

export interface CaseRecordTable {
  id: Generated<string>;
  organisation_id: string;
  category: string;
  opened_on: CalendarDate;
  closed_on: CalendarDate | null;
  created_at: CreatedAt;
}

export interface RecordPartyTable {
  record_id: string;
  person_id: string;
  role: string;
}

export interface CaseworkTables {
  case_record: CaseRecordTable;
  record_party: RecordPartyTable;
}
