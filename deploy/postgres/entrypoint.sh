#!/usr/bin/env bash
# Runs as root before the image's own entry point (docker-entrypoint.sh). compose mounts the secret
# files with their host mode (0600, owned by the operator), which the postgres user cannot read; they
# are copied to a tmpfs that only the postgres user can read (memory only, gone with the container).
# The superuser password goes the image's documented way (POSTGRES_PASSWORD_FILE); the service users'
# passwords are read by init-databases.sh from ONEMATTER_SECRETS.
set -euo pipefail

dir=/dev/shm/onematter-secrets
install -d -m 0700 -o postgres -g postgres "$dir"
for file in /run/secrets/*; do
  install -m 0400 -o postgres -g postgres "$file" "$dir/$(basename "$file")"
done
export POSTGRES_PASSWORD_FILE="$dir/postgres_password" ONEMATTER_SECRETS="$dir"
exec docker-entrypoint.sh "$@"
