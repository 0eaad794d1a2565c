#!/usr/bin/env bash
# Vigil restore into a new, empty database, then verification of the audit chain against the head
# recorded at backup time. Usage:
#   DATABASE_URL=postgres://...@host:5432/vigil_restored scripts/restore.sh [--same-deployment] \
#     backups/vigil-X.dump [HEAD]
# HEAD is `seq:hash` as the backup printed it (default: the .head file beside the dump; prefer the
# copy kept off the database host). Create the empty database first (createdb, as its owner).
# Stop the APIs before restoring over a database they use; point them at the new one after.
#
# The copy gets a deployment id of its own: the API names its Redis channels after it, and a copy
# with the original's id, started on the same Redis (a restore drill, staging loaded from a
# production dump), delivered its events to the live deployment's clinicians and made them skip
# real ones with the same seq. `--same-deployment` keeps the original's id, for a copy that
# replaces the original (its APIs stopped for good): Redis ACLs written for that id still fit.
set -euo pipefail
same_deployment=0
if [ "${1:-}" = --same-deployment ]; then
  same_deployment=1
  shift
fi
: "${DATABASE_URL:?set DATABASE_URL to the new, empty database}"
dump="${1:?usage: restore.sh [--same-deployment] DUMP [SEQ:HASH]}"
head="${2:-$(cat "${dump%.dump}.head")}"

tables="$(psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -At -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
[ "$tables" = 0 ] || { echo "restore: the target database is not empty" >&2; exit 1; }

# --no-owner: objects belong to whoever restores (the new database's owner); grant the API's
# role again afterwards with `DATABASE_APP_ROLE=vigil_app npm run migrate`.
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
if [ "$same_deployment" = 1 ]; then
  echo "restore: kept the original's deployment id: never run this copy beside the original"
else
  # A dump from before the deployment table (migration 1764190100000) gets one from `migrate`.
  psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -q -c \
    "DO \$\$ BEGIN IF to_regclass('deployment') IS NOT NULL THEN
       UPDATE deployment SET id = gen_random_uuid(), created_at = now(); END IF; END \$\$"
  echo "restore: this copy is a deployment of its own (a new deployment id; --same-deployment keeps the original's)"
fi
cd "$(dirname "$0")/.."
npm run --silent audit:verify -- --head "$head"
