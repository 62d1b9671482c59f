import { sql, type Kysely } from 'kysely';

/**
 * The partnerships' own services (issue 6; KSCMP notice 000, SSCP notice 002):
 * training courses and bookings, the newsletter list and its suppression
 * list, anonymous surveys, and board and sub-group meetings. Every table
 * carries organisation_id: each partnership is its own controller and sees
 * only its own rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table training_course (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      title text not null check (length(title) between 1 and 200),
      kind text not null check (kind in ('course', 'event')),
      delivery text not null check (delivery in ('face-to-face', 'online')),
      start_date date not null,
      -- The last day of the course: SSCP's "4 years after the course dates"
      -- and KSCMP's "date of training" count from it.
      end_date date not null,
      created_at timestamptz not null default now(),
      check (end_date >= start_date)
    );
    create index training_course_organisation on training_course(organisation_id, start_date);

    -- Exactly the fields both notices list for a booking, no more.
    create table training_booking (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      course_id uuid not null references training_course(id),
      full_name text not null,
      job_role text not null,
      employer text not null,
      sector text not null,
      email text not null,
      telephone text,
      postal_address text,
      budget_reference text,
      -- "Dietary or other requirements (face-to-face courses only)": the
      -- service refuses them for online courses.
      requirements text,
      attendance text not null default 'booked'
        check (attendance in ('booked', 'attended', 'did-not-attend', 'cancelled')),
      -- SSCP keeps only name, role, organisation, sector and email past the
      -- course: the day the other fields were cleared.
      details_minimised_on date,
      retention_status text not null
        check (retention_status in ('scheduled', 'pending', 'needs-review', 'no-rule')),
      retention_due date,
      retention_action text,
      retention_rule_id text,
      retention_needs_review boolean not null,
      retention_explanation text not null,
      created_at timestamptz not null default now()
    );
    create index training_booking_course on training_booking(course_id);
    create index training_booking_organisation on training_booking(organisation_id, retention_due);

    -- Consent is recorded with the notice version, the time and how it was
    -- given. No sharing path exists for these rows (both notices: "will not
    -- be shared outside of the organisation").
    create table newsletter_subscriber (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      full_name text not null,
      employer text not null,
      email text not null,
      consent_notice_version text not null,
      consent_at timestamptz not null,
      consent_method text not null
        check (consent_method in ('web-form', 'paper-form', 'email-request', 'event-sign-up')),
      retention_status text not null,
      retention_explanation text not null,
      created_at timestamptz not null default now()
    );
    create unique index newsletter_subscriber_email on newsletter_subscriber(organisation_id, lower(email));

    -- After an unsubscribe or a dead address, only a keyed hash (HMAC) of the
    -- address: enough to refuse a staff re-import, useless to anyone without the key.
    create table newsletter_suppression (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      email_hmac text not null,
      reason text not null check (reason in ('unsubscribed', 'address-invalid')),
      suppressed_on date not null,
      unique (organisation_id, email_hmac)
    );

    create table survey (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      title text not null check (length(title) between 1 and 200),
      purpose text not null check (length(purpose) between 1 and 2000),
      status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
      opened_on date,
      -- "Date of survey" (KSCMP retention): the day it closed.
      survey_date date,
      report_date date,
      retention_status text not null,
      retention_due date,
      retention_action text,
      retention_rule_id text,
      retention_needs_review boolean not null,
      retention_explanation text not null,
      created_at timestamptz not null default now()
    );
    create index survey_organisation on survey(organisation_id);

    create table survey_question (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references survey(id) on delete cascade,
      position integer not null,
      kind text not null check (kind in ('single-choice', 'multiple-choice', 'free-text')),
      prompt text not null check (length(prompt) between 1 and 500),
      unique (survey_id, position)
    );

    create table survey_option (
      id uuid primary key default gen_random_uuid(),
      question_id uuid not null references survey_question(id) on delete cascade,
      position integer not null,
      label text not null check (length(label) between 1 and 200),
      unique (question_id, position)
    );

    -- An anonymous response: no identity, no IP address, no user agent and no
    -- time finer than the day it arrived. Deliberately no created_at.
    create table survey_response (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references survey(id) on delete cascade,
      received_on date not null
    );
    create index survey_response_survey on survey_response(survey_id);

    create table survey_answer (
      id uuid primary key default gen_random_uuid(),
      response_id uuid not null references survey_response(id) on delete cascade,
      question_id uuid not null references survey_question(id) on delete cascade,
      option_id uuid references survey_option(id) on delete cascade,
      free_text text,
      -- Chosen by staff as a quote for reports (KSCMP: "including quotes from
      -- free-text boxes, where appropriate").
      quote_selected boolean not null default false,
      check ((option_id is null) <> (free_text is null))
    );
    create index survey_answer_question on survey_answer(question_id);

    create table partnership_meeting (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      body text not null check (length(body) between 1 and 200),
      title text not null check (length(title) between 1 and 200),
      meeting_date date not null,
      minutes text,
      retention_status text not null,
      retention_due date,
      retention_action text,
      retention_rule_id text,
      retention_needs_review boolean not null,
      retention_explanation text not null,
      created_at timestamptz not null default now()
    );
    create index partnership_meeting_organisation on partnership_meeting(organisation_id, meeting_date);

    create table partnership_meeting_attendee (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references partnership_meeting(id) on delete cascade,
      full_name text not null,
      role_or_agency text not null,
      attendance text not null check (attendance in ('present', 'apologies', 'absent'))
    );
    create index partnership_meeting_attendee_meeting on partnership_meeting_attendee(meeting_id);
  `.execute(db);
}
