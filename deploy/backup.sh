#!/usr/bin/env bash
# Backs up the compose stack into DIR: every service database (pg_dump custom format, one file each)
# and the material blobs (materials.tar), with SHA256SUMS. Runs against the live stack; see
# docs/operations.md for what "consistent" means here (databases first, then blobs).
# Usage: deploy/backup.sh DIR   (make backup BACKUP_DIR=DIR). COMPOSE and DEPLOY_ENV as in the Makefile.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:?usage: deploy/backup.sh DIR}"
# shellcheck disable=SC2206 # COMPOSE may be two words ("docker compose")
compose=(${COMPOSE:-docker compose} -f "$here/compose.yaml" --env-file "${DEPLOY_ENV:-$here/.env}")

umask 077  # the dumps hold personal data: owner-only, like the secrets
mkdir -p "$dir"
for db in catalog acceptance material notification hotline; do
  "${compose[@]}" exec -T postgres pg_dump -U postgres --format=custom "$db" > "$dir/$db.dump"
done
"${compose[@]}" exec -T --user 10001:10001 material-service tar -C /var/lib/onematter/materials -cf - . > "$dir/materials.tar"
(cd "$dir" && sha256sum ./*.dump materials.tar > SHA256SUMS)
echo "backed up to $dir"
