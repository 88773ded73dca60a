# shellcheck shell=bash
# Runtime driver: Debian sid's containerd 2.1 (config template containerd-v3.toml).
CTRD_SERIES=2.1
CTRD_SUITE=sid
CTRD_TEMPLATE=containerd-v3.toml
# shellcheck source=testbed/runtimes/containerd.sh
source "$TESTBED_LIB/runtimes/containerd.sh"
