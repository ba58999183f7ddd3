#!/usr/bin/env bash
# Feature engine throughput: candles per second for all 23 features over one candle file
# (default BTCUSDT_1h.csv, 72,179 hourly candles), on one core, release build. Prints the
# min / median / max of REPEATS runs of a fresh engine over the parsed candles (CSV parsing
# and output excluded), then, for scale, the NumPy reference implementation
# (shared/fixtures/lstm/make_fixtures.py, compute_features) on the same file when it is there.
# Usage: Tools/bench/features.sh [CANDLES.csv]     environment: REPEATS=15 CPU=0
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-../shared/data/ohlcv/BTCUSDT_1h.csv}
repeats=${REPEATS:-15}
cpu=${CPU:-0}

swift build -c release --product modelc >&2
bin="$(swift build -c release --show-bin-path)/modelc"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "modelc feature engine ($(nproc) cores here, pinned to cpu $cpu; load: $(cut -d' ' -f1-3 /proc/loadavg))"
taskset -c "$cpu" "$bin" features "$data" -o "$out" --benchmark-repeats "$repeats"

fixtures=../shared/fixtures/lstm
if [ -f "$fixtures/make_fixtures.py" ] && python3 -c "import numpy" 2>/dev/null; then
  taskset -c "$cpu" python3 - "$fixtures" "$data" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
from make_fixtures import load_ohlcv, compute_features
d = load_ohlcv(sys.argv[2])
times = []
for _ in range(3):
    t = time.perf_counter()
    compute_features(d)
    times.append(time.perf_counter() - t)
times.sort()
n = len(d["ts"])
print(f"NumPy reference (make_fixtures.compute_features, 23 features): million candles/s: "
      f"min {n / times[-1] / 1e6:.3f} median {n / times[1] / 1e6:.3f} max {n / times[0] / 1e6:.3f}")
PY
fi
