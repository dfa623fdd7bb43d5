#!/usr/bin/env bash
# The VM provider and the bakery's boot check run real VMs under QEMU (TCG here: this machine's
# /dev/kvm is a kvm-pvm host on which stock Debian kernels abort). This installs Debian's
# qemu-system-x86 and qemu-utils (qemu-img, for the per-instance qcow2 overlays) when missing, and
# socat: QEMU runs one relay per guest connection to the metadata service, and socat costs ~2 MB
# and milliseconds where the Node fallback costs ~40 MB and up to seconds on a loaded host.
# `--warn` only warns when it cannot install them; a missing socat only warns (Node relays instead).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
missing=$(kiln_missing qemu-system-x86_64 qemu-img)
if [ -n "$missing" ]; then
  kiln_need_root "the VM provider needs $missing: run 'apt-get install qemu-system-x86 qemu-utils socat' as root"
  echo "[kiln] the VM provider needs $missing; installing Debian's qemu-system-x86 qemu-utils socat"
  kiln_apt_install --no-install-recommends qemu-system-x86 qemu-utils socat || kiln_fail "could not install qemu-system-x86 qemu-utils"
fi
[ -z "$(kiln_missing socat)" ] && exit 0
warn_only=true
kiln_need_root "socat is missing: each guest metadata connection will start a Node process; 'apt-get install socat' as root makes it cheap"
echo "[kiln] installing Debian's socat (the VMs' metadata relay)"
kiln_apt_install --no-install-recommends socat || kiln_fail "could not install socat: each guest metadata connection will start a Node process"
