#!/usr/bin/env bash
# The container provider's tests (and a demo "containers" account) need a Docker Engine API; Kiln uses
# Podman's, started by with-podman.sh. This installs Debian's podman and the pieces it needs here
# (runc: crun refuses this machine's hybrid cgroups; slirp4netns: the network through which
# containers reach Kiln's metadata service on the host's loopback) when any is missing.
# `--warn` only warns when it cannot install them.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
warn_only=false
[ "${1:-}" = "--warn" ] && warn_only=true
fail() {
  echo "kiln: $*" >&2
  $warn_only && exit 0
  exit 1
}
missing=()
for tool in podman runc skopeo slirp4netns newuidmap; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || fail "the container provider needs ${missing[*]}: run 'apt-get install podman runc skopeo slirp4netns uidmap' as root"
  SUDO="sudo"
fi
echo "[kiln] the container provider needs ${missing[*]}; installing Debian's podman runc skopeo slirp4netns uidmap"
{ $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq &&
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends podman runc skopeo slirp4netns uidmap >/dev/null; } ||
  fail "could not install podman runc skopeo slirp4netns uidmap"
