# JRE base image for the service images (stands in for the release's JRE base, which cannot be pulled here):
# Debian bookworm minbase + Debian's openjdk-17-jre-headless, /tmp writable, and a non-root user app with uid/gid
# 1000:1000, the uid the release's base (eclipse-temurin ...-noble) has for its user and the JKube profile runs as.
set -euo pipefail
. "$(dirname "$0")/../debian.sh"
root="$WORK/rootfs"
debian_rootfs "$root" openjdk-17-jre-headless
chroot "$root" groupadd --gid 1000 app
chroot "$root" useradd --uid 1000 --gid 1000 --home-dir /home/app --create-home --shell /usr/sbin/nologin app
slim_rootfs "$root"
import_rootfs "$root" "$TAG" \
  'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' 'ENV LANG=C.UTF-8' \
  'USER 1000' 'WORKDIR /home/app' 'CMD ["java", "-version"]'
