# Sourced by scripts/testbed.sh: Debian packages the test bed runs but never installs on the host.
#
# fetch_deb PACKAGE SUITE VERSION_PREFIX DEST — the newest version of PACKAGE in Debian's SUITE
# (sid, trixie, bookworm, bookworm-backports) whose version starts with VERSION_PREFIX, downloaded
# with a private sources list and package lists under $APT_DIR (the host's apt state is not
# touched) and unpacked with `dpkg -x` into DEST. Prints the version it unpacked.
APT_DIR="$WORK_DIR/apt"
APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

apt_private() {
  local cmd=$1; shift
  "$cmd" -q -o Dir::Etc::sourcelist="$APT_DIR/sources.list" -o Dir::Etc::sourceparts=/nonexistent \
    -o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" \
    -o Dir::State::status=/dev/null -o APT::Get::List-Cleanup=0 "$@"
}

apt_private_update() {
  [[ -s $APT_DIR/.updated ]] && return 0
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/debs"
  local suite
  : >"$APT_DIR/sources.list.new"
  for suite in sid trixie bookworm bookworm-backports; do
    echo "deb [signed-by=$APT_KEYRING] http://deb.debian.org/debian $suite main" >>"$APT_DIR/sources.list.new"
  done
  mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
  log "reading Debian's package lists (private sources list in $APT_DIR)"
  apt_private apt-get update >"$APT_DIR/update.log" 2>&1 \
    || die "apt-get update with the private sources list failed (see $APT_DIR/update.log)"
  date +%s >"$APT_DIR/.updated"
}

# deb_version PACKAGE SUITE VERSION_PREFIX — the newest matching version, or nothing.
deb_version() {
  apt_private apt-cache madison "$1" 2>/dev/null \
    | awk -F' *[|] *' -v suite="debian $2/" -v pre="$3" 'index($3, suite) && index($2, pre) == 1 { print $2; exit }'
}

fetch_deb() {
  local pkg=$1 suite=$2 prefix=$3 dest=$4 version deb
  if [[ -s $dest/.version ]]; then
    cat "$dest/.version"
    return 0
  fi
  apt_private_update
  version=$(deb_version "$pkg" "$suite" "$prefix")
  [[ -n $version ]] || die "Debian $suite has no $pkg $prefix* (apt-cache madison $pkg with $APT_DIR/sources.list)"
  log "fetching $pkg $version from Debian $suite into $dest"
  (cd "$APT_DIR/debs" && apt_private apt-get download "$pkg=$version" >"$APT_DIR/download.log" 2>&1) \
    || die "apt-get download $pkg=$version failed (see $APT_DIR/download.log)"
  deb=$(find "$APT_DIR/debs" -maxdepth 1 -name "${pkg}_${version//:/%3a}_*.deb" | head -n1)
  [[ -n $deb ]] || die "apt-get download $pkg=$version left no .deb in $APT_DIR/debs"
  rm -rf "$dest"
  mkdir -p "$dest"
  dpkg -x "$deb" "$dest"
  echo "$version" >"$dest/.version"
  echo "$version"
}
