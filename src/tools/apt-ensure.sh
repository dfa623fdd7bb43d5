# shellcheck shell=bash
# Sourced by the ensure-*.sh scripts, which install Debian's package when a tool that tests or a
# provider need is missing. One place for root or sudo, for waiting on another apt run's lock
# (chromium, PostgreSQL) rather than failing, and for what `--warn` means: npm start must not fail
# for a missing optional tool, so it only warns.
PATH="$PATH:/usr/sbin:/sbin"
warn_only=false
if [ "${1:-}" = "--warn" ]; then warn_only=true; fi

kiln_fail() {
  echo "kiln: $*" >&2
  $warn_only && exit 0
  exit 1
}

# Prints which of the tools named are not on PATH, space-separated; nothing when all are.
kiln_missing() {
  local tool missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  echo "${missing[*]}"
}

# Sets SUDO for kiln_apt_install: empty as root, else sudo; without sudo fails saying "$1".
kiln_need_root() {
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null || kiln_fail "$1"
    SUDO="sudo"
  fi
}

# apt-get update, then apt-get install -y with these arguments (packages, flags); its status is the first failure's.
kiln_apt_install() {
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}
