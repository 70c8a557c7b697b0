#!/usr/bin/env bash
# Builds clusterctl from sigs.k8s.io/cluster-api at the release pinned in
# tools/envtest/cluster-api/go.mod, and renders that release's own provider components (core,
# kubeadm bootstrap, kubeadm control plane) into a local clusterctl repository, both in a
# git-ignored folder; prints that folder, which then holds:
#   bin/clusterctl
#   repository/cluster-api/vX/{core-components.yaml,metadata.yaml}
#   repository/bootstrap-kubeadm/vX/{bootstrap-components.yaml,metadata.yaml}
#   repository/control-plane-kubeadm/vX/{control-plane-components.yaml,metadata.yaml}
# Usage: clusterctl.sh KUBECTL (the kubectl tools/envtest/install.sh builds renders the kustomize
# trees). Idempotent: what is present is not rebuilt. Needs Go only the first time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
kubectl=${1:?usage: clusterctl.sh KUBECTL}

capi_version=$(sed -n 's/^require sigs.k8s.io\/cluster-api v\([^ ]*\).*$/\1/p' "$here/cluster-api/go.mod")
out=${IMAGEURL_CLUSTERCTL_DIR:-"$root/.cache/envtest/cluster-api-$capi_version"}

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
mkdir -p "$out"

# clusterctl, built as upstream's release does (version stamped into the binary) from the module
# in tools/envtest/cluster-api: since v1.14 sigs.k8s.io/cluster-api replaces its api module with a
# local path, which `go install pkg@version` refuses.
if [ ! -x "$out/bin/clusterctl" ]; then
  command -v go >/dev/null 2>&1 || { log "Go is required to build clusterctl ($tag)"; exit 1; }
  log "building clusterctl $tag (first time only; several minutes on 2 cores)"
  started=$SECONDS
  mkdir -p "$out/bin"
  version_flags="-X sigs.k8s.io/cluster-api/version.gitMajor=1 -X sigs.k8s.io/cluster-api/version.gitMinor=$minor -X sigs.k8s.io/cluster-api/version.gitVersion=$tag -X sigs.k8s.io/cluster-api/version.gitTreeState=clean"
  (cd "$here/cluster-api" && go build -trimpath -ldflags "-s -w $version_flags" -o "$out/bin/clusterctl.tmp" sigs.k8s.io/cluster-api/cmd/clusterctl)
  mv "$out/bin/clusterctl.tmp" "$out/bin/clusterctl"
  log "built clusterctl in $((SECONDS - started))s"
fi

# The providers' components, rendered like upstream's `make release-manifests` after its
# `manifest-modification` (production images, IfNotPresent) — through an overlay, since the
# module cache is not ours to edit.
repository=$out/repository
render() { # provider-label file config-dir image-name
  local label=$1 file=$2 dir=$3 image=$4
  local target=$repository/$label/$tag
  if [ -s "$target/$file" ] && [ -s "$target/metadata.yaml" ]; then return 0; fi
  if [ -z "${module_dir:-}" ]; then
    module_dir=$(cd "$here/cluster-api" && go mod download -json sigs.k8s.io/cluster-api |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
    [ -d "${module_dir:-}/$dir" ] || { log "sigs.k8s.io/cluster-api $tag has no $dir"; exit 1; }
  fi
  local overlay
  overlay=$(mktemp -d "${TMPDIR:-/tmp}/clusterctl-overlay.XXXXXX")
  # kustomize refuses absolute paths for resources.
  cat >"$overlay/kustomization.yaml" <<YAML
resources:
  - $(realpath --relative-to="$overlay" "$module_dir/$dir")
images:
  - name: gcr.io/k8s-staging-cluster-api/$image
    newName: registry.k8s.io/cluster-api/$image
    newTag: $tag
patches:
  - target: { kind: Deployment }
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/imagePullPolicy
        value: IfNotPresent
YAML
  "$kubectl" kustomize "$overlay" >"$overlay/$file" || { rm -rf "$overlay"; exit 1; }
  cp "$module_dir/metadata.yaml" "$overlay/metadata.yaml"
  chmod 644 "$overlay/metadata.yaml" "$overlay/$file"
  mkdir -p "$target"
  mv "$overlay/metadata.yaml" "$overlay/$file" "$target/"
  rm -rf "$overlay"
  log "rendered $label $tag"
}
render cluster-api core-components.yaml core/config/default cluster-api-controller
render bootstrap-kubeadm bootstrap-components.yaml bootstrap/kubeadm/config/default kubeadm-bootstrap-controller
render control-plane-kubeadm control-plane-components.yaml controlplane/kubeadm/config/default kubeadm-control-plane-controller

echo "$out"
