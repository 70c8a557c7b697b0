#!/usr/bin/env bash
# Installs everything imageurl's tests and demo need, idempotently: the Node.js LTS imageurl runs
# on, npm packages, Debian packages, and the local control-plane binaries. Safe to run again;
# skips what is present.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

log() { echo "setup: $*" >&2; }

# Debian packages for the real components tests use: OpenSSH (rescue hosts), the CNCF
# distribution registry, htpasswd (bcrypt for the registry), util-linux (loop devices, lsblk),
# the tools of Hetzner's rescue system that image-url-commands rely on (simulated rescue systems
# use the machine's programs: sgdisk, mkfs/blkid, mtools and bsdtar for cloud-init seeds, which
# the tests also use to build and read partitioned images), shellcheck for the commands, and the
# official hcloud CLI that the Cloud simulator is tested with (Debian's build; the Go module proxy
# does not serve it).
debian_packages=(openssh-server openssh-client docker-registry apache2-utils util-linux fdisk iproute2 procps
  curl jq zstd xz-utils gzip gdisk e2fsprogs dosfstools mtools libarchive-tools shellcheck hcloud-cli ca-certificates busybox-static skopeo podman runc)

install_debian_packages() {
  local missing=()
  for p in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]}"
    log "run as root, or install them first: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  # Keep package scripts from starting system services (an sshd on :22, a registry on :5000)
  # that would collide with the per-test instances. Only our own temporary policy is removed.
  local policy=/usr/sbin/policy-rc.d own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$own_policy" ] && rm -f "$policy"
  return 0
}

install_npm_packages() {
  local stamp=node_modules/.imageurl-lock.sha256
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
}

# The Node.js we ship (tools/node, docs/adr/0009-node-lts.md); npm and its install scripts run on it too.
node_bin=$(bash tools/node/install.sh)
export PATH="$node_bin:$PATH"
log "Node.js $(node --version) in $node_bin"

install_npm_packages
install_debian_packages
bash tools/hcloud-cli/install.sh >/dev/null   # the official Cloud clients the simulator is tested with
assets=$(bash tools/envtest/install.sh)
log "control-plane binaries in $assets"
