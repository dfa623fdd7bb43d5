#!/usr/bin/env bash
# `npm test`: everything CI checks, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CI="${CI:-}"
REPORTS="$(mktemp -d)"
VM_PID=""
BUILD_PID=""
SERVICES_PID=""
# The journeys' Kiln servers (started beside the PostgreSQL pass): SIGTERM to each process group, and
# the 15 s the Playwright config would give them to stop their local-cloud instances.
stop_journey_servers() {
  [ -s "$REPORTS/kiln-servers.pids" ] || return 0
  local groups group alive
  groups=$(cat "$REPORTS/kiln-servers.pids")
  for group in $groups; do kill -TERM -- "-$group" 2>/dev/null || true; done
  for _ in $(seq 1 75); do
    alive=""
    for group in $groups; do kill -0 -- "-$group" 2>/dev/null && alive=1; done
    [ -n "$alive" ] || break
    sleep 0.2
  done
  for group in $groups; do kill -KILL -- "-$group" 2>/dev/null || true; done
  rm -f "$REPORTS/kiln-servers.pids"
}
# A stopped run takes its background passes down with it (test files stop their own VMs on exit).
# Without errexit: a pass that already ended makes its kill fail, which would end the trap before the
# journeys' servers are stopped (a run that failed early left both serving).
cleanup() {
  set +e
  [ -z "$VM_PID" ] || kill "$VM_PID" 2>/dev/null
  [ -z "$BUILD_PID" ] || kill "$BUILD_PID" 2>/dev/null
  [ -z "$SERVICES_PID" ] || kill "$SERVICES_PID" 2>/dev/null
  stop_journey_servers
  rm -rf "$REPORTS"
}
trap cleanup EXIT
# Each step's wall time goes to steps.tsv; the summary at the end prints them (npm test must stay under 20 min).
# Beside it the machine's busy CPU-seconds in that step: a step that keeps fewer cores busy than the
# machine has waits on something and could overlap with another.
busy_ticks() {
  local _cpu user nice system _idle _iowait irq softirq steal _rest
  read -r _cpu user nice system _idle _iowait irq softirq steal _rest </proc/stat
  echo "$((user + nice + system + irq + softirq + steal))"
}
TICKS_PER_SECOND=$(getconf CLK_TCK)
STEP_NAME=""
step() {
  local now busy
  now=$(date +%s)
  busy=$(busy_ticks)
  [ -z "$STEP_NAME" ] || printf '%s\t%s\t%s\n' "$((now - STEP_START))" "$STEP_NAME" "$(((busy - STEP_BUSY) / TICKS_PER_SECOND))" >>"$REPORTS/steps.tsv"
  STEP_NAME="${*%% (*}"
  STEP_START=$now
  STEP_BUSY=$busy
  [ "$*" = end ] || printf '\n\033[1m== %s\033[0m\n' "$*"
}

step "format (biome; \`npm run format\` fixes it)"
npm run --silent format:check

step "type check (tsc -b)"
npx tsc -b

step "lint (oxlint)"
npx oxlint -c src/tools/oxlintrc.json --deny-warnings src mocks e2e

step "unit, component, BFF and repository tests (PGlite)"
# The provisioning tests run the real ignition-validate and cloud-init schema, and fail without them.
bash src/tools/ensure-provisioning-tools.sh
bash src/tools/ensure-bake-tools.sh  # the bakery builds real disk images (e2fsprogs, fdisk, zstd)
bash src/tools/ensure-sandbox-tools.sh  # jobs and bake shell steps run in bubblewrap as the kiln-job account
# The VM provider and the bakery's VM boot check run real QEMU VMs (TCG) in a pass of their own below;
# the tests fetch Debian's cloud kernel and busybox-static once per machine (ensure-vm-kernel.sh).
bash src/tools/ensure-qemu.sh
# Test files are sorted by what they import (src/tools/test-groups.ts), so a new file lands in the
# right pass by itself: SERVICE_TESTS need the throwaway Podman (a real Docker Engine API), registry
# or Prometheus; NO_DATABASE_TESTS never open a database.
read -r SERVICE_TESTS NO_DATABASE_TESTS < <(npx tsx src/tools/test-groups.ts)
# Empty groups would put the service users in a pass without their services: stop instead.
[ -n "$SERVICE_TESTS" ] && [ -n "$NO_DATABASE_TESTS" ] || { echo "src/tools/test-groups.ts sorted no test files" >&2 && exit 1; }
# Files that mostly wait (on Podman pulling and starting containers, on Prometheus' 1 s scrapes, on the
# simulated Kubernetes API server's pods) run beside the PostgreSQL pass below, which has cores to spare,
# rather than holding one of this pass's two workers: the service users, and the Kubernetes folder.
WAIT_BOUND=$SERVICE_TESTS,src/engine/cloud/kubernetes/**
VM_TESTS=src/engine/cloud/qemu/**,src/engine/bakery/vm-image.test.ts,src/engine/bakery/checks/qemu-boot.test.ts
KILN_TEST_EXCLUDE=src/engine/cloud/balancer-restart.test.ts,$VM_TESTS,$WAIT_BOUND npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-pglite.json"

step "production traffic through a Kiln crash (alone: it measures 500 req/s through a real Kiln's balancer)"
npx vitest run src/engine/cloud/balancer-restart.test.ts --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-balancer-restart.json"

step "repository, BFF and engine tests on a real PostgreSQL, beside the real VMs under QEMU, the wait-bound tests and Docker 20.10"
# The VM tests keep about one core busy (guests booting under TCG), the PostgreSQL pass mostly waits on
# its server; one after the other they took ~9 of npm test's minutes, so they run side by side.
# VMs: one test file at a time, so at most 2 VMs run at once. Their output is printed when they end.
{
  npx vitest run --no-file-parallelism src/engine/cloud/qemu src/engine/bakery/vm-image.test.ts src/engine/bakery/checks/qemu-boot.test.ts \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-vms.json"
} >"$REPORTS/vms.log" 2>&1 &
VM_PID=$!
# The dashboard build and bundle check too: ~5 CPU-seconds, but tens of seconds of wall time on a
# loaded machine, and no test of these passes reads dist/ (the tests that start Kiln set
# KILN_DASHBOARD=off). Then the journeys' Kiln servers start on that build, so their first start and
# the demo's first release (~40 s) are over when the journeys begin. Printed after both passes.
{
  npx vite build --logLevel warn && npx tsx src/tools/bench-bundle.ts --check && npx tsx e2e/start-kiln-servers.ts "$REPORTS"
} >"$REPORTS/build.log" 2>&1 &
BUILD_PID=$!
# The wait-bound files, then the container provider again against Docker Engine 20.10 (Debian's
# docker.io, a throwaway dockerd: the run beside it used Podman; the two engines differ in image
# loading and networking). One after the other: both publish containers on the container harness's
# host ports. The container tests run against a real Docker Engine API: a throwaway Podman service
# (installed when missing, started on a private socket and storage, stopped and removed afterwards);
# the registry push tests push to a real registry (Debian's docker-registry, started the same way);
# Kubernetes canaries are judged by a real Prometheus (Debian's package), also started the same way.
{
  set +e
  KILN_TEST_EXCLUDE=src/engine/cloud/balancer-restart.test.ts,$VM_TESTS bash src/tools/with-registry.sh bash src/tools/with-podman.sh bash src/tools/with-prometheus.sh \
    npx vitest run ${SERVICE_TESTS//,/ } src/engine/cloud/kubernetes/ --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-services.json"
  SERVICES_STATUS=$?
  # On Docker 20.10: what the engine itself answers (the provider contract, the provider's own tests,
  # container jobs, which engine it is). The strategies and the demo's container run on top of the
  # same provider calls and run on Podman only: on 20.10 they took 123 of the pass' 269 test-file seconds.
  bash src/tools/with-dockerd.sh npx vitest run src/engine/cloud/docker/docker-contract.test.ts src/engine/cloud/docker/docker-provider.test.ts \
    src/engine/cloud/docker/engine-flavour.test.ts src/engine/stages/run-container-job-podman.test.ts \
    --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-docker-20.json"
  DOCKER_STATUS=$?
  echo "services $SERVICES_STATUS docker-20.10 $DOCKER_STATUS" >"$REPORTS/services.status"
} >"$REPORTS/services.log" 2>&1 &
SERVICES_PID=$!
# PostgreSQL: what the database is the subject of: repositories, migrations, claims, leases, fencing,
# hand-overs, LISTEN/NOTIFY, transactions and concurrency, token and session checks, deploy records.
# A file runs once (in the pass above; PGlite runs the same PostgreSQL SQL) when its database is
# incidental: it never opens one (NO_DATABASE_TESTS), or its subject is
# - a provider's processes, containers or VMs, the bakery's builds (its registry catalog stays), the
#   strategies' traffic under load (deploy.test: its records are the ones deploy-hand-over,
#   deploy-progress and stages keep proving here), or the tests that start Kiln processes of their own
#   (those use their own embedded database either way), or the throwaway services (SERVICE_TESTS);
# - input validation, rendering or pure logic behind a route or stage: expressions, the shared rules
#   and traffic-guard tables, Butane, Spinnaker import, junk input, security headers, HEAD, the SSRF
#   guard, the job sandbox, the engine detection of the demo's containers.
PG_ONLY_ONCE=src/engine/bakery/builders/**,src/engine/bakery/checks/**,src/engine/bakery/[!r]*.test.ts,src/engine/bakery/reproducible-disk.test.ts,src/engine/cloud/docker/**,src/engine/cloud/kubernetes/**,src/engine/cloud/local*.test.ts,src/engine/cloud/contract/**
PG_ONLY_ONCE=$PG_ONLY_ONCE,src/engine/cloud/red-black.test.ts,src/engine/cloud/restart.test.ts,src/engine/cloud/group-healing.test.ts,src/engine/cloud/traffic-analysis.test.ts,src/engine/cloud/deploy.test.ts
PG_ONLY_ONCE=$PG_ONLY_ONCE,src/engine/cloud/load-balancer-client.test.ts,src/engine/cloud/metadata-service.test.ts,src/engine/cloud/balancer-restart.test.ts
PG_ONLY_ONCE=$PG_ONLY_ONCE,src/engine/registry-push/**,src/server/routes/image-push.test.ts,src/engine/stages/bake-push.test.ts,src/engine/stages/run-container-job-podman.test.ts,src/server/crash-resume.test.ts,src/server/bad-rows-start.test.ts,src/server/demo-containers-start.test.ts,src/server/routes/container-instance-log.test.ts
PG_ONLY_ONCE=$PG_ONLY_ONCE,src/server/routes/*-expressions.test.ts,src/engine/stages/deploy-expressions.test.ts,src/engine/expressions-fail-loudly.test.ts,src/server/routes/stage-rules.test.ts,src/server/routes/traffic-guard.test.ts,src/engine/judgment-rules.test.ts
PG_ONLY_ONCE=$PG_ONLY_ONCE,src/server/routes/provisioning.test.ts,src/server/routes/recipe-stages.test.ts,src/server/routes/spinnaker-import.test.ts,src/engine/spinnaker-import.test.ts,src/server/routes/destroy-confirmation.test.ts,src/server/routes/image-download.test.ts
PG_ONLY_ONCE=$PG_ONLY_ONCE,src/server/plugins/input-guard.test.ts,src/server/plugins/security-headers.test.ts,src/server/auth/head-requests.test.ts,src/server/outbound-ssrf.test.ts,src/server/job-sandbox.test.ts,src/engine/jobs/sandbox.test.ts,src/server/demo-containers.test.ts
set +e
KILN_TEST_EXCLUDE=$PG_ONLY_ONCE,$NO_DATABASE_TESTS,$SERVICE_TESTS,$VM_TESTS \
  bash src/tools/with-postgres.sh npx vitest run --project db --project node src/db src/server src/engine \
  --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-postgres.json"
PG_STATUS=$?
step "the wait-bound tests, then containers on Docker 20.10 (ran beside the PostgreSQL pass): the wait for their end, and their output"
wait "$SERVICES_PID"
SERVICES_PID=""
cat "$REPORTS/services.log"
read -r _ SERVICES_STATUS _ DOCKER_STATUS <"$REPORTS/services.status" || SERVICES_STATUS=1

set -e
if [ "$PG_STATUS" -ne 0 ] || [ "$SERVICES_STATUS" -ne 0 ] || [ "${DOCKER_STATUS:-1}" -ne 0 ]; then
  # The VM pass' output too, so one run shows every failure.
  wait "$VM_PID" || true
  VM_PID=""
  cat "$REPORTS/vms.log"
  echo "PostgreSQL pass exit $PG_STATUS, wait-bound pass exit $SERVICES_STATUS, Docker 20.10 pass exit ${DOCKER_STATUS:-none}" >&2
  exit 1
fi

step "build the dashboard, check the bundle budget, start the journeys' servers (ran beside the PostgreSQL pass)"
set +e
wait "$BUILD_PID"
BUILD_STATUS=$?
BUILD_PID=""
set -e
cat "$REPORTS/build.log"
[ "$BUILD_STATUS" -eq 0 ] || exit 1

# The VM pass is the longest of the passes above (one boot check alone bakes a Debian image and boots
# its systemd under TCG for ~4 min): the journeys start beside its tail rather than after it, which
# waited on it alone for ~90 s in the last run. Its VMs stay at most 2; its output is printed after the journeys.
step "end-to-end journeys (Playwright, Debian chromium), beside the end of the VM pass"
bash src/tools/ensure-chromium.sh
# Two workers, each against its own Kiln (e2e/journey.ts): the ones started above.
set +e
KILN_E2E_REUSE=1 PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/playwright.json" npx playwright test -c e2e/playwright.config.ts --reporter=list,json
E2E_STATUS=$?
stop_journey_servers
if [ "$E2E_STATUS" -ne 0 ]; then
  for log in "$REPORTS"/kiln-server-*.log; do printf '\n== %s\n' "$(basename "$log")" && cat "$log"; done
fi

step "real VMs under QEMU: the wait for their end, and their output (they ran beside the PostgreSQL pass and the journeys)"
wait "$VM_PID"
VM_STATUS=$?
VM_PID=""
set -e
cat "$REPORTS/vms.log"
if [ "$E2E_STATUS" -ne 0 ] || [ "$VM_STATUS" -ne 0 ]; then
  echo "journeys exit $E2E_STATUS, VM pass exit $VM_STATUS" >&2
  exit 1
fi

step end
npx tsx src/tools/test-summary.ts "$REPORTS"
