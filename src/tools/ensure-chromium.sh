#!/usr/bin/env bash
# Playwright drives Debian's Chromium: browser downloads are impossible on this network.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "[kiln] /usr/bin/chromium is missing; installing Debian's chromium…"
kiln_need_root "need root (or sudo) to apt-get install chromium"
kiln_apt_install chromium fonts-dejavu-core
/usr/bin/chromium --version
