#!/usr/bin/env bash
# with-dockerd.sh COMMAND...: runs COMMAND with KILN_TEST_DOCKER_HOST pointing at a real Docker
# Engine (Debian's docker.io, 20.10), so the container provider is tested against Docker as well as
# Podman. It installs docker.io when missing, starts a throwaway dockerd on a private socket, data
# root and bridge (nothing of the machine's own Docker is touched), and always stops it and removes
# all of it afterwards. It fails (non-zero) when dockerd cannot be started: a silent skip looks green.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"

if [ "$#" -eq 0 ]; then
  echo "usage: with-dockerd.sh COMMAND [ARGS...]" >&2
  exit 2
fi
say() { printf '[with-dockerd] %s\n' "$*" >&2; }
die() { printf 'with-dockerd: %s\n' "$*" >&2; exit 1; }

if ! command -v dockerd >/dev/null; then
  source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
  kiln_need_root "the container tests against Docker need dockerd: run 'apt-get install docker.io' as root"
  say "installing Debian's docker.io (Docker Engine 20.10)"
  kiln_apt_install --no-install-recommends docker.io || die "could not install docker.io"
fi
[ "$(id -u)" = 0 ] || die "dockerd needs root here (it makes a bridge and mounts)"

WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/kiln-dockerd.XXXXXX")"
SOCKET="$WORKDIR/docker.sock"
# A bridge of our own (a short name: at most 15 characters), on a /24 picked from the pid so two
# runs side by side do not collide, and so the machine's docker0 is never touched.
BRIDGE="kilnd$$"
BRIDGE="${BRIDGE:0:15}"
SUBNET="172.31.$(($$ % 250 + 1))"
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    DOCKER_HOST="unix://$SOCKET" docker rm --force $(DOCKER_HOST="unix://$SOCKET" docker ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$PID" 2>/dev/null || true
  fi
  grep -o " $WORKDIR/[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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
for _ in $(seq 1 200); do
  [ -S "$SOCKET" ] && curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORKDIR/dockerd.log" >&2; die "dockerd exited (log above)"; }
  sleep 0.1
done
curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 || { tail -20 "$WORKDIR/dockerd.log" >&2; die "dockerd did not answer on $SOCKET"; }

export KILN_TEST_DOCKER_HOST="unix://$SOCKET"
export KILN_TEST_DOCKER_ENGINE=docker  # engine-flavour.test checks the provider finds the same
say "Docker $(curl -fsS --unix-socket "$SOCKET" http://d/version | sed -n 's/.*"Version":"\([^"]*\)".*"ApiVersion".*/\1/p' | head -1) on $KILN_TEST_DOCKER_HOST"

set +e
"$@"
status=$?
set -e
exit "$status"
