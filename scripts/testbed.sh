#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# scripts/testbed.sh — local test bed for the CRI conformance suite.
#
#   scripts/testbed.sh up       install what is missing, start two registries and the chosen
#                               runtime (CRI), build/push the test images, print the endpoint and
#                               the runtime's version on stderr and the env on stdout
#   scripts/testbed.sh env      print the `export ...` lines (eval "$(scripts/testbed.sh env)")
#   scripts/testbed.sh status   exit 0 when both registries and the runtime answer, 1 otherwise
#   scripts/testbed.sh down     tear down pods (CNI DEL), stop everything `up` started, clean up
#   scripts/testbed.sh critest-images
#                               push stand-ins for the images critest v1.26 pulls (after `up`;
#                               only for comparing with critest: CRITEST=… scripts/bench-suite)
#
# CRI_TESTBED_RUNTIME picks the runtime: containerd-2.1 (the default: Debian sid's build),
# containerd-1.7 (trixie) or containerd-1.6 (bookworm). Each is a driver under
# scripts/testbed/runtimes/ (install, configure, start, healthy, teardown, stop); the pieces every
# runtime shares (registries, images, CNI) live beside it in scripts/testbed/. One runtime runs
# at a time: `up` with another runtime stops the running one (its pods first) and starts the new.
#
# Everything lives under ${CRI_TESTBED_DIR:-/var/tmp/cri-conformance-testbed}:
#   registry/        plain-HTTP docker-registry on 127.0.0.1:5000 (config, storage, log, pid)
#   auth-registry/   docker-registry with htpasswd basic auth on 127.0.0.1:5001
#   images/          rootfs + OCI layout the test images are built in (umoci)
#   cni/             CNI conflist (net.d/) and host-local IPAM leases (ipam/)
#   apt/             private apt sources list, package lists and downloaded .debs
#   <runtime>/       e.g. containerd-2.1/: the unpacked package (pkg/), config.toml, root, state
#                    (incl. pod netns), runc roots, certs.d, log, pid
#   containerd.sock  the CRI gRPC endpoint of the running runtime
#   runtime          the name of the runtime `up` started
#
# Nothing is fetched from the internet: packages come from Debian's apt repositories and the
# images are built locally from Debian's (dynamically linked) busybox. The runtimes' own packages
# are unpacked with `dpkg -x` into the work dir, never installed on the host; the host gets only
# Debian 12 packages (runc, crun, criu, the CNI plugins, docker-registry, the image tools).
#
# Facts this relies on (checked on Debian 12 with containerd 1.6.20, 1.7.24 and 2.1.9,
# docker-registry 2.8.2, containernetworking-plugins 1.1.1, runc 1.1.5):
#   * docker-registry 2.8 happily does htpasswd basic auth over plain HTTP; TLS is only
#     recommended by its docs, not enforced. containerd sends the credentials from the CRI
#     PullImageRequest.auth to an http:// host as well, so no certificate is needed.
#   * containerd 1.6.20 rejects a hosts.toml that only has `server` ("failed to decode
#     hosts.toml: invalid `host` tree") and then silently falls back to the default upstream
#     (for docker.io: registry-1.docker.io). Each hosts.toml therefore also gets a
#     [host."..."] block with capabilities.
#   * containerd 2.x reads config version 3 (the CRI plugin split into io.containerd.cri.v1.images
#     and io.containerd.cri.v1.runtime); 1.6 and 1.7 read version 2. Both templates are in
#     scripts/testbed/templates/. containerd 2.1.9 needs glibc >= 2.34 and runs on Debian 12;
#     sid's and trixie's runc need glibc 2.38 and do not, so Debian 12's runc runs under all three.
#   * The CRI plugin sets up the pod's loopback itself (go-cni WithLoNetwork, using the loopback
#     binary from bin_dir), so no loopback conf is written: only the bridge conflist.
#   * overlayfs works here (the work dir is on ext4), so the default overlayfs snapshotter is used.
#   * root on these machines lacks CAP_SYS_RESOURCE, so lowering oom_score_adj fails: the CRI
#     plugin asks -998 for the sandbox, and without restrict_oom_score_adj = true (clamp to
#     containerd's own value) every RunPodSandbox fails in runc ("can't get final child's PID").
#   * `down` stops and removes the pods with the project's own CRI client (dist/src/tools/teardown.js)
#     so that CNI DEL runs: Debian 12 has no cri-tools package (no crictl).
set -euo pipefail

# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------
TESTBED_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/testbed"
PROJECT_DIR="$(cd "$TESTBED_LIB/../.." && pwd)"
WORK_DIR="${CRI_TESTBED_DIR:-/var/tmp/cri-conformance-testbed}"
case "$WORK_DIR" in /*) ;; *) WORK_DIR="$PWD/$WORK_DIR" ;; esac
WORK_DIR="${WORK_DIR%/}"
MARKER="$WORK_DIR/.cri-conformance-testbed"   # only a dir carrying this marker is ever rm -rf'ed
RUNTIME_FILE="$WORK_DIR/runtime"              # the runtime `up` started last
RUNTIMES=(containerd-2.1 containerd-1.7 containerd-1.6)
DEFAULT_RUNTIME=containerd-2.1

REGISTRY=127.0.0.1:5000
AUTH_REGISTRY=127.0.0.1:5001
AUTH_USER=crit-user
AUTH_PASS=crit-pass
REPO=cri-conformance

REG_DIR="$WORK_DIR/registry"
AUTH_DIR="$WORK_DIR/auth-registry"
IMG_DIR="$WORK_DIR/images"
CNI_DIR="$WORK_DIR/cni"
SOCK="$WORK_DIR/containerd.sock"
CNI_NET=crit-bridge
BRIDGE=crit0
SUBNET=10.88.0.0/16
# shellcheck disable=SC2034  # read through ${!var} by render_template
CNI_BIN_DIR=/usr/lib/cni

# Debian 12 packages every runtime needs (checked with dpkg-query, installed with apt-get when
# missing); a driver installs its own on top (rt_install).
PACKAGES=(containernetworking-plugins docker-registry busybox umoci skopeo
  apache2-utils iproute2 iptables curl mount util-linux socat)

# Images: name -> "tags" (all on $REGISTRY/$REPO/ unless noted), from scripts/testbed/images.txt.
IMAGES=()
declare -A IMAGE_TAGS=()
while read -r name tags; do
  [[ -n $name && $name != '#'* ]] || continue
  IMAGES+=("$name")
  IMAGE_TAGS[$name]=$tags
done <"$TESTBED_LIB/images.txt"
PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# The runtime of this invocation: CRI_TESTBED_RUNTIME, else the one running (for env, status and
# down), else the default.
RT_NAME=${CRI_TESTBED_RUNTIME:-}
if [[ -z $RT_NAME && -s $RUNTIME_FILE ]]; then RT_NAME=$(<"$RUNTIME_FILE"); fi
RT_NAME=${RT_NAME:-$DEFAULT_RUNTIME}
if [[ ! -f $TESTBED_LIB/runtimes/$RT_NAME.sh ]]; then
  echo "testbed: error: unknown CRI_TESTBED_RUNTIME '$RT_NAME' (one of: ${RUNTIMES[*]})" >&2
  exit 2
fi

# shellcheck source=testbed/common.sh
source "$TESTBED_LIB/common.sh"
# shellcheck source=lib/packages.sh
source "$TESTBED_LIB/../lib/packages.sh"
# shellcheck source=testbed/debian.sh
source "$TESTBED_LIB/debian.sh"
# shellcheck source=testbed/registry.sh
source "$TESTBED_LIB/registry.sh"
# shellcheck source=testbed/images.sh
source "$TESTBED_LIB/images.sh"
# shellcheck source=testbed/cni.sh
source "$TESTBED_LIB/cni.sh"
# shellcheck source=testbed/handlers.sh
source "$TESTBED_LIB/handlers.sh"
# shellcheck source=testbed/critest-images.sh
source "$TESTBED_LIB/critest-images.sh"
# shellcheck source=testbed/runtimes/containerd-2.1.sh
source "$TESTBED_LIB/runtimes/$RT_NAME.sh"

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
running_runtime() { [[ -s $RUNTIME_FILE ]] && cat "$RUNTIME_FILE"; }

# cmd_stop_runtime — tear the pods of this runtime down and stop it (registries stay up).
cmd_stop_runtime() {
  [[ -d $WORK_DIR ]] || return 0
  if rt_answers || rt_revive; then
    rt_teardown_pods
  fi
  rt_stop
  rm -f "$RUNTIME_FILE" "$SOCK" "$SOCK.ttrpc"
}

# stop_other_runtime WHY — when another runtime of the bed is running, stop it with its own
# driver (WHY: "switch" for `up`, "down" for `down`, which stops whatever runs).
stop_other_runtime() {
  local other
  other=$(running_runtime) || return 0
  [[ $other != "$RT_NAME" ]] || return 0
  if [[ $1 == switch ]]; then
    log "switching from $other to $RT_NAME: stopping $other"
  else
    log "stopping $other (the runtime that runs)"
  fi
  CRI_TESTBED_RUNTIME=$other bash "${BASH_SOURCE[0]}" stop-runtime
}

cmd_down() {
  [[ $WORK_DIR != / ]] || die "refusing to use / as the work dir"
  if [[ -e $WORK_DIR && ! -e $MARKER ]]; then
    die "$WORK_DIR was not made by this script (no $MARKER); not touching it"
  fi
  if [[ -d $WORK_DIR ]]; then
    # 1. the runtime: CRI teardown of its pods (reviving it when it died and left pods behind),
    #    then the runtime and whatever survived it (containers, shims).
    stop_other_runtime down
    cmd_stop_runtime
    if [[ -e $WORK_DIR/.cgroup-k8s.io-created ]]; then
      rmdir /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/k8s.io 2>/dev/null || true   # only if empty
    fi
    remove_pod_cgroup_parents
    hybrid_cgroups_down
    # 2. registries
    stop_pidfile "$REG_DIR/registry.pid" "$REG_DIR/config.yml" "registry $REGISTRY"
    stop_pidfile "$AUTH_DIR/registry.pid" "$AUTH_DIR/config.yml" "auth registry $AUTH_REGISTRY"
    # 3. network leftovers: iptables rules, libcni result cache
    scrub_iptables
    remove_bridge_forward
    remove_idle_cni_chains
    clean_cni_cache
  fi
  # 4. the bridge (its name is ours alone)
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "deleting bridge $BRIDGE"
    ip link delete "$BRIDGE" || log "warning: could not delete $BRIDGE"
  fi
  # 5. mounts (rootfs overlays, /dev/shm, pod netns under the state dir) and the work dir
  if [[ -d $WORK_DIR ]]; then
    unmount_all_under "$WORK_DIR"
    rm -rf --one-file-system "$WORK_DIR"
    log "removed $WORK_DIR"
  fi
  log "down"
}


# remove_pod_cgroup_parents — the cgroup parent the suite gives its pods (as kubelet does with the
# cgroupfs driver: /kubepods/...) is made by the runtime; remove it where it is empty, in every
# controller, deepest first, when `up` found no /kubepods before.
remove_pod_cgroup_parents() {
  [[ -e $WORK_DIR/.cgroup-kubepods-created ]] || return 0
  local d
  while read -r d; do
    rmdir "$d" 2>/dev/null || true
  done < <(find /sys/fs/cgroup -maxdepth 6 -type d -path '*/kubepods*' 2>/dev/null \
    | awk '{ print gsub("/", "/"), $0 }' | sort -rn | cut -d' ' -f2-)
}

cmd_env() {
  cat <<EOF
export CONTAINER_RUNTIME_ENDPOINT=unix://$SOCK
export IMAGE_SERVICE_ENDPOINT=unix://$SOCK
export CRI_TESTBED_DIR=$WORK_DIR
export CRI_TESTBED_REGISTRY=$REGISTRY
export CRI_TESTBED_AUTH_REGISTRY=$AUTH_REGISTRY
export CRI_TESTBED_RUNTIME=$RT_NAME
EOF
}

all_healthy() {
  registry_healthy "$REG_DIR" "$REGISTRY" 200 \
    && registry_healthy "$AUTH_DIR" "$AUTH_REGISTRY" 200 -u "$AUTH_USER:$AUTH_PASS" \
    && [[ $(running_runtime || true) == "$RT_NAME" ]] && rt_healthy && all_images_present
}

cmd_up() {
  local t0; t0=$(now_ms)
  [[ $WORK_DIR != / ]] || die "refusing to use / as the work dir"
  if [[ -e $WORK_DIR && ! -e $MARKER && -n $(ls -A "$WORK_DIR" 2>/dev/null) ]]; then
    die "$WORK_DIR exists, is not empty and was not made by this script"
  fi
  if [[ -e $MARKER ]] && all_healthy 2>/dev/null; then
    log "already up: $RT_NAME $(rt_version) at unix://$SOCK"
    cmd_env
    return 0
  fi
  ensure_packages "${PACKAGES[@]}"
  mkdir -p "$WORK_DIR"
  touch "$MARKER"
  stop_other_runtime switch
  rt_install
  start_registry "$REG_DIR" "$REGISTRY" 200
  start_registry "$AUTH_DIR" "$AUTH_REGISTRY" 200 "$AUTH_DIR/htpasswd"
  ensure_images
  write_cni_config
  allow_bridge_forward
  rt_configure
  # Our shims create /run/containerd/s, pods without a cgroup_parent get cgroups under
  # <controller>/k8s.io/ and the suite's pods get theirs under /kubepods: remember what was not
  # there before us, so `down` can rmdir it.
  [[ -e /run/containerd ]] || touch "$WORK_DIR/.run-containerd-created"
  if ! compgen -G '/sys/fs/cgroup/*/k8s.io' >/dev/null && [[ ! -e /sys/fs/cgroup/k8s.io ]]; then
    touch "$WORK_DIR/.cgroup-k8s.io-created"
  fi
  if ! compgen -G '/sys/fs/cgroup/*/kubepods*' >/dev/null && ! compgen -G '/sys/fs/cgroup/kubepods*' >/dev/null; then
    touch "$WORK_DIR/.cgroup-kubepods-created"
  fi
  hybrid_cgroups_up
  rt_start
  echo "$RT_NAME" >"$RUNTIME_FILE"
  log "up in $(( $(now_ms) - t0 ))ms: $RT_NAME $(rt_version) at unix://$SOCK"
  cmd_env
}

cmd_status() {
  local rc=0
  if registry_healthy "$REG_DIR" "$REGISTRY" 200; then
    echo "registry $REGISTRY: up (pid $(pidfile_pid "$REG_DIR/registry.pid" "$REG_DIR/config.yml"))"
  else
    echo "registry $REGISTRY: DOWN"; rc=1
  fi
  if registry_healthy "$AUTH_DIR" "$AUTH_REGISTRY" 200 -u "$AUTH_USER:$AUTH_PASS" \
    && [[ $(http_code "http://$AUTH_REGISTRY/v2/") == 401 ]]; then
    echo "auth registry $AUTH_REGISTRY: up, basic auth enforced (pid $(pidfile_pid "$AUTH_DIR/registry.pid" "$AUTH_DIR/config.yml"))"
  else
    echo "auth registry $AUTH_REGISTRY: DOWN"; rc=1
  fi
  if [[ $(running_runtime || true) != "$RT_NAME" ]]; then
    echo "$RT_NAME: not the running runtime (running: $(running_runtime || echo none))"; rc=1
  else
    rt_status_line || rc=1
  fi
  return "$rc"
}

cmd="${1:-}"
case "$cmd" in
  up) cmd_up ;;
  env) cmd_env ;;
  status) cmd_status ;;
  down) cmd_down ;;
  stop-runtime) cmd_stop_runtime ;;
  critest-images) cmd_critest_images ;;
  *) echo "usage: [CRI_TESTBED_RUNTIME=${RUNTIMES[*]}] $0 up|down|env|status|critest-images" >&2; exit 2 ;;
esac
