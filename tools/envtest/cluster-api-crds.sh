#!/usr/bin/env bash
# Copies the Cluster API CRDs of the release pinned in tools/envtest/cluster-api/go.mod out of
# the Go module cache into a git-ignored folder, and prints that folder. Idempotent: skipped
# when the folder already holds CRDs. Needs Go only the first time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

capi_version=$(sed -n 's/^require sigs.k8s.io\/cluster-api v\([^ ]*\).*$/\1/p' "$here/cluster-api/go.mod")
crds=${IMAGEURL_CAPI_CRDS:-"$root/.cache/envtest/cluster-api-$capi_version/crds"}

export GOMODCACHE=${IMAGEURL_GOMODCACHE:-"$root/.cache/go-mod"}
export GOCACHE=${IMAGEURL_GOCACHE:-"$root/.cache/go-build"}
export GOFLAGS=-modcacherw   # lets `rm -rf .cache` work

log() { echo "envtest: $*" >&2; }

if [ -z "$capi_version" ]; then
  log "could not read the sigs.k8s.io/cluster-api version from $here/cluster-api/go.mod"
  exit 1
fi

if compgen -G "$crds/*.yaml" >/dev/null; then
  echo "$crds"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is required to download the Cluster API CRDs (sigs.k8s.io/cluster-api v$capi_version)."
  log "Install Go, or point IMAGEURL_CAPI_CRDS at a folder holding those CRD YAML files."
  exit 1
fi

log "downloading sigs.k8s.io/cluster-api v$capi_version for its CRDs"
module_dir=$(cd "$here/cluster-api" && go mod download -json sigs.k8s.io/cluster-api |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
# The core CRDs moved from config/ to core/config/ in v1.14.
if [ -z "$module_dir" ] || [ ! -d "$module_dir/core/config/crd/bases" ]; then
  log "sigs.k8s.io/cluster-api v$capi_version has no core/config/crd/bases (module dir: '${module_dir:-none}')"
  exit 1
fi

# Copy into a scratch folder first so an interrupted run never leaves a half-filled one.
mkdir -p "$(dirname "$crds")"
scratch=$(mktemp -d "$(dirname "$crds")/crds.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
for sub in core/config/crd/bases bootstrap/kubeadm/config/crd/bases controlplane/kubeadm/config/crd/bases; do
  if [ -d "$module_dir/$sub" ]; then cp "$module_dir/$sub"/*.yaml "$scratch/"; fi
done
chmod 644 "$scratch"/*.yaml
chmod 755 "$scratch"
rmdir "$crds" 2>/dev/null || true # an empty leftover folder
if ! mv -T "$scratch" "$crds" 2>/dev/null; then
  # Another run filled it meanwhile; theirs is as good as ours.
  compgen -G "$crds/*.yaml" >/dev/null || { log "could not create $crds"; exit 1; }
fi
log "Cluster API v$capi_version CRDs: $(find "$crds" -name '*.yaml' | wc -l) files"
echo "$crds"
