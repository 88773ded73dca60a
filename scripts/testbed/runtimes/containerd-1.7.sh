# shellcheck shell=bash
# Runtime driver: Debian trixie's containerd 1.7 (config template containerd-v2.toml).
CTRD_SERIES=1.7
CTRD_SUITE=trixie
CTRD_TEMPLATE=containerd-v2.toml
# shellcheck source=testbed/runtimes/containerd.sh
source "$TESTBED_LIB/runtimes/containerd.sh"
