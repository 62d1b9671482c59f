import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { RoleSlug } from '../../src/platform/access/roles.js';
import type { StaffContext } from '../../src/platform/auth/service.js';
import type { CategorySlug, OrganisationSlug } from '../../src/policy/index.js';
import type { Agent } from './app.js';
import { createStaff, type TestStaff } from './staff.js';

/** Test helpers for people: staff as the access function sees them, records, JSON calls. */

export async function orgId(db: Kysely<Database>, slug: OrganisationSlug): Promise<string> {
  const row = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function teamIn(
  db: Kysely<Database>,
  organisation: OrganisationSlug,
  slug: string,
): Promise<{ id: string; slug: string }> {
  const organisationId = await orgId(db, organisation);
  const existing = await db
    .selectFrom('team')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (existing) return { id: existing.id, slug };
  const { id } = await db
    .insertInto('team')
    .values({ organisation_id: organisationId, slug, name: slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, slug };
}

export interface PeopleTestStaff extends TestStaff {
  context: StaffContext;
}

/** A staff member with roles (and teams) in one organisation, and their signed-in context. */
export async function peopleStaff(
  db: Kysely<Database>,
  organisation: OrganisationSlug,
  roles: RoleSlug[],
  teamSlugs: string[] = [],
): Promise<PeopleTestStaff> {
  const staff = await createStaff(
    db,
    roles.map((role) => ({ organisation, role })),
  );
  const organisationId = await orgId(db, organisation);
  const teams = [];
  for (const slug of teamSlugs) {
    const team = await teamIn(db, organisation, slug);
    teams.push(team);
    await db
      .insertInto('membership')
      .values({
        account_id: staff.accountId,
        organisation_id: organisationId,
        team_id: team.id,
        role_slug: roles[0] ?? 'practitioner',
      })
      .execute();
  }
  return {
    ...staff,
    context: {
      accountId: staff.accountId,
      sessionId: randomUUID(),
      displayName: 'Synthetic Staff',
      organisation: { id: organisationId, slug: organisation, shortName: organisation },
      roles,
      teams,
      organisationCount: 1,
      stage: 'complete',
    },
  };
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
      organisation_id: await orgId(db, options.organisation),
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
