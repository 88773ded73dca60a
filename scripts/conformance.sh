#!/usr/bin/env bash
# The main job: install and build the suite if needed, then run it with the given flags.
# Without --runtime-endpoint (and CONTAINER_RUNTIME_ENDPOINT), the suite uses the first
# well-known runtime socket that answers, or starts the local test bed (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
if [ ! -f dist/src/cli.js ] || [ -n "$(find src specs proto package.json -newer dist/src/cli.js -print -quit 2>/dev/null)" ]; then
  npm run build >&2
fi
exec node dist/src/cli.js "$@"
