#!/usr/bin/env bash
# The README's test command: sets up the machine, then runs every test —
#   1. the Swift test suites (normal build);
#   2. the Embedded runtime: release build, exported symbols and dependencies, C programs
#      linked against the shared and the static library, and one that counts allocations;
#   3. the C programs under ASan+UBSan and TSan, and the fuzz corpus replayed (Tools/sanitize.sh,
#      run beside stages 1 and 2);
#   4. golden vectors: the same bits from the shared, static and aarch64 (qemu) builds;
#   5. the Python binding's tests (two pytest workers, a test file to each at a time);
#   6. the report test's sample model card rendered in headless Chromium: not a blank page.
# Ends with one line "modelc: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

./Tools/setup.sh || exit 1

passed=0
failed=0
# Prints a stage's output and adds the counts of its closing "N passed, M failed" line, or one
# failure without one. (Not `tee /dev/stderr`: that truncates a log file stderr points to.)
tally() {
  printf '%s\n' "$1"
  local line p f
  line=$(grep -E "[0-9]+ passed" <<<"$1" | tail -1)   # "N passed, M failed" or pytest's "N passed[, M failed] in Xs"
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  p=$(grep -oE "[0-9]+ passed" <<<"$line" | cut -d' ' -f1)
  f=$(grep -oE "[0-9]+ failed" <<<"$line" | cut -d' ' -f1)
  passed=$((passed + p))
  failed=$((failed + ${f:-0}))
}

# The sanitizer stage compiles its own instrumented runtime (swiftc and clang, not SwiftPM) and needs
# nothing the Swift tests make, so it runs beside them, where their test processes leave a core
# idle; its report is printed and tallied in its place below.
export MODELC_BIN; MODELC_BIN="$(swift build --show-bin-path)/modelc"
./Tools/sanitize.sh >.build/sanitize.log 2>&1 &
sanitize=$!
# Likewise the aarch64 cross build of the runtime (its own SwiftPM folder, .build-aarch64), which
# the golden vectors and the aarch64 wheel link against.
./Tools/cross-aarch64.sh >.build/cross-aarch64.log 2>&1 &
cross=$!

# Each stage's start says how long the one before took (CI's 15 minutes are shared by them all).
stage() { echo "== $1 ($((SECONDS - ${stage_start:-0})) s since the last stage began, $SECONDS s in all)"; stage_start=$SECONDS; }
stage "swift test"
log=.build/test-swift.log
sample=.build/report-sample.html  # written by ModelReportTests for stage 6
rm -f "$sample"
MODELC_REPORT_SAMPLE="$PWD/$sample" swift test 2>&1 | tee "$log" | grep -E "error:|Test Case .* failed|with [1-9][0-9]* failures" || true
summary=$(grep -A1 "Test Suite 'All tests'" "$log" | grep -oE "Executed [0-9]+ tests, with [0-9]+ failures" | tail -1)
if [ -n "$summary" ]; then
  n=$(awk '{print $2}' <<<"$summary"); f=$(awk '{print $5}' <<<"$summary")
  echo "swift test: $summary"
  tally "$((n - f)) passed, $f failed"
else
  echo "swift test did not finish; its log ends with:"; tail -40 "$log"; tally ""
fi

stage "embedded runtime and C ABI"
if out=$(./Tools/build-runtime.sh 2>&1); then
  grep "^runtime:" <<<"$out"
  so=$(tail -2 <<<"$out" | head -1); a=$(tail -1 <<<"$out")
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  "$(swift build --show-bin-path)/modelc" demo -o "$work/demo.modelc" >/dev/null
  cp "$work/demo.modelc" "$work/corrupt.modelc"
  printf '\x00' | dd of="$work/corrupt.modelc" bs=1 seek=$(( $(stat -c %s "$work/demo.modelc") - 4 )) conv=notrunc status=none
  cc -std=c11 -Wall -Werror -IBindings/c Tests/C/open_artifact.c -L"$(dirname "$so")" -lmodelc_runtime -o "$work/c-shared"
  cc -std=c11 -Wall -Werror -IBindings/c Tests/C/open_artifact.c "$a" -lzstd -lprotobuf-c -lm -o "$work/c-static"
  tally "$(LD_LIBRARY_PATH="$(dirname "$so")" "$work/c-shared" "$work/demo.modelc" "$work/corrupt.modelc")"
  tally "$("$work/c-static" "$work/demo.modelc" "$work/corrupt.modelc")"
  # The example C bot streams real candles and agrees with `modelc score` on what it signals.
  (head -1 ../shared/data/ohlcv/ETHUSDT_1h.csv; tail -400 ../shared/data/ohlcv/ETHUSDT_1h.csv) > "$work/eth.csv"
  cc -std=c11 -Wall -Werror -IBindings/c Bindings/c/examples/stream_candles.c -L"$(dirname "$so")" -lmodelc_runtime -o "$work/bot"
  bot=$(LD_LIBRARY_PATH="$(dirname "$so")" "$work/bot" "$work/demo.modelc" "$work/eth.csv" | tail -1)
  "$(swift build --show-bin-path)/modelc" score "$work/demo.modelc" "$work/eth.csv" -o "$work/eth-scores.csv" >/dev/null
  expected="$(awk -F, 'NR > 1 { r += $3; if ($8 != 0) s++ } END { printf "%d candles scored, %d signals", r, s }' "$work/eth-scores.csv")"
  if [ "$bot" = "$expected" ]; then tally "ok: C bot: $bot
1 passed, 0 failed"
  else tally "FAIL: C bot says '$bot', modelc score says '$expected'
0 passed, 1 failed"; fi
  # Nothing allocated per candle (Spec.md §8, "Allocation"): malloc and its relatives counted
  # around pushes, batches and scored inputs after warm-up, on a tree specialists blend, the demo
  # (trees, a network and a direction blend) and the seed network in f32 and dynamic int8.
  for p in f32 int8-dynamic; do
    "$(swift build --show-bin-path)/modelc" import pytorch --arch Models/pytorch/seed-long.yaml \
      ../shared/fixtures/lstm/seed_trained_long_f19.safetensors --precision $p -o "$work/seed-long-$p.modelc" >/dev/null
  done
  (head -1 ../shared/data/ohlcv/ETHUSDT_1h.csv; tail -1000 ../shared/data/ohlcv/ETHUSDT_1h.csv) > "$work/eth-1000.csv"
  cc -std=c11 -Wall -Werror -IBindings/c -ITests/C Tests/C/no_alloc.c -L"$(dirname "$so")" -lmodelc_runtime -lm -o "$work/no-alloc"
  tally "$(LD_LIBRARY_PATH="$(dirname "$so")" "$work/no-alloc" "$work/eth-1000.csv" Tests/Golden/calibrated-isotonic.modelc \
    "$work/demo.modelc" "$work/seed-long-f32.modelc" "$work/seed-long-int8-dynamic.modelc")"
  # Streams scored together (mc_score_batch) score as pushed one at a time, models mixed.
  cc -std=c11 -Wall -Werror -IBindings/c -ITests/C Tests/C/score_batch.c -L"$(dirname "$so")" -lmodelc_runtime -lm -o "$work/score-batch"
  tally "$(LD_LIBRARY_PATH="$(dirname "$so")" "$work/score-batch" "$work/eth-1000.csv" Tests/Golden/calibrated-isotonic.modelc \
    "$work/demo.modelc" "$work/seed-long-f32.modelc" "$work/seed-long-int8-dynamic.modelc")"
else
  echo "$out"; tally ""
fi

stage "sanitizers (ASan+UBSan, TSan) and the fuzz corpus"
wait $sanitize
tally "$(cat .build/sanitize.log)"

stage "golden vectors"
wait $cross || { echo "the aarch64 cross build failed:"; tail -20 .build/cross-aarch64.log; }
tally "$(./Tools/golden.sh 2>&1)"

stage "Python binding"
tally "$(MODELC_BIN="$(swift build --show-bin-path)/modelc" MODELC_RUNTIME_LIB=${so:-} .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile Bindings/python/tests 2>&1)"

stage "report in headless Chromium"
if ! command -v chromium >/dev/null; then
  echo "skipped: chromium is not installed (Tools/setup.sh installs Debian's chromium package)"
elif [ ! -s "$sample" ]; then
  echo "ModelReportTests wrote no $sample"; tally ""
else
  rm -f .build/report-sample.png
  timeout 120 chromium --headless --no-sandbox --disable-gpu --screenshot=.build/report-sample.png \
    --window-size=1200,2400 "file://$PWD/$sample" >/dev/null 2>&1
  if out=$(.venv/bin/python Tools/png-not-blank.py .build/report-sample.png 2>&1); then
    tally "$out
1 passed, 0 failed"
  else
    tally "$out
0 passed, 1 failed"
  fi
fi

stage "end"
echo "modelc: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
