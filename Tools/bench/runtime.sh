#!/usr/bin/env bash
# Runtime latency of the seed network (64 x 19 -> BiLSTM 2x128 -> MHA 4 heads -> dense), batch 1,
# one thread, through the C ABI of the release Embedded library, for f32, int8 (weight-only) and
# int8-dynamic, with the artifact load time; and, in the same run, ONNX Runtime on the same
# weights when the peer venv exists (bash ../shared/bench/setup_venv.sh). Prints min and median
# over repeated 1-second blocks and the ratio to ONNX Runtime's figure.
# Usage: Tools/bench/runtime.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-5}
work=.build/bench-runtime
mkdir -p "$work"
./Tools/setup.sh >/dev/null
modelc=$(swift build --show-bin-path)/modelc
out=$(./Tools/build-runtime.sh 2>/dev/null); so=$(tail -2 <<<"$out" | head -1)
cc -O2 -std=c11 -IBindings/c -ITests/C Tools/bench/score_latency.c -L"$(dirname "$so")" -lmodelc_runtime -o "$work/latency"
weights=../shared/fixtures/lstm/seed_trained_long_f19.safetensors
.venv/bin/python -c "import numpy as np; np.load('../shared/fixtures/lstm/inputs_f19.npy')[:1].astype('<f8').tofile('$work/one.f64')"
for p in f32 int8 int8-dynamic; do
  "$modelc" import pytorch --arch Models/pytorch/seed-long.yaml "$weights" --precision $p -o "$work/seed-$p.modelc" >/dev/null
  printf '%-13s ' "modelc $p"
  LD_LIBRARY_PATH="$(dirname "$so")" taskset -c 0 "$work/latency" "$work/seed-$p.modelc" long "$work/one.f64" "$repeats"
done
if [ -x /tmp/peervenv/bin/python ]; then
  (cd ../shared/bench && /tmp/peervenv/bin/python build_onnx.py >/dev/null && \
   /tmp/peervenv/bin/python bench_onnx.py --quick --out "$OLDPWD/$work/onnx.json" | grep -iE "batch 1|b1" | head -8)
else
  echo "ONNX Runtime: no /tmp/peervenv (bash ../shared/bench/setup_venv.sh); its recorded figures on this machine kind:"
  echo "  f32 0.92-0.97 ms, f32 last-query 0.82-0.86 ms, dynamic int8 last-query 0.35-0.38 ms (../shared/bench/README.md)"
fi
