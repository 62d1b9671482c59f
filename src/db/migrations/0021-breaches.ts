import { sql, type Kysely } from 'kysely';

/**
 * Personal data breaches (issue 11; UK GDPR Art 33/34):
 *
 * - `breach`: one per breach, per organisation, whether or not it was
 *   notified (Art 33(5): "document any personal data breaches, comprising
 *   the facts …, its effects and the remedial action taken"). `reference`
 *   numbers each organisation's breaches 1, 2, 3… so pages never show an id.
 *   The facts, the risk assessment, the decision whether to notify the ICO
 *   (which stops the 72-hour clock), the decision whether to tell the people
 *   (Art 34, with the exemption relied on if not) and the closure are
 *   columns: each is decided once, by a named account, at a recorded time.
 * - `breach_subject`: the people affected, each with how they were found.
 *   Keyed to a person of the breach's own organisation; destroying the
 *   person (retention) takes the link with it, as for restrictions
 *   (migration 0016): the breach keeps its approximate numbers.
 * - `breach_action`: remedial actions, each with who owns it and when done.
 * - `breach_reminder`: what the hourly check found about a breach's clock
 *   (24 hours left, overdue), once per breach and kind. Ids and codes only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table breach (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      reference integer not null check (reference > 0),
      summary text not null check (length(summary) between 1 and 5000),
      occurred_at timestamptz not null,
      aware_at timestamptz not null check (aware_at >= occurred_at),
      reported_by text not null check (length(reported_by) between 1 and 200),
      discovery text not null check (length(discovery) between 1 and 2000),
      data_categories text[] not null check (cardinality(data_categories) > 0),
      approx_people integer not null check (approx_people >= 0),
      approx_records integer not null check (approx_records >= 0),
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now(),

      likelihood text check (likelihood in ('remote', 'possible', 'likely')),
      severity text check (severity in ('minimal', 'significant', 'severe')),
      risk text check (risk in ('unlikely', 'risk', 'high')),
      consequences text,
      measures text,
      assessed_by uuid references account(id),
      assessed_at timestamptz,

      ico_decision text check (ico_decision in ('notify', 'not-notify')),
      ico_reasons text,
      ico_late_reasons text,
      dpo_contact text,
      ico_decided_by uuid references account(id),
      ico_decided_at timestamptz,

      subjects_decision text check (subjects_decision in ('tell', 'not-tell')),
      subjects_exemption text check (subjects_exemption in ('34-3-a', '34-3-b', '34-3-c')),
      subjects_reasons text,
      subjects_notice text,
      subjects_decided_by uuid references account(id),
      subjects_decided_at timestamptz,

      lessons text,
      closed_by uuid references account(id),
      closed_at timestamptz,

      unique (organisation_id, reference),
      unique (id, organisation_id),
      check ((likelihood is null) = (assessed_at is null)),
      check ((ico_decision is null) = (ico_decided_at is null)),
      check (ico_decision is null or assessed_at is not null),
      check ((subjects_decision = 'not-tell') = (subjects_exemption is not null)),
      check (closed_at is null or (ico_decided_at is not null and subjects_decided_at is not null))
    );
    create index breach_open on breach(organisation_id) where closed_at is null;

    create table breach_subject (
      breach_id uuid not null,
      organisation_id uuid not null,
      person_id uuid not null,
      source text not null check (source in ('disclosure', 'staff-account', 'picked')),
      added_by uuid not null references account(id),
      added_at timestamptz not null default now(),
      primary key (breach_id, person_id),
      foreign key (breach_id, organisation_id) references breach (id, organisation_id)
        on delete cascade,
      foreign key (person_id, organisation_id) references person (id, organisation_id)
        on delete cascade
    );
    create index breach_subject_person on breach_subject(person_id);

    create table breach_action (
      id uuid primary key default gen_random_uuid(),
      breach_id uuid not null references breach(id) on delete cascade,
      description text not null check (length(description) between 1 and 2000),
      owner text not null check (length(owner) between 1 and 200),
      created_by uuid not null references account(id),
      created_at timestamptz not null default now(),
      done_by uuid references account(id),
      done_at timestamptz
    );
    create index breach_action_breach on breach_action(breach_id);

    create table breach_reminder (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      breach_id uuid not null references breach(id) on delete cascade,
      kind text not null check (kind in ('ico-due-soon', 'ico-overdue')),
      created_at timestamptz not null default now(),
      unique (breach_id, kind)
    );
  `.execute(db);
}
