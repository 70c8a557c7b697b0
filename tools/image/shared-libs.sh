#!/usr/bin/env bash
# Copies the shared libraries a binary loads (as `ldd` resolves them on this Debian machine: libc,
# libstdc++, libgcc_s, the dynamic loader) to the same paths below ROOTFS, with the copyright
# files of the Debian packages they come from. Prints "package version" for each package used.
# Usage: shared-libs.sh BINARY ROOTFS
set -euo pipefail
binary=$1 rootfs=$2

fail() {
  echo "build-images: $*" >&2
  exit 1
}

command -v dpkg-query >/dev/null || fail "copying shared libraries needs a Debian machine (dpkg-query is missing)"
listing=$(ldd "$binary" 2>&1) || fail "ldd cannot read $binary: $listing"
# Lines: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)", "/lib64/ld-linux-x86-64.so.2 (0x…)";
# the vDSO has no file. A library ldd cannot find fails the build instead of the container.
if grep -q 'not found' <<<"$listing"; then fail "$binary needs libraries this machine lacks: $(grep 'not found' <<<"$listing" | tr -s ' \t\n' ' ')"; fi
mapfile -t libraries < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$listing" | sort -u)

# With merged /usr, dpkg knows a file under the path its package installed it as, which may be
# the link ldd printed, its target, or either of them with /usr added or taken away.
owning_package() {
  local real candidate
  real=$(realpath "$1")
  for candidate in "$1" "$real" "${real#/usr}" "/usr$1"; do
    if dpkg-query -S "$candidate" >/dev/null 2>&1; then
      dpkg-query -S "$candidate" | head -1 | cut -d: -f1
      return 0
    fi
  done
  fail "no Debian package holds $1"
}

packages=()
for library in "${libraries[@]}"; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
  packages+=("$(owning_package "$library")")
done
for package in $(printf '%s\n' "${packages[@]}" | sort -u); do
  mkdir -p "$rootfs/usr/share/doc/$package"
  cp "/usr/share/doc/$package/copyright" "$rootfs/usr/share/doc/$package/copyright"
  echo "$package $(dpkg-query -W -f='${Version}' "$package")"
done
