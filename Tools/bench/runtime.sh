#!/usr/bin/env bash
# Runtime latency of the seed network (64 x 19 -> BiLSTM 2x128 -> MHA 4 heads, last query ->
# dense), batch 1, one thread, through the C ABI of the release Embedded library, for f32, int8
# (weight-only) and int8-dynamic, with the artifact load time; and, in the same run, ONNX Runtime
# on the same network (Tools/bench/onnx_latency.py) when the peer venv exists
# (bash ../shared/bench/setup_venv.sh; graphs from ../shared/bench/build_onnx.py). Both sides
# time REPEATS blocks of >= 1 s and report median and min per score, in wall-clock time and in
# the scoring thread's CPU time (the steadier figure on a machine shared with other jobs), then
# the ratios modelc / ONNX Runtime (below 1: modelc is faster).
# The same for one call on a batch of 25 windows (25 symbols scored at once).
# Usage: Tools/bench/runtime.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-5}
work=.build/bench-runtime
mkdir -p "$work"
swift build --product modelc >/dev/null
modelc=$(swift build --show-bin-path)/modelc
out=$(./Tools/build-runtime.sh); so=$(tail -2 <<<"$out" | head -1)
cc -O2 -std=c11 -IBindings/c -ITests/C Tools/bench/score_latency.c -L"$(dirname "$so")" -lmodelc_runtime -o "$work/latency"
weights=../shared/fixtures/lstm/seed_trained_long_f19.safetensors
python3 -c "
import numpy as np
x = np.load('../shared/fixtures/lstm/inputs_f19.npy').astype('<f8')
x[:1].tofile('$work/one.f64'); x[:25].tofile('$work/b25.f64')"
: > "$work/results.txt"
Tools/bench/cpu.sh
for p in f32 int8 int8-dynamic; do
  "$modelc" import pytorch --arch Models/pytorch/seed-long.yaml "$weights" --precision $p -o "$work/seed-$p.modelc" >/dev/null
  line=$(LD_LIBRARY_PATH="$(dirname "$so")" taskset -c 0 "$work/latency" "$work/seed-$p.modelc" long "$work/one.f64" "$repeats")
  echo "modelc $p $line" | tee -a "$work/results.txt"
  [ $p = int8 ] && continue
  line=$(LD_LIBRARY_PATH="$(dirname "$so")" taskset -c 0 "$work/latency" "$work/seed-$p.modelc" long "$work/b25.f64" "$repeats" 25)
  echo "modelc $p-b25 $line" | tee -a "$work/results.txt"
done
if [ ! -x /tmp/peervenv/bin/python ]; then
  echo "ONNX Runtime: no /tmp/peervenv (bash ../shared/bench/setup_venv.sh); no ratios."
  exit 0
fi
models=/tmp/peer_models
[ -f "$models/bilstm_attn_f19_lastq.onnx" ] || (cd ../shared/bench && /tmp/peervenv/bin/python build_onnx.py >/dev/null)
taskset -c 0 /tmp/peervenv/bin/python Tools/bench/onnx_latency.py "$models" "$repeats" | tee -a "$work/results.txt"
# Ratios: modelc f32 against ORT f32 (last query, the same work) and int8 against ORT's dynamic int8.
awk '
  { for (i = 1; i < NF; i++) v[$1 " " $2, $i] = $(i + 1) }
  function ratio(a, b, what) {
    printf "%-38s median %.2f min %.2f | cpu median %.2f min %.2f\n", what,
      v[a, "median_us"] / v[b, "median_us"], v[a, "min_us"] / v[b, "min_us"],
      v[a, "cpu_median_us"] / v[b, "cpu_median_us"], v[a, "cpu_min_us"] / v[b, "cpu_min_us"]
  }
  END {
    print "ratio modelc / ONNX Runtime (below 1: modelc faster)"
    ratio("modelc f32", "ort f32-lastq", "f32 / ORT f32 last query")
    ratio("modelc f32", "ort f32", "f32 / ORT f32 all queries")
    ratio("modelc int8-dynamic", "ort int8-dynamic-lastq", "int8-dynamic / ORT dynamic int8")
    ratio("modelc int8", "ort int8-dynamic-lastq", "int8 weight-only / ORT dynamic int8")
    ratio("modelc f32-b25", "ort f32-lastq-b25", "batch of 25: f32 / ORT f32 last query")
    ratio("modelc int8-dynamic-b25", "ort int8-dynamic-lastq-b25", "batch of 25: int8-dynamic / ORT dynamic int8")
  }' "$work/results.txt"
