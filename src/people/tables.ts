import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt } from '../db/schema.js';

export interface PersonTable {
  id: Generated<string>;
  organisation_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: CalendarDate | null;
  created_at: CreatedAt;
}

export interface PeopleTables {
  person: PersonTable;
}
