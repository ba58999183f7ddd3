#!/usr/bin/env bash
# Golden vectors: the same artifacts and inputs must give the same probability bits on every
# build flavour. Compiles the seed network from ../shared/fixtures/lstm (f32, int8 and int8-dynamic;
# the aarch64 build runs the portable int8-dynamic tiles, x86_64 the AVX2 ones), checks the f32 and
# int8 artifacts' SHA-256 (the compiler is deterministic), then scores fixed input windows through the
# C ABI of the Embedded runtime — shared library, static library, and an aarch64 build under
# qemu-user — and compares every bit with Tests/Golden/*.bits. (The normal Swift build is checked
# against the same files by GoldenVectorTests, the Python binding by test_golden.py.) `--update` rewrites the expected files.
# The XGBoost and LightGBM fixture models are scored the same three ways, and must agree bit for bit.
set -euo pipefail
cd "$(dirname "$0")/.."
update=${1:-}
fixtures=../shared/fixtures/lstm
work=.build/golden
mkdir -p "$work"
modelc=$(swift build --show-bin-path)/modelc
# The aarch64 cross build (the longest step) runs while the artifacts are made.
./Tools/cross-aarch64.sh Tests/C/score_inputs.c "$work/score-aarch64" >"$work/cross.log" 2>&1 &
cross=$!

for p in f32 int8 int8-dynamic; do
  "$modelc" import pytorch --arch Models/pytorch/seed-long.yaml "$fixtures/seed_trained_long_f19.safetensors" \
    --precision $p -o "$work/seed-long-$p.modelc" >/dev/null
done
.venv/bin/python - "$fixtures/inputs_f19.npy" "$work/inputs-f19.f64" <<'PY'
import sys, numpy as np
rows = np.load(sys.argv[1])[0::17]          # 32 windows: real and extreme rows
rows.astype('<f8').tofile(sys.argv[2])
PY
# Trees: the XGBoost and LightGBM fixture models as direction components, on the 1000 fixture rows
# (a batch the binned kernel scores).
trees=../shared/fixtures/trees
for lib in xgboost lightgbm; do
  "$modelc" import $lib "$trees/$([ $lib = xgboost ] && echo xgb_model.json || echo lgb_model.txt)" -o "$work/$lib.modelc" >/dev/null
  "$modelc" compose --direction "$work/$lib.modelc" --direction-features base+crash -o "$work/$lib-direction.modelc" >/dev/null
done
.venv/bin/python -c "import numpy as np; np.load('$trees/X_test.npy').astype('<f8').tofile('$work/trees-rows.f64')"

passed=0; failed=0
check() {  # name, actual-file, expected-file
  if cmp -s "$2" "$3"; then passed=$((passed + 1)); echo "ok: $1"
  else failed=$((failed + 1)); echo "FAIL: $1 differs from $3:"; diff "$2" "$3" | head -5; fi
}

(cd "$work" && sha256sum seed-long-f32.modelc seed-long-int8.modelc) > "$work/artifacts.sha256"
if [ "$update" = --update ]; then cp "$work/artifacts.sha256" Tests/Golden/artifacts.sha256; fi
check "artifact bytes" "$work/artifacts.sha256" Tests/Golden/artifacts.sha256

out=$(./Tools/build-runtime.sh)
so=$(echo "$out" | tail -2 | head -1); a=$(echo "$out" | tail -1)
cc -std=c11 -Wall -Werror -IBindings/c Tests/C/score_inputs.c -L"$(dirname "$so")" -lmodelc_runtime -o "$work/score-shared"
cc -std=c11 -Wall -Werror -IBindings/c Tests/C/score_inputs.c "$a" -lzstd -lprotobuf-c -lm -o "$work/score-static"
wait $cross || { echo "FAIL: the aarch64 cross build:"; tail -20 "$work/cross.log"; exit 1; }

# The seed network under qemu is the slow part (about a minute, one core each): the three
# precisions run side by side while the x86_64 flavours are checked.
declare -A emulated
for p in f32 int8 int8-dynamic; do
  qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/score-aarch64" "$work/seed-long-$p.modelc" long "$work/inputs-f19.f64" > "$work/aarch64-$p.bits" &
  emulated[$p]=$!
done
for p in f32 int8 int8-dynamic; do
  expected=Tests/Golden/seed-long-$p.bits
  LD_LIBRARY_PATH="$(dirname "$so")" "$work/score-shared" "$work/seed-long-$p.modelc" long "$work/inputs-f19.f64" > "$work/shared-$p.bits"
  if [ "$update" = --update ]; then cp "$work/shared-$p.bits" "$expected"; fi
  check "$p x86_64 shared" "$work/shared-$p.bits" "$expected"
  "$work/score-static" "$work/seed-long-$p.modelc" long "$work/inputs-f19.f64" > "$work/static-$p.bits"
  check "$p x86_64 static" "$work/static-$p.bits" "$expected"
  wait "${emulated[$p]}"
  check "$p aarch64 (qemu)" "$work/aarch64-$p.bits" "$expected"
done
# Tree probabilities: every flavour gives the x86_64 shared library's bits, which are within 2
# float32 ulps of XGBoost's and 4 ulps of LightGBM's (their margins are equal to the libraries' bit
# for bit: TreeFixtureParityTests).
for lib in xgboost lightgbm; do
  LD_LIBRARY_PATH="$(dirname "$so")" "$work/score-shared" "$work/$lib-direction.modelc" direction "$work/trees-rows.f64" > "$work/shared-$lib.bits"
  if .venv/bin/python - "$work/shared-$lib.bits" "$trees" $lib <<'PY'
import sys, numpy as np
ours = np.array([int(line, 16) for line in open(sys.argv[1])], dtype=np.uint64).view(np.float64)
if sys.argv[3] == "xgboost":
    theirs = np.load(sys.argv[2] + "/xgb_prob.npy")
    ok = len(ours) == len(theirs) and np.all(np.abs(ours - theirs) <= 2 * np.spacing(theirs).astype(np.float64))
else:
    theirs = np.load(sys.argv[2] + "/lgb_prob.npy")
    ok = len(ours) == len(theirs) and np.all(np.abs(ours - theirs) <= 4 * np.spacing(theirs))
sys.exit(0 if ok else 1)
PY
  then passed=$((passed + 1)); echo "ok: $lib trees x86_64 shared, against $lib"
  else failed=$((failed + 1)); echo "FAIL: $lib trees x86_64 shared: probabilities off $lib's"; fi
  "$work/score-static" "$work/$lib-direction.modelc" direction "$work/trees-rows.f64" > "$work/static-$lib.bits"
  check "$lib trees x86_64 static" "$work/static-$lib.bits" "$work/shared-$lib.bits"
  qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/score-aarch64" "$work/$lib-direction.modelc" direction "$work/trees-rows.f64" > "$work/aarch64-$lib.bits"
  check "$lib trees aarch64 (qemu)" "$work/aarch64-$lib.bits" "$work/shared-$lib.bits"
done
# Calibrated tree specialists (format 1.1): the committed artifacts, built from their configs by
# --update, score the fixture rows with their calibrators (isotonic interpolation; Platt through the
# runtime's log and sigmoid) to the same bits on every flavour.
for m in isotonic platt; do
  if [ "$update" = --update ]; then
    SOURCE_DATE_EPOCH=1700000000 "$modelc" build Tests/Golden/calibrated-$m.yaml -o Tests/Golden/calibrated-$m.modelc >/dev/null 2>&1
  fi
  expected=Tests/Golden/calibrated-$m.bits
  LD_LIBRARY_PATH="$(dirname "$so")" "$work/score-shared" Tests/Golden/calibrated-$m.modelc long_trees "$work/trees-rows.f64" > "$work/shared-calibrated-$m.bits"
  if [ "$update" = --update ]; then cp "$work/shared-calibrated-$m.bits" "$expected"; fi
  check "calibrated ($m) x86_64 shared" "$work/shared-calibrated-$m.bits" "$expected"
  "$work/score-static" Tests/Golden/calibrated-$m.modelc long_trees "$work/trees-rows.f64" > "$work/static-calibrated-$m.bits"
  check "calibrated ($m) x86_64 static" "$work/static-calibrated-$m.bits" "$expected"
  qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/score-aarch64" Tests/Golden/calibrated-$m.modelc long_trees "$work/trees-rows.f64" > "$work/aarch64-calibrated-$m.bits"
  check "calibrated ($m) aarch64 (qemu)" "$work/aarch64-calibrated-$m.bits" "$expected"
done
echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
