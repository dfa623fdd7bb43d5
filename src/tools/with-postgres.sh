#!/usr/bin/env bash
# with-postgres.sh COMMAND...: runs COMMAND with KILN_TEST_DATABASE_URL pointing at a real PostgreSQL.
# The repository suite runs on PGlite by default; this proves the same SQL on the server Kiln uses in
# production. With KILN_TEST_DATABASE_URL already set it just runs COMMAND against that server;
# otherwise it starts a throwaway cluster in a temp dir and always removes it afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/throwaway.sh"
throwaway_begin with-postgres KILN_TEST_DATABASE_URL "$@"

find_bindir() {
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$initdb" ] && dirname "$initdb"
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null || die "PostgreSQL is not installed and installing it needs root (or sudo)"
    SUDO="sudo"
  fi
  say "PostgreSQL server binaries are missing; installing Debian's postgresql…"
  # Another apt run (e.g. the chromium install) may hold the dpkg lock: wait for it instead of failing.
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq postgresql >/dev/null
  BINDIR="$(find_bindir || true)"
  [ -n "$BINDIR" ] || die "installed postgresql but found no /usr/lib/postgresql/*/bin/initdb"
fi

# initdb and postgres refuse to run as root, so as root the cluster belongs to the postgres user.
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to own the cluster"
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

STARTED=""
cleanup() {
  if [ -n "$STARTED" ]; then
    as_owner "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORKDIR"
}
throwaway_workdir kiln-pg
DATA="$WORKDIR/data"
LOG="$WORKDIR/server.log"
[ "$(id -u)" = "0" ] && chown postgres: "$WORKDIR"
chmod 700 "$WORKDIR"

as_owner "$BINDIR/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$WORKDIR/initdb.log" 2>&1 ||
  { cat "$WORKDIR/initdb.log" >&2; die "initdb failed"; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}

# pg_stat_statements (when the server has it and KILN_PG_STAT_STATEMENTS=on) lets the scale-out bench
# count the statements per transition. Off by default: its counters take a lock per statement shared
# by all backends, and the test suite's server should be the server Kiln runs on.
PRELOAD=""
[ "${KILN_PG_STAT_STATEMENTS:-off}" = on ] && [ -f "$("$BINDIR/pg_config" --pkglibdir 2>/dev/null || echo "$BINDIR/../lib")/pg_stat_statements.so" ] && PRELOAD="-c shared_preload_libraries=pg_stat_statements"

# A port picked as free can be taken before the server binds it, so try a few.
PORT=""
for attempt in 1 2 3 4 5; do
  candidate="$(free_port)"
  # fsync and friends are off: the cluster is thrown away, and tests should not wait on the disk.
  if as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -k $WORKDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 $PRELOAD" \
    >/dev/null 2>&1; then
    PORT="$candidate"
    STARTED=1
    break
  fi
  say "start on port $candidate failed (attempt $attempt)"
done
if [ -z "$PORT" ]; then
  cat "$LOG" >&2 2>/dev/null || true
  die "could not start PostgreSQL (log above)"
fi

"$BINDIR/pg_isready" -h 127.0.0.1 -p "$PORT" -t 30 >/dev/null || { cat "$LOG" >&2; die "PostgreSQL did not become ready"; }

export KILN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
say "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
throwaway_run "$@"
