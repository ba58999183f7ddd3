#!/usr/bin/env bash
# GBDT training time and test AUC, modelc beside LightGBM and XGBoost (see gbdt_bench.py).
#   Tools/bench/gbdt.sh [--repeats N] [--rows N] [--trees N] [--threads N]
# Needs the peer venv (bash ../shared/bench/setup_venv.sh -> /tmp/peervenv) and the shared
# bench scripts beside the repository (../shared/bench: data recipe and load guard).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=${PEER_PYTHON:-/tmp/peervenv/bin/python}
if [ ! -x "$PY" ]; then
  echo "gbdt.sh: $PY not found; run: bash $ROOT/../shared/bench/setup_venv.sh" >&2
  exit 2
fi
cd "$ROOT"
swift build -c release --product modelc-bench-gbdt >&2
DRIVER=$(swift build -c release --show-bin-path)/modelc-bench-gbdt
exec "$PY" "$ROOT/Tools/bench/gbdt_bench.py" --driver "$DRIVER" "$@"
