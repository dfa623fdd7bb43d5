#!/usr/bin/env bash
# with-dockerd.sh COMMAND...: runs COMMAND with KILN_TEST_DOCKER_HOST pointing at a real Docker
# Engine (Debian's docker.io, 20.10), so the container provider is tested against Docker as well as
# Podman. It installs docker.io when missing, starts a throwaway dockerd on a private socket, data
# root and bridge (nothing of the machine's own Docker is touched), and always stops it and removes
# all of it afterwards.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
source "$(dirname "${BASH_SOURCE[0]}")/lib/throwaway.sh"
throwaway_begin with-dockerd - "$@"

if ! command -v dockerd >/dev/null; then
  source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
  kiln_need_root "the container tests against Docker need dockerd: run 'apt-get install docker.io' as root"
  say "installing Debian's docker.io (Docker Engine 20.10)"
  kiln_apt_install --no-install-recommends docker.io || die "could not install docker.io"
fi
[ "$(id -u)" = 0 ] || die "dockerd needs root here (it makes a bridge and mounts)"

# A bridge of our own (a short name: at most 15 characters), on a /24 picked from the pid so two
# runs side by side do not collide, and so the machine's docker0 is never touched.
BRIDGE="kilnd$$"
BRIDGE="${BRIDGE:0:15}"
SUBNET="172.31.$(($$ % 250 + 1))"
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    DOCKER_HOST="unix://$SOCKET" docker rm --force $(DOCKER_HOST="unix://$SOCKET" docker ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    throwaway_stop "$PID"
  fi
  throwaway_unmount
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "$WORKDIR"
}
throwaway_workdir kiln-dockerd
SOCKET="$WORKDIR/docker.sock"

ip link add name "$BRIDGE" type bridge
ip addr add "$SUBNET.1/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
# No iptables here (the sandbox has none to spare): published ports go through Docker's userland
# proxy, which is how Kiln's balancer reaches containers on 127.0.0.1 anyway. vfs storage: overlay
# inside this kind of sandbox is not reliable, and the test images are small.
dockerd --data-root "$WORKDIR/root" --exec-root "$WORKDIR/exec" --pidfile "$WORKDIR/dockerd.pid" \
  -H "unix://$SOCKET" --bridge "$BRIDGE" --iptables=false --ip6tables=false --ip-masq=false \
  --storage-driver vfs --containerd-namespace "kiln-test-$$" --containerd-plugins-namespace "kiln-test-$$-plugins" \
  >"$WORKDIR/dockerd.log" 2>&1 &
PID=$!
throwaway_wait "$PID" "$WORKDIR/dockerd.log" 200 "dockerd on $SOCKET" docker_api_answers "$SOCKET"

export KILN_TEST_DOCKER_HOST="unix://$SOCKET"
export KILN_TEST_DOCKER_ENGINE=docker # engine-flavour.test checks the provider finds the same
say "Docker $(curl -fsS --unix-socket "$SOCKET" http://d/version | sed -n 's/.*"Version":"\([^"]*\)".*"ApiVersion".*/\1/p' | head -1) on $KILN_TEST_DOCKER_HOST"
throwaway_run "$@"
