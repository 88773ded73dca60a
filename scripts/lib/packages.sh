# Sourced by the project's scripts that need Debian packages.
# ensure_packages PKG... — installs with apt-get those of PKG that are not installed yet;
# exits 1 with a one-line message when apt-get fails.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] || missing+=("$p")
  done
  (( ${#missing[@]} == 0 )) && return 0
  echo "$(basename "$0"): installing missing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || { echo "$(basename "$0"): error: apt-get update failed" >&2; exit 1; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || { echo "$(basename "$0"): error: apt-get install ${missing[*]} failed" >&2; exit 1; }
}
