# Sourced by scripts/testbed.sh: process, pid-file and polling helpers (no state of its own).
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
