#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is empty (docker-entrypoint-initdb.d). One database and one
# user per service, each the owner of its own database and nothing else: CONNECT is revoked from
# PUBLIC, so a service's credentials cannot even open another service's database.
# Passwords come from <NAME>_DB_PASSWORD (deploy/.env); they are passed as psql variables, never
# pasted into SQL text.
set -euo pipefail

for name in catalog acceptance material notification; do
  password_var="${name^^}_DB_PASSWORD"
  password="${!password_var:?$password_var is not set (run: python3 deploy/gen_env.py)}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"name";
SQL
done

# The maintenance databases are for the superuser only.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL
