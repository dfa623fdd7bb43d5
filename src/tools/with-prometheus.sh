#!/usr/bin/env bash
# with-prometheus.sh COMMAND...: runs COMMAND with a throwaway Prometheus (Debian's package) on
# 127.0.0.1 that scrapes every second whatever targets the tests list as file_sd JSON files in
# KILN_TEST_PROMETHEUS_TARGETS (a directory; Prometheus picks a new file up within a second or so).
# Exports KILN_TEST_PROMETHEUS_URL and KILN_TEST_PROMETHEUS_TARGETS. With KILN_TEST_PROMETHEUS_URL
# already set it just runs COMMAND. Its data and config live in a temp dir, removed afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/throwaway.sh"
throwaway_begin with-prometheus KILN_TEST_PROMETHEUS_URL "$@"

bash "$(dirname "$0")/ensure-prometheus.sh" || die "prometheus is missing and could not be installed"
PATH="$PATH:/usr/sbin:/sbin"

PID=""
cleanup() {
  if [ -n "$PID" ]; then throwaway_stop "$PID"; fi
  rm -rf "$WORKDIR"
}
throwaway_workdir kiln-prometheus

# A free port from the kernel; a race with another process taking it first shows as a start failure below.
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
mkdir -p "$WORKDIR/targets" "$WORKDIR/data"
# honor_labels: the test's targets label their series with the pod labels Kubernetes discovery would add.
cat >"$WORKDIR/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: kiln-test
    honor_labels: true
    file_sd_configs:
      - files: ['$WORKDIR/targets/*.json']
        refresh_interval: 1s
CONF

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/-/ready" || true)" = "200" ]; }
prometheus --config.file="$WORKDIR/prometheus.yml" --storage.tsdb.path="$WORKDIR/data" \
  --web.listen-address="127.0.0.1:$PORT" --log.level=warn >"$WORKDIR/prometheus.log" 2>&1 &
PID=$!
throwaway_wait "$PID" "$WORKDIR/prometheus.log" 300 "prometheus on 127.0.0.1:$PORT" ready

export KILN_TEST_PROMETHEUS_URL="http://127.0.0.1:$PORT"
export KILN_TEST_PROMETHEUS_TARGETS="$WORKDIR/targets"
say "prometheus $(prometheus --version 2>&1 | awk 'NR==1{print $3}') on $KILN_TEST_PROMETHEUS_URL"
throwaway_run "$@"
