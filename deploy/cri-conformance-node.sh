#!/bin/sh
# cri-conformance-node — runs the suite once in a Kubernetes pod on a node; installed in the image
# as /opt/cri-conformance/bin/cri-conformance-node (busybox sh) and used by deploy/*.yaml.
#
#   cri-conformance-node <suite flags>        e.g. --runtime-endpoint unix:///run/cri/cri.sock --report-dir /results
#
# - Pod deletion sends SIGTERM: it is passed on to the suite as SIGINT, so the suite removes what it
#   created and writes partial reports within the grace period (the suite handles SIGINT and SIGTERM alike).
# - The suite's exit code is written to <report dir>/exit-code.
# - CRI_CONFORMANCE_DONE_FILE=<path>: the report dir's path is then written into that file (the
#   "done file" by which a Sonobuoy plugin hands its results to the Sonobuoy worker).
# - CRI_CONFORMANCE_STAY=1: afterwards it idles until the pod is deleted (a DaemonSet's pod must
#   not exit, or it is restarted and the suite runs again); otherwise it exits with the suite's code.
set -u
SUITE=/opt/cri-conformance/dist/src/cli.js

report_dir=reports
prev=
for arg in "$@"; do
  case "$prev" in --report-dir) report_dir=$arg ;; esac
  case "$arg" in --report-dir=*) report_dir=${arg#--report-dir=} ;; esac
  prev=$arg
done
case "$report_dir" in /*) ;; *) report_dir=$PWD/$report_dir ;; esac

signalled=
node "$SUITE" "$@" &
pid=$!
trap 'signalled=1; kill -INT "$pid" 2>/dev/null' TERM INT
while :; do
  wait "$pid"
  code=$?
  kill -0 "$pid" 2>/dev/null || break   # wait was cut short by the trap: the suite still runs
done
trap - TERM INT

mkdir -p "$report_dir"
echo "$code" >"$report_dir/exit-code"
echo "cri-conformance-node: the suite exited $code; reports in $report_dir" >&2

if [ -n "${CRI_CONFORMANCE_DONE_FILE:-}" ]; then
  printf '%s\n' "$report_dir" >"$CRI_CONFORMANCE_DONE_FILE.tmp"
  mv "$CRI_CONFORMANCE_DONE_FILE.tmp" "$CRI_CONFORMANCE_DONE_FILE"
fi

if [ "${CRI_CONFORMANCE_STAY:-0}" = 1 ] && [ -z "$signalled" ]; then
  echo "cri-conformance-node: idling until the pod is deleted" >&2
  trap 'exit 0' TERM INT
  while :; do
    sleep 3600 &
    wait $!
  done
fi
exit "$code"
