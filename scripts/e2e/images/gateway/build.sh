# Entry point image: stands in for nginx-unprivileged (same port 8080, uid 101, config in /etc/nginx,
# pid and temp files in /tmp) built from Debian's nginx package.
set -euo pipefail
here="$(dirname "$0")"
. "$here/../debian.sh"
root="$WORK/rootfs"
debian_rootfs "$root" nginx
rm -f "$root"/etc/nginx/sites-enabled/* "$root"/etc/nginx/conf.d/*
cp "$here/nginx.conf" "$root/etc/nginx/nginx.conf"
cp "$here/default.conf" "$root/etc/nginx/conf.d/default.conf"
# nginx-unprivileged's user: nginx, uid/gid 101 (Debian's minbase leaves 101 free)
chroot "$root" groupadd --system --gid 101 nginx
chroot "$root" useradd --system --uid 101 --gid 101 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nginx
mkdir -p "$root/var/log/nginx" "$root/usr/share/nginx/html"
ln -sf /dev/stdout "$root/var/log/nginx/access.log"
ln -sf /dev/stderr "$root/var/log/nginx/error.log"
slim_rootfs "$root"
import_rootfs "$root" "$TAG" \
  'EXPOSE 8080' 'STOPSIGNAL SIGQUIT' 'USER 101' \
  'CMD ["nginx", "-g", "daemon off;"]'
