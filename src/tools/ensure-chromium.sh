#!/usr/bin/env bash
# Playwright drives Debian's Chromium: browser downloads are impossible on this network.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "[kiln] /usr/bin/chromium is missing; installing Debian's chromium…"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "kiln: need root (or sudo) to apt-get install chromium" >&2; exit 1; }
  SUDO="sudo"
fi
# Another apt run (e.g. the PostgreSQL install) may hold the lock: wait for it rather than fail.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
