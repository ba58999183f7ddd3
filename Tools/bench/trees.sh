#!/usr/bin/env bash
# Tree scoring speed against XGBoost's and LightGBM's own predict (see trees_predict.py): builds
# the modelc CLI (it only imports and composes: debug is enough) and the release Embedded runtime,
# compiles trees_score.c against the runtime and runs the comparison with the peer venv (bash ../shared/bench/setup_venv.sh -> /tmp/peervenv).
# Usage: Tools/bench/trees.sh [--rows N] [--repeats N] [--seconds S]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=${PEER_PYTHON:-/tmp/peervenv/bin/python}
if [ ! -x "$PY" ]; then
  echo "trees.sh: $PY not found; run: bash $ROOT/../shared/bench/setup_venv.sh" >&2
  exit 2
fi
cd "$ROOT"
work=.build/bench-trees
mkdir -p "$work"
swift build --product modelc >&2
modelc=$(swift build --show-bin-path)/modelc
out=$(./Tools/build-runtime.sh 2>/dev/null); so=$(tail -2 <<<"$out" | head -1)
cc -O2 -std=c11 -IBindings/c -ITests/C Tools/bench/trees_score.c -L"$(dirname "$so")" -lmodelc_runtime -o "$work/trees_score"
Tools/bench/cpu.sh >&2
LD_LIBRARY_PATH="$(dirname "$so")" exec "$PY" Tools/bench/trees_predict.py --modelc "$modelc" --scorer "$work/trees_score" "$@"
