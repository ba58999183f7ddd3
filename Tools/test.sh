#!/usr/bin/env bash
# The README's test command: sets up the machine, then runs every test —
# the Swift test suites, the Embedded runtime build and its symbol/dependency checks, and
# C programs that use libmodelc_runtime (shared and static) through modelc.h.
# Ends with one line "modelc: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

./Tools/setup.sh

passed=0
failed=0
log=.build/test-swift.log
echo "== swift test"
if swift test 2>&1 | tee "$log" | grep -E "error:|failed|Executed .* tests" | grep -v "0 failures" ; then :; fi
summary=$(grep -E "Test Suite 'All tests' (passed|failed)" -A1 "$log" | grep -oE "Executed [0-9]+ tests, with [0-9]+ failures" | tail -1 || true)
if [ -z "$summary" ]; then
  echo "swift test did not finish; its log ends with:"
  tail -40 "$log"
  failed=$((failed + 1))
else
  n=$(echo "$summary" | awk '{print $2}'); f=$(echo "$summary" | awk '{print $5}')
  passed=$((passed + n - f)); failed=$((failed + f))
  echo "swift test: $summary"
fi

echo "== embedded runtime"
if out=$(./Tools/build-runtime.sh); then
  echo "$out" | head -2
  so=$(echo "$out" | tail -2 | head -1); a=$(echo "$out" | tail -1)
  passed=$((passed + 1))
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  swift run -q modelc demo -o "$work/demo.modelc" >/dev/null
  cp "$work/demo.modelc" "$work/corrupt.modelc"
  printf '\x00' | dd of="$work/corrupt.modelc" bs=1 seek=$(( $(stat -c %s "$work/demo.modelc") - 4 )) conv=notrunc status=none
  for flavour in shared static; do
    if [ $flavour = shared ]; then
      cc -std=c11 -Wall -Werror -IBindings/c Tests/C/open_artifact.c -L"$(dirname "$so")" -lmodelc_runtime -o "$work/c-$flavour"
      run=(env LD_LIBRARY_PATH="$(dirname "$so")" "$work/c-$flavour")
    else
      cc -std=c11 -Wall -Werror -IBindings/c Tests/C/open_artifact.c "$a" -lzstd -lprotobuf-c -lm -o "$work/c-$flavour"
      run=("$work/c-$flavour")
    fi
    if "${run[@]}" "$work/demo.modelc" "$work/corrupt.modelc"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
else
  echo "embedded runtime build failed"
  failed=$((failed + 1))
fi

echo "modelc: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
