#!/usr/bin/env bash
# with-podman.sh COMMAND...: runs COMMAND with KILN_TEST_DOCKER_HOST pointing at a real Docker Engine
# API (Podman's service), so the container provider's tests run against a real engine. With
# KILN_TEST_DOCKER_HOST already set it just runs COMMAND. Otherwise it starts `podman system service`
# on a private socket with private storage under a temp dir (nothing of the machine's own Podman is
# touched, /etc included) and always stops it and removes the storage afterwards.
# It fails (non-zero) when Podman cannot be started: a silently skipped run would look green.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: with-podman.sh COMMAND [ARGS...]" >&2
  exit 2
fi
if [ -n "${KILN_TEST_DOCKER_HOST:-}" ]; then
  exec "$@"
fi

say() { printf '[with-podman] %s\n' "$*" >&2; }
die() { printf 'with-podman: %s\n' "$*" >&2; exit 1; }

bash "$(dirname "$0")/ensure-podman.sh" || die "Podman is missing and could not be installed"

WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/kiln-podman.XXXXXX")"
SOCKET="$WORKDIR/podman.sock"
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    # Containers first (they hold mounts under our storage), then the service.
    podman "${PODMAN_ARGS[@]}" rm --all --force --time 0 >/dev/null 2>&1 || true
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    podman "${PODMAN_ARGS[@]}" system reset --force >/dev/null 2>&1 || true
  fi
  # overlay mounts left by a killed container would make rm fail
  grep -o " $WORKDIR/[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Podman's defaults fail in this kind of sandbox: crun refuses hybrid cgroups, and without
# CAP_SYS_RESOURCE the default rlimits cannot be raised. Our own containers.conf fixes both.
cat >"$WORKDIR/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$WORKDIR/containers.conf"
mkdir -p "$WORKDIR/root" "$WORKDIR/runroot" "$WORKDIR/tmp"
PODMAN_ARGS=(--root "$WORKDIR/root" --runroot "$WORKDIR/runroot" --tmpdir "$WORKDIR/tmp")

podman "${PODMAN_ARGS[@]}" system service --time=0 "unix://$SOCKET" >"$WORKDIR/service.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  [ -S "$SOCKET" ] && curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORKDIR/service.log" >&2; die "podman system service exited (log above)"; }
  sleep 0.1
done
curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 || { cat "$WORKDIR/service.log" >&2; die "podman system service did not answer on $SOCKET"; }

export KILN_TEST_DOCKER_HOST="unix://$SOCKET"
export KILN_TEST_DOCKER_ENGINE=podman  # engine-flavour.test checks the provider finds the same
say "Podman $(podman --version | awk '{print $3}') on $KILN_TEST_DOCKER_HOST"

set +e
"$@"
status=$?
set -e
exit "$status"
