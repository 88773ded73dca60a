# Sourced by scripts/testbed.sh: the two docker-registry instances (plain and basic auth).
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

