import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { RoleSlug } from '../../src/platform/access/roles.js';
import type { CategorySlug, OrganisationSlug } from '../../src/policy/index.js';
import type { Agent } from './app.js';
import { caseworkStaff, organisationId } from './casework.js';

/** Test helpers for people: staff as the access function sees them, records, JSON calls. */

// The same helpers serve casework's tests; people's tests know them by these names.
export { organisationId as orgId, team as teamIn } from './casework.js';
export type { CaseworkStaff as PeopleTestStaff } from './casework.js';

/** A staff member with roles (and teams) in one organisation, and their signed-in context. */
export function peopleStaff(
  db: Kysely<Database>,
  organisation: OrganisationSlug,
  roles: RoleSlug[],
  teamSlugs: string[] = [],
) {
  return caseworkStaff(db, organisation, roles, teamSlugs);
}

/** A bare record of `category` with these people in it (casework's tables, minimal columns). */
export async function recordWith(
  db: Kysely<Database>,
  options: {
    organisation: OrganisationSlug;
    category: CategorySlug;
    personIds: string[];
    allocatedAccountId?: string | null;
    allocatedTeamId?: string | null;
  },
): Promise<string> {
  const { id } = await db
    .insertInto('case_record')
    .values({
      organisation_id: await organisationId(db, options.organisation),
      category: options.category,
      opened_on: '2025-01-01',
      allocated_account_id: options.allocatedAccountId ?? null,
      allocated_team_id: options.allocatedTeamId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [i, personId] of options.personIds.entries()) {
    await db
      .insertInto('record_party')
      .values({ record_id: id, person_id: personId, role: i === 0 ? 'subject' : 'parent' })
      .execute();
  }
  return id;
}

/** A JSON API call as the signed-in agent, with its cookies and CSRF token. */
export async function apiCall(
  app: FastifyInstance,
  agent: Agent,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  const cookies = ['safekeep_session', 'safekeep_csrf']
    .map((name) => [name, agent.cookie(name)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  return app.inject({
    method,
    url,
    headers: {
      cookie: cookies,
      'x-csrf-token': agent.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}
