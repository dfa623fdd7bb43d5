#!/usr/bin/env bash
# Jobs and the bakery's shell steps run in a bubblewrap sandbox (src/engine/jobs/sandbox.ts) as the
# unprivileged system account `kiln-job` when Kiln runs as root. This installs Debian's bubblewrap
# and creates that account when missing. `--warn` (npm start) only warns when it cannot: Kiln then
# refuses jobs with a message saying why, rather than failing to start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
[ "${KILN_JOB_SANDBOX:-on}" = "off" ] && exit 0
# Not root: jobs run as this user, inside the sandbox; only bwrap itself is needed.
if [ "$(id -u)" != "0" ] && command -v bwrap >/dev/null; then exit 0; fi
kiln_need_root "jobs need bubblewrap: run 'apt-get install bubblewrap' as root"
if ! command -v bwrap >/dev/null; then
  echo "[kiln] the job sandbox needs bubblewrap; installing Debian's bubblewrap"
  kiln_apt_install --no-install-recommends bubblewrap ||
    kiln_fail "could not install bubblewrap; jobs will be refused until it is installed (or KILN_JOB_SANDBOX=off)"
fi
if [ "$(id -u)" = "0" ] && ! getent passwd kiln-job >/dev/null; then
  echo "[kiln] creating the system account kiln-job that jobs run as"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kiln-job ||
    kiln_fail "could not create the account kiln-job; jobs will run as nobody"
fi
