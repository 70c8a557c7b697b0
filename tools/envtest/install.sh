#!/usr/bin/env bash
# Builds the test control plane (kube-apiserver, etcd, kubectl, kube-controller-manager) from Go
# modules into a git-ignored assets folder, and prints that folder. Idempotent: binaries that are already
# present (in $KUBEBUILDER_ASSETS when set, else the default folder) are not rebuilt. Also fetches
# Cluster API's CRDs, builds clusterctl with Cluster API's provider repository and Cluster API's
# three managers, and fetches cert-manager's CRDs (into .cache/envtest; see the scripts beside
# this one).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

k8s_version=$(sed -n 's/^require k8s.io\/kubernetes v\(.*\)$/\1/p' "$here/kubernetes/go.mod")
etcd_version=$(sed -n 's/^\tgo.etcd.io\/etcd\/server\/v3 v\([^ ]*\).*$/\1/p' "$here/etcd/go.mod")
assets=${KUBEBUILDER_ASSETS:-"$root/.cache/envtest/k8s-$k8s_version-etcd-$etcd_version"}

export GOMODCACHE=${IMAGEURL_GOMODCACHE:-"$root/.cache/go-mod"}
export GOCACHE=${IMAGEURL_GOCACHE:-"$root/.cache/go-build"}
export GOFLAGS=-modcacherw   # lets `rm -rf .cache` work
export CGO_ENABLED=0

log() { echo "envtest: $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "Go is required to build kube-apiserver/etcd/kubectl (Go >= 1.24; Cluster API needs >= 1.26). Install Go, or point"
  log "KUBEBUILDER_ASSETS at a folder holding kube-apiserver, etcd and kubectl."
  exit 1
fi
mkdir -p "$assets"

build() { # name module-dir package [ldflags]
  local name=$1 dir=$2 pkg=$3 ldflags=${4:-}
  if [ -x "$assets/$name" ]; then return 0; fi
  log "building $name (first time only; several minutes on 2 cores)"
  local started=$SECONDS
  (cd "$here/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$assets/$name.tmp" "$pkg")
  mv "$assets/$name.tmp" "$assets/$name"
  log "built $name in $((SECONDS - started))s"
}

minor=$(echo "$k8s_version" | cut -d. -f2)
version_flags="-X k8s.io/component-base/version.gitVersion=v$k8s_version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=v$k8s_version -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"

build etcd etcd go.etcd.io/etcd/server/v3
build kube-apiserver kubernetes k8s.io/kubernetes/cmd/kube-apiserver "$version_flags"
build kubectl kubernetes k8s.io/kubernetes/cmd/kubectl "$version_flags"
# The simulated workload clusters run it beside their kube-apiserver: CSR signing for joining
# nodes, cluster-info signing, token cleanup (sim/kubeadm, ADR 0013).
build kube-controller-manager kubernetes k8s.io/kubernetes/cmd/kube-controller-manager "$version_flags"

# Cluster API's own CRDs, for tests that create Machines and Clusters (stdout stays the assets path).
capi_crds=$(bash "$here/cluster-api-crds.sh")
log "Cluster API CRDs in $capi_crds"

# clusterctl, a local repository of Cluster API's own providers and cert-manager's CRDs, for the
# test that installs imageurl with clusterctl.
clusterctl_dir=$(bash "$here/clusterctl.sh" "$assets/kubectl")
log "clusterctl and Cluster API's provider repository in $clusterctl_dir"
# Cluster API's core, kubeadm bootstrap and kubeadm control-plane managers, which tests run as processes.
capi_managers=$(bash "$here/cluster-api-managers.sh")
log "Cluster API's managers in $capi_managers"
cert_manager_crds=$(bash "$here/cert-manager-crds.sh")
log "cert-manager CRDs in $cert_manager_crds"

echo "$assets"
