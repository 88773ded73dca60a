#!/usr/bin/env bash
# scripts/bench-image.sh — size and start-up time of the suite image (a benchmark, not a test).
#
#   scripts/bench-image.sh [runs]        (root; after `npm run build`)
#
# Builds the image if its content changed (scripts/build-image.sh), then prints:
#   - its size: compressed (the gzip layer blobs a node pulls) and uncompressed (layer tars, and
#     the unpacked rootfs on disk); target < 150 MiB;
#   - start to first CRI request: the image's own node + suite, chroot-ed into the unpacked rootfs,
#     run with --focus 'Runtime info' against $CONTAINER_RUNTIME_ENDPOINT (default: the local
#     test bed) through a socket proxy that timestamps the first request; target < 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
endpoint=${CONTAINER_RUNTIME_ENDPOINT:-unix:///var/tmp/cri-conformance-testbed/containerd.sock}
socket=${endpoint#unix://}
[[ -S $socket ]] || { echo "bench-image: no runtime socket at $socket (scripts/testbed.sh up, or set CONTAINER_RUNTIME_ENDPOINT)" >&2; exit 1; }
[[ -f dist/src/tools/bench-start.js ]] || { echo "bench-image: run \`npm run build\` first" >&2; exit 1; }

declare -A out
while IFS='=' read -r k v; do out[$k]=$v; done < <(bash scripts/build-image.sh)
layout=${out[layout]} manifest=${out[manifest_digest]}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB (%d bytes)", b / 1048576, b }'; }

compressed=0 tars=0
while read -r digest size; do
  compressed=$(( compressed + size ))
  tars=$(( tars + $(zcat "$layout/blobs/${digest/://}" | wc -c) ))
done < <(jq -r '.layers[] | "\(.digest) \(.size)"' "$layout/blobs/${manifest/://}")

work=$(mktemp -d /var/tmp/crit-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
umoci raw unpack --image "$layout:${out[tag]}" "$work/rootfs" >/dev/null 2>&1
rootfs=$(du -sb "$work/rootfs" | cut -f1)

echo "image ${out[tag]} (content ${out[content_hash]:0:16}, config ${out[config_digest]})"
echo "size compressed (gzip layers):  $(mib "$compressed")"
echo "size uncompressed (layer tars): $(mib "$tars")"
echo "size unpacked rootfs:           $(mib "$rootfs")"
node dist/src/tools/bench-start.js "$work/rootfs" "$socket" "$runs"
