#!/usr/bin/env bash
# scripts/testbed.sh — local test bed for the CRI conformance suite.
#
#   scripts/testbed.sh up       install what is missing, start two registries and a private
#                               containerd (CRI plugin), build/push the test images, print the env
#   scripts/testbed.sh env      print the `export ...` lines (eval "$(scripts/testbed.sh env)")
#   scripts/testbed.sh status   exit 0 when both registries and containerd answer, 1 otherwise
#   scripts/testbed.sh down     tear down pods (CNI DEL), stop everything `up` started, clean up
#   scripts/testbed.sh critest-images
#                               push stand-ins for the images critest v1.26 pulls (after `up`;
#                               only for comparing with critest: CRITEST=… scripts/bench-suite)
#
# Everything lives under ${CRI_TESTBED_DIR:-/var/tmp/cri-conformance-testbed}:
#   registry/        plain-HTTP docker-registry on 127.0.0.1:5000 (config, storage, log, pid)
#   auth-registry/   docker-registry with htpasswd basic auth on 127.0.0.1:5001
#   images/          rootfs + OCI layout the test images are built in (umoci)
#   cni/             CNI conflist (net.d/) and host-local IPAM leases (ipam/)
#   containerd/      config.toml, root, state (incl. pod netns), runc roots, certs.d, log, pid
#   containerd.sock  the CRI/containerd gRPC endpoint
#
# Nothing is fetched from the internet: packages come from Debian's apt repositories and the
# images are built locally from Debian's (dynamically linked) busybox.
#
# Facts about the Debian 12 packages this relies on (checked on containerd 1.6.20,
# docker-registry 2.8.2, containernetworking-plugins 1.1.1):
#   * docker-registry 2.8 happily does htpasswd basic auth over plain HTTP; TLS is only
#     recommended by its docs, not enforced. containerd 1.6 sends the credentials from the CRI
#     PullImageRequest.auth to an http:// host as well, so no certificate is needed.
#   * containerd 1.6.20 rejects a hosts.toml that only has `server` ("failed to decode
#     hosts.toml: invalid `host` tree") and then silently falls back to the default upstream
#     (for docker.io: registry-1.docker.io). Each hosts.toml therefore also gets a
#     [host."..."] block with capabilities.
#   * The CRI plugin sets up the pod's loopback itself (go-cni WithLoNetwork, using the loopback
#     binary from bin_dir), so no loopback conf is written: only the bridge conflist.
#   * overlayfs works here (the work dir is on ext4), so the default overlayfs snapshotter is used.
#   * root on these machines lacks CAP_SYS_RESOURCE, so lowering oom_score_adj fails: the CRI
#     plugin asks -998 for the sandbox, and without restrict_oom_score_adj = true (clamp to
#     containerd's own value) every RunPodSandbox fails in runc ("can't get final child's PID").
#   * `down` needs a CRI client for StopPodSandbox (so CNI DEL runs): Debian 12 has no cri-tools
#     package (no crictl), so the two calls are made with curl's HTTP/2 over the unix socket.
set -euo pipefail

# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------
WORK_DIR="${CRI_TESTBED_DIR:-/var/tmp/cri-conformance-testbed}"
case "$WORK_DIR" in /*) ;; *) WORK_DIR="$PWD/$WORK_DIR" ;; esac
WORK_DIR="${WORK_DIR%/}"
MARKER="$WORK_DIR/.cri-conformance-testbed"   # only a dir carrying this marker is ever rm -rf'ed

REGISTRY=127.0.0.1:5000
AUTH_REGISTRY=127.0.0.1:5001
AUTH_USER=crit-user
AUTH_PASS=crit-pass
REPO=cri-conformance

REG_DIR="$WORK_DIR/registry"
AUTH_DIR="$WORK_DIR/auth-registry"
IMG_DIR="$WORK_DIR/images"
CNI_DIR="$WORK_DIR/cni"
CTRD_DIR="$WORK_DIR/containerd"
CTRD_CONFIG="$CTRD_DIR/config.toml"
CTRD_PID="$CTRD_DIR/containerd.pid"
CTRD_LOG="$CTRD_DIR/containerd.log"
SOCK="$WORK_DIR/containerd.sock"
CNI_NET=crit-bridge
BRIDGE=crit0
SUBNET=10.88.0.0/16
CNI_BIN_DIR=/usr/lib/cni

# Debian packages needed (checked with dpkg-query, installed with apt-get when missing).
PACKAGES=(containerd runc containernetworking-plugins docker-registry busybox umoci skopeo
  apache2-utils iproute2 iptables curl mount util-linux socat)

# Images: name -> "tags" (all on $REGISTRY/$REPO/ unless noted).
IMAGES=(busybox web user-uid user-name user-uid-gid user-name-group multi-tag
  distinct-a distinct-b distinct-c removable-a removable-b pause udp-echo)
declare -A IMAGE_TAGS=(
  [busybox]="1.0 latest" [web]="1.0" [user-uid]="1.0" [user-name]="1.0" [user-uid-gid]="1.0"
  [user-name-group]="1.0" [multi-tag]="1.0 2.0 3.0" [distinct-a]="1.0" [distinct-b]="1.0"
  [distinct-c]="1.0" [removable-a]="1.0" [removable-b]="1.0" [pause]="1.0" [udp-echo]="1.0"
)
PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
log() { echo "testbed: $*" >&2; }
die() { echo "testbed: error: $*" >&2; exit 1; }

# now_ms: monotonic-enough wall clock in milliseconds (for deadlines).
now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }

# wait_until TIMEOUT_S CMD... — poll CMD (every 0.1 s) until it succeeds or the deadline passes.
wait_until() {
  local deadline=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do
    (( $(now_ms) < deadline )) || return 1
    sleep 0.1
  done
}

# wait_ready TIMEOUT_S PID CMD... — like wait_until, but gives up at once when PID is gone (a
# daemon that died on a bad config must not cost the whole timeout).
wait_ready() {
  local deadline=$(( $(now_ms) + $1 * 1000 )) pid=$2; shift 2
  until "$@"; do
    pid_alive "$pid" || return 1
    (( $(now_ms) < deadline )) || return 1
    sleep 0.1
  done
}

# pid_alive PID — true when PID exists and is not a zombie.
pid_alive() {
  local state
  [[ -r /proc/$1/stat ]] || return 1
  state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

pid_gone() { ! pid_alive "$1"; }

# pid_cmdline PID — the command line with NULs turned into spaces.
pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# pidfile_pid PIDFILE NEEDLE — print the pid recorded in PIDFILE if that process is alive and
# its command line contains NEEDLE (a path inside the work dir), so we never act on a recycled pid.
pidfile_pid() {
  local pid
  [[ -r $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  pid_alive "$pid" || return 1
  [[ $(pid_cmdline "$pid") == *"$2"* ]] || return 1
  echo "$pid"
}

# spawn PIDFILE LOGFILE CMD... — start CMD detached (own session, no stdin, output to LOGFILE,
# inherited fds above 2 closed so a caller capturing our output is not held open) and record
# its pid.
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [[ $fd =~ ^[0-9]+$ ]] && (( fd > 2 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid nohup "$@" </dev/null >>"$logfile" 2>&1
  ) &
  echo $! >"$pidfile"
}

# stop_pidfile PIDFILE NEEDLE WHAT — SIGTERM the recorded process (after checking its cmdline),
# wait for it with a deadline, SIGKILL if needed, remove the pid file.
stop_pidfile() {
  local pidfile=$1 needle=$2 what=$3 pid
  if pid=$(pidfile_pid "$pidfile" "$needle"); then
    log "stopping $what (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_until 15 pid_gone "$pid"; then
      log "$what did not stop on SIGTERM, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_until 5 pid_gone "$pid" || log "warning: $what (pid $pid) still there"
    fi
  fi
  rm -f "$pidfile"
}

# port_listener PORT — true if something listens on 127.0.0.1:PORT (or the wildcard address).
port_listener() { [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

# http_code URL [curl args...] — print the HTTP status code (000 when nothing answers).
http_code() {
  local url=$1; shift
  curl -s -o /dev/null -m 2 -w '%{http_code}' "$@" "$url" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# 1. Packages
# ---------------------------------------------------------------------------------------------
# shellcheck source=lib/packages.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/packages.sh"

# ---------------------------------------------------------------------------------------------
# 2. Registries
# ---------------------------------------------------------------------------------------------
# write_registry_config DIR ADDR [HTPASSWD]
write_registry_config() {
  local dir=$1 addr=$2 htpasswd=${3:-}
  mkdir -p "$dir/data"
  {
    cat <<EOF
version: 0.1
log:
  level: info
  fields:
    service: cri-testbed-registry
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $addr
  secret: cri-conformance-testbed
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    if [[ -n $htpasswd ]]; then
      cat <<EOF
auth:
  htpasswd:
    realm: cri-conformance
    path: $htpasswd
EOF
    fi
  } >"$dir/config.yml.new"
  mv "$dir/config.yml.new" "$dir/config.yml"
}

registry_healthy() { # DIR ADDR EXPECTED_CODE [curl args]
  local dir=$1 addr=$2 code=$3; shift 3
  pidfile_pid "$dir/registry.pid" "$dir/config.yml" >/dev/null || return 1
  [[ $(http_code "http://$addr/v2/" "$@") == "$code" ]]
}

# start_registry DIR ADDR EXPECTED_CODE [HTPASSWD]
start_registry() {
  local dir=$1 addr=$2 code=$3 htpasswd=${4:-} pid
  local -a creds=()
  [[ -n $htpasswd ]] && creds=(-u "$AUTH_USER:$AUTH_PASS")
  if registry_healthy "$dir" "$addr" "$code" "${creds[@]}"; then
    return 0
  fi
  stop_pidfile "$dir/registry.pid" "$dir/config.yml" "stale registry on $addr"
  if port_listener "${addr##*:}"; then
    die "$addr is already in use by a process this test bed did not start"
  fi
  mkdir -p "$dir"
  if [[ -n $htpasswd ]]; then
    # bcrypt (-B) is the only hash format docker-registry accepts.
    htpasswd -Bbc "$htpasswd" "$AUTH_USER" "$AUTH_PASS" 2>/dev/null \
      || die "htpasswd could not write $htpasswd"
  fi
  write_registry_config "$dir" "$addr" "$htpasswd"
  log "starting docker-registry on $addr${htpasswd:+ (basic auth)}"
  spawn "$dir/registry.pid" "$dir/registry.log" docker-registry serve "$dir/config.yml"
  pid=$(<"$dir/registry.pid")
  if ! wait_ready 20 "$pid" registry_healthy "$dir" "$addr" "$code" "${creds[@]}"; then
    echo "testbed: error: docker-registry on $addr did not come up (pid $pid); log tail:" >&2
    tail -n 20 "$dir/registry.log" >&2 || true
    exit 1
  fi
}

# ---------------------------------------------------------------------------------------------
# 3. Images
# ---------------------------------------------------------------------------------------------
# image_in_registry DATA_DIR NAME TAG — the tag exists in the registry's filesystem storage.
image_in_registry() {
  [[ -s "$1/docker/registry/v2/repositories/$REPO/$2/_manifests/tags/$3/current/link" ]]
}

all_images_present() {
  local name tag
  for name in "${IMAGES[@]}"; do
    for tag in ${IMAGE_TAGS[$name]}; do
      image_in_registry "$REG_DIR/data" "$name" "$tag" || return 1
    done
  done
  image_in_registry "$AUTH_DIR/data" private 1.0
}

# build_rootfs DIR — busybox (dynamic) + its shared libraries + hard-linked applets + /etc files.
build_rootfs() {
  local r=$1 lib applet
  [[ $(ldd /usr/bin/busybox 2>/dev/null || true) == *libc.so* ]] \
    || die "/usr/bin/busybox is not Debian's dynamic busybox (busybox-static installed?)"
  rm -rf "$r"
  mkdir -p "$r"/{bin,etc,root,home/crit,proc,sys,dev,run,var}
  install -d -m 1777 "$r/tmp"
  cp /usr/bin/busybox "$r/bin/busybox"
  # Shared libraries at the paths ldd reports (incl. the dynamic loader), symlinks resolved.
  while read -r lib; do
    mkdir -p "$r$(dirname "$lib")"
    cp -L "$lib" "$r$lib"
  done < <(ldd /usr/bin/busybox | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
  # Every applet as a hard link (a dynamic busybox shell really execs them, unlike busybox-static).
  while read -r applet; do
    [[ -n $applet && $applet != busybox && ! -e $r/bin/$applet ]] || continue
    ln "$r/bin/busybox" "$r/bin/$applet"
  done < <(/usr/bin/busybox --list)
  cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
crit:x:1234:5678::/home/crit:/bin/sh
EOF
  cat >"$r/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
critgrp:x:5678:
critextra:x:5679:crit
EOF
  chown 1234:5678 "$r/home/crit"
  chmod 0700 "$r/root"
  : >"$r/etc/hostname"; : >"$r/etc/hosts"; : >"$r/etc/resolv.conf"
}

# derive OCI FROM TO NAME [umoci config args...] — new tag TO from FROM with label + extra config.
derive() {
  local oci=$1 from=$2 to=$3 name=$4; shift 4
  umoci config --image "$oci:$from" --tag "$to" --no-history \
    --config.label "io.cri-conformance.image=$name" "$@"
}

# add_file OCI TAG CONTENT TARGET [MODE] — add one file as a new layer of TAG.
add_file() {
  local oci=$1 tag=$2 content=$3 target=$4 mode=${5:-0644} tmp
  tmp=$(mktemp -d "$IMG_DIR/add.XXXXXX")
  printf '%s' "$content" >"$tmp/f"
  chmod "$mode" "$tmp/f"
  umoci insert --image "$oci:$tag" --history.created_by "scripts/testbed.sh: add $target" \
    "$tmp/f" "$target"
  rm -rf "$tmp"
}

# add_binary OCI TAG PATH — add an executable and the shared libraries it needs as one layer.
add_binary() {
  local oci=$1 tag=$2 bin=$3 tmp lib
  tmp=$(mktemp -d "$IMG_DIR/bin.XXXXXX")
  mkdir -p "$tmp$(dirname "$bin")"
  cp -L "$bin" "$tmp$bin"
  while read -r lib; do
    mkdir -p "$tmp$(dirname "$lib")"
    cp -L "$lib" "$tmp$lib"
  done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
  umoci insert --image "$oci:$tag" --history.created_by "scripts/testbed.sh: add $bin" "$tmp" /
  rm -rf "$tmp"
}

build_and_push_images() {
  local oci="$IMG_DIR/oci" bundle="$IMG_DIR/bundle" name tag
  log "building test images (umoci)"
  rm -rf "$oci" "$bundle"
  mkdir -p "$IMG_DIR"
  build_rootfs "$IMG_DIR/rootfs"
  umoci init --layout "$oci"
  umoci new --image "$oci:base"
  umoci unpack --image "$oci:base" "$bundle" >/dev/null
  cp -a "$IMG_DIR/rootfs/." "$bundle/rootfs/"
  umoci repack --image "$oci:base" --history.created_by "scripts/testbed.sh: busybox rootfs" "$bundle"
  rm -rf "$bundle"
  umoci config --image "$oci:base" --no-history --config.env "$PATH_ENV" --config.workingdir / \
    --config.cmd /bin/sh

  derive "$oci" base busybox busybox
  derive "$oci" base user-uid user-uid --config.user 1234
  derive "$oci" base user-name user-name --config.user crit
  derive "$oci" base user-uid-gid user-uid-gid --config.user 1234:5678
  derive "$oci" base user-name-group user-name-group --config.user crit:critgrp
  derive "$oci" base multi-tag multi-tag

  derive "$oci" base web web --config.exposedports 80/tcp \
    --config.cmd /bin/httpd --config.cmd -f --config.cmd -v --config.cmd -p --config.cmd 80 \
    --config.cmd -h --config.cmd /www
  add_file "$oci" web $'cri-conformance web ok\n' /www/index.html

  for name in distinct-a distinct-b distinct-c removable-a removable-b; do
    derive "$oci" base "$name" "$name"
    add_file "$oci" "$name" "$name"$'\n' /distinct
  done

  # Sandbox image: busybox has no `pause`, a shell loop stands in for it as the pod's PID 1.
  local pause_script
  pause_script=$(cat <<'PAUSE'
#!/bin/sh
# cri-conformance pause: PID 1 of every pod sandbox. Sleeps forever, exits 0 on SIGTERM/SIGINT.
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
PAUSE
)
  derive "$oci" base pause pause --clear config.cmd --config.entrypoint /pause
  add_file "$oci" pause "$pause_script"$'\n' /pause 0755

  derive "$oci" base private private

  # UDP echo server (busybox has none): Debian's socat and its libraries, answering every datagram
  # on port 9999 with its own payload.
  derive "$oci" base udp-echo udp-echo --config.exposedports 9999/udp \
    --config.cmd /usr/bin/socat --config.cmd UDP4-RECVFROM:9999,fork --config.cmd EXEC:/bin/cat
  add_binary "$oci" udp-echo /usr/bin/socat

  log "pushing test images to $REGISTRY and $AUTH_REGISTRY (skopeo)"
  local -a skopeo=(skopeo --insecure-policy copy -q --dest-tls-verify=false)
  for name in "${IMAGES[@]}"; do
    for tag in ${IMAGE_TAGS[$name]}; do
      "${skopeo[@]}" "oci:$oci:$name" "docker://$REGISTRY/$REPO/$name:$tag" >&2
    done
  done
  "${skopeo[@]}" --dest-creds "$AUTH_USER:$AUTH_PASS" "oci:$oci:private" \
    "docker://$AUTH_REGISTRY/$REPO/private:1.0" >&2
}

ensure_images() {
  if all_images_present; then
    return 0
  fi
  build_and_push_images
  all_images_present || die "images missing from registry storage after push"
}

# ---------------------------------------------------------------------------------------------
# 4. CNI
# ---------------------------------------------------------------------------------------------
# Only what the specs need, because every plugin and iptables call is paid on each RunPodSandbox
# and StopPodSandbox: no ipMasq (pods never leave the host; nothing may reach the internet) and no
# firewall plugin (allow_bridge_forward opens the FORWARD chain for the bridge once, instead).
write_cni_config() {
  mkdir -p "$CNI_DIR/net.d" "$CNI_DIR/ipam"
  cat >"$CNI_DIR/net.d/10-$CNI_NET.conflist.new" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NET",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$CNI_DIR/ipam",
        "ranges": [[{ "subnet": "$SUBNET" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  mv "$CNI_DIR/net.d/10-$CNI_NET.conflist.new" "$CNI_DIR/net.d/10-$CNI_NET.conflist"
}

FORWARD_COMMENT="cri-conformance test bed $BRIDGE"

# allow_bridge_forward — when the host's FORWARD policy is not ACCEPT (Docker sets DROP), accept
# traffic from and to our bridge with two rules marked by FORWARD_COMMENT; down removes them.
allow_bridge_forward() {
  iptables -w -S FORWARD 2>/dev/null | grep -qx -- '-P FORWARD ACCEPT' && return 0
  local dir
  for dir in -i -o; do
    iptables -w -C FORWARD "$dir" "$BRIDGE" -m comment --comment "$FORWARD_COMMENT" -j ACCEPT 2>/dev/null \
      || iptables -w -I FORWARD "$dir" "$BRIDGE" -m comment --comment "$FORWARD_COMMENT" -j ACCEPT
  done
  log "FORWARD policy is not ACCEPT: accepting traffic of $BRIDGE"
}

remove_bridge_forward() {
  local dir
  for dir in -i -o; do
    while iptables -w -D FORWARD "$dir" "$BRIDGE" -m comment --comment "$FORWARD_COMMENT" -j ACCEPT 2>/dev/null; do :; done
  done
}

# ---------------------------------------------------------------------------------------------
# 5. containerd configuration
# ---------------------------------------------------------------------------------------------
# write_hosts_toml HOST SERVER_URL — certs.d/HOST/hosts.toml sending HOST's pulls to SERVER_URL.
write_hosts_toml() {
  mkdir -p "$CTRD_DIR/certs.d/$1"
  cat >"$CTRD_DIR/certs.d/$1/hosts.toml.new" <<EOF
# written by scripts/testbed.sh: $1 -> $2 (local test bed registry, never the internet)
server = "$2"

[host."$2"]
  capabilities = ["pull", "resolve"]
EOF
  mv "$CTRD_DIR/certs.d/$1/hosts.toml.new" "$CTRD_DIR/certs.d/$1/hosts.toml"
}

write_containerd_config() {
  mkdir -p "$CTRD_DIR"/{root,state,opt,runc}
  write_hosts_toml "$REGISTRY" "http://$REGISTRY"
  write_hosts_toml "$AUTH_REGISTRY" "http://$AUTH_REGISTRY"
  # Mirrors for public names: a stray pull of these hits the local registry only (404).
  write_hosts_toml docker.io "http://$REGISTRY"
  write_hosts_toml registry.k8s.io "http://$REGISTRY"
  write_hosts_toml gcr.io "http://$REGISTRY"

  local runtime
  {
    cat <<EOF
# containerd config written by scripts/testbed.sh — private instance, nothing shared with a
# system containerd: own root/state/sockets, no debug/metrics sockets, own opt and runc roots.
version = 2
root = "$CTRD_DIR/root"
state = "$CTRD_DIR/state"
oom_score = 0
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "$SOCK"

[ttrpc]
  address = "$SOCK.ttrpc"

[debug]
  address = ""
  level = "info"

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$CTRD_DIR/opt"

  [plugins."io.containerd.runtime.v1.linux"]
    runtime_root = "$CTRD_DIR/runc/v1-linux"

  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$REGISTRY/$REPO/pause:1.0"
    # This root has no CAP_SYS_RESOURCE: oom_score_adj can't go below containerd's own.
    restrict_oom_score_adj = true
    enable_selinux = false
    systemd_cgroup = false
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    disable_tcp_service = true
    # Snapshot usage (ImageFsInfo, writable_layer) is collected every N s (default 10): collect
    # every second so that the specs that wait for a new reading do not wait 10 s each time.
    stats_collect_period = 1
    # Pod network namespaces under <state>/ (inside the work dir) instead of /var/run/netns.
    netns_mounts_under_state_dir = true

    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$CNI_BIN_DIR"
      conf_dir = "$CNI_DIR/net.d"
      max_conf_num = 1

    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"

EOF
    for runtime in runc crit-alt; do
      cat <<EOF
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$runtime]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$runtime.options]
          SystemdCgroup = false
          Root = "$CTRD_DIR/runc/$runtime"

EOF
    done
    cat <<EOF
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "$CTRD_DIR/certs.d"
EOF
  } >"$CTRD_CONFIG.new"
  mv "$CTRD_CONFIG.new" "$CTRD_CONFIG"
}

# ---------------------------------------------------------------------------------------------
# 6. containerd
# ---------------------------------------------------------------------------------------------
ctr_() { ctr --address "$SOCK" "$@"; }

containerd_answers() {
  pidfile_pid "$CTRD_PID" "$CTRD_CONFIG" >/dev/null || return 1
  ctr_ version >/dev/null 2>&1
}

# CRI plugin loaded ("ok") — if its config is broken containerd still starts, without CRI.
cri_plugin_ok() {
  local out
  out=$(ctr_ plugins ls 2>/dev/null) || return 1
  [[ $(awk '$1 == "io.containerd.grpc.v1" && $2 == "cri" { print $NF }' <<<"$out") == ok ]]
}

containerd_healthy() { containerd_answers && cri_plugin_ok; }

start_containerd() {
  if containerd_healthy; then
    return 0
  fi
  stop_pidfile "$CTRD_PID" "$CTRD_CONFIG" "stale containerd"
  log "starting containerd ($SOCK)"
  rm -f "$SOCK" "$SOCK.ttrpc"
  spawn "$CTRD_PID" "$CTRD_LOG" containerd --config "$CTRD_CONFIG"
  if ! wait_ready 30 "$(<"$CTRD_PID")" containerd_answers; then
    echo "testbed: error: containerd did not come up on $SOCK; log tail ($CTRD_LOG):" >&2
    tail -n 25 "$CTRD_LOG" >&2 || true
    exit 1
  fi
  if ! wait_until 10 cri_plugin_ok; then
    echo "testbed: error: containerd is up but its CRI plugin did not load; log tail:" >&2
    grep -i 'cri\|error' "$CTRD_LOG" | tail -n 25 >&2 || true
    exit 1
  fi
}

# ---------------------------------------------------------------------------------------------
# down: teardown helpers
# ---------------------------------------------------------------------------------------------
# cri_sandbox_call METHOD SANDBOX_ID — unary CRI call over the unix socket with curl's HTTP/2
# (gRPC framing done by hand). Only for StopPodSandbox/RemovePodSandbox, whose request is a
# single string field 1 (pod_sandbox_id). Succeeds when the reply trailer says grpc-status 0.
cri_sandbox_call() {
  local method=$1 id=$2 hdr rc=0 n
  n=${#id}
  (( n > 0 && n < 126 )) || return 1
  hdr=$(mktemp)
  # shellcheck disable=SC2059  # the \xHH escapes are meant to be in the format
  {
    printf '\x00\x00\x00\x00'                   # uncompressed; 4-byte big-endian length ...
    printf "\\x$(printf %02x $((n + 2)))"        # ... of a message of n+2 bytes:
    printf '\x0a'                               # field 1, wire type 2 (length-delimited)
    printf "\\x$(printf %02x "$n")"             # length (< 128: one varint byte)
    printf '%s' "$id"
  } | curl -s -m 60 --http2-prior-knowledge --unix-socket "$SOCK" \
    -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- \
    -D "$hdr" -o /dev/null "http://localhost/runtime.v1.RuntimeService/$method" || rc=$?
  if (( rc == 0 )) && ! grep -qi '^grpc-status: *0' "$hdr"; then
    log "$method $id: $(grep -i '^grpc-message' "$hdr" | tr -d '\r' || echo 'no grpc-status 0')"
    rc=1
  fi
  rm -f "$hdr"
  return "$rc"
}

# teardown_pods — stop + remove every CRI pod sandbox (CNI DEL runs, netns is released), then
# kill whatever tasks are left in any containerd namespace.
teardown_pods() {
  local id ns task
  local -a ids
  mapfile -t ids < <(ctr_ -n k8s.io containers ls -q 'labels."io.cri-containerd.kind"==sandbox' 2>/dev/null)
  for id in "${ids[@]}"; do
    [[ -n $id ]] || continue
    log "removing pod sandbox $id"
    cri_sandbox_call StopPodSandbox "$id" || log "warning: StopPodSandbox $id failed"
    cri_sandbox_call RemovePodSandbox "$id" || log "warning: RemovePodSandbox $id failed"
  done
  for ns in $(ctr_ namespaces ls -q 2>/dev/null); do
    for task in $(ctr_ -n "$ns" tasks ls -q 2>/dev/null); do
      log "killing leftover task $ns/$task"
      ctr_ -n "$ns" tasks kill -a -s SIGKILL "$task" >/dev/null 2>&1 || true
      ctr_ -n "$ns" tasks delete -f "$task" >/dev/null 2>&1 || true
    done
  done
}

# our_shims — pids of containerd-shim* processes started by OUR containerd: their argv has
# `-address <our socket>` (a system containerd's shims have a different address).
our_shims() {
  local d pid
  local -a argv
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [[ $(cat "$d/comm" 2>/dev/null) == containerd-shim* ]] || continue
    mapfile -d '' -t argv <"$d/cmdline" 2>/dev/null || continue
    local i
    for ((i = 0; i + 1 < ${#argv[@]}; i++)); do
      if [[ ${argv[i]} == -address && ${argv[i+1]} == "$SOCK" ]]; then echo "$pid"; break; fi
    done
  done
}

no_shims_left() { [[ -z $(our_shims) ]]; }

# shim_arg PID NAME — value following NAME in the shim's argv.
shim_arg() {
  local -a argv; local i
  mapfile -d '' -t argv <"/proc/$1/cmdline" 2>/dev/null || return 1
  for ((i = 0; i + 1 < ${#argv[@]}; i++)); do
    [[ ${argv[i]} == "$2" ]] && { echo "${argv[i+1]}"; return 0; }
  done
  return 1
}

# kill_runc_containers — `runc delete --force` every container still registered in our runc
# roots (kills its processes, removes its cgroups).
kill_runc_containers() {
  local root id
  [[ -d $CTRD_DIR/runc ]] || return 0
  while read -r root; do
    for id in $(runc --root "$root" list -q 2>/dev/null); do
      log "force-deleting runc container $id"
      runc --root "$root" delete --force "$id" >/dev/null 2>&1 || true
    done
  done < <(find "$CTRD_DIR/runc" -mindepth 1 -maxdepth 2 -type d 2>/dev/null)
}

# kill_our_shims — SIGKILL the shims of this containerd (normally none are left by now).
kill_our_shims() {
  local pid
  for pid in $(our_shims); do
    log "killing containerd-shim $pid ($(shim_arg "$pid" -namespace || true)/$(shim_arg "$pid" -id || true))"
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait_until 10 no_shims_left || log "warning: shims still alive: $(our_shims | xargs)"
}

# remove_shim_sockets — containerd 1.6 puts shim sockets at the fixed place
# /run/containerd/s/<sha256("<containerd address>/<namespace>/<shim id>")>; a shim that was
# killed leaves its socket behind. Remove those of our shims (ids from our task state dir), then
# the directories if `up` found no /run/containerd and they are empty now.
remove_shim_sockets() {
  local d ns id sum
  for d in "$CTRD_DIR"/state/io.containerd.runtime.v2.task/*/*; do
    [[ -d $d ]] || continue
    id=${d##*/}; ns=${d%/*}; ns=${ns##*/}
    sum=$(printf '%s' "$SOCK/$ns/$id" | sha256sum | cut -d' ' -f1)
    rm -f "/run/containerd/s/$sum"
  done
  if [[ -e $WORK_DIR/.run-containerd-created ]] && rmdir /run/containerd/s 2>/dev/null; then
    rmdir /run/containerd 2>/dev/null || true
  fi
}

# scrub_iptables — remove iptables rules our CNI network left behind (normally CNI DEL did it;
# bridge's ipMasq rules leak when DEL runs without a netns). Rules are ours when their comment
# names our network (bridge ipMasq, portmap) or, in the firewall plugin's CNI-FORWARD chain,
# when they match a pod IP leased from our host-local IPAM dir.
scrub_iptables() {
  local table line chain
  local -a ips=() chains=()
  local leases="$CNI_DIR/ipam/$CNI_NET"
  if [[ -d $leases ]]; then
    mapfile -t ips < <(find "$leases" -maxdepth 1 -type f -name '10.*' -printf '%f\n')
  fi
  for table in nat filter mangle; do
    chains=()
    while IFS= read -r line; do
      local ours=0 ip
      [[ $line == *"name: \\\"$CNI_NET\\\""* ]] && ours=1
      if [[ $line == "-A CNI-FORWARD "* ]]; then
        for ip in "${ips[@]}"; do [[ $line == *" $ip/32 "* ]] && ours=1; done
      fi
      (( ours )) || continue
      chain=$(sed -nE 's/.* -j (CNI-[A-Za-z0-9-]+)( .*)?$/\1/p' <<<"$line")
      case "$chain" in
        CNI-FORWARD|CNI-ADMIN|CNI-HOSTPORT-*|"") ;;   # shared chains: keep
        *) chains+=("$chain") ;;
      esac
      eval "iptables -w -t $table -D ${line#-A }" 2>/dev/null && log "removed iptables rule: $table $line"
    done < <(iptables -w -t "$table" -S 2>/dev/null)
    for chain in "${chains[@]}"; do
      iptables -w -t "$table" -F "$chain" 2>/dev/null || true
      iptables -w -t "$table" -X "$chain" 2>/dev/null || true
    done
  done
}

# clean_cni_cache — libcni's result cache (/var/lib/cni/results; containerd 1.6 offers no way to
# move it) entries of OUR pods: "<network>-<sandbox id>-<ifname>", for crit-bridge and for the
# loopback network the CRI plugin adds. Normally CNI DEL already removed them.
clean_cni_cache() {
  local dir=/var/lib/cni/results f id
  local -a ids=()
  [[ -d $dir ]] || return 0
  for f in "$dir/$CNI_NET"-*; do
    [[ -e $f ]] || continue
    id=${f##*/"$CNI_NET"-}
    ids+=("${id%-*}")
  done
  for f in "$CNI_DIR/ipam/$CNI_NET"/10.*; do
    [[ -f $f ]] || continue
    id=$(head -n1 "$f" | tr -d '\r\n')
    [[ -n $id ]] && ids+=("$id")
  done
  for id in "${ids[@]}"; do
    [[ $id =~ ^[A-Za-z0-9_.-]+$ ]] || continue
    rm -f "$dir/$CNI_NET-$id-"* "$dir/cni-loopback-$id-"*
  done
}

# remove_idle_cni_chains — portmap and firewall leave shared chains behind (CNI-HOSTPORT-*,
# CNI-FORWARD/CNI-ADMIN) even after the last DEL. Remove them only when they hold nothing but
# their boilerplate, i.e. no pod of any CNI user still needs them (plugins re-create them on ADD).
remove_idle_cni_chains() {
  local line
  # delete_jumps TABLE TARGET — delete every rule of TABLE that jumps to TARGET
  delete_jumps() {
    local l
    while IFS= read -r l; do
      eval "iptables -w -t $1 -D ${l#-A }" 2>/dev/null || true
    done < <(iptables -w -t "$1" -S 2>/dev/null | grep -E -- "^-A .* -j $2( |\$)" || true)
  }
  drop_chain() { iptables -w -t "$1" -F "$2" 2>/dev/null || true; iptables -w -t "$1" -X "$2" 2>/dev/null || true; }
  chain_rules() { iptables -w -t "$1" -S "$2" 2>/dev/null | grep '^-A ' || true; }

  if iptables -w -t nat -S CNI-HOSTPORT-DNAT >/dev/null 2>&1 \
    && [[ -z $(chain_rules nat CNI-HOSTPORT-DNAT) ]] \
    && [[ $(iptables -w -t nat -S 2>/dev/null || true) != *"-N CNI-DN-"* ]]; then
    log "removing idle portmap chains (CNI-HOSTPORT-*)"
    for line in CNI-HOSTPORT-DNAT CNI-HOSTPORT-MASQ CNI-HOSTPORT-SETMARK; do delete_jumps nat "$line"; done
    for line in CNI-HOSTPORT-DNAT CNI-HOSTPORT-MASQ CNI-HOSTPORT-SETMARK; do drop_chain nat "$line"; done
  fi
  if iptables -w -t filter -S CNI-FORWARD >/dev/null 2>&1 \
    && [[ -z $(chain_rules filter CNI-ADMIN) ]] \
    && [[ -z $(chain_rules filter CNI-FORWARD | grep -v -- '-j CNI-ADMIN$' || true) ]]; then
    log "removing idle firewall chains (CNI-FORWARD, CNI-ADMIN)"
    delete_jumps filter CNI-FORWARD
    drop_chain filter CNI-FORWARD
    drop_chain filter CNI-ADMIN
  fi
}

# unmount_all_under DIR — lazily unmount every mount point at or below DIR, deepest first.
unmount_all_under() {
  local dir=$1 mp
  for _ in 1 2 3 4 5; do
    local -a mps=()
    while read -r mp; do
      mp=$(printf '%b' "${mp//\\/\\0}")         # mountinfo escapes spaces etc. as \ooo
      [[ $mp == "$dir" || $mp == "$dir"/* ]] && mps+=("$mp")
    done < <(awk '{ print $5 }' /proc/self/mountinfo)
    (( ${#mps[@]} )) || return 0
    while read -r mp; do
      umount -l "$mp" 2>/dev/null || true
    done < <(printf '%s\n' "${mps[@]}" | awk '{ print gsub("/", "/"), $0 }' | sort -rn | cut -d' ' -f2-)
  done
  log "warning: still mounted under $dir: $(awk -v d="$dir" '$5 ~ "^"d { print $5 }' /proc/self/mountinfo | xargs)"
}

cmd_down() {
  [[ $WORK_DIR != / ]] || die "refusing to use / as the work dir"
  if [[ -e $WORK_DIR && ! -e $MARKER ]]; then
    die "$WORK_DIR was not made by this script (no $MARKER); not touching it"
  fi
  if [[ -d $WORK_DIR ]]; then
    # 1. CRI teardown. If containerd died but left pods behind, start it again for the teardown.
    if ! containerd_answers && [[ -f $CTRD_CONFIG ]] \
      && [[ -n $(find "$CTRD_DIR/state" "$CNI_DIR/ipam" -mindepth 1 -maxdepth 3 2>/dev/null | head -n1) ]]; then
      log "containerd is not running; starting it to tear the pods down"
      stop_pidfile "$CTRD_PID" "$CTRD_CONFIG" "stale containerd"
      rm -f "$SOCK" "$SOCK.ttrpc"
      spawn "$CTRD_PID" "$CTRD_LOG" containerd --config "$CTRD_CONFIG"
      if ! { wait_ready 30 "$(<"$CTRD_PID")" containerd_answers && wait_until 10 cri_plugin_ok; }; then
        log "warning: containerd did not come up; cleaning up by hand"
      fi
    fi
    if containerd_answers; then
      teardown_pods
    fi
    # 2. containerd, then whatever survived it (containers, shims).
    stop_pidfile "$CTRD_PID" "$CTRD_CONFIG" containerd
    kill_runc_containers
    kill_our_shims
    remove_shim_sockets
    if [[ -e $WORK_DIR/.cgroup-k8s.io-created ]]; then
      rmdir /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/k8s.io 2>/dev/null || true   # only if empty
    fi
    # 3. registries
    stop_pidfile "$REG_DIR/registry.pid" "$REG_DIR/config.yml" "registry $REGISTRY"
    stop_pidfile "$AUTH_DIR/registry.pid" "$AUTH_DIR/config.yml" "auth registry $AUTH_REGISTRY"
    # 4. network leftovers: iptables rules, libcni result cache
    scrub_iptables
    remove_bridge_forward
    remove_idle_cni_chains
    clean_cni_cache
  fi
  # 5. the bridge (its name is ours alone)
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "deleting bridge $BRIDGE"
    ip link delete "$BRIDGE" || log "warning: could not delete $BRIDGE"
  fi
  # 6. mounts (rootfs overlays, /dev/shm, pod netns under the state dir) and the work dir
  if [[ -d $WORK_DIR ]]; then
    unmount_all_under "$WORK_DIR"
    rm -rf --one-file-system "$WORK_DIR"
    log "removed $WORK_DIR"
  fi
  log "down"
}

# ---------------------------------------------------------------------------------------------
# Images for critest (only for `CRITEST=… scripts/bench-suite`, which compares the suite's
# rate with critest's on this test bed; the suite itself never uses them)
# ---------------------------------------------------------------------------------------------
# critest v1.26 pulls registry.k8s.io/e2e-test-images/* and gcr.io/k8s-staging-cri-tools/*; the
# test bed mirrors both hosts to the local registry, where these stand-ins, built from the same
# busybox base, give each critest test what it checks: pgrep and ipcs (Debian's busybox has
# neither applet), an httpd that logs "httpd -D FOREGROUND", an nginx whose PID 1 is named nginx,
# writes /var/run/nginx.pid and has "master process" in its command line (on port 80, and on 12003
# for the host-network image), the image USERs of critest's image tests, distinct images for its
# list tests, and a setuid-root program printing "Effective uid: N" for its NoNewPrivs tests.
# Its pull by digest (a digest of the upstream image) cannot be reproduced and fails.
CRITEST_K8S=e2e-test-images
CRITEST_GCR=k8s-staging-cri-tools

cmd_critest_images() {
  all_healthy 2>/dev/null || die "the test bed is not up (run: $0 up)"
  [[ -d $IMG_DIR/oci ]] || die "$IMG_DIR/oci is missing (run: $0 down && $0 up)"
  ensure_packages gcc libc6-dev procps util-linux
  write_hosts_toml gcr.io "http://$REGISTRY"
  local oci="$IMG_DIR/critest-oci" tmp n port
  rm -rf "$oci"
  cp -a "$IMG_DIR/oci" "$oci"
  derive "$oci" base c-busybox critest-busybox
  add_binary "$oci" c-busybox /usr/bin/pgrep
  add_binary "$oci" c-busybox /usr/bin/ipcs

  derive "$oci" c-busybox c-httpd critest-httpd --clear config.cmd --config.cmd /usr/sbin/httpd-fg \
    --config.exposedports 80/tcp
  add_file "$oci" c-httpd $'ok\n' /www/index.html
  add_file "$oci" c-httpd $'#!/bin/sh\necho "AH00094: Command line: \'httpd -D FOREGROUND\'"\nexec httpd -f -p 80 -h /www\n' \
    /usr/sbin/httpd-fg 0755
  for port in 80 12003; do
    derive "$oci" c-busybox "c-nginx-$port" critest-nginx --clear config.cmd \
      --config.cmd /usr/sbin/nginx --config.cmd 'master process' --config.exposedports "$port/tcp"
    add_file "$oci" "c-nginx-$port" $'ok\n' /www/index.html
    add_file "$oci" "c-nginx-$port" "#!/bin/sh
# stands in for nginx for critest: PID 1 named nginx, /var/run/nginx.pid, serves port $port
trap 'exit 0' TERM INT
mkdir -p /var/run
echo \$\$ >/var/run/nginx.pid
httpd -f -p $port -h /www &
wait \$!
" /usr/sbin/nginx 0755
  done

  derive "$oci" c-busybox c-user-uid critest-user --config.user 1002
  derive "$oci" c-busybox c-user-username critest-user --config.user www-data
  derive "$oci" c-busybox c-user-uid-group critest-user --config.user 1003:1003
  derive "$oci" c-busybox c-user-username-group critest-user --config.user www-data:www-data
  derive "$oci" c-busybox c-predefined-group critest-user --config.user 1000
  add_file "$oci" c-predefined-group "$(cat "$IMG_DIR/rootfs/etc/passwd")
default-user:x:1000:1000::/home/default-user:/bin/sh
" /etc/passwd
  add_file "$oci" c-predefined-group "$(cat "$IMG_DIR/rootfs/etc/group")
default-user:x:1000:
group-defined-in-image:x:50000:default-user
" /etc/group
  for n in 1 2 3 latest tag all tags; do
    derive "$oci" c-busybox "c-test-$n" critest-test-image
    add_file "$oci" "c-test-$n" "$n"$'\n' "/test-image-$n"
  done

  tmp=$(mktemp -d "$IMG_DIR/nnp.XXXXXX")
  printf '%s\n' '#include <stdio.h>' '#include <unistd.h>' \
    'int main(void) { printf("Effective uid: %d\n", (int)geteuid()); return 0; }' >"$tmp/nnp.c"
  gcc -static -O2 -o "$tmp/nnp" "$tmp/nnp.c"
  chmod 4755 "$tmp/nnp"
  derive "$oci" c-busybox c-nonewprivs critest-nonewprivs --clear config.cmd --config.cmd /nnp
  umoci insert --image "$oci:c-nonewprivs" --history.created_by "scripts/testbed.sh: add /nnp" \
    "$tmp/nnp" /nnp
  rm -rf "$tmp"

  log "pushing critest's images to $REGISTRY (skopeo)"
  local -a skopeo=(skopeo --insecure-policy copy -q --dest-tls-verify=false)
  push() { "${skopeo[@]}" "oci:$oci:$1" "docker://$REGISTRY/$2" >&2; }
  push c-busybox "$CRITEST_K8S/busybox:1.29-2"
  push c-httpd "$CRITEST_K8S/httpd:2.4.39-4"
  push c-nginx-80 "$CRITEST_K8S/nginx:1.14-2"
  push c-nonewprivs "$CRITEST_K8S/nonewprivs:1.3"
  push c-nginx-12003 "$CRITEST_GCR/hostnet-nginx-amd64:latest"
  push c-user-uid "$CRITEST_GCR/test-image-user-uid:latest"
  push c-user-username "$CRITEST_GCR/test-image-user-username:latest"
  push c-user-uid-group "$CRITEST_GCR/test-image-user-uid-group:latest"
  push c-user-username-group "$CRITEST_GCR/test-image-user-username-group:latest"
  push c-predefined-group "$CRITEST_GCR/test-image-predefined-group:latest"
  push c-test-latest "$CRITEST_GCR/test-image-latest:latest"
  push c-test-tag "$CRITEST_GCR/test-image-tag:test"
  push c-test-all "$CRITEST_GCR/test-image-tag:all"
  for n in 1 2 3; do
    push "c-test-$n" "$CRITEST_GCR/test-image-$n:latest"
    push c-test-tags "$CRITEST_GCR/test-image-tags:$n"
  done
  rm -rf "$oci"
  log "critest's images are in $REGISTRY ($CRITEST_K8S/*, $CRITEST_GCR/*)"
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
cmd_env() {
  cat <<EOF
export CONTAINER_RUNTIME_ENDPOINT=unix://$SOCK
export IMAGE_SERVICE_ENDPOINT=unix://$SOCK
export CRI_TESTBED_DIR=$WORK_DIR
export CRI_TESTBED_REGISTRY=$REGISTRY
export CRI_TESTBED_AUTH_REGISTRY=$AUTH_REGISTRY
EOF
}

all_healthy() {
  registry_healthy "$REG_DIR" "$REGISTRY" 200 \
    && registry_healthy "$AUTH_DIR" "$AUTH_REGISTRY" 200 -u "$AUTH_USER:$AUTH_PASS" \
    && containerd_healthy && all_images_present
}

cmd_up() {
  local t0; t0=$(now_ms)
  [[ $WORK_DIR != / ]] || die "refusing to use / as the work dir"
  if [[ -e $WORK_DIR && ! -e $MARKER && -n $(ls -A "$WORK_DIR" 2>/dev/null) ]]; then
    die "$WORK_DIR exists, is not empty and was not made by this script"
  fi
  if [[ -e $MARKER ]] && all_healthy 2>/dev/null; then
    log "already up"
    cmd_env
    return 0
  fi
  ensure_packages "${PACKAGES[@]}"
  mkdir -p "$WORK_DIR"
  touch "$MARKER"
  start_registry "$REG_DIR" "$REGISTRY" 200
  start_registry "$AUTH_DIR" "$AUTH_REGISTRY" 200 "$AUTH_DIR/htpasswd"
  ensure_images
  write_cni_config
  allow_bridge_forward
  write_containerd_config
  # Our shims create /run/containerd/s, and pods without a cgroup_parent get cgroups under
  # <controller>/k8s.io/: remember what was not there before us, so `down` can rmdir it.
  [[ -e /run/containerd ]] || touch "$WORK_DIR/.run-containerd-created"
  if ! compgen -G '/sys/fs/cgroup/*/k8s.io' >/dev/null && [[ ! -e /sys/fs/cgroup/k8s.io ]]; then
    touch "$WORK_DIR/.cgroup-k8s.io-created"
  fi
  start_containerd
  log "up in $(( $(now_ms) - t0 ))ms"
  cmd_env
}

cmd_status() {
  local rc=0 pid
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
  if containerd_healthy; then
    pid=$(pidfile_pid "$CTRD_PID" "$CTRD_CONFIG")
    echo "containerd unix://$SOCK: up, CRI plugin ok (pid $pid)"
  else
    echo "containerd unix://$SOCK: DOWN"; rc=1
  fi
  return "$rc"
}

cmd="${1:-}"
case "$cmd" in
  up) cmd_up ;;
  env) cmd_env ;;
  status) cmd_status ;;
  down) cmd_down ;;
  critest-images) cmd_critest_images ;;
  *) echo "usage: $0 up|down|env|status|critest-images" >&2; exit 2 ;;
esac
