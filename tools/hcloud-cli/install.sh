#!/usr/bin/env bash
# Builds the clients of the Cloud simulator's acceptance test into a git-ignored folder and
# prints that folder. Idempotent: what is present is not rebuilt, unless its source changed.
#  - hcloud-go-flow: the official Go client (hcloud-go, the library the hcloud CLI is built on)
#    driving the acceptance flow; its module is beside this script.
#  - hcloud-go-cluster-flow: the same client driving placement groups, networks and load balancers.
#  - hcloud: the official CLI, github.com/hetznercloud/cli/cmd/hcloud at $cli_version, from the Go
#    module proxy; when the proxy does not serve it (it answers 403 here), from a checkout named by
#    HCLOUD_CLI_SOURCE, else Debian's build of the same CLI (package hcloud-cli, installed by
#    scripts/setup.sh); otherwise it is skipped (the CLI test then reports itself skipped and why).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cli_version=v1.67.0
bin=${IMAGEURL_HCLOUD_CLI_BIN:-"$root/.cache/hcloud-cli/bin"}

export GOMODCACHE=${IMAGEURL_GOMODCACHE:-"$root/.cache/go-mod"}
export GOCACHE=${IMAGEURL_GOCACHE:-"$root/.cache/go-build"}
export GOFLAGS=-modcacherw
export CGO_ENABLED=0

log() { echo "hcloud-cli: $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "Go is required to build the acceptance clients; skipped"
  exit 0
fi
mkdir -p "$bin"

# Rebuilt when its sources change: the stamp beside each binary is a hash of its folder's files.
build_flow() { # program
  local program=$1 stamp
  stamp=$(cd "$here/$program" && cat go.mod go.sum ./*.go 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ -x "$bin/$program" ] && [ "$(cat "$bin/$program.source" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  log "building $program (hcloud-go from the module proxy)"
  (cd "$here/$program" && go build -trimpath -o "$bin/$program.tmp" .)
  mv "$bin/$program.tmp" "$bin/$program"
  echo "$stamp" >"$bin/$program.source"
}
build_flow hcloud-go-flow
build_flow hcloud-go-cluster-flow

if [ ! -x "$bin/hcloud" ]; then
  if GOBIN="$bin/.install" go install -trimpath "github.com/hetznercloud/cli/cmd/hcloud@$cli_version" 2>"$bin/.install.log"; then
    mv "$bin/.install/hcloud" "$bin/hcloud"
    log "built hcloud $cli_version from the module proxy"
  elif [ -n "${HCLOUD_CLI_SOURCE:-}" ] && [ -f "$HCLOUD_CLI_SOURCE/cmd/hcloud/main.go" ]; then
    (cd "$HCLOUD_CLI_SOURCE" && go build -trimpath -o "$bin/hcloud.tmp" ./cmd/hcloud)
    mv "$bin/hcloud.tmp" "$bin/hcloud"
    log "built hcloud from $HCLOUD_CLI_SOURCE"
  elif [ -x /usr/bin/hcloud ]; then
    ln -s /usr/bin/hcloud "$bin/hcloud"
    log "the module proxy does not serve github.com/hetznercloud/cli; using Debian's build of it ($(dpkg-query -W -f='${Version}' hcloud-cli 2>/dev/null || echo unknown version))"
  else
    log "the module proxy does not serve github.com/hetznercloud/cli ($(head -c 200 "$bin/.install.log" | tr '\n' ' '));"
    log "set HCLOUD_CLI_SOURCE to a checkout of it to build the CLI; the CLI acceptance test is skipped"
  fi
  rm -rf "$bin/.install" "$bin/.install.log"
fi

echo "$bin"
