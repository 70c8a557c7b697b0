#!/usr/bin/env bash
# Assembles the commands image's root filesystem in ROOTFS (an empty folder): the reference
# image-url-commands in /commands, and Debian's static busybox as /bin/busybox with /bin/cp
# linked to it: `cp` is the initContainer's only job (fill the controller's /shared emptyDir).
# Prints "package version".
# Usage: commands-rootfs.sh ROOTFS
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
rootfs=$1

fail() {
  echo "build-images: $*" >&2
  exit 1
}

busybox=/bin/busybox
version=$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null) ||
  fail "$busybox must be Debian's static busybox (package busybox-static), which is not installed"
# A dynamic busybox would need libc in the image; ldd fails on a static binary.
if ldd "$busybox" >/dev/null 2>&1; then fail "$busybox is dynamically linked: install busybox-static"; fi

mkdir -p "$rootfs/bin" "$rootfs/commands" "$rootfs/shared" "$rootfs/usr/share/doc/busybox-static" "$rootfs/etc"
cp "$busybox" "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/cp"
cp /usr/share/doc/busybox-static/copyright "$rootfs/usr/share/doc/busybox-static/copyright"
echo "busybox-static $version"
# -P keeps the links between names (image-url-command-oci-disk -> image-url-command-disk).
cp -P "$root"/commands/image-url-command-* "$rootfs/commands/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' \
  >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
