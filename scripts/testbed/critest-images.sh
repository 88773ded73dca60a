# Sourced by scripts/testbed.sh: images for critest (only for `CRITEST=… scripts/bench-suite`, which
# compares the suite's rate with critest's on this test bed; the suite itself never uses them).
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

