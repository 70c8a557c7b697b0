#!/usr/bin/env bash
# Builds imageurl's two container images from Debian packages and npm only, pulling nothing from
# an image registry (docs/adr/0010-container-images.md), and pushes them when given a destination:
#   imageurl-controller  Node.js 24 (tools/node/install.sh's pin), dist/, production node_modules;
#                        user 65532; entrypoint the `imageurl` CLI, default command `controller`
#   imageurl-commands    the reference image-url-commands in /commands and a static busybox's cp;
#                        its default command copies them to /shared (the controller's emptyDir)
# Both live in one OCI layout cached by a key over every input (.cache/images/<key>), so a run
# with unchanged inputs only pushes. Prints that layout's path (tags `controller`, `commands`).
#
# Usage: build.sh [--insecure] VERSION [DESTINATION]
#   VERSION      the tag to push, e.g. v0.1.0
#   DESTINATION  docker://HOST[:PORT]/PATH: pushes DESTINATION/imageurl-controller:VERSION and
#                DESTINATION/imageurl-commands:VERSION with skopeo (credentials from
#                REGISTRY_AUTH_FILE or skopeo's default auth file); or oci:DIR, a layout per image
#   --insecure   the registry speaks plain HTTP or unverified TLS (a local test registry)
# SOURCE_DATE_EPOCH sets the images' timestamps; by default, the last commit that changed an input.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
usage="usage: npm run images -- [--insecure] VERSION [docker://HOST[:PORT]/PATH | oci:DIR]"

fail() {
  echo "build-images: $*" >&2
  exit 1
}
log() { echo "build-images: $*" >&2; }

insecure=
[ "${1:-}" = --insecure ] && insecure=1 && shift
version=${1:-}
destination=${2:-}
[ -n "$version" ] || fail "missing VERSION ($usage)"
[ $# -le 2 ] || fail "too many arguments ($usage)"
[[ "$version" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
  fail "VERSION \"${version:0:40}\" is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)"
case "$destination" in
  '' | docker://?* | oci:?*) ;;
  *) fail "DESTINATION \"${destination:0:60}\" must be docker://HOST[:PORT]/PATH or oci:DIR ($usage)" ;;
esac
[ "$(uname -m)" = x86_64 ] || fail "the images are linux/amd64 and are built on x86_64 only (this is $(uname -m))"
for tool in node npm jq tar gzip sha256sum ldd dpkg-query; do
  command -v "$tool" >/dev/null || fail "$tool is missing (npm run setup installs what the build needs)"
done
[ -z "$destination" ] || command -v skopeo >/dev/null || fail "skopeo is missing (Debian package skopeo; npm run setup installs it)"

started=$SECONDS
cache="$root/.cache/images"
node_pin=$(bash "$here/node-binary.sh" "$cache/node")
node_version=${node_pin%% *} node_tarball=${node_pin#* }

inputs=(api src bin commands tools/image tools/node/install.sh package.json package-lock.json tsconfig.json tsconfig.build.json)
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct -- "${inputs[@]}" 2>/dev/null || true)}
epoch=${epoch:-0}
[[ "$epoch" =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH \"${epoch:0:20}\" must be seconds since 1970"
# What `imageurl version` prints in the image: the newest commit that changed an input, and
# whether the inputs differ from it (a build of uncommitted changes).
commit=$(git -C "$root" log -1 --format=%H -- "${inputs[@]}" 2>/dev/null || true)
modified=false
[ -n "$commit" ] && [ -n "$(git -C "$root" status --porcelain --untracked-files=no -- "${inputs[@]}")" ] && modified=true
build_info=$(jq -c -n --arg commit "$commit" --argjson modified "$modified" \
  '{commit: (if $commit == "" then null else $commit end), modified: $modified}')
# The key covers what ends up in the images: the sources (tests excluded), the lockfile, these
# scripts, the Node pin, the Debian packages copied from or building the layers, npm.
key=$(
  cd "$root"
  find "${inputs[@]}" \( -type f -o -type l \) -not -name '*.test.ts' | LC_ALL=C sort | while IFS= read -r file; do
    if [ -L "$file" ]; then echo "$file -> $(readlink "$file")"; else sha256sum "$file"; fi
  done
  dpkg-query -W libc6 libstdc++6 libgcc-s1 ca-certificates busybox-static tar gzip 2>&1
  echo "npm $(npm --version) epoch $epoch build $build_info"
)
key=$(sha256sum <<<"$key" | cut -c1-24)
layout="$cache/$key"

if [ -f "$layout/index.json" ]; then
  log "images unchanged since the last build ($layout)"
else
  mkdir -p "$cache"
  stage=$(mktemp -d "$cache/.stage.XXXXXX")
  trap 'rm -rf "$stage"' EXIT
  log "building the images (key $key, timestamps $(date -u -d "@$epoch" +%FT%TZ))"
  mkdir -p "$stage/controller" "$stage/commands"
  packages=$(bash "$here/controller-rootfs.sh" "$stage/controller" "$node_tarball" "$build_info")
  packages+=$'\n'$(bash "$here/commands-rootfs.sh" "$stage/commands")
  labels=$(jq -c -n --arg packages "$(sort -u <<<"$packages" | tr '\n' ',' | sed 's/,$//')" '{
    "org.opencontainers.image.licenses": "Apache-2.0",
    "org.opencontainers.image.description": "imageurl, a Cluster API infrastructure provider for Hetzner",
    "io.imageurl.debian-packages": $packages }')
  controller_config=$(jq -c -n --argjson labels "$labels" --arg node "$node_version" '{
    User: "65532:65532", WorkingDir: "/app",
    Env: ["PATH=/usr/local/bin", "NODE_ENV=production", "HOME=/home/nonroot"],
    Entrypoint: ["/usr/local/bin/node", "/app/bin/imageurl.js"], Cmd: ["controller"],
    Labels: ($labels + {"org.opencontainers.image.title": "imageurl-controller", "io.imageurl.node-version": $node})}')
  commands_config=$(jq -c -n --argjson labels "$labels" '{
    User: "65532:65532", WorkingDir: "/", Env: ["PATH=/bin"],
    Cmd: ["cp", "-R", "/commands/.", "/shared/"],
    Labels: ($labels + {"org.opencontainers.image.title": "imageurl-commands"})}')
  bash "$here/oci-image.sh" "$stage/layout" controller "$stage/controller" "$epoch" "$controller_config" >/dev/null
  bash "$here/oci-image.sh" "$stage/layout" commands "$stage/commands" "$epoch" "$commands_config" >/dev/null
  # Another build may have finished the same key meanwhile; its result is the same.
  mv -T "$stage/layout" "$layout" 2>/dev/null || [ -f "$layout/index.json" ] || fail "cannot store the images in $layout"
  # Keep the three newest builds.
  find "$cache" -mindepth 1 -maxdepth 1 -type d -regextype egrep -regex '.*/[0-9a-f]{24}' -printf '%T@ %p\n' |
    sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf
fi

for tag in controller commands; do
  manifest=$(jq -r --arg tag "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $tag) | .digest' "$layout/index.json")
  size=$(jq -r '[.layers[].size] | add / 1048576 * 10 | round / 10' "$layout/blobs/sha256/${manifest#sha256:}")
  log "imageurl-$tag $manifest ($size MiB compressed)"
  if [ -n "$destination" ]; then
    target="$destination/imageurl-$tag:$version"
    flags=(--quiet --preserve-digests)
    [ -n "$insecure" ] && [[ "$destination" == docker://* ]] && flags+=(--dest-tls-verify=false)
    [[ "$destination" == oci:* ]] && mkdir -p "${destination#oci:}"
    skopeo copy "${flags[@]}" "oci:$layout:$tag" "$target" >&2 || fail "pushing $target failed (skopeo's messages are above)"
    log "pushed $target"
  fi
done
log "done in $((SECONDS - started)) s"
echo "$layout"
