#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, starts a throwaway
# PostgreSQL on 127.0.0.1 for the storage tests, runs type-check, lint and every test, and ends
# with one line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund

# PostgreSQL: use DATABASE_URL if the caller gave one; else start our own if the server is
# installed (as root we install Debian's package when it is missing).
pg_started=""
if [ -z "${PSABRIDGE_TEST_DATABASE_URL:-}" ]; then
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing PostgreSQL (Debian package) for the storage tests…"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
  fi
  if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    PGPORT=${PGPORT:-54329}
    PGDATA=/tmp/psabridge-pgdata-$PGPORT
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
    as_pg "$PGBIN/pg_ctl -D '$PGDATA' -m immediate -w stop" >/dev/null 2>&1 || true
    rm -rf "$PGDATA"; mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
    as_pg "$PGBIN/initdb -D '$PGDATA' -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync" >/dev/null
    as_pg "$PGBIN/pg_ctl -D '$PGDATA' -l '$PGDATA/server.log' -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off -c synchronous_commit=off -c max_connections=200\" start" >/dev/null
    as_pg "$PGBIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB\" -c \"CREATE DATABASE app OWNER app\""
    export PSABRIDGE_TEST_DATABASE_URL=postgres://app:app@127.0.0.1:$PGPORT/app
    pg_started="$PGBIN|$PGDATA"
  else
    echo "PostgreSQL is not installed: the PostgreSQL variants of the storage tests will be skipped."
  fi
fi
stop_pg() {
  if [ -n "$pg_started" ]; then
    local bin=${pg_started%%|*} data=${pg_started##*|}
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$bin/pg_ctl -D '$data' -m fast -w stop" >/dev/null 2>&1
    else "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1; fi
  fi
}
trap stop_pg EXIT

failed_checks=0
echo "== tsc --noEmit"; npx tsc --noEmit || failed_checks=$((failed_checks + 1))
echo "== eslint"; npx eslint . || failed_checks=$((failed_checks + 1))

echo "== vitest"
report=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
vitest_rc=$?

count() { node -e "const r=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));console.log($1)" "$report" 2>/dev/null || echo 0; }
passed=$(count 'r.numPassedTests')
failed=$(count 'r.numFailedTests')
skipped=$(count 'r.numPendingTests + r.numTodoTests')
# No readable report means vitest did not finish: never print a green line then.
if ! node -e "JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'))" "$report" 2>/dev/null; then
  echo "vitest wrote no report" >&2; failed=$((failed + 1))
fi
# A failed type-check or lint counts as a failed test, so the closing line cannot read green.
failed=$((failed + failed_checks))
if [ "$vitest_rc" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
