#!/usr/bin/env bash
# The VM provider and the bakery's boot check run real VMs under QEMU (TCG here: this machine's
# /dev/kvm is a kvm-pvm host on which stock Debian kernels abort). This installs Debian's
# qemu-system-x86 and qemu-utils (qemu-img, for the per-instance qcow2 overlays) when missing.
# `--warn` only warns when it cannot install them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
missing=$(kiln_missing qemu-system-x86_64 qemu-img)
[ -z "$missing" ] && exit 0
kiln_need_root "the VM provider needs $missing: run 'apt-get install qemu-system-x86 qemu-utils' as root"
echo "[kiln] the VM provider needs $missing; installing Debian's qemu-system-x86 qemu-utils"
kiln_apt_install --no-install-recommends qemu-system-x86 qemu-utils || kiln_fail "could not install qemu-system-x86 qemu-utils"
