#!/usr/bin/env bash
# The project's tests (`npm test`): install, build, the harness's unit tests, then the conformance
# specs and the CLI's end-to-end tests against the local test bed (containerd + registry), then a
# leak check. Run as root on Debian; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "install npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "build"
npm run build

step "unit tests of the harness (no runtime)"
npx mocha --config .mocharc.json

step "local test bed up"
bash scripts/testbed.sh up
eval "$(bash scripts/testbed.sh env)"
started_bed=1
cleanup() {
  if [ "${KEEP_TESTBED:-}" != 1 ] && [ -n "${started_bed:-}" ]; then
    step "local test bed down"
    bash scripts/testbed.sh down || true
  fi
}
trap cleanup EXIT

step "conformance specs against the local containerd ($CONTAINER_RUNTIME_ENDPOINT)"
status=0
node dist/src/cli.js --runtime-endpoint "$CONTAINER_RUNTIME_ENDPOINT" --report-dir reports || status=$?

step "leak check after the conformance run"
node dist/src/tools/leak-check.js "$CONTAINER_RUNTIME_ENDPOINT"

step "end-to-end tests of the CLI (exit codes, reports, interrupts, leaks)"
npx mocha --no-config --timeout 900000 --reporter spec 'dist/src/e2e/*.e2e.js'

step "leak check after the end-to-end tests"
node dist/src/tools/leak-check.js "$CONTAINER_RUNTIME_ENDPOINT"

if [ "$status" -ne 0 ]; then
  echo "conformance run exited $status: see reports/junit.xml" >&2
fi
exit "$status"
