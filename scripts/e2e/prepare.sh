#!/usr/bin/env bash
# Prepares what scripts/e2e.java needs on a Debian/Ubuntu machine without Docker or a reachable public registry:
#   1. installs podman, runc, iptables, Debian's docker-registry and debootstrap (only when missing);
#   2. starts a registry on 127.0.0.1:$E2E_REGISTRY_PORT (only when none answers there);
#   3. builds the stand-in images (the JRE base and the third-party images; never one this repo builds) from the recipes in scripts/e2e/images/<name>/ and pushes them,
#      skipping every image whose tag (a hash of its recipe) the registry already has.
# Progress goes to stderr; the last lines on stdout are KEY=VALUE pairs that e2e.java reads:
#   E2E_REGISTRY=127.0.0.1:5000  E2E_REGISTRY_PID=<pid, only if this run started it>  E2E_IMAGE_<NAME>=<ref>
# Needs root (rootful podman, debootstrap). Safe to run again: it only does what is missing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/music-e2e}"
port="${E2E_REGISTRY_PORT:-5000}"
registry="127.0.0.1:$port"
mirror="${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
export E2E_DEBIAN_MIRROR="$mirror"

say() { printf 'e2e: %s\n' "$*" >&2; }
die() { printf 'e2e: %s\n' "$*" >&2; exit 1; }
pm() { podman --runtime runc "$@"; }

[ "$(id -u)" = 0 ] || die "prepare.sh needs root (rootful podman and debootstrap): run it with sudo."
mkdir -p "$cache"

# 1. tools -------------------------------------------------------------------------------------------
missing=()
# iptables: netavark sets up the container network with it (not a dependency of the Debian package, and absent
# from minimal machines: "netavark: No such file or directory")
for tool in podman runc netavark aardvark-dns iptables docker-registry debootstrap curl sha256sum; do
  case "$tool" in
    netavark|aardvark-dns) [ -x "/usr/lib/podman/$tool" ] || missing+=("$tool") ;;
    sha256sum) command -v "$tool" >/dev/null || missing+=(coreutils) ;;
    *) command -v "$tool" >/dev/null || missing+=("$tool") ;;
  esac
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" ca-certificates >&2
fi

# 2. registry ----------------------------------------------------------------------------------------
registry_pid=""
status="$(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/" || true)"
if [ "$status" = 200 ]; then
  say "registry already answers on $registry"
elif [ "$status" != 000 ]; then
  die "something else answers on $registry (HTTP $status): stop it or set E2E_REGISTRY_PORT to a free port."
else
  say "starting a registry on $registry (data in $cache/registry)"
  mkdir -p "$cache/registry"
  REGISTRY_HTTP_ADDR="$registry" REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$cache/registry" \
    setsid nohup docker-registry serve "$here/registry.yml" >"$cache/registry.log" 2>&1 </dev/null &
  registry_pid=$!
  for _ in $(seq 1 50); do
    curl -sf -o /dev/null "http://$registry/v2/" && break
    kill -0 "$registry_pid" 2>/dev/null || die "the registry did not start: see $cache/registry.log."
    sleep 0.2
  done
  curl -sf -o /dev/null "http://$registry/v2/" || die "the registry did not answer on $registry within 10 s: see $cache/registry.log."
  echo "$registry_pid" >"$cache/registry.pid"
fi

# 3. stand-in base images ----------------------------------------------------------------------------
# tag = first 12 hex digits of sha256(recipe files + images/debian.sh + parent image ref): a changed recipe builds a new image.
recipe_hash() { # <image folder> [parent ref]
  { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); sha256sum <"$here/images/debian.sh"
    echo "${2:-}"; } \
    | sha256sum | cut -c1-12
}
in_registry() { # <repository> <tag>
  curl -sf -o /dev/null \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$registry/v2/$1/manifests/$2"
}
declare -A refs
build_image() { # <name> [parent name] [more recipe text]: builds scripts/e2e/images/<name> unless the registry has it
  local name="$1" parent="${2:-}" parent_ref="" tag ref work started
  [ -n "$parent" ] && parent_ref="${refs[$parent]}"
  tag="$(recipe_hash "$here/images/$name" "$parent_ref${3:-}")"
  ref="$registry/e2e/$name:$tag"
  refs[$name]="$ref"
  if [ "${E2E_REBUILD:-}" != 1 ] && in_registry "e2e/$name" "$tag"; then
    say "image $ref is cached in the registry"
    return
  fi
  say "building image $ref (first time only; see $cache/work/$name.log)"
  started=$SECONDS
  work="$cache/work/$name"
  rm -rf "$work"; mkdir -p "$work"
  if ! WORK="$work" TAG="$ref" PARENT="$parent_ref" REPO="$repo" RECIPE_HASH="$tag" \
      bash "$here/images/$name/build.sh" >"$cache/work/$name.log" 2>&1; then
    tail -n 20 "$cache/work/$name.log" >&2
    die "building the $name image failed: see $cache/work/$name.log."
  fi
  pm push --quiet --tls-verify=false "$ref" >&2 || die "pushing $ref to the local registry failed: is the registry on $registry still running?"
  rm -rf "$work"
  say "built and pushed $ref in $((SECONDS - started)) s"
}
build_image jre
build_image dynamodb-local jre
build_image gateway

echo "E2E_REGISTRY=$registry"
echo "E2E_REGISTRY_PID=$registry_pid"
for name in "${!refs[@]}"; do
  key="$(echo "$name" | tr 'a-z-' 'A-Z_')"
  echo "E2E_IMAGE_$key=${refs[$name]}"
done
