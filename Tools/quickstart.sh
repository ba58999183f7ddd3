#!/usr/bin/env bash
# The README's first command: sets up a fresh machine, then runs the main job on the bundled
# candles: validate them, write a model, inspect it, score every candle as a bot would.
# With ../shared/fixtures beside the checkout it also compiles the PyTorch-trained seed networks
# (LONG and SHORT) into one dual model and scores with that. Everything lands in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
./Tools/setup.sh
modelc=$(swift build --show-bin-path)/modelc
candles=Models/data/BTCUSDT_1h_sample.csv
mkdir -p out

echo "== 1. the candles"
"$modelc" data check "$candles"

fixtures=../shared/fixtures/lstm
if [ -f "$fixtures/seed_trained_long_f19.safetensors" ]; then
  echo "== 2. compile the PyTorch seed networks (LONG on 19 features, SHORT on 23) into one dual model"
  "$modelc" import pytorch --arch Models/pytorch/seed-long.yaml --scaler Models/pytorch/seed-scaler-19.yaml \
    "$fixtures/seed_trained_long_f19.safetensors" -o out/seed-long.modelc
  "$modelc" import pytorch --arch Models/pytorch/seed-short.yaml --scaler Models/pytorch/seed-scaler-23.yaml \
    "$fixtures/seed_trained_short_f23.safetensors" -o out/seed-short.modelc
  "$modelc" compose --name seed-dual --long out/seed-long.modelc --short out/seed-short.modelc -o out/model.modelc
else
  echo "== 2. no ../shared/fixtures here: writing the random-weight demo model instead"
  "$modelc" demo -o out/model.modelc
fi

echo "== 3. what the artifact holds"
"$modelc" inspect out/model.modelc | sed -n '1,12p;/^Component/,/^Blend/p'

echo "== 4. score every candle through the runtime, as a bot would"
"$modelc" score out/model.modelc "$candles" -o out/scores.csv
echo "first signals:"
awk -F, 'NR > 1 && $8 != 0 { print "  " $2 "  signal " $8 "  size " substr($9, 1, 6) "  p_long " substr($5, 1, 6) "  p_short " substr($6, 1, 6); if (++n == 5) exit }' out/scores.csv
echo "done: out/model.modelc, out/scores.csv"
