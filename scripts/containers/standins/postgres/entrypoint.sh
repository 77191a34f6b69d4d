#!/usr/bin/env bash
# The official image's contract, in short: as root, own the data folder and
# drop to `postgres`; on an empty folder, initdb with POSTGRES_USER and
# POSTGRES_PASSWORD, create POSTGRES_DB, then run the server on all addresses.
set -euo pipefail

if [[ "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -z "${POSTGRES_PASSWORD:-}" && "$auth" != trust ]]; then
    echo 'postgres-standin: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)' >&2
    exit 1
  fi
  password_file="$(mktemp)"
  printf '%s' "${POSTGRES_PASSWORD:-}" > "$password_file"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as in the official image
  initdb --username="$user" --pwfile="$password_file" --auth-local=trust --auth-host="$auth" ${POSTGRES_INITDB_ARGS:-}
  rm -f "$password_file"
  printf 'host all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  printf "listen_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
  if [[ "$database" != postgres ]]; then
    pg_ctl --wait --silent --options="-c listen_addresses=''" start
    createdb --username="$user" "$database"
    pg_ctl --wait --silent --mode=fast stop
  fi
fi

if [[ "${1:-}" == postgres ]]; then shift; exec postgres "$@"; fi
exec "$@"
