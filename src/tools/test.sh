#!/usr/bin/env bash
# `npm test`: everything CI checks, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CI="${CI:-}"
REPORTS="$(mktemp -d)"
trap 'rm -rf "$REPORTS"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

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
# The container provider's tests run against a real Docker Engine API: a throwaway Podman service
# (installed when missing, started on a private socket and storage, stopped and removed afterwards).
# The registry push tests push to a real registry: Debian's docker-registry, started the same way.
VM_TESTS=src/engine/cloud/qemu/**,src/engine/bakery/vm-image.test.ts,src/engine/bakery/checks/qemu-boot.test.ts
KILN_TEST_EXCLUDE=src/engine/cloud/balancer-restart.test.ts,$VM_TESTS bash src/tools/with-registry.sh bash src/tools/with-podman.sh npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-pglite.json"

step "real VMs under QEMU (one test file at a time: at most 2 VMs run at once)"
npx vitest run --no-file-parallelism src/engine/cloud/qemu src/engine/bakery/vm-image.test.ts src/engine/bakery/checks/qemu-boot.test.ts \
  --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-vms.json"

step "production traffic through a Kiln crash (alone: it measures 500 req/s through a real Kiln's balancer)"
npx vitest run src/engine/cloud/balancer-restart.test.ts --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-balancer-restart.json"

step "repository and BFF tests on a real PostgreSQL"
# (KILN_TEST_EXCLUDE: vite.config.ts's projects read it; vitest's own --exclude does not reach them.)
# Run once, in the pass above: the Debian bootstrap bake (its subject is mmdebstrap and apt), and the
# tests that start Kiln processes of their own (those use their own embedded database either way),
# and the VM tests (QEMU boots cost CPU minutes under TCG; their database is incidental).
KILN_TEST_EXCLUDE=src/engine/bakery/debian-bootstrap.test.ts,src/server/crash-resume.test.ts,src/engine/cloud/restart.test.ts,src/engine/cloud/balancer-restart.test.ts,src/server/bad-rows-start.test.ts,src/engine/cloud/docker/**,src/server/routes/container-instance-log.test.ts,src/engine/registry-push/**,$VM_TESTS \
  bash src/tools/with-postgres.sh npx vitest run --project db --project node src/db src/server src/engine \
  --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-postgres.json"

step "build the dashboard and check the bundle budget"
npx vite build --logLevel warn
npx tsx src/tools/bench-bundle.ts --check

step "end-to-end journeys (Playwright, Debian chromium)"
bash src/tools/ensure-chromium.sh
PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/playwright.json" npx playwright test -c e2e/playwright.config.ts --reporter=list,json

npx tsx src/tools/test-summary.ts "$REPORTS"
