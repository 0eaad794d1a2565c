#!/bin/sh
# First start of the compose PostgreSQL only (/docker-entrypoint-initdb.d): the roles Vigil runs
# as. The superuser (POSTGRES_USER) stays for administration; vigil_owner owns the database and
# runs the migrations (npm run migrate grants vigil_app its rights after them); the API connects
# as vigil_app, which owns nothing, so it cannot disable the audit triggers or change the schema.
set -eu
: "${VIGIL_OWNER_PASSWORD:?set VIGIL_OWNER_PASSWORD}"
: "${VIGIL_APP_PASSWORD:?set VIGIL_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$VIGIL_OWNER_PASSWORD" -v app_password="$VIGIL_APP_PASSWORD" <<'SQL'
CREATE ROLE vigil_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE vigil_app LOGIN PASSWORD :'app_password';
CREATE DATABASE vigil OWNER vigil_owner;
REVOKE ALL ON DATABASE vigil FROM PUBLIC;
GRANT CONNECT ON DATABASE vigil TO vigil_owner, vigil_app;
\connect vigil
ALTER SCHEMA public OWNER TO vigil_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
