#!/usr/bin/env bash
# Builds Cluster API's three managers from sigs.k8s.io/cluster-api at the release pinned in
# tools/envtest/cluster-api/go.mod, as upstream's `make managers` does, into a git-ignored folder,
# and prints that folder's bin/, which then holds:
#   cluster-api-manager            (core: Clusters, Machines, MachineSets, MachineDeployments, MHCs)
#   kubeadm-bootstrap-manager      (KubeadmConfig: the bootstrap data Secrets)
#   kubeadm-control-plane-manager  (KubeadmControlPlane)
# Tests start them as processes against the test kube-apiserver. Idempotent: binaries that are
# present are not rebuilt; all three share one Go build cache. Needs Go only the first time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

capi_version=$(sed -n 's/^require sigs.k8s.io\/cluster-api v\([^ ]*\).*$/\1/p' "$here/cluster-api/go.mod")
bin=${IMAGEURL_CAPI_MANAGERS_DIR:-"$root/.cache/envtest/cluster-api-$capi_version/bin"}

export GOMODCACHE=${IMAGEURL_GOMODCACHE:-"$root/.cache/go-mod"}
export GOCACHE=${IMAGEURL_GOCACHE:-"$root/.cache/go-build"}
export GOFLAGS=-modcacherw   # lets `rm -rf .cache` work
export CGO_ENABLED=0

log() { echo "envtest: $*" >&2; }

if [ -z "$capi_version" ]; then
  log "could not read the sigs.k8s.io/cluster-api version from $here/cluster-api/go.mod"
  exit 1
fi
tag=v$capi_version
minor=$(echo "$capi_version" | cut -d. -f2)
version_flags="-X sigs.k8s.io/cluster-api/version.gitMajor=1 -X sigs.k8s.io/cluster-api/version.gitMinor=$minor -X sigs.k8s.io/cluster-api/version.gitVersion=$tag -X sigs.k8s.io/cluster-api/version.gitTreeState=clean"
mkdir -p "$bin"

build() { # name package
  local name=$1 pkg=$2
  if [ -x "$bin/$name" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { log "Go is required to build $name ($tag)"; exit 1; }
  log "building $name $tag (first time only; several minutes on 2 cores)"
  local started=$SECONDS
  (cd "$here/cluster-api" && go build -trimpath -ldflags "-s -w $version_flags" -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"
  log "built $name in $((SECONDS - started))s"
}

build cluster-api-manager sigs.k8s.io/cluster-api/core
build kubeadm-bootstrap-manager sigs.k8s.io/cluster-api/bootstrap/kubeadm
build kubeadm-control-plane-manager sigs.k8s.io/cluster-api/controlplane/kubeadm

echo "$bin"
