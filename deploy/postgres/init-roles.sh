#!/bin/sh
# Run once by the postgres image on an empty data directory
# (/docker-entrypoint-initdb.d), as the superuser: the two roles of README
# "Security: database roles" and decision record 0015. The owner owns the
# database and its tables and migrates; the app role is not a superuser, not
# a member of the owner, and gets only what src/db/roles.ts grants it after
# each migration (read and append, never rewrite, the audit log).
set -eu
: "${SAFEKEEP_OWNER_PASSWORD:?set SAFEKEEP_OWNER_PASSWORD}"
: "${SAFEKEEP_APP_PASSWORD:?set SAFEKEEP_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$SAFEKEEP_OWNER_PASSWORD" -v app_password="$SAFEKEEP_APP_PASSWORD" <<'SQL'
create role safekeep_owner login password :'owner_password';
create role safekeep_app login password :'app_password' nosuperuser nocreatedb nocreaterole noinherit;
create database safekeep owner safekeep_owner;
SQL

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname safekeep <<'SQL'
alter schema public owner to safekeep_owner;
revoke create on schema public from public;
-- Name search (migrations/0002-people.ts): created here once, by the superuser.
create extension if not exists pg_trgm schema public;
create extension if not exists fuzzystrmatch schema public;
SQL
