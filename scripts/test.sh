#!/usr/bin/env bash
# The project's tests (`npm test`): install, build, shellcheck, the harness's unit tests, then on the
# local test bed's default runtime (containerd 2.1) the conformance specs, the CLI's end-to-end
# tests and the self-test, then the conformance specs on every other runtime of the matrix
# (containerd 1.7, 1.6), and on the default runtime with each extra OCI runtime handler (crun,
# runc-1.3), each with its known-failures file and a leak check after each.run.
# Run as root on Debian; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# Debian packages the tests themselves use (the test bed installs its own):
# xmllint validates junit.xml, chromium + pdftotext render report.html.
need=()
# (the shellcheck package lints the project's shell scripts)
for pkg in libxml2-utils chromium poppler-utils shellcheck; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  step "install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

step "install npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "build"
npm run build

step "lint: layer rules (dependency-cruiser), ESLint, Prettier"
npm run lint

step "shellcheck of the project's scripts"
shellcheck -x scripts/*.sh scripts/repeat scripts/bench-suite .ci/run

logs=$(mktemp -d)
# No litter: the tests remove every temporary directory they make (crit-* under /tmp), also when
# they fail. tmp_litter names what is there now and was not before the first test.
crit_tmp() { find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'crit-*' -printf '%f\n' | sort; }
tmp_before=$(crit_tmp)
tmp_litter() {
  local left
  left=$(comm -13 <(echo "$tmp_before") <(crit_tmp) | grep . || true)
  if [ -n "$left" ]; then
    echo "left in ${TMPDIR:-/tmp} by the tests: $(echo "$left" | tr '\n' ' ')" >&2
    return 1
  fi
  echo "no temporary directory left in ${TMPDIR:-/tmp}"
}
step "unit tests of the harness (no runtime)"
npx mocha --config .mocharc.json 2>&1 | tee "$logs/unit.log"

DEFAULT_RUNTIME=containerd-2.1
OTHER_RUNTIMES=(containerd-1.7 containerd-1.6)
step "local test bed up ($DEFAULT_RUNTIME)"
CRI_TESTBED_RUNTIME=$DEFAULT_RUNTIME bash scripts/testbed.sh up
eval "$(CRI_TESTBED_RUNTIME=$DEFAULT_RUNTIME bash scripts/testbed.sh env)"
started_bed=1
cleanup() {
  rm -rf "$logs"
  if [ "${KEEP_TESTBED:-}" != 1 ] && [ -n "${started_bed:-}" ]; then
    step "local test bed down"
    bash scripts/testbed.sh down || true
  fi
}
trap cleanup EXIT

status=0
# conformance RUNTIME [HANDLER] — the suite against the running runtime (with that runtime handler
# for every pod, when given) with the runtime's known-failures file (its genuine non-conformances,
# each with the api.proto text it breaks), so the run fails on any new failure or on a listed test
# that passes; then the leak check. A handler run is named RUNTIME+HANDLER (reports, log).
conformance() {
  local runtime=$1 handler=${2:-} name=$1
  local -a flags=()
  if [ -n "$handler" ]; then name="$runtime+$handler" flags=(--runtime-handler "$handler"); fi
  step "conformance specs against $name ($CONTAINER_RUNTIME_ENDPOINT)"
  node dist/src/cli.js --runtime-endpoint "$CONTAINER_RUNTIME_ENDPOINT" --report-dir "reports/$name" \
    --known-failures "specs/known-failures/$runtime.yaml" "${flags[@]}" 2>&1 | tee "$logs/conformance-$name.log" || status=1
  step "leak check after the conformance run on $name"
  node dist/src/tools/leak-check.js "$CONTAINER_RUNTIME_ENDPOINT" || status=1
  RUNS+=("$name")
}
RUNS=()
KNOWN_FAILURES=specs/known-failures/$DEFAULT_RUNTIME.yaml
conformance "$DEFAULT_RUNTIME"
cp -r "reports/$DEFAULT_RUNTIME/." reports/

step "end-to-end tests of the CLI (exit codes, reports, interrupts, leaks)"
npx mocha --no-config --timeout 900000 --reporter spec 'dist/src/e2e/*.e2e.js' 2>&1 | tee "$logs/e2e.log"

step "leak check after the end-to-end tests"
node dist/src/tools/leak-check.js "$CONTAINER_RUNTIME_ENDPOINT"

step "self-test: mutants and transport faults through the fault-injecting proxy (npm run selftest)"
node dist/src/selftest/run.js --known-failures "$KNOWN_FAILURES" 2>&1 | tee "$logs/selftest.log" || status=1

step "leak check after the self-test"
node dist/src/tools/leak-check.js "$CONTAINER_RUNTIME_ENDPOINT"

step "temporary directories after the unit, end-to-end and self-tests"
tmp_litter || status=1

# The extra OCI runtime handlers of the default runtime (scripts/testbed/handlers.sh): crun 1.21
# and runc 1.3, each for every pod of a whole run.
for handler in crun runc-1.3; do
  conformance "$DEFAULT_RUNTIME" "$handler"
done

for runtime in "${OTHER_RUNTIMES[@]}"; do
  step "local test bed: switch to $runtime"
  CRI_TESTBED_RUNTIME=$runtime bash scripts/testbed.sh up
  conformance "$runtime"
done

step "temporary directories after every run"
tmp_litter || status=1

# One closing line over all three test runs: "N passed, N failed, N skipped".
# (grep finds nothing when no test was pending: that is a count of 0, not a failure.)
count() { { grep -hoE "^ *[0-9]+ $1" "$logs/unit.log" "$logs/e2e.log" || true; } | awk '{s+=$1} END {print s+0}'; }
conf() { { grep -oE "^[0-9]+ passed, [0-9]+ failed, [0-9]+ errors, [0-9]+ skipped, [0-9]+ known failures" "$logs/conformance-$1.log" || true; } | tail -1; }
# What failed a run, repeated under its line: the CLI's recap and its stale known failures.
recap() {
  awk '/^[0-9]+ unexpected failures? \(/ { on = 1; next }
       on && /^  (failed|error): / { print "  " $0; next }
       { on = 0 }
       /^known failure now passes/ { print "    " $0 }' "$logs/conformance-$1.log"
}
passed=$(count passing) failed=$(count failing) skipped=$(count pending)
echo
for name in "${RUNS[@]}"; do
  read -r cp _ cf _ ce _ cs _ ck _ <<<"$(conf "$name" | tr -d ',')"
  passed=$(( passed + ${cp:-0} )) failed=$(( failed + ${cf:-0} + ${ce:-0} )) skipped=$(( skipped + ${cs:-0} + ${ck:-0} ))
  echo "$name: ${cp:-0} passed, $(( ${cf:-0} + ${ce:-0} )) failed, ${cs:-0} skipped (unsupported), ${ck:-0} known non-conformances (counted as skipped below, listed in specs/known-failures/${name%%+*}.yaml)"
  recap "$name"
done
if [ "$status" -ne 0 ]; then
  echo "a test step failed (exit $status): see its output above and reports/" >&2
fi
# The test bed goes down first, so that the total is the last line of the output.
cleanup
trap - EXIT
echo "total: $passed passed, $failed failed, $skipped skipped"
exit "$status"
