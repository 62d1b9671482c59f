import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { policies } from '../policy/index.js';
import { roles } from './access/roles.js';

/**
 * Organisations and roles are defined in code (policy/ and access/roles.ts)
 * and mirrored into their tables at start-up, so that foreign keys and
 * reports can use them. Idempotent: run it on every start.
 */
export async function syncReferenceData(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const role of roles) {
      const columns = {
        name: role.name,
        description: role.description,
        privileged: role.privileged,
        for_integrations: role.forIntegrations,
      };
      await trx
        .insertInto('role')
        .values({ slug: role.slug, ...columns })
        .onConflict((oc) => oc.column('slug').doUpdateSet(columns))
        .execute();
    }
    for (const policy of policies) {
      const { id: organisationId } = await trx
        .insertInto('organisation')
        .values({ slug: policy.slug, name: policy.name, short_name: policy.shortName })
        .onConflict((oc) =>
          oc.column('slug').doUpdateSet({ name: policy.name, short_name: policy.shortName }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      // The database enforces the policy's limits on role holders (migration
      // 0017), so it holds exactly the policy's, no more and no fewer.
      const groups: string[][] = [];
      for (const limit of policy.roleHolderLimits) {
        const group = [...limit.roles].sort();
        groups.push(group);
        await trx
          .insertInto('role_holder_limit')
          .values({
            organisation_id: organisationId,
            roles: group,
            max_holders: limit.max,
            source: limit.source,
          })
          .onConflict((oc) =>
            oc
              .columns(['organisation_id', 'roles'])
              .doUpdateSet({ max_holders: limit.max, source: limit.source }),
          )
          .execute();
      }
      await trx
        .deleteFrom('role_holder_limit')
        .where('organisation_id', '=', organisationId)
        .where((eb) =>
          groups.length === 0
            ? eb.lit(true)
            : eb.not(
                eb.or(groups.map((g) => eb('roles', '=', sql<string[]>`${sql.val(g)}::text[]`))),
              ),
        )
        .execute();
    }
  });
}
