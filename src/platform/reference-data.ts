import type { Kysely } from 'kysely';
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
      await trx
        .insertInto('role')
        .values(role)
        .onConflict((oc) =>
          oc.column('slug').doUpdateSet({
            name: role.name,
            description: role.description,
            privileged: role.privileged,
          }),
        )
        .execute();
    }
    for (const policy of policies) {
      await trx
        .insertInto('organisation')
        .values({ slug: policy.slug, name: policy.name, short_name: policy.shortName })
        .onConflict((oc) =>
          oc.column('slug').doUpdateSet({ name: policy.name, short_name: policy.shortName }),
        )
        .execute();
    }
  });
}
