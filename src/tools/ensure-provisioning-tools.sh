#!/usr/bin/env bash
# The provisioning tests check every Ignition and cloud-config document with the real validators
# (Debian's ignition-validate 2.14 accepts spec 3.3.0; cloud-init 22.4 ships `cloud-init schema`).
# They fail, not skip, when a validator is missing, so CI runs this first.
#
# Safe on a machine without systemd as PID 1: cloud-init's postinst only runs `systemctl daemon-reload`
# when /run/systemd/system exists, and update-rc.d merely adds rc.d links; nothing is started,
# and cloud-init itself only acts at boot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-ensure.sh"
[ -z "$(kiln_missing ignition-validate cloud-init)" ] && exit 0
echo "[kiln] ignition-validate or cloud-init is missing; installing Debian's ignition and cloud-init…"
kiln_need_root "need root (or sudo) to apt-get install ignition cloud-init"
kiln_apt_install --no-install-recommends ignition cloud-init
ignition-validate --version
cloud-init --version
