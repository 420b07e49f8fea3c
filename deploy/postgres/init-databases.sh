#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is empty (docker-entrypoint-initdb.d). One database and one
# user per service, each the owner of its own database and nothing else: CONNECT is revoked from
# PUBLIC, so a service's credentials cannot even open another service's database.
# Passwords come from the secret files <name>_db_password (copied to ONEMATTER_SECRETS by
# entrypoint.sh); they are passed as psql variables, never pasted into SQL text nor put in a variable
# of the container's environment.
set -euo pipefail

secrets="${ONEMATTER_SECRETS:?run through deploy/postgres/entrypoint.sh}"
for name in catalog acceptance material notification hotline; do
  file="$secrets/${name}_db_password"
  [ -s "$file" ] || { echo "$file is missing or empty (run: python3 deploy/gen_env.py)" >&2; exit 1; }
  password="$(<"$file")"
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
