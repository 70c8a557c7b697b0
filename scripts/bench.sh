#!/usr/bin/env bash
# `npm run bench [-- NAME...]`: installs what the benchmarks need, then runs them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
PATH="$(bash tools/node/install.sh):$PATH"   # benchmarks measure the Node.js LTS imageurl ships
export PATH
KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS:-$(bash tools/envtest/install.sh)}
export KUBEBUILDER_ASSETS
# Each bench prints its figures and writes them to bench/results/. Name benches to run only those
# (e.g. `npm run bench -- webhook`, `npm run bench -- provisioning`); with no names, all run.
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(foundation webhook runtime simulator commands provisioning)
for bench in "${benches[@]}"; do
  echo "== bench/$bench.ts"
  # --expose-gc lets benches that report memory measure it after a collection.
  node --expose-gc --import tsx "bench/$bench.ts"
done
