# Loader Job image: stands in for jbangdev/jbang-action:0.132.1 (JBang on a JDK, `jbang` on PATH).
# Debian bookworm minbase + Debian's openjdk-17-jdk-headless + the jbang-cli 0.132.1 jar from Maven Central.
# One difference, on purpose: the real image downloads the script's //DEPS from Maven Central when the Job runs;
# the e2e network has no way out, so they are resolved here, at build time, and the jbang command copies them
# into $JBANG_REPO before it runs JBang with --offline (see jbang.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../debian.sh"
root="$WORK/rootfs"
debian_rootfs "$root" openjdk-17-jdk-headless
chroot "$root" groupadd --gid 1000 app
chroot "$root" useradd --uid 1000 --gid 1000 --home-dir /home/app --create-home --shell /usr/sbin/nologin app
mkdir -p "$root/opt/jbang"
"$REPO/mvnw" -q -B -ntp -f "$here/../dynamodb-local/pom.xml" dependency:copy \
  -Dartifact=dev.jbang:jbang-cli:0.132.1:jar:all -DoutputDirectory="$WORK"
cp "$WORK/jbang-cli-0.132.1-all.jar" "$root/opt/jbang/jbang.jar"
# resolve the loader's //DEPS with this very JBang, into the repository the image seeds from
JBANG_REPO="$root/opt/jbang/m2" JBANG_DIR="$WORK/jbang-dir" JBANG_NO_VERSION_CHECK=true \
  java -jar "$WORK/jbang-cli-0.132.1-all.jar" build "$REPO/scripts/loader.java"
install -m 755 "$here/jbang.sh" "$root/usr/local/bin/jbang"
slim_rootfs "$root"
import_rootfs "$root" "$TAG" \
  'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' 'ENV LANG=C.UTF-8' 'ENV JBANG_NO_VERSION_CHECK=true' \
  'WORKDIR /home/app' 'ENTRYPOINT ["jbang"]' 'CMD ["--help"]'
