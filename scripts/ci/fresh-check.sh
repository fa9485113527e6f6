#!/usr/bin/env bash
# The fresh-machine check: runs .ci/run from a new clone of this repository's HEAD after removing everything an
# earlier run installed or cached, so that CI on a brand-new machine cannot fail where this one passes.
#
# It removes, on this machine (needs root):
#   - the Debian packages e2e installs: podman, runc, iptables, docker-registry, debootstrap, and what only they
#     pulled in;
#   - podman's storage (/var/lib/containers) and the e2e cache with the local registry's data (~/.cache/music-e2e);
#   - ~/.m2/repository and ~/.m2/wrapper (Maven's downloads and the wrapper's Maven), ~/.jbang and the npm cache.
# A fresh clone has no .jbang/, node_modules/ or target/ of its own. Only committed work is checked.
#
#   sudo scripts/ci/fresh-check.sh          # prints .ci/run's output, then "fresh-check: passed in M min S s"
#   sudo FRESH_HOME=/tmp/h scripts/ci/fresh-check.sh   # the same with an empty HOME (only ~/.npmrc and ~/.gitconfig,
#                                           # the machine's settings, are copied): your own ~/.m2 and caches stay
#
# Exit code: .ci/run's (0 when it passed). The clone stays in the printed folder for a look at target/.
set -euo pipefail

say() { printf 'fresh-check: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "needs root (apt-get and rootful podman): run it with sudo."; exit 2; }
repo="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  say "note: uncommitted changes are not checked (the clone takes HEAD, $(git -C "$repo" rev-parse --short HEAD))."
fi

if [ -n "${FRESH_HOME:-}" ]; then
  rm -rf "$FRESH_HOME" && mkdir -p "$FRESH_HOME"
  for f in .npmrc .gitconfig; do [ -f "$HOME/$f" ] && cp "$HOME/$f" "$FRESH_HOME/"; done
  export HOME="$FRESH_HOME"
  unset XDG_CACHE_HOME
fi

say "1/3 removing what earlier runs installed or cached"
cache="${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/music-e2e}"
pkill -f 'docker-registry serve' || true # a local registry left running would serve the images it cached
if command -v podman >/dev/null; then
  podman --runtime runc system reset --force >/dev/null 2>&1 || true
fi
export DEBIAN_FRONTEND=noninteractive
apt-get purge -y -qq --auto-remove podman runc netavark aardvark-dns iptables docker-registry debootstrap >/dev/null 2>&1 || true
hash -r # command -v would otherwise answer from bash's cache of paths seen before the purge
for tool in podman runc iptables docker-registry debootstrap; do
  if command -v "$tool" >/dev/null; then
    say "$tool is still installed after apt-get purge: remove it by hand, then run this again."
    exit 1
  fi
done
rm -rf /var/lib/containers "$cache" "$HOME/.m2/repository" "$HOME/.m2/wrapper" "$HOME/.jbang" "$HOME/.npm/_cacache"
say "    removed podman, runc, iptables, docker-registry, debootstrap, podman's storage, $cache, ~/.m2/repository, ~/.m2/wrapper, ~/.jbang, ~/.npm/_cacache"

clone="$(mktemp -d /tmp/fresh-check.XXXXXX)/music-gitops"
say "2/3 cloning HEAD ($(git -C "$repo" rev-parse --short HEAD)) into $clone"
git clone -q "$repo" "$clone"

say "3/3 running .ci/run there"
start=$SECONDS
set +e
(cd "$clone" && CI=true bash .ci/run)
code=$?
set -e
took=$((SECONDS - start))
if [ "$code" = 0 ]; then
  say "passed in $((took / 60)) min $((took % 60)) s (clone: $clone)"
else
  say "FAILED with exit code $code after $((took / 60)) min $((took % 60)) s: see the output above and $clone/target/e2e/."
fi
exit "$code"
