#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for the tests and the benchmark: Debian's PostgreSQL binaries, a data folder
# under /tmp/qualiflow-pg, listening on 127.0.0.1 only (a free port), trust authentication for loopback, no fsync.
# Prints its URL and writes it to test-output/postgres-url, where test/helpers/postgres.ts reads it. Fast when the
# cluster is already running; `bash scripts/postgres.sh stop` stops it and removes its folder.
#
# As root, PostgreSQL refuses to run: the cluster belongs to the `postgres` user the Debian package creates.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${QUALIFLOW_PG_DIR:-/tmp/qualiflow-pg}"
DATA="$DIR/data"
URL_FILE="$ROOT/test-output/postgres-url"
DATABASE=qualiflow

fail() {
  echo "scripts/postgres.sh: $*" >&2
  exit 1
}

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$BIN" ]] && command -v initdb >/dev/null; then BIN="$(dirname "$(readlink -f "$(command -v initdb)")")"; fi
[[ -n "$BIN" && -x "$BIN/initdb" ]] ||
  fail "PostgreSQL is not installed. On Debian: apt-get install -y postgresql (.ci/run does this)."

if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || fail "running as root needs the 'postgres' user (the postgresql package creates it)."
  as_owner() { (cd /tmp && runuser -u postgres -- "$@"); }
  OWNER=postgres
else
  as_owner() { (cd /tmp && "$@"); }
  OWNER="$(id -un)"
fi

if [[ "${1:-}" == stop ]]; then
  if [[ -d "$DATA" ]]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR" "$URL_FILE"
  exit 0
fi

mkdir -p "$DIR" "$ROOT/test-output"
chown "$OWNER" "$DIR"
# Two `npm test` runs at once share one cluster; the lock makes the second wait for the first to start it. (The server
# must not inherit the lock's descriptor, or it would hold the lock for its lifetime: see `9>&-` below.)
exec 9>"$DIR.lock"
flock 9

running() {
  [[ -f "$DIR/port" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 &&
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$DIR/port")"
}

if ! running; then
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    rm -rf "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$DIR/initdb.log" 2>&1 ||
      fail "initdb failed; see $DIR/initdb.log"
  fi
  # The port of the last run if it is still free, else a fresh one from the kernel.
  PORT="$(node -e '
    const net = require("node:net");
    const take = (port) => { const s = net.createServer(); s.once("error", () => take(0));
      s.listen(port, "127.0.0.1", () => { console.log(s.address().port); s.close(); }); };
    take(Number(process.argv[1]) || 0);' "$(cat "$DIR/port" 2>/dev/null || echo 0)")"
  echo "$PORT" >"$DIR/port"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 start -o \
    "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    </dev/null >/dev/null 9>&- || fail "PostgreSQL did not start; see $DIR/server.log"
fi

PORT="$(cat "$DIR/port")"
if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$DATABASE'" |
  grep -q 1; then
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DATABASE"
fi
URL="postgres://postgres@127.0.0.1:$PORT/$DATABASE"
echo "$URL" >"$URL_FILE"
echo "$URL"
