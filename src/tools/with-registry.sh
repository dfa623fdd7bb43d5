#!/usr/bin/env bash
# with-registry.sh COMMAND...: runs COMMAND with a throwaway OCI registry (Debian's docker-registry,
# the CNCF distribution server) on 127.0.0.1 with htpasswd auth, so the push tests talk to a real
# registry. Exports KILN_TEST_REGISTRY (host:port), KILN_TEST_REGISTRY_USER and
# KILN_TEST_REGISTRY_PASSWORD (random each run). With KILN_TEST_REGISTRY already set it just runs
# COMMAND. Storage and config live in a temp dir, removed with the server afterwards.
# It fails (non-zero) when the registry cannot be started: a silently skipped run would look green.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: with-registry.sh COMMAND [ARGS...]" >&2
  exit 2
fi
if [ -n "${KILN_TEST_REGISTRY:-}" ]; then
  exec "$@"
fi

say() { printf '[with-registry] %s\n' "$*" >&2; }
die() { printf 'with-registry: %s\n' "$*" >&2; exit 1; }

bash "$(dirname "$0")/ensure-registry.sh" || die "docker-registry is missing and could not be installed"

WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/kiln-registry.XXXXXX")"
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

USER_NAME="kiln-test"
PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
htpasswd -Bbn "$USER_NAME" "$PASSWORD" >"$WORKDIR/htpasswd" 2>/dev/null || die "htpasswd failed"
# A free port from the kernel; a race with another process taking it first shows as a start failure below.
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
mkdir -p "$WORKDIR/storage"
cat >"$WORKDIR/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORKDIR/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$PORT
  secret: $(head -c 24 /dev/urandom | base64 | tr -d '/+=')
auth:
  htpasswd:
    realm: kiln-test-registry
    path: $WORKDIR/htpasswd
CONF

docker-registry serve "$WORKDIR/config.yml" >"$WORKDIR/registry.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  # 401 means it is up and asking for credentials, as configured.
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" || true)
  [ "$code" = "401" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORKDIR/registry.log" >&2; die "docker-registry exited (log above)"; }
  sleep 0.1
done
[ "$code" = "401" ] || { cat "$WORKDIR/registry.log" >&2; die "docker-registry did not answer on 127.0.0.1:$PORT"; }

export KILN_TEST_REGISTRY="127.0.0.1:$PORT"
export KILN_TEST_REGISTRY_USER="$USER_NAME"
export KILN_TEST_REGISTRY_PASSWORD="$PASSWORD"
say "docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}') on $KILN_TEST_REGISTRY"

set +e
"$@"
status=$?
set -e
exit "$status"
