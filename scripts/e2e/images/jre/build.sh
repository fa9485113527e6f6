# JRE base image for the service images (stands in for the release's JRE base, which cannot be pulled here):
# Debian bookworm minbase + Debian's openjdk-17-jre-headless, a non-root user app (10001), /tmp writable.
set -euo pipefail
. "$(dirname "$0")/../debian.sh"
root="$WORK/rootfs"
debian_rootfs "$root" openjdk-17-jre-headless
chroot "$root" groupadd --gid 10001 app
chroot "$root" useradd --uid 10001 --gid 10001 --home-dir /home/app --create-home --shell /usr/sbin/nologin app
slim_rootfs "$root"
import_rootfs "$root" "$TAG" \
  'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' 'ENV LANG=C.UTF-8' \
  'USER 10001' 'WORKDIR /home/app' 'CMD ["java", "-version"]'
