"""A minimal bot: streams a CSV of candles through a modelc artifact and prints its signals.

    MODELC_RUNTIME_LIB=path/to/libmodelc_runtime.so python stream_bot.py MODEL.modelc CANDLES.csv

The CSV has the header timestamp,open,high,low,close,volume with ISO-8601 UTC or unix-second
timestamps. A live bot does the same with each candle as it closes; because the runtime computes
the features itself, backtest and live scores are the same bits.
"""
import csv
import sys
from datetime import datetime, timezone

import modelc

SIGNALS = {-1: "SHORT", 0: "flat", 1: "LONG"}


def unix_seconds(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def main(model_path: str, candles_path: str) -> None:
    model = modelc.Model(model_path)
    stream = model.stream()
    print(f"{model.name} {model.version}: components {[c.name for c in model.components]}, "
          f"first score after {model.warmup_candles} candles")
    scored = trades = 0
    with open(candles_path, newline="") as f:
        for row in csv.DictReader(f):
            candle = (unix_seconds(row["timestamp"]), row["open"], row["high"], row["low"], row["close"], row["volume"])
            try:
                score = stream.push(candle)
            except modelc.ModelcError as e:
                print(f"{row['timestamp']}: candle refused: {e}")
                continue
            scored += score.ready
            if score.signal != 0:
                trades += 1
                print(f"{row['timestamp']}  {SIGNALS[score.signal]:5}  size {score.size:.3f}  confidence {score.confidence:.3f}"
                      f"  p_up {score.p_up:.3f} p_long {score.p_long:.3f} p_short {score.p_short:.3f}")
    print(f"{scored} candles scored, {trades} signals")


if __name__ == "__main__":
    main(*sys.argv[1:3])
