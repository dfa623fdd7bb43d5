#!/usr/bin/env bash
# The container provider's tests (and a demo "containers" account) need a Docker Engine API; Kiln uses
# Podman's, started by with-podman.sh. This installs Debian's podman and the pieces it needs here
# (runc: crun refuses this machine's hybrid cgroups; slirp4netns: the network through which
# containers reach Kiln's metadata service on the host's loopback; catatonit: the init of the pause
# container that `podman play kube` builds for every pod — podman only recommends it, so
# --no-install-recommends leaves it out) when any is missing.
# `--warn` only warns when it cannot install them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
missing=$(kiln_missing podman runc skopeo slirp4netns newuidmap catatonit)
[ -z "$missing" ] && exit 0
kiln_need_root "the container provider needs $missing: run 'apt-get install podman runc skopeo slirp4netns uidmap catatonit' as root"
echo "[kiln] the container provider needs $missing; installing Debian's podman runc skopeo slirp4netns uidmap catatonit"
kiln_apt_install --no-install-recommends podman runc skopeo slirp4netns uidmap catatonit || kiln_fail "could not install podman runc skopeo slirp4netns uidmap catatonit"
