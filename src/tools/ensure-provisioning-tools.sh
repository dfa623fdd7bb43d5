#!/usr/bin/env bash
# The provisioning tests check every Ignition and cloud-config document with the real validators
# (Debian's ignition-validate 2.14 accepts spec 3.3.0; cloud-init 22.4 ships `cloud-init schema`).
# They fail, not skip, when a validator is missing, so CI runs this first.
#
# Safe on a machine without systemd as PID 1: cloud-init's postinst only runs `systemctl daemon-reload`
# when /run/systemd/system exists, and update-rc.d merely adds rc.d links; nothing is started,
# and cloud-init itself only acts at boot.
set -euo pipefail
if command -v ignition-validate >/dev/null && command -v cloud-init >/dev/null; then exit 0; fi
echo "[kiln] ignition-validate or cloud-init is missing; installing Debian's ignition and cloud-init…"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "kiln: need root (or sudo) to apt-get install ignition cloud-init" >&2; exit 1; }
  SUDO="sudo"
fi
# Another apt run (chromium, PostgreSQL) may hold the lock: wait for it rather than fail.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
  ignition cloud-init >/dev/null
ignition-validate --version
cloud-init --version
