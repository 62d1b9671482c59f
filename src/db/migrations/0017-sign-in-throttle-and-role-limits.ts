import { sql, type Kysely } from 'kysely';

/**
 * The sign-in throttle's shared state (decision record 0010): failures
 * counted per account key and per client address, in the database so that
 * every app instance sees the same counts. Keys are SHA-256 hashes, so the
 * table holds neither the email addresses typed nor the addresses they came
 * from.
 *
 * And limits on who may hold a role, enforced here as well as in the service
 * (platform/access/role-holders.ts) so that no other path — a script, a
 * concurrent second request — can get past them:
 * - a service account may hold only a role marked for integrations
 *   (`role.for_integrations`, synced from access/roles.ts);
 * - an organisation's policy may cap the holders of a group of roles
 *   (`role_holder_limit`, synced from policy at start-up): Maidstone's
 *   concern log is for "the Designated Safeguarding Officer and two deputy"
 *   officers, three people.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sign_in_throttle (
      key text primary key check (key ~ '^(account|address):[0-9a-f]{64}$'),
      failures integer not null check (failures > 0),
      last_failure_at timestamptz not null,
      blocked_until timestamptz
    );
    create index sign_in_throttle_last_failure on sign_in_throttle(last_failure_at);

    alter table role add column for_integrations boolean not null default false;
    -- A service account has no second factor: it can never hold a privileged role.
    alter table role add constraint role_integrations_not_privileged
      check (not (for_integrations and privileged));

    create table role_holder_limit (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      -- Sorted, so that one group has one row.
      roles text[] not null check (cardinality(roles) > 0),
      max_holders integer not null check (max_holders >= 0),
      source text not null,
      unique (organisation_id, roles)
    );

    create function membership_check_role_rules() returns trigger language plpgsql as $$
    declare
      holder_kind text;
      role_for_integrations boolean;
      role_limit record;
      holders integer;
    begin
      select kind into holder_kind from account where id = new.account_id;
      select for_integrations into role_for_integrations from role where slug = new.role_slug;
      if holder_kind = 'service' and not coalesce(role_for_integrations, false) then
        raise exception 'role holder rule: the role % is not for service accounts', new.role_slug
          using errcode = 'check_violation';
      end if;
      for role_limit in
        select id, max_holders from role_holder_limit
        where organisation_id = new.organisation_id and new.role_slug = any(roles)
        order by id
      loop
        -- One count at a time per organisation and role group: a second
        -- transaction adding a holder waits here until the first commits,
        -- then counts afresh (each statement of a function sees what has
        -- committed by then, under READ COMMITTED, the default).
        perform 1 from role_holder_limit where id = role_limit.id for update;
        select count(distinct m.account_id) into holders
        from membership m
        join account a on a.id = m.account_id
        join role_holder_limit l on l.id = role_limit.id
        where m.organisation_id = new.organisation_id
          and m.role_slug = any(l.roles)
          -- A service account whose every token is revoked holds nothing.
          and (a.kind = 'staff'
               or not exists (select 1 from api_token t where t.account_id = a.id)
               or exists (select 1 from api_token t
                          where t.account_id = a.id and t.revoked_at is null));
        if holders > role_limit.max_holders then
          raise exception 'role holder rule: at most % may hold % in this organisation',
            role_limit.max_holders, new.role_slug
            using errcode = 'check_violation';
        end if;
      end loop;
      return null;
    end;
    $$;
    create trigger membership_role_rules
      after insert or update of account_id, organisation_id, role_slug on membership
      for each row execute function membership_check_role_rules();
  `.execute(db);
}
