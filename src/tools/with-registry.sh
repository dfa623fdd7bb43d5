#!/usr/bin/env bash
# with-registry.sh COMMAND...: runs COMMAND with a throwaway OCI registry (Debian's docker-registry,
# the CNCF distribution server) on 127.0.0.1 with htpasswd auth, so the push tests talk to a real
# registry. Exports KILN_TEST_REGISTRY (host:port), KILN_TEST_REGISTRY_USER and
# KILN_TEST_REGISTRY_PASSWORD (random each run). With KILN_TEST_REGISTRY already set it just runs
# COMMAND. Storage and config live in a temp dir, removed with the server afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/throwaway.sh"
throwaway_begin with-registry KILN_TEST_REGISTRY "$@"

bash "$(dirname "$0")/ensure-registry.sh" || die "docker-registry is missing and could not be installed"

PID=""
cleanup() {
  if [ -n "$PID" ]; then throwaway_stop "$PID"; fi
  rm -rf "$WORKDIR"
}
throwaway_workdir kiln-registry

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

# 401: it is up and asking for credentials, as configured.
asks_for_credentials() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" || true)" = "401" ]; }
docker-registry serve "$WORKDIR/config.yml" >"$WORKDIR/registry.log" 2>&1 &
PID=$!
throwaway_wait "$PID" "$WORKDIR/registry.log" 100 "docker-registry on 127.0.0.1:$PORT" asks_for_credentials

export KILN_TEST_REGISTRY="127.0.0.1:$PORT"
export KILN_TEST_REGISTRY_USER="$USER_NAME"
export KILN_TEST_REGISTRY_PASSWORD="$PASSWORD"
say "docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}') on $KILN_TEST_REGISTRY"
throwaway_run "$@"
