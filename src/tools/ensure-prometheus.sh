#!/usr/bin/env bash
# The Kubernetes canary tests judge canaries by a real Prometheus (Debian's `prometheus` package,
# 2.42 on bookworm) scraping counters the test serves. Installs it when missing, without the
# package's recommended node exporter. `--warn` only warns when it cannot install it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
missing=$(kiln_missing prometheus)
[ -z "$missing" ] && exit 0
kiln_need_root "the canary analysis tests need prometheus: run 'apt-get install --no-install-recommends prometheus' as root"
echo "[kiln] the canary analysis tests need prometheus; installing Debian's prometheus"
kiln_apt_install --no-install-recommends prometheus || kiln_fail "could not install prometheus"
