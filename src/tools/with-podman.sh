#!/usr/bin/env bash
# with-podman.sh COMMAND...: runs COMMAND with KILN_TEST_DOCKER_HOST pointing at a real Docker Engine
# API (Podman's service), so the container provider's tests run against a real engine. With
# KILN_TEST_DOCKER_HOST already set it just runs COMMAND. Otherwise it starts `podman system service`
# on a private socket with private storage under a temp dir (nothing of the machine's own Podman is
# touched, /etc included) and always stops it and removes the storage afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/throwaway.sh"
throwaway_begin with-podman KILN_TEST_DOCKER_HOST "$@"

bash "$(dirname "$0")/ensure-podman.sh" || die "Podman is missing and could not be installed"

PID=""
cleanup() {
  if [ -n "$PID" ]; then
    # Containers first (they hold mounts under our storage), then the service.
    podman "${PODMAN_ARGS[@]}" rm --all --force --time 0 >/dev/null 2>&1 || true
    throwaway_stop "$PID"
    podman "${PODMAN_ARGS[@]}" system reset --force >/dev/null 2>&1 || true
  fi
  throwaway_unmount
  rm -rf "$WORKDIR"
}
throwaway_workdir kiln-podman
SOCKET="$WORKDIR/podman.sock"

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
throwaway_wait "$PID" "$WORKDIR/service.log" 100 "podman system service on $SOCKET" docker_api_answers "$SOCKET"

export KILN_TEST_DOCKER_HOST="unix://$SOCKET"
export KILN_TEST_DOCKER_ENGINE=podman # engine-flavour.test checks the provider finds the same
say "Podman $(podman --version | awk '{print $3}') on $KILN_TEST_DOCKER_HOST"
throwaway_run "$@"
