# shellcheck shell=bash
# Runtime driver: Debian bookworm's containerd 1.6 (config template containerd-v2.toml).
CTRD_SERIES=1.6
CTRD_SUITE=bookworm
CTRD_TEMPLATE=containerd-v2.toml
# shellcheck source=testbed/runtimes/containerd.sh
source "$TESTBED_LIB/runtimes/containerd.sh"
