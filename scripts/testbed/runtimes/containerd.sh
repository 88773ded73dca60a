# Sourced by a containerd driver (containerd-2.1.sh, containerd-1.7.sh, containerd-1.6.sh), which
# sets CTRD_SERIES (e.g. 2.1), CTRD_SUITE (the Debian suite carrying it) and CTRD_TEMPLATE (the
# config template under scripts/testbed/templates/) first.
#
# The driver interface scripts/testbed.sh calls: rt_install, rt_configure, rt_start, rt_answers,
# rt_healthy, rt_version, rt_teardown_pods, rt_stop, rt_status_line. containerd runs from the
# Debian package unpacked under $RT_DIR/pkg (never installed on the host), with Debian 12's runc
# and criu from the host's own packages (and the newer runc and crun of handlers.sh as extra
# handlers), as root, with its own root, state, socket and config.
RT_DIR="$WORK_DIR/$RT_NAME"
CTRD_DIR="$RT_DIR"
CTRD_PKG="$RT_DIR/pkg"
CTRD_CONFIG="$CTRD_DIR/config.toml"
CTRD_PID="$CTRD_DIR/containerd.pid"
CTRD_LOG="$CTRD_DIR/containerd.log"
CTRD_BIN="$CTRD_PKG/usr/bin/containerd"
# Host packages the driver needs besides the shared ones (Debian 12's own): runc, the default
# handler; criu for its libcriu.so.2, which crun loads to checkpoint (the criu binary that runs is
# sid's, first on containerd's PATH: see handlers.sh).
RT_PACKAGES=(runc criu)

ctr_() { "$CTRD_PKG/usr/bin/ctr" --address "$SOCK" "$@"; }

rt_install() {
  ensure_packages "${RT_PACKAGES[@]}"
  fetch_deb containerd "$CTRD_SUITE" "$CTRD_SERIES." "$CTRD_PKG" >/dev/null
  install_extra_handlers
  [[ -x $CTRD_BIN ]] || die "$CTRD_BIN is missing after unpacking containerd"
}

rt_version() { echo "$("$CTRD_BIN" --version 2>/dev/null | awk '{ print $3 }') (Debian package $(cat "$CTRD_PKG/.version" 2>/dev/null || echo "?"))"; }

# write_hosts_toml HOST SERVER_URL — certs.d/HOST/hosts.toml sending HOST's pulls to SERVER_URL.
write_hosts_toml() {
  mkdir -p "$CTRD_DIR/certs.d/$1"
  cat >"$CTRD_DIR/certs.d/$1/hosts.toml.new" <<HOSTS
# written by scripts/testbed.sh: $1 -> $2 (local test bed registry, never the internet)
server = "$2"

[host."$2"]
  capabilities = ["pull", "resolve"]
HOSTS
  mv "$CTRD_DIR/certs.d/$1/hosts.toml.new" "$CTRD_DIR/certs.d/$1/hosts.toml"
}

# runtime_handlers — the CRI runtime handlers of this containerd, one "name binary" per line: runc
# (the default, Debian 12's) and crit-alt (a second runc handler for the runtime_handler specs),
# plus the extra handlers of handlers.sh (crun, runc-1.3).
runtime_handlers() {
  echo "runc $(command -v runc)"
  echo "crit-alt $(command -v runc)"
  extra_handlers
}

# handler_block NAME BINARY — the TOML of one runc-shim runtime handler for this config version.
handler_block() {
  local name=$1 bin=$2 section
  case "$CTRD_TEMPLATE" in
    containerd-v3.toml) section="plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.\"$name\"" ;;
    *) section="plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.\"$name\"" ;;
  esac
  cat <<BLOCK
      [$section]
        runtime_type = "io.containerd.runc.v2"
        [$section.options]
          BinaryName = "$bin"
          SystemdCgroup = false
          Root = "$CTRD_DIR/runc/$name"

BLOCK
}

# render_template FILE — FILE with @NAME@ replaced by the value of shell variable NAME, and the
# line @RUNTIMES@ by the runtime handler blocks.
render_template() {
  local line var name bin
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == @RUNTIMES@ ]]; then
      while read -r name bin; do handler_block "$name" "$bin"; done < <(runtime_handlers)
      continue
    fi
    for var in CTRD_DIR SOCK REGISTRY REPO CNI_BIN_DIR CNI_DIR WORK_DIR; do
      line=${line//@$var@/${!var}}
    done
    [[ $line != *@[A-Z_]*@* ]] || die "unknown placeholder in $1: $line"
    printf '%s\n' "$line"
  done <"$1"
}

rt_configure() {
  mkdir -p "$CTRD_DIR"/{root,state,opt,runc} "$WORK_DIR/cdi"
  write_hosts_toml "$REGISTRY" "http://$REGISTRY"
  write_hosts_toml "$AUTH_REGISTRY" "http://$AUTH_REGISTRY"
  # Mirrors for public names: a stray pull of these hits the local registry only (404).
  write_hosts_toml docker.io "http://$REGISTRY"
  write_hosts_toml registry.k8s.io "http://$REGISTRY"
  write_hosts_toml gcr.io "http://$REGISTRY"
  render_template "$TESTBED_LIB/templates/$CTRD_TEMPLATE" >"$CTRD_CONFIG.new"
  mv "$CTRD_CONFIG.new" "$CTRD_CONFIG"
}

rt_answers() {
  pidfile_pid "$CTRD_PID" "$CTRD_CONFIG" >/dev/null || return 1
  ctr_ version >/dev/null 2>&1
}

# CRI plugin loaded ("ok") — if its config is broken containerd still starts, without CRI.
cri_plugin_ok() {
  local out
  out=$(ctr_ plugins ls 2>/dev/null) || return 1
  [[ $(awk '$1 == "io.containerd.grpc.v1" && $2 == "cri" { print $NF }' <<<"$out") == ok ]]
}

rt_healthy() { rt_answers && cri_plugin_ok; }

# spawn_containerd — containerd with its own package's shims first on PATH, then the test bed's criu.
spawn_containerd() {
  rm -f "$SOCK" "$SOCK.ttrpc"
  PATH="$CTRD_PKG/usr/bin:$CRIU_PATH_DIR:$PATH" spawn "$CTRD_PID" "$CTRD_LOG" "$CTRD_BIN" --config "$CTRD_CONFIG"
}

rt_start() {
  if rt_healthy; then
    return 0
  fi
  stop_pidfile "$CTRD_PID" "$CTRD_CONFIG" "stale containerd"
  log "starting containerd $(rt_version) ($SOCK)"
  spawn_containerd
  if ! wait_ready 30 "$(<"$CTRD_PID")" rt_answers; then
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

# rt_revive — start containerd again when it died but left pods behind, so they can be torn down
# through CRI (CNI DEL runs). True when it answers afterwards.
rt_revive() {
  rt_answers && return 0
  [[ -f $CTRD_CONFIG && -x $CTRD_BIN ]] || return 1
  [[ -n $(find "$CTRD_DIR/state" "$CNI_DIR/ipam" -mindepth 1 -maxdepth 3 2>/dev/null | head -n1) ]] || return 1
  log "containerd is not running; starting it to tear the pods down"
  stop_pidfile "$CTRD_PID" "$CTRD_CONFIG" "stale containerd"
  spawn_containerd
  wait_ready 30 "$(<"$CTRD_PID")" rt_answers && wait_until 10 cri_plugin_ok
}

# rt_teardown_pods — stop + remove every CRI pod sandbox through the project's own CRI client
# (CNI DEL runs, the netns is released), then kill whatever tasks are left in any namespace.
rt_teardown_pods() {
  local ns task
  if [[ -f $PROJECT_DIR/dist/src/tools/teardown.js ]]; then
    node "$PROJECT_DIR/dist/src/tools/teardown.js" "unix://$SOCK" >&2 \
      || log "warning: the CRI teardown of $SOCK did not remove everything"
  else
    log "warning: $PROJECT_DIR/dist is not built: pods are killed without StopPodSandbox (no CNI DEL)"
  fi
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

# kill_runc_containers — `<handler binary> delete --force` every container still registered in
# the root of each runtime handler (kills its processes, removes its cgroups).
kill_runc_containers() {
  local name bin root id
  while read -r name bin; do
    root="$CTRD_DIR/runc/$name"
    [[ -d $root ]] || continue
    for id in $("$bin" --root "$root" list -q 2>/dev/null); do
      log "force-deleting $name container $id"
      "$bin" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
    done
  done < <(runtime_handlers)
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

# rt_stop — containerd, then whatever survived it (containers, shims, shim sockets).
rt_stop() {
  stop_pidfile "$CTRD_PID" "$CTRD_CONFIG" containerd
  kill_runc_containers
  kill_our_shims
  remove_shim_sockets
}

rt_status_line() {
  if rt_healthy; then
    echo "$RT_NAME $(rt_version) unix://$SOCK: up, CRI plugin ok (pid $(pidfile_pid "$CTRD_PID" "$CTRD_CONFIG"))"
  else
    echo "$RT_NAME unix://$SOCK: DOWN"
    return 1
  fi
}
