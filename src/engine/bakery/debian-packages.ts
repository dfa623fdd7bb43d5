/** Where installed package lists are recorded in the image (read by the packages check and by people). */
export const PACKAGES_FILE = '/etc/kiln/packages.list';

/** Exit codes of the install script, so the bakery can say why without parsing text. */
export const NOT_DEBIAN_EXIT = 64;
export const NOT_ROOT_EXIT = 65;

/**
 * A /bin/sh script (run on the host with IMAGE_ROOT set, by the in-process packages provisioner and
 * by Packer's shell-local alike) that installs Debian packages into the image root: `apt-get install`
 * inside a chroot, with /dev and /proc bound in a private mount namespace (gone when it exits, so
 * nothing stays mounted), services kept from starting by policy-rc.d, the host's resolv.conf lent
 * for the download, and apt's lists and cache removed afterwards. A root that is not a Debian system
 * fails with a sentence saying so. Then the list is merged into PACKAGES_FILE for the image test.
 * Package names are validated Debian names (a-z0-9+.-), so they need no quoting.
 */
export function aptInstallScript(packages: readonly string[]): string {
  const list = packages.join(' ');
  return `root="$IMAGE_ROOT"
if [ ! -f "$root/etc/debian_version" ] || [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "the image root is not a Debian system (no /etc/debian_version and /usr/bin/apt-get), so apt cannot install ${list}: start from a Debian base (base: {type: debian, suite: bookworm}) or an image baked from one" >&2
  exit ${NOT_DEBIAN_EXIT}
fi
if [ "$(id -u)" != 0 ]; then
  echo "installing ${list} needs root (apt-get in a chroot with /dev and /proc mounted); run the bake as root" >&2
  exit ${NOT_ROOT_EXIT}
fi
cleanup() {
  rm -f "$root/usr/sbin/policy-rc.d"
  if [ -e "$root/etc/resolv.conf.kiln-saved" ] || [ -L "$root/etc/resolv.conf.kiln-saved" ]; then rm -f "$root/etc/resolv.conf"; mv "$root/etc/resolv.conf.kiln-saved" "$root/etc/resolv.conf"; fi
}
trap cleanup EXIT
printf '#!/bin/sh\\nexit 101\\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
if [ -e /etc/resolv.conf ]; then
  if [ -e "$root/etc/resolv.conf" ] || [ -L "$root/etc/resolv.conf" ]; then mv "$root/etc/resolv.conf" "$root/etc/resolv.conf.kiln-saved"; fi
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
fi
unshare --mount --fork /bin/sh -e -c 'mount --rbind /dev "$0/dev"; mount -t proc proc "$0/proc"; exec chroot "$0" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/sh -e -c "apt-get update -q -o Acquire::Languages=none && apt-get install -y -q --no-install-recommends \\"\\$@\\" && apt-get clean && rm -rf /var/lib/apt/lists/*" apt "$@"' "$root" ${list}
mkdir -p "$root${PACKAGES_FILE.replace(/\/[^/]+$/, '')}"
{ cat "$root${PACKAGES_FILE}" 2>/dev/null || true; printf '%s\\n' ${list}; } | sort -u > "$root${PACKAGES_FILE}.new"
mv "$root${PACKAGES_FILE}.new" "$root${PACKAGES_FILE}"
`;
}
