import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliDatabase } from '../../../test/support/cli.js';
import { testDatabase } from '../../../test/support/database.js';
import { createStaff } from '../../../test/support/staff.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { policyFor, type OrganisationSlug } from '../../policy/index.js';
import { ServiceAccounts } from '../auth/service-accounts.js';
import { syncReferenceData } from '../reference-data.js';
import { recordRulesFor } from './record-rules.js';
import { grantRoles, RoleHolderRuleError } from './role-holders.js';
import { roles, type RoleSlug } from './roles.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database?.close();
});

const organisation = async (slug: OrganisationSlug) => ({
  slug,
  id: (
    await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow()
  ).id,
});

const dso: RoleSlug = 'designated-safeguarding-officer';
const serviceAccount = (organisationSlug: OrganisationSlug, role: RoleSlug, name = 'Feed') =>
  new ServiceAccounts(database.db).create({
    name: `${name} for ${role}`,
    organisationSlug,
    roles: [role],
    validDays: 1,
  });

async function holdersOf(slug: OrganisationSlug, role: RoleSlug): Promise<number> {
  const { id } = await organisation(slug);
  const rows = await database.db
    .selectFrom('membership')
    .select('account_id')
    .distinct()
    .where('organisation_id', '=', id)
    .where('role_slug', '=', role)
    .execute();
  return rows.length;
}

describe('roles for service accounts', () => {
  it('gives a service account only roles marked for integrations, never a privileged one', async () => {
    expect(roles.filter((r) => r.forIntegrations && r.privileged)).toEqual([]);
    for (const [slug, role] of [
      ['maidstone-bc', dso],
      ['kent-scs', 'information-governance'],
      ['kent-lado', 'lado-officer'],
      ['kent-scs', 'data-protection-officer'],
    ] as const) {
      await expect(serviceAccount(slug, role), role).rejects.toThrow(RoleHolderRuleError);
      await expect(serviceAccount(slug, role), role).rejects.toThrow(
        /A service account cannot hold the role/,
      );
      expect(await holdersOf(slug, role)).toBe(0);
    }
    const accounts = await database.db
      .selectFrom('account')
      .select('id')
      .where('kind', '=', 'service')
      .execute();
    expect(accounts).toEqual([]);
    await expect(serviceAccount('kent-scs', 'practitioner')).resolves.toMatchObject({
      token: expect.any(String),
    });
  });

  it('is enforced by the database too, whatever path inserts the membership', async () => {
    const feed = await serviceAccount('kent-scs', 'practitioner', 'Second feed');
    const kentScs = await organisation('kent-scs');
    await expect(
      database.db
        .insertInto('membership')
        .values({
          account_id: feed.accountId,
          organisation_id: kentScs.id,
          role_slug: 'information-governance',
        })
        .execute(),
    ).rejects.toThrow(/not for service accounts/);
  });
});

describe('the limit on holders of the concern-log role (Maidstone: the DSO and two deputies)', () => {
  it('is policy data quoting the notice, covering every role that may read the concern log', () => {
    const limits = policyFor('maidstone-bc').roleHolderLimits;
    expect(limits).toEqual([
      {
        roles: [dso],
        max: 3,
        source: expect.stringContaining(
          'Only the Designated Safeguarding Officer and two deputy Designated Safeguarding Officer',
        ),
      },
    ]);
    const readers = Object.entries(
      recordRulesFor('maidstone-bc')['safeguarding-concern']?.roles ?? {},
    ).flatMap(([role, rule]) => (rule.read === 'none' ? [] : [role]));
    for (const reader of readers) expect(limits[0]?.roles).toContain(reader);
  });

  it('is mirrored into the database from policy at start-up, and kept in step', async () => {
    const read = () =>
      database.db
        .selectFrom('role_holder_limit')
        .innerJoin('organisation', 'organisation.id', 'role_holder_limit.organisation_id')
        .select(['organisation.slug', 'roles', 'max_holders'])
        .execute();
    expect(await read()).toEqual([{ slug: 'maidstone-bc', roles: [dso], max_holders: 3 }]);
    const { id } = await organisation('maidstone-bc');
    await database.db
      .updateTable('role_holder_limit')
      .set({ max_holders: 30 })
      .where('organisation_id', '=', id)
      .execute();
    await database.db
      .insertInto('role_holder_limit')
      .values({ organisation_id: id, roles: ['team-manager'], max_holders: 1, source: 'stale' })
      .execute();
    await syncReferenceData(database.db);
    expect(await read()).toEqual([{ slug: 'maidstone-bc', roles: [dso], max_holders: 3 }]);
  });

  it('refuses a fourth holder in the service with a message naming the limit, saving nothing', async () => {
    const maidstone = await organisation('maidstone-bc');
    for (let i = 0; i < 3; i += 1) {
      await createStaff(database.db, [{ organisation: 'maidstone-bc', role: dso }]);
    }
    const fourth = await createStaff(database.db, []);
    const attempt = database.db.transaction().execute((trx) =>
      grantRoles(trx, {
        accountId: fourth.accountId,
        holderKind: 'staff',
        organisation: maidstone,
        roles: [dso],
      }),
    );
    await expect(attempt).rejects.toThrow(RoleHolderRuleError);
    await expect(attempt).rejects.toThrow(
      'Maidstone Borough Council allows at most 3 holders of the role "Designated safeguarding officer", and 3 already hold it.',
    );
    expect(await holdersOf('maidstone-bc', dso)).toBe(3);
    // A role held already, in another team, adds no holder.
    const existing = await database.db
      .selectFrom('membership')
      .select('account_id')
      .where('organisation_id', '=', maidstone.id)
      .where('role_slug', '=', dso)
      .executeTakeFirstOrThrow();
    const team = await database.db
      .insertInto('team')
      .values({ organisation_id: maidstone.id, slug: 'deputies', name: 'Deputies' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.transaction().execute((trx) =>
      grantRoles(trx, {
        accountId: existing.account_id,
        holderKind: 'staff',
        organisation: maidstone,
        roles: [dso],
        teamId: team.id,
      }),
    );
    expect(await holdersOf('maidstone-bc', dso)).toBe(3);
  });

  it('refuses a fourth holder in the database, even from two concurrent transactions', async () => {
    const maidstone = await organisation('maidstone-bc');
    await database.db
      .deleteFrom('membership')
      .where('organisation_id', '=', maidstone.id)
      .where('role_slug', '=', dso)
      .execute();
    await createStaff(database.db, [{ organisation: 'maidstone-bc', role: dso }]);
    await createStaff(database.db, [{ organisation: 'maidstone-bc', role: dso }]);
    const third = await createStaff(database.db, []);
    const fourth = await createStaff(database.db, []);
    // Straight into the table, past the service's own check: each
    // transaction holds on before committing, so on PostgreSQL the two
    // overlap and only the database's per-group lock can stop the second.
    const insert = (accountId: string) =>
      database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('membership')
          .values({ account_id: accountId, organisation_id: maidstone.id, role_slug: dso })
          .execute();
        await sql`select pg_sleep(0.3)`.execute(trx);
      });
    const results = await Promise.allSettled([insert(third.accountId), insert(fourth.accountId)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected');
    expect(String(refused?.reason)).toMatch(/at most 3 may hold designated-safeguarding-officer/);
    expect(await holdersOf('maidstone-bc', dso)).toBe(3);
  });
});

describe('safekeep service-account create', { timeout: 240_000 }, () => {
  it('refuses the concern-log role with a message, and exits 1', async () => {
    const { env, cleanup } = await cliDatabase('safekeep_roles');
    const run = promisify(execFile);
    const safekeep = (...args: string[]) =>
      run(process.execPath, [cli, ...args], { env, timeout: 120_000 });
    try {
      await safekeep('migrate');
      await expect(
        safekeep(
          'service-account',
          'create',
          '--name',
          'Concern log feed',
          '--organisation',
          'maidstone-bc',
          '--role',
          'designated-safeguarding-officer',
        ),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(
          'A service account cannot hold the role "Designated safeguarding officer"',
        ),
      });
    } finally {
      await cleanup();
    }
  });
});
