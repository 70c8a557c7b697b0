#!/usr/bin/env bash
# `npm run bench`: installs what the benchmarks need, then prints figures and writes them to bench/results/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS:-$(bash tools/envtest/install.sh)}
export KUBEBUILDER_ASSETS
exec node --import tsx bench/foundation.ts "$@"
