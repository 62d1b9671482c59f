/**
 * The people capability's pages and API, one file per concept:
 * person-pages.ts (finding, adding, changing, merging a person),
 * entry-pages.ts (a person's names, addresses, identifiers, contacts and
 * sensitive entries), relationship-pages.ts (relating two people),
 * api-routes.ts (the JSON API), and page-shared.ts (what the pages share).
 */
import type { FastifyInstance } from 'fastify';
import { registerPeopleApi } from './api-routes.js';
import { registerEntryPages } from './entry-pages.js';
import type { PersonRecordsPort } from './page-shared.js';
import { registerPersonPages } from './person-pages.js';
import { registerRelationshipPages } from './relationship-pages.js';
import type { PeopleService } from './service.js';

export { renderPersonPage, type PersonRecordsPort } from './page-shared.js';

export function registerPeopleRoutes(
  app: FastifyInstance,
  deps: { people: PeopleService; personRecords?: PersonRecordsPort },
): void {
  registerPersonPages(app, deps);
  registerEntryPages(app, deps);
  registerRelationshipPages(app, deps);
  registerPeopleApi(app, deps);
}
