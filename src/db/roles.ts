import { sql, type Kysely } from 'kysely';

/**
 * The database roles (decision record 0015). An owner role owns the tables
 * and runs the migrations (DATABASE_OWNER_URL); the app connects as another
 * role (DATABASE_URL) that may read and write the working tables but only
 * read and append to the tables below — so someone holding the app's
 * credentials cannot rewrite, delete or truncate them, nor switch off their
 * triggers, alter or drop them (only an owner may).
 *
 * Add a table here when it is a record that must never be changed, only
 * added to. The grants are applied after every migration, so a table added
 * to this list is protected from the next start-up on.
 */
export const APPEND_ONLY_TABLES: readonly string[] = [
  'audit_event',
  'audit_chain_link',
  'audit_checkpoint',
  // Refusals and the chainer's signed attestations (migration 0078).
  'audit_chain_refusal',
  'audit_seal_attestation',
  // Every policy version stays readable as it was (migration 0025).
  'policy_version',
];

/**
 * Records the app may read but never write, not even append to: each row is
 * written only by a function that runs as the owner (SECURITY DEFINER).
 * `audit_retention_cut` says from which signed checkpoint the audit log is
 * walked after its oldest months were dropped (migration 0074); a row forged
 * with the app's login could otherwise move the start of a walk made without
 * the shipped checkpoints. Append-only too, by trigger, for the owner.
 */
export const READ_ONLY_TABLES: readonly string[] = ['audit_retention_cut'];

/** The migrator's own bookkeeping: the app neither needs nor may touch it. */
const OWNER_ONLY_TABLES: readonly string[] = ['kysely_migration', 'kysely_migration_lock'];

/** Serialises grants when several instances start at once. */
const GRANT_LOCK = 7_261_015;

export class DatabaseRoleError extends Error {}

/**
 * Gives `appRole` what the app needs in the owner's current schema, and no
 * more: after the migrations, as the owner. Idempotent.
 */
export async function grantAppRole<DB>(owner: Kysely<DB>, appRole: string): Promise<void> {
  await (owner as unknown as Kysely<unknown>).transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${GRANT_LOCK})`.execute(trx);
    const { rows } = await sql<{
      schema: string;
      superuser: boolean;
    }>`select current_schema() as schema, (select rolsuper from pg_roles where rolname = ${appRole}) as superuser`.execute(
      trx,
    );
    const [{ schema, superuser } = { schema: 'public', superuser: false }] = rows;
    if (superuser) {
      throw new DatabaseRoleError(
        `The app's database role ${appRole} is a superuser: give DATABASE_URL a role of its own (README, "Security: database roles").`,
      );
    }
    // A role that owns a table, or inherits from its owner, can do anything
    // to it, grants or not.
    const owned = await sql<{ table: string }>`
      select c.relname as table
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relname = any(${[...APPEND_ONLY_TABLES, ...READ_ONLY_TABLES]})
        and pg_has_role(${appRole}, c.relowner, 'MEMBER')`.execute(trx);
    if (owned.rows.length > 0) {
      throw new DatabaseRoleError(
        `The app's database role ${appRole} owns (or inherits from the owner of) ${owned.rows.map((r) => r.table).join(', ')}: ` +
          'the tables must belong to the role in DATABASE_OWNER_URL (README, "Security: database roles").',
      );
    }
    const role = sql.id(appRole);
    await sql`grant usage on schema ${sql.id(schema)} to ${role}`.execute(trx);
    await sql`grant select, insert, update, delete on all tables in schema ${sql.id(schema)} to ${role}`.execute(
      trx,
    );
    await sql`grant usage, select on all sequences in schema ${sql.id(schema)} to ${role}`.execute(
      trx,
    );
    for (const table of [...OWNER_ONLY_TABLES, ...APPEND_ONLY_TABLES, ...READ_ONLY_TABLES]) {
      const exists = await sql<{
        found: string | null;
      }>`select to_regclass(format('%I.%I', ${schema}::text, ${table}::text))::text as found`.execute(
        trx,
      );
      if (!exists.rows[0]?.found) continue;
      const name = sql.id(schema, table);
      await sql`revoke all on table ${name} from ${role}`.execute(trx);
      if (APPEND_ONLY_TABLES.includes(table)) {
        await sql`grant select, insert on table ${name} to ${role}`.execute(trx);
      }
      if (READ_ONLY_TABLES.includes(table)) {
        await sql`grant select on table ${name} to ${role}`.execute(trx);
      }
    }
    // A partition (the audit log's months, migration 0070) is a table of its
    // own to the grants above: the app reaches the log through its parent
    // only, where it may read and append, never through a month directly.
    const partitions = await sql<{ name: string }>`
      select c.relname as name
      from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent
      join pg_namespace n on n.oid = p.relnamespace
      where n.nspname = ${schema} and p.relname = any(${[...APPEND_ONLY_TABLES]})`.execute(trx);
    for (const { name } of partitions.rows) {
      await sql`revoke all on table ${sql.id(schema, name)} from ${role}`.execute(trx);
    }
  });
}

/** The role a connection logs in as. */
export async function currentRole<DB>(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ role: string }>`select current_user as role`.execute(
    db as unknown as Kysely<unknown>,
  );
  const [first] = rows;
  if (!first) throw new Error('The database did not say which role this connection has.');
  return first.role;
}
