#!/usr/bin/env bash
# Vigil backup: a pg_dump custom-format archive plus the audit chain head recorded outside the
# database. Usage:
#   DATABASE_URL=postgres://vigil_owner:...@host:5432/vigil scripts/backup.sh [BACKUP_DIR]
# Writes BACKUP_DIR/vigil-<UTC time>.dump and .head, and prints the head line: copy it somewhere
# the database's owner cannot write (a ticket, a log server, WORM storage). A restore is checked
# against it (scripts/restore.sh), and so can the live database be: every later chain extends it.
# pg_dump must be the server's major version or newer (in compose, run it in the postgres image).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up (the owner or a superuser)}"
dir="${1:-${BACKUP_DIR:-backups}}"
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
base="$dir/vigil-$stamp"

# The head first: the dump's snapshot is taken after it, so the dumped chain contains it.
head="$(psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -At -F ':' -c 'SELECT seq, hash FROM audit_chain_head')"
[[ "$head" =~ ^[0-9]+:[0-9a-f]{64}$ ]] || { echo "backup: no audit chain head ($head)" >&2; exit 1; }

pg_dump --format=custom --compress=6 --file="$base.dump.partial" "$DATABASE_URL"
mv "$base.dump.partial" "$base.dump"
sha="$(sha256sum "$base.dump" | cut -d' ' -f1)"
printf '%s\n' "$head" > "$base.head"
echo "vigil-backup $stamp audit-head $head dump $(basename "$base.dump") sha256 $sha"
