#!/usr/bin/env bash
# The bakery's integration tests build real disk images (mke2fs -d, sfdisk, dd, e2fsck, resize2fs,
# debugfs), compress with zstd and gzip, run a real `packer build` (Debian's packer 1.6.6) and
# bootstrap Debian with mmdebstrap. They fail, not skip, when a tool is missing, so CI installs
# Debian's packages first. Only the packages provisioner needs root at run time (apt-get in a
# chroot with /dev and /proc mounted in a private namespace); disk images need no mount or loop device.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
need=()
for tool in mke2fs:e2fsprogs e2fsck:e2fsprogs resize2fs:e2fsprogs debugfs:e2fsprogs setfattr:attr dumpe2fs:e2fsprogs sfdisk:fdisk zstd:zstd gzip:gzip tar:tar packer:packer mmdebstrap:mmdebstrap unshare:util-linux chroot:coreutils; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
done
[ ${#need[@]} -eq 0 ] && exit 0
packages=$(printf '%s\n' "${need[@]}" | sort -u | tr '\n' ' ')
echo "[kiln] bake tools missing; installing Debian packages: $packages"
kiln_need_root "need root (or sudo) to apt-get install $packages"
# shellcheck disable=SC2086
kiln_apt_install --no-install-recommends $packages
