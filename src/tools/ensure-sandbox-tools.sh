#!/usr/bin/env bash
# Jobs and the bakery's shell steps run in a bubblewrap sandbox (src/engine/jobs/sandbox.ts) as the
# unprivileged system account `kiln-job` when Kiln runs as root. This installs Debian's bubblewrap
# and creates that account when missing. `--warn` (npm start) only warns when it cannot: Kiln then
# refuses jobs with a message saying why, rather than failing to start.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
warn_only=false
[ "${1:-}" = "--warn" ] && warn_only=true
[ "${KILN_JOB_SANDBOX:-on}" = "off" ] && exit 0
fail() {
  echo "kiln: $*" >&2
  $warn_only && exit 0
  exit 1
}
SUDO=""
if [ "$(id -u)" != "0" ]; then
  # Not root: jobs run as this user, inside the sandbox; only bwrap itself is needed.
  command -v bwrap >/dev/null && exit 0
  command -v sudo >/dev/null || fail "jobs need bubblewrap: run 'apt-get install bubblewrap' as root"
  SUDO="sudo"
fi
if ! command -v bwrap >/dev/null; then
  echo "[kiln] the job sandbox needs bubblewrap; installing Debian's bubblewrap"
  { $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends bubblewrap >/dev/null; } ||
    fail "could not install bubblewrap; jobs will be refused until it is installed (or KILN_JOB_SANDBOX=off)"
fi
if [ "$(id -u)" = "0" ] && ! getent passwd kiln-job >/dev/null; then
  echo "[kiln] creating the system account kiln-job that jobs run as"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kiln-job ||
    fail "could not create the account kiln-job; jobs will run as nobody"
fi
