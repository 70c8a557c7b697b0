#!/usr/bin/env bash
# Copies cert-manager's CRDs (deploy/crds) of the release pinned in tools/envtest/cert-manager/go.mod
# out of the Go module cache into a git-ignored folder, and prints that folder. With these CRDs
# installed, `clusterctl init` finds cert-manager's API and skips installing cert-manager (the
# clusterctl test has no kubelet to run it). Idempotent; needs Go only the first time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

version=$(sed -n 's/^require github.com\/cert-manager\/cert-manager v\([^ ]*\).*$/\1/p' "$here/cert-manager/go.mod")
crds=${IMAGEURL_CERT_MANAGER_CRDS:-"$root/.cache/envtest/cert-manager-$version/crds"}

export GOMODCACHE=${IMAGEURL_GOMODCACHE:-"$root/.cache/go-mod"}
export GOCACHE=${IMAGEURL_GOCACHE:-"$root/.cache/go-build"}
export GOFLAGS=-modcacherw   # lets `rm -rf .cache` work

log() { echo "envtest: $*" >&2; }

if [ -z "$version" ]; then
  log "could not read the github.com/cert-manager/cert-manager version from $here/cert-manager/go.mod"
  exit 1
fi

if compgen -G "$crds/*.yaml" >/dev/null; then
  echo "$crds"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is required to download cert-manager's CRDs (github.com/cert-manager/cert-manager v$version)."
  log "Install Go, or point IMAGEURL_CERT_MANAGER_CRDS at a folder holding those CRD YAML files."
  exit 1
fi

log "downloading github.com/cert-manager/cert-manager v$version for its CRDs"
module_dir=$(cd "$here/cert-manager" && go mod download -json github.com/cert-manager/cert-manager |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
if [ -z "$module_dir" ] || ! compgen -G "$module_dir/deploy/crds/*.yaml" >/dev/null; then
  log "github.com/cert-manager/cert-manager v$version has no deploy/crds (module dir: '${module_dir:-none}')"
  exit 1
fi

# Copy into a scratch folder first so an interrupted run never leaves a half-filled one.
mkdir -p "$(dirname "$crds")"
scratch=$(mktemp -d "$(dirname "$crds")/crds.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp "$module_dir/deploy/crds"/*.yaml "$scratch/"
chmod 644 "$scratch"/*.yaml
chmod 755 "$scratch"
rmdir "$crds" 2>/dev/null || true # an empty leftover folder
if ! mv -T "$scratch" "$crds" 2>/dev/null; then
  # Another run filled it meanwhile; theirs is as good as ours.
  compgen -G "$crds/*.yaml" >/dev/null || { log "could not create $crds"; exit 1; }
fi
log "cert-manager v$version CRDs: $(find "$crds" -name '*.yaml' | wc -l) files"
echo "$crds"
