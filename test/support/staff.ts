import { faker } from '@faker-js/faker/locale/en';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { RoleSlug } from '../../src/platform/access/roles.js';
import { AuthService, acknowledgeConfidentialityFor } from '../../src/platform/auth/service.js';
import type { OrganisationSlug } from '../../src/policy/index.js';
import { testConfig } from './app.js';

export interface TestStaff {
  accountId: string;
  email: string;
  password: string;
}

/** A synthetic staff member holding the given roles. */
export async function createStaff(
  db: Kysely<Database>,
  memberships: { organisation: OrganisationSlug; role: RoleSlug }[],
  options: { confidentiality?: 'acknowledged' | 'not yet' } = {},
): Promise<TestStaff> {
  const email = faker.internet.email({ provider: 'staff.example' }).toLowerCase();
  const password = faker.internet.password({ length: 20 });
  const auth = new AuthService(db, testConfig());
  const accountId = await auth.createAccount({
    email,
    displayName: faker.person.fullName(),
    password,
  });
  for (const m of memberships) {
    const org = await db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', m.organisation)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('membership')
      .values({ account_id: accountId, organisation_id: org.id, role_slug: m.role })
      .execute();
    // Synthetic staff are briefed already, as after their first sign-in;
    // tests of the statement step itself pass confidentiality: 'not yet'.
    if (options.confidentiality !== 'not yet')
      await acknowledgeConfidentialityFor(db, accountId, org.id, new Date());
  }
  return { accountId, email, password };
}
