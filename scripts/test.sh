#!/usr/bin/env bash
# The README's test command (`npm test`). Installs what the tests need (scripts/setup.sh), runs
# every *.test.ts with Node's test runner, then checks that the run left no process and no loop
# device behind. Arguments, if any, are test files or folders to run instead of all of them, or
# --unit for the unit tests only.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1

bash scripts/setup.sh || exit 1
# The suite runs on the Node.js we ship: its bin folder first on PATH, so the runner, every test
# file (the runner starts them with its own executable) and every `node` a test starts use it.
node_bin=$(bash tools/node/install.sh) || exit 1
export PATH="$node_bin:$PATH"
KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS:-$(bash tools/envtest/install.sh)} || exit 1
export KUBEBUILDER_ASSETS

# Every process the tests start inherits this marker (sim/process passes it on), which is how
# the leak check below finds what a test failed to stop. Temp files of the run go to one folder.
run_id=$(od -An -tx4 -N8 /dev/urandom | tr -d ' \n')
export IMAGEURL_TEST_RUN=$run_id
# Under /var/tmp, not in the clone: simulated servers get private /root, /tmp, /dev and /run,
# and tests hand rescue systems a scratch folder to report through, so a clone in /tmp would
# hide it from them.
export TMPDIR="/var/tmp/imageurl-test-runs/$run_id"
mkdir -p "$TMPDIR" "$root/.cache/test-runs"
log="$root/.cache/test-runs/$run_id.log"
# Passed/failed/skipped per test file, kept after the run to compare two runs file by file.
counts="$root/.cache/test-runs/$run_id.files.tsv"

targets=("$@")
# --unit: the tests beside the code (api/, src/), which start no apiserver, sshd or simulator.
[ "${targets[0]:-}" = --unit ] && targets=(api src)
[ ${#targets[@]} -eq 0 ] && targets=(api src sim test bench commands)
mapfile -t files < <(find "${targets[@]}" -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files found in: ${targets[*]}" >&2
  exit 1
fi

node --import tsx --test --test-concurrency=2 --test-timeout=600000 --test-force-exit \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/support/file-counts-reporter.ts --test-reporter-destination="$counts" \
  "${files[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# A file that ended before any test reported (an early exit, a hook that never returned) lowers
# the total without failing anything: name it and fail.
silent_files=0
for file in "${files[@]}"; do
  if ! grep -qvE "^0	0	0	" <(grep -F "	$root/$file" "$counts" 2>/dev/null); then
    echo "test file ran no test: $file"
    silent_files=$((silent_files + 1))
  fi
done

unset IMAGEURL_TEST_RUN
leaks=$(bash scripts/leak-check.sh "$run_id" "$TMPDIR")
leak_failures=0
if [ -n "$leaks" ]; then
  echo "leak check: FAILED, the tests left these behind (now cleaned up):"
  echo "$leaks"
  leak_failures=1
  status=1
else
  echo "leak check: no process or loop device left behind"
fi
rm -rf "$TMPDIR"

passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)
# Tests a failing before() hook never ran are "cancelled": they did not pass, so they count as failed.
cancelled=$(sed -n 's/^ℹ cancelled \([0-9]*\)$/\1/p' "$log" | tail -1)
skipped=$(sed -n 's/^ℹ skipped \([0-9]*\)$/\1/p' "$log" | tail -1)
skip_failures=0
if [ "${skipped:-0}" -gt 0 ]; then
  echo "skipped tests (each names what it lacks):"
  grep -E '# SKIP' "$log" | sed 's/^ */  /' || true
  # The test command installs everything the tests need, so in CI nothing may skip.
  if [ "${CI:-}" = true ]; then
    echo "CI: a test skipped although setup installs what it needs"
    skip_failures=1
  fi
fi
rm -f "$log"
failures=$(( ${failed:-0} + ${cancelled:-0} + leak_failures + skip_failures + silent_files ))
# A runner that failed without a failed test (a crash, a file that did not load) still fails.
[ "$status" -ne 0 ] && [ "$failures" -eq 0 ] && failures=1
echo "tests per file: ${counts#"$root/"}"
echo "imageurl: ${passed:-0} passed, $failures failed, ${skipped:-0} skipped"
[ "$skip_failures" -ne 0 ] && status=1
[ "$silent_files" -ne 0 ] && status=1
exit "$status"
