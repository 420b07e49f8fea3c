#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into the compose stack, e.g. after its volumes were lost:
# starts PostgreSQL alone (a new volume gets its users and empty databases from init-databases.sh with
# the same secrets), stops the services if they run, restores each database and the material blobs,
# then starts everything. The secrets in SECRETS_DIR must be the ones the backup was made with.
# Usage: deploy/restore.sh DIR   (make restore BACKUP_DIR=DIR).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:?usage: deploy/restore.sh DIR}"
# shellcheck disable=SC2206 # COMPOSE may be two words ("docker compose")
compose=(${COMPOSE:-docker compose} -f "$here/compose.yaml" --env-file "${DEPLOY_ENV:-$here/.env}")
services=(gateway proxy matter-catalog-service acceptance-service material-service notification-service hotline-service)

(cd "$dir" && sha256sum --check --quiet SHA256SUMS)
"${compose[@]}" stop "${services[@]}" >/dev/null 2>&1 || true
"${compose[@]}" up -d postgres
for _ in $(seq 120); do  # TCP answers only once the first-start initialisation is done
  "${compose[@]}" exec -T postgres pg_isready -q -h 127.0.0.1 -U postgres && break
  sleep 1
done
for db in catalog acceptance material notification hotline; do
  "${compose[@]}" exec -T postgres pg_restore -U postgres --dbname="$db" --clean --if-exists \
    --no-owner --role="$db" --single-transaction --exit-on-error < "$dir/$db.dump"
done
# As the service's own user (the container's capabilities do not include changing owners).
"${compose[@]}" run --rm -T --no-deps --user 10001:10001 --entrypoint tar material-service \
  -C /var/lib/onematter/materials --no-same-owner -xf - < "$dir/materials.tar"
"${compose[@]}" up -d
echo "restored from $dir"
