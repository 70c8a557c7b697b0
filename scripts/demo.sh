#!/usr/bin/env bash
# The README's main job: prepares what the demo needs (npm packages, Debian packages, the local
# control-plane binaries; idempotent, skips what is present), then runs `imageurl demo`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
exec node bin/imageurl.js demo "$@"
