#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on 127.0.0.1 and RELAIS_POSTGRES_URL naming it,
# for the PostgreSQL store's tests (scripts/test.sh). The cluster lives in a temporary folder and is
# stopped and deleted when the command ends. fsync stays on: the tests check durability settings.
#   scripts/with-postgres.sh swift test --skip-build
# With RELAIS_POSTGRES_URL already set, the command runs against that server instead (the tests then
# leave their schemas, t_… and e2e_…, in that database: use a database of its own). Without the
# server binaries (Debian: apt-get install postgresql), the command runs without the variable: the
# PostgreSQL tests then skip, or fail when RELAIS_REQUIRE_POSTGRES=1.
set -euo pipefail
if [ -n "${RELAIS_POSTGRES_URL:-}" ]; then exec "$@"; fi
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql); running without it" >&2
  exec "$@"
fi
DIR=$(mktemp -d /tmp/relais-pg.XXXXXX)
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user Debian's package creates.
  chown postgres: "$DIR"
  RUNAS=(runuser -u postgres --)
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  "${RUNAS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT
"${RUNAS[@]}" "$BIN/initdb" -D "$DIR/data" -U relais --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
# Parallel tests each open a few connections on a schema of their own.
"${RUNAS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=400 -c fsync=on" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
"${RUNAS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U relais -d postgres -q -c "CREATE DATABASE relais" >/dev/null
export RELAIS_POSTGRES_URL="postgres://relais@127.0.0.1:$PORT/relais"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (throwaway, $DIR)"
set +e
"$@"
status=$?
set -e
exit $status
