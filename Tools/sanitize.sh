#!/usr/bin/env bash
# The C-ABI programs under sanitizers, against the Embedded runtime built with the same
# instrumentation (Tools/lib/runtime-object.sh):
#   AddressSanitizer (Swift and C) + UndefinedBehaviorSanitizer (C; Swift keeps its own overflow
#   and bounds traps): Tests/C/open_artifact.c (a good and a corrupt
#     artifact), Bindings/c/examples/stream_candles.c (real ETH candles), Tests/C/threads.c,
#     Tests/C/score_inputs.c (the XGBoost and LightGBM fixture models on a batch of 1000 rows);
#   the feather reader (Sources/CArrowIPC) on cut, flipped and overwritten copies of a
#     pyarrow-written file: Tests/C/feather_corrupt.c;
#   ThreadSanitizer: Tests/C/threads.c (one model shared by 8 threads, each scoring its own stream);
#   and the fuzz corpus and regressions replayed (Tools/fuzz.sh replay) under ASan + UBSan.
# The model is Tests/Fuzz/reference.modelc (the demo artifact). Ends "sanitize: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
. Tools/lib/runtime-object.sh
out=.build-sanitize
mkdir -p "$out/asan" "$out/tsan"
model=Tests/Fuzz/reference.modelc
csv=../shared/data/ohlcv/ETHUSDT_1h.csv
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 TSAN_OPTIONS=halt_on_error=1

passed=0; failed=0
# Runs a program; it passes when it exits 0 and no sanitizer reported anything.
check() {
  local name=$1; shift
  if "$@" >"$out/$name.log" 2>&1 && ! grep -qE "Sanitizer|runtime error:" "$out/$name.log"; then
    passed=$((passed + 1)); echo "ok: $name ($(tail -1 "$out/$name.log"))"
  else
    failed=$((failed + 1)); echo "FAIL: $name"; grep -E "ERROR|WARNING|runtime error|SUMMARY|FAIL" "$out/$name.log" | head -8
  fi
}

# The two flavours build side by side: each build is one compiler process at a time.
runtime_objects "$out/asan" "-sanitize=address" "-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
  >"$out/build-asan.log" 2>&1 &
asan_build=$!
# The kernels stay uninstrumented under TSan (needed while glibc ifunc resolvers, which ran
# before TSan was initialised, chose their variants); they keep no state between calls but the
# variant choice, which isa.c reads and writes atomically.
runtime_objects "$out/tsan" "-sanitize=thread" "-fsanitize=thread" "" >"$out/build-tsan.log" 2>&1 &
tsan_build=$!
wait $asan_build || { echo "FAIL: the ASan build:"; tail -20 "$out/build-asan.log"; exit 1; }
wait $tsan_build || { echo "FAIL: the TSan build:"; tail -20 "$out/build-tsan.log"; exit 1; }
link() {  # flavour, output, C source
  clang -std=c11 -O1 -g -Wall -Werror -fuse-ld=lld -IBindings/c -ITests/C -ISources/CModelcSchema/include "$4" "$1/runtime.o" "$1/schema.o" "$1/kernels.o" \
    $2 -lprotobuf-c -lzstd -lm -lpthread -o "$3"
}
asan="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
link "$out/asan" "$asan" "$out/open_artifact" Tests/C/open_artifact.c
link "$out/asan" "$asan" "$out/stream_candles" Bindings/c/examples/stream_candles.c
link "$out/asan" "$asan" "$out/threads-asan" Tests/C/threads.c
# The toolchain's TSan runtime intercepts libdispatch, so it needs the toolchain's copy.
dispatch=$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift/linux
link "$out/tsan" "-fsanitize=thread -L$dispatch -Wl,-rpath,$dispatch -ldispatch -lBlocksRuntime" "$out/threads-tsan" Tests/C/threads.c
link "$out/asan" "$asan -fsanitize=fuzzer" "$out/fuzz-replay" Tools/fuzz/harness.c
link "$out/asan" "$asan" "$out/score_inputs" Tests/C/score_inputs.c
clang++ -std=c++17 -O1 -g -Wall -Werror $asan -c Sources/CArrowIPC/ArrowIPCFile.cpp -o "$out/asan/arrow_ipc.o"
clang -std=c11 -O1 -g -Wall -Werror -fuse-ld=lld $asan -ISources/CArrowIPC/include -ITests/C Tests/C/feather_corrupt.c \
  "$out/asan/arrow_ipc.o" -llz4 -lzstd -lstdc++ -o "$out/feather_corrupt"

# Tree batches (the binned kernel): the fixture models as direction components, on their 1000 rows.
trees=../shared/fixtures/trees
modelc=${MODELC_BIN:-$(swift build --show-bin-path)/modelc}  # Tools/test.sh passes it: this stage runs beside swift test
for lib in xgboost lightgbm; do
  "$modelc" import $lib "$trees/$([ $lib = xgboost ] && echo xgb_model.json || echo lgb_model.txt)" -o "$out/$lib.modelc" >/dev/null
  "$modelc" compose --direction "$out/$lib.modelc" --direction-features base+crash -o "$out/$lib-direction.modelc" >/dev/null
done
.venv/bin/python -c "import numpy as np; np.load('$trees/X_test.npy').astype('<f8').tofile('$out/trees-rows.f64')"

cp "$model" "$out/corrupt.modelc"
printf '\x00' | dd of="$out/corrupt.modelc" bs=1 seek=$(( $(stat -c %s "$model") - 4 )) conv=notrunc status=none
(head -1 "$csv"; tail -600 "$csv") > "$out/eth.csv"

check asan-open_artifact "$out/open_artifact" "$model" "$out/corrupt.modelc"
check asan-stream_candles "$out/stream_candles" "$model" "$out/eth.csv"
check asan-threads "$out/threads-asan" "$model" "$csv"
check tsan-threads "$out/threads-tsan" "$model" "$csv"
check asan-trees-xgboost "$out/score_inputs" "$out/xgboost-direction.modelc" direction "$out/trees-rows.f64"
check asan-trees-lightgbm "$out/score_inputs" "$out/lightgbm-direction.modelc" direction "$out/trees-rows.f64"
check asan-feather "$out/feather_corrupt" Tests/ModelcDataTests/Fixtures/BTCUSDT_1h_48.feather
check fuzz-replay ./Tools/fuzz.sh replay "$out/fuzz-replay"
echo "sanitize: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
