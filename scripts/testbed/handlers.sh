# Sourced by scripts/testbed.sh: OCI runtimes newer than Debian 12's, for extra runtime handlers.
#
# Debian 12's crun 1.8.1 refuses the OCI spec that containerd 2.1 writes ("unknown version
# specified": it knows only ociVersion 1.0.x, containerd 2.1 writes 1.2.x), Debian 12's runc 1.1.5
# lacks user namespaces (runc >= 1.2 has them), and Debian 12's criu 3.17.1 cannot dump on this
# kernel. The newer builds (sid's runc 1.3, trixie's crun 1.21, sid's criu 4.2) need glibc >= 2.38,
# which Debian 12 (2.36) does not have. So the test bed unpacks trixie's libc6 into its work dir
# and points copies of those binaries at it with patchelf (interpreter and RUNPATH): they run with
# trixie's glibc and the host's other libraries, and /proc/self/exe stays the binary itself (runc
# and crun re-execute it). crun also gets trixie's libyajl2 beside it: a fresh Debian 12 host has
# no libyajl.so.2 (only Debian 12's crun package would bring it). Nothing of sid or trixie is
# installed on the host.
HANDLERS_DIR="$WORK_DIR/handlers"
HANDLERS_BIN="$HANDLERS_DIR/bin"
GLIBC_DIR="$HANDLERS_DIR/glibc"
CRIU_PATH_DIR="$HANDLERS_DIR/path"   # put first on the runtime's PATH: runc and crun run `criu`

# private_binary PKG SUITE PREFIX PATH_IN_PKG OUT [LIBPKG...] — OUT: the package's binary running
# with the unpacked glibc (and the libraries of the LIBPKGs: their newest builds in SUITE).
private_binary() {
  local pkg=$1 suite=$2 prefix=$3 path=$4 out=$5 rpath lib
  shift 5
  fetch_deb "$pkg" "$suite" "$prefix" "$HANDLERS_DIR/$pkg" >/dev/null
  rpath="$GLIBC_DIR/usr/lib/x86_64-linux-gnu"
  for lib in "$@"; do
    fetch_deb "$lib" "$suite" "" "$HANDLERS_DIR/$lib" >/dev/null
    rpath+=":$HANDLERS_DIR/$lib/usr/lib/x86_64-linux-gnu"
  done
  mkdir -p "$(dirname "$out")"
  cp "$HANDLERS_DIR/$pkg/$path" "$out.new"
  patchelf --set-interpreter "$GLIBC_DIR/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --set-rpath "$rpath" "$out.new"
  mv "$out.new" "$out"
  "$out" --version >/dev/null 2>&1 || die "$out does not run (patched $pkg from Debian $suite)"
}

# install_extra_handlers — runc-1.3 (sid) and crun (trixie), each with trixie's glibc, and
# sid's criu 4.2 first on the runtime's PATH (CRIU_PATH_DIR): on this kernel (6.18) Debian 12's
# criu 3.17.1 cannot dump ("vdso: Unexpected rt vDSO area bounds") and trixie's 4.1 hangs in its
# parasite ("Waiting for … to trap"). The handlers are an addition: the
# default handler stays Debian 12's runc.
install_extra_handlers() {
  [[ -x $HANDLERS_BIN/runc-1.3 && -x $HANDLERS_BIN/crun && -x $CRIU_PATH_DIR/criu ]] && return 0
  ensure_packages patchelf
  fetch_deb libc6 trixie 2. "$GLIBC_DIR" >/dev/null
  private_binary runc sid 1.3. usr/sbin/runc "$HANDLERS_BIN/runc-1.3"
  private_binary crun trixie 1.21 usr/bin/crun "$HANDLERS_BIN/crun" libyajl2
  private_binary criu sid 4.2 usr/sbin/criu "$CRIU_PATH_DIR/criu" libcompel1 libnet9 libnl-3-200
}

# extra_handlers — "name binary" of each extra handler the test bed has, one per line.
extra_handlers() {
  local name
  for name in crun runc-1.3; do
    [[ -x $HANDLERS_BIN/$name ]] && echo "$name $HANDLERS_BIN/$name"
  done
  return 0
}

# Cgroup v1 hierarchies: a cgroup v1 node has each controller mounted under /sys/fs/cgroup. These
# machines differ from one boot to the next in two ways, and both break the runtimes:
#  - hugetlb sits on the cgroup2 mount at /sys/fs/cgroup/unified. crun refuses that layout ("cgroups
#    in hybrid mode not supported, drop all controllers from cgroupv2").
#  - hugetlb is a v1 hierarchy of its own (listed in /proc/self/cgroup) that nothing mounts. The runc
#    shim then cannot load a container's cgroup ("cgroups: cannot find cgroup mount destination") and
#    ContainerStats answers UNKNOWN "unexpected metrics response: []".
# hybrid_cgroups_up mounts each such controller as the v1 hierarchy /sys/fs/cgroup/<controller>,
# recording it so that hybrid_cgroups_down unmounts it again. Pure cgroup v2 hosts are left alone.
CGROUP_UNIFIED=/sys/fs/cgroup/unified
CGROUP_MOVED="$WORK_DIR/.cgroup-v1-mounted"

# The controllers to mount: those on the unified mount, and those of an unmounted v1 hierarchy.
unmounted_cgroup_controllers() {
  [[ -r $CGROUP_UNIFIED/cgroup.controllers ]] && tr ' ' '\n' <"$CGROUP_UNIFIED/cgroup.controllers"
  [[ -d /sys/fs/cgroup/memory ]] || return 0
  local hierarchy controllers path
  while IFS=: read -r hierarchy controllers path; do
    [[ $hierarchy == 0 || -z $controllers || $controllers == name=* ]] && continue
    awk -v want="$controllers" '{ i = 1; while ($i != "-") i++ }
      $(i + 1) == "cgroup" && index("," $(i + 3) ",", "," want ",") { found = 1 }
      END { exit !found }' /proc/self/mountinfo || echo "$controllers"
  done </proc/self/cgroup
}

hybrid_cgroups_up() {
  local ctl
  for ctl in $(unmounted_cgroup_controllers | sort -u); do
    [[ -e /sys/fs/cgroup/$ctl ]] && continue
    mkdir "/sys/fs/cgroup/$ctl"
    if mount -t cgroup -o "$ctl" cgroup "/sys/fs/cgroup/$ctl"; then
      log "cgroup controller $ctl mounted as the v1 hierarchy /sys/fs/cgroup/$ctl"
      echo "$ctl" >>"$CGROUP_MOVED"
    else
      rmdir "/sys/fs/cgroup/$ctl"
      log "warning: could not mount cgroup controller $ctl as v1: crun refuses a hybrid layout, and the runc shim cannot read the stats of a container in an unmounted hierarchy"
    fi
  done
}

hybrid_cgroups_down() {
  [[ -s $CGROUP_MOVED ]] || return 0
  local ctl
  while read -r ctl; do
    umount "/sys/fs/cgroup/$ctl" 2>/dev/null && rmdir "/sys/fs/cgroup/$ctl" 2>/dev/null \
      || log "warning: could not unmount the v1 hierarchy /sys/fs/cgroup/$ctl"
  done <"$CGROUP_MOVED"
  rm -f "$CGROUP_MOVED"
}
