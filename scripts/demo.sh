#!/usr/bin/env bash
# The README's main job: prepares what the demo needs (the Node.js LTS, npm packages, Debian
# packages, the local control-plane binaries; idempotent, skips what is present), then runs
# `imageurl demo` on that Node.js.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
PATH="$(bash tools/node/install.sh):$PATH"   # the Node.js LTS imageurl ships (tools/node)
export PATH
exec node bin/imageurl.js demo "$@"
