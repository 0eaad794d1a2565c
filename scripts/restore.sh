#!/usr/bin/env bash
# Vigil restore into a new, empty database, then verification of the audit chain against the head
# recorded at backup time. Usage:
#   DATABASE_URL=postgres://...@host:5432/vigil_restored scripts/restore.sh backups/vigil-X.dump [HEAD]
# HEAD is `seq:hash` as the backup printed it (default: the .head file beside the dump; prefer the
# copy kept off the database host). Create the empty database first (createdb, as its owner).
# Stop the APIs before restoring over a database they use; point them at the new one after.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the new, empty database}"
dump="${1:?usage: restore.sh DUMP [SEQ:HASH]}"
head="${2:-$(cat "${dump%.dump}.head")}"

tables="$(psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -At -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
[ "$tables" = 0 ] || { echo "restore: the target database is not empty" >&2; exit 1; }

# --no-owner: objects belong to whoever restores (the new database's owner); grant the API's
# role again afterwards with `DATABASE_APP_ROLE=vigil_app npm run migrate`.
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
cd "$(dirname "$0")/.."
npm run --silent audit:verify -- --head "$head"
