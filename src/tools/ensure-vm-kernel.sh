#!/usr/bin/env bash
# The VM provider's tests boot a tiny image on Debian's cloud kernel (linux-image-cloud-amd64: NVMe
# and ext4 built in, virtio-net a module) with busybox-static as its whole userland. This fetches
# both with `apt-get download` (no root: nothing is installed) and unpacks them into DIR:
#   DIR/kernel/boot/vmlinuz-*  DIR/kernel/lib/modules/*  DIR/busybox/bin/busybox
# Idempotent: a DIR that has both is left as it is. Prints DIR.
set -euo pipefail
dir="${1:?usage: ensure-vm-kernel.sh DIR}"
if compgen -G "$dir/kernel/boot/vmlinuz-*" >/dev/null && [ -x "$dir/busybox/bin/busybox" ]; then
  echo "$dir"
  exit 0
fi
mkdir -p "$dir"
work="$(mktemp -d "$dir/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
# The metapackage names the versioned kernel package; that one holds the files.
kernel_pkg="$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)"
[ -n "$kernel_pkg" ] || { echo "kiln: apt knows no linux-image-cloud-amd64 (run apt-get update)" >&2; exit 1; }
apt-get download -q "$kernel_pkg" busybox-static >/dev/null 2>&1 || { echo "kiln: apt-get download $kernel_pkg busybox-static failed" >&2; exit 1; }
mkdir -p kernel busybox
dpkg-deb -x linux-image-*.deb kernel
dpkg-deb -x busybox-static_*.deb busybox
rm -rf "$dir/kernel" "$dir/busybox"
mv kernel busybox "$dir/"
echo "$dir"
