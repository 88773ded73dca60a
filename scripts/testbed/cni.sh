# Sourced by scripts/testbed.sh: the CNI bridge network every runtime of the test bed uses.
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
