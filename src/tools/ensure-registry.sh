#!/usr/bin/env bash
# The registry push tests need a real OCI distribution server: Debian's docker-registry (the CNCF
# distribution registry) and htpasswd (apache2-utils) for its bcrypt password file. Installs both
# when either is missing. `--warn` only warns when it cannot install them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
missing=$(kiln_missing docker-registry htpasswd)
[ -z "$missing" ] && exit 0
kiln_need_root "the registry tests need $missing: run 'apt-get install docker-registry apache2-utils' as root"
echo "[kiln] the registry tests need $missing; installing Debian's docker-registry apache2-utils"
kiln_apt_install --no-install-recommends docker-registry apache2-utils || kiln_fail "could not install docker-registry apache2-utils"
