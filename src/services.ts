import type { Kysely } from 'kysely';
import { destroyRecords } from './casework/service.js';
import type { Database } from './db/schema.js';
import { destroyOrphanedPeople } from './people/disposal.js';
import type { RecordDisposal } from './retention/disposal.js';
import { RetentionService } from './retention/service.js';

/**
 * Services shared by the two entry points (the web app and the CLI), built
 * over one database. Cross-capability wiring lives here and nowhere else.
 */
export function recordDisposal(): RecordDisposal {
  return {
    destroyRecords,
    destroyOrphanedPeople,
  };
}

export function createRetentionService(db: Kysely<Database>, now?: () => Date): RetentionService {
  return new RetentionService(db, recordDisposal(), now);
}
