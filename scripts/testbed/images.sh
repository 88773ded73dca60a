# Sourced by scripts/testbed.sh: the test images, built from Debian's busybox with umoci and pushed
# to the local registries with skopeo.
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

