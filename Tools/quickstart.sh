#!/usr/bin/env bash
# The README's first command: sets up a fresh machine, then runs the main job on the bundled
# candles (a year of BTC and ETH hourly candles, Models/data/README.md): build a dual model with
# Models/quickstart.yaml (walk-forward evaluation, holdout backtest, int8 compile, model card),
# score every candle through the runtime as a bot would, re-run the card's backtest with
# `modelc backtest`, and render the model card. Everything lands in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
./Tools/setup.sh
modelc=$(swift build --show-bin-path)/modelc
candles=(Models/data/BTCUSDT_1h_recent.csv Models/data/ETHUSDT_1h_recent.csv)
mkdir -p out

echo "== 1. the candles"
for f in "${candles[@]}"; do "$modelc" data check "$f" | head -3; done

echo "== 2. build: features, labels, purged walk-forward, final models, holdout backtest, compile"
"$modelc" build Models/quickstart.yaml -o out/quickstart.modelc

echo "== 3. what the artifact holds"
"$modelc" inspect out/quickstart.modelc | sed -n '/^Model$/,/^Features/p;/^Component/,/^  0  *fc.3/p' | head -40

echo "== 4. score every candle through the runtime, as a bot would"
"$modelc" score out/quickstart.modelc "${candles[@]}" -o out/scores.csv

echo "== 5. the model card's holdout backtest, recomputed by modelc backtest"
read -r from to fee slip < <("$modelc" inspect --json out/quickstart.modelc | .venv/bin/python -c '
import json, sys; b = json.load(sys.stdin)["card"]["backtest"]
print(int(b["start"]), int(b["end"]), repr(b["fee"]), repr(b["slippage"]))')
"$modelc" backtest out/quickstart.modelc "${candles[@]}" --from "$from" --to "$to" --fee "$fee" --slippage "$slip"

echo "== 6. the model card as one HTML file"
"$modelc" report out/quickstart.modelc -o out/card.html
echo "done: out/quickstart.modelc, out/scores.csv, out/card.html"
