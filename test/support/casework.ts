import { randomUUID } from 'node:crypto';
import { faker } from '@faker-js/faker/locale/en';
import type { Kysely } from 'kysely';
import { generate } from 'otplib';
import type { Database } from '../../src/db/schema.js';
import type { RoleSlug } from '../../src/platform/access/roles.js';
import type { StaffContext } from '../../src/platform/auth/service.js';
import type { OrganisationSlug } from '../../src/policy/index.js';
import type { FastifyInstance } from 'fastify';
import { Agent } from './app.js';
import { createStaff, type TestStaff } from './staff.js';

export async function organisationId(db: Kysely<Database>, slug: OrganisationSlug) {
  const row = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The organisation's team with this slug, created if it is not there yet. */
export async function team(db: Kysely<Database>, organisation: OrganisationSlug, slug: string) {
  const orgId = await organisationId(db, organisation);
  const existing = await db
    .selectFrom('team')
    .select('id')
    .where('organisation_id', '=', orgId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (existing) return { id: existing.id, slug };
  const { id } = await db
    .insertInto('team')
    .values({ organisation_id: orgId, slug, name: `Team ${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, slug };
}

export interface CaseworkStaff extends TestStaff {
  /** As the access function sees them once signed in to `organisation`. */
  context: StaffContext;
}

/**
 * A synthetic staff member holding roles in one organisation and, optionally,
 * teams; with the StaffContext a completed sign-in would give them, so that
 * service tests need not go through HTTP.
 */
export async function caseworkStaff(
  db: Kysely<Database>,
  organisation: OrganisationSlug,
  roles: RoleSlug[],
  teamSlugs: string[] = [],
  displayName?: string,
): Promise<CaseworkStaff> {
  const staff = await createStaff(
    db,
    roles.map((role) => ({ organisation, role })),
  );
  if (displayName) {
    await db
      .updateTable('account')
      .set({ display_name: displayName })
      .where('id', '=', staff.accountId)
      .execute();
  }
  const orgId = await organisationId(db, organisation);
  const teams = [];
  for (const slug of teamSlugs) {
    const t = await team(db, organisation, slug);
    teams.push(t);
    await db
      .insertInto('membership')
      .values({
        account_id: staff.accountId,
        organisation_id: orgId,
        team_id: t.id,
        role_slug: roles[0] ?? 'practitioner',
      })
      .execute();
  }
  return {
    ...staff,
    context: {
      accountId: staff.accountId,
      sessionId: randomUUID(),
      displayName: displayName ?? 'Synthetic Staff',
      organisation: { id: orgId, slug: organisation, shortName: organisation },
      roles,
      teams,
      organisationCount: 1,
      stage: 'complete',
    },
  };
}

/** A synthetic person in an organisation. */
export async function createPerson(
  db: Kysely<Database>,
  organisation: OrganisationSlug,
  values: { givenName?: string; familyName?: string; dateOfBirth?: string | null } = {},
): Promise<string> {
  const orgId = await organisationId(db, organisation);
  const givenName = values.givenName ?? faker.person.firstName();
  const familyName = values.familyName ?? faker.person.lastName();
  const dateOfBirth = values.dateOfBirth === undefined ? '2015-06-01' : values.dateOfBirth;
  const { id } = await db
    .insertInto('person')
    .values({
      organisation_id: orgId,
      given_name: givenName,
      family_name: familyName,
      date_of_birth: dateOfBirth,
      date_of_birth_precision: dateOfBirth ? 'exact' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('person_name')
    .values({
      person_id: id,
      organisation_id: orgId,
      kind: 'current',
      given_name: givenName,
      family_name: familyName,
    })
    .execute();
  return id;
}

/**
 * Signs a staff member in through the pages, setting up two-factor
 * authentication on the way when their role is privileged.
 */
export async function signInFully(agent: Agent, staff: TestStaff): Promise<void> {
  const first = await agent.signIn(staff.email, staff.password);
  if (first.headers.location === '/sign-in/two-factor/set-up') {
    const setUp = await agent.get('/sign-in/two-factor/set-up');
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(setUp.body)?.[1];
    if (!secret) throw new Error('no TOTP secret on the set-up page');
    const code = await generate({
      secret: secret.replace(/ /g, ''),
      epoch: Math.floor(Date.now() / 1000),
    });
    const confirmed = await agent.post('/sign-in/two-factor/set-up', { code });
    if (confirmed.statusCode !== 200) throw new Error('two-factor set-up failed');
  }
  const home = await agent.get('/');
  if (home.statusCode !== 200) {
    throw new Error(`sign-in did not finish: ${home.statusCode} ${home.headers.location}`);
  }
}

/**
 * Headers for JSON calls to /api/v1 as a staff member on a browser session
 * (cookies and CSRF token), two-factor done: how people with privileged
 * roles use the API, which no service account may hold.
 */
export async function sessionApiHeaders(
  app: FastifyInstance,
  staff: TestStaff,
): Promise<Record<string, string>> {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  return agent.apiHeaders();
}
