#!/usr/bin/env bash
# The VM provider and the bakery's boot check run real VMs under QEMU (TCG here: this machine's
# /dev/kvm is a kvm-pvm host on which stock Debian kernels abort). This installs Debian's
# qemu-system-x86 and qemu-utils (qemu-img, for the per-instance qcow2 overlays) when missing.
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
for tool in qemu-system-x86_64 qemu-img; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || fail "the VM provider needs ${missing[*]}: run 'apt-get install qemu-system-x86 qemu-utils' as root"
  SUDO="sudo"
fi
echo "[kiln] the VM provider needs ${missing[*]}; installing Debian's qemu-system-x86 qemu-utils"
{ $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq &&
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends qemu-system-x86 qemu-utils >/dev/null; } ||
  fail "could not install qemu-system-x86 qemu-utils"
