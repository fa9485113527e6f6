# Shared steps of the Debian-based stand-in images (sourced by images/*/build.sh; part of every recipe hash).
# debian_rootfs <dir> <package,package,...>: minimal Debian bookworm from the mirror, no service ever started.
debian_rootfs() {
  mkdir -p "$1/usr/sbin"
  # policy-rc.d exit 101 = "do not start services": no package's postinst may start a daemon on the host.
  printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
  chmod 755 "$1/usr/sbin/policy-rc.d"
  debootstrap --variant=minbase --include="$2" bookworm "$1" "$E2E_DEBIAN_MIRROR"
  rm -f "$1/usr/sbin/policy-rc.d"
}
# slim_rootfs <dir>: drop what a container never reads (apt caches and lists, docs, man pages, locales).
slim_rootfs() {
  rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/* \
    "$1"/usr/share/info/* "$1"/usr/share/locale/* "$1"/var/log/*.log "$1"/var/cache/debconf/*-old
  : >"$1/etc/resolv.conf"
  chmod 1777 "$1/tmp"
}
# import_rootfs <dir> <ref> <--change lines...>: the folder becomes a one-layer image.
import_rootfs() {
  local dir="$1" ref="$2"; shift 2
  local changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  tar --numeric-owner -C "$dir" -c . | podman import "${changes[@]}" \
    --change "LABEL dev.music.e2e.recipe=$RECIPE_HASH" - "$ref"
}
