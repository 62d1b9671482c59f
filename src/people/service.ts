import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { canPeople } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { PeopleStore } from './store.js';

export const PEOPLE_PAGE_SIZE = 25;

/** People held by an organisation. Reads are authorised and audited. */
export class PeopleService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(staff: StaffContext, pageNumber: number) {
    const organisationId = staff.organisation?.id;
    if (!organisationId || !canPeople(staff, 'person.list', organisationId)) {
      throw new NotFoundError();
    }
    const page = Math.max(1, pageNumber);
    return this.db.transaction().execute(async (trx) => {
      const result = await new PeopleStore(trx).list(organisationId, {
        limit: PEOPLE_PAGE_SIZE,
        offset: (page - 1) * PEOPLE_PAGE_SIZE,
      });
      // The read is recorded with exactly the people it showed.
      await recordAudit(trx, {
        action: 'person.list',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'person',
        objectIds: result.people.map((p) => p.id),
        purpose: 'casework',
      });
      return { ...result, page, pageSize: PEOPLE_PAGE_SIZE };
    });
  }
}
