"""A minimal bot: streams candles through a modelc artifact and prints its signals.

    MODELC_RUNTIME_LIB=path/to/libmodelc_runtime.so python stream_bot.py MODEL.modelc CANDLES.csv [--watch] [--every]

CANDLES is a CSV with the header timestamp,open,high,low,close,volume and ISO-8601 UTC or
unix-second timestamps, or `-` to read it from standard input as candles close (a live feed). A
live bot does the same with each candle as it closes; because the runtime computes the features
itself, backtest and live scores are the same bits.

--watch reloads MODEL whenever the file is replaced (`modelc registry export NAME@production
MODEL` replaces it atomically) and hands the stream to the new model without a restart and
without a warm-up gap. --every prints every candle's score, for scripts.
"""
import argparse
import csv
import sys
from datetime import datetime, timezone

import modelc

SIGNALS = {-1: "SHORT", 0: "flat", 1: "LONG"}


def unix_seconds(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def describe(model: modelc.Model, sha256: str) -> str:
    return f"{model.name} {model.version} (sha256 {sha256[:16]})"


def run(model_path: str, candles, watch: bool, every: bool) -> None:
    watcher = modelc.ModelWatcher(model_path)
    stream = watcher.model.stream()
    print(f"{describe(watcher.model, watcher.sha256)}: components {[c.name for c in watcher.model.components]}, "
          f"first score after {watcher.model.warmup_candles} candles", flush=True)
    scored = trades = 0
    for row in csv.DictReader(candles):
        if watch:
            try:
                if watcher.poll():
                    stream.set_model(watcher.model)
                    print(f"{row['timestamp']}: reloaded {describe(watcher.model, watcher.sha256)}", flush=True)
            except modelc.ModelcError as e:
                print(f"{row['timestamp']}: kept the current model: {e}", flush=True)
        candle = (unix_seconds(row["timestamp"]), row["open"], row["high"], row["low"], row["close"], row["volume"])
        try:
            score = stream.push(candle)
        except modelc.ModelcError as e:
            print(f"{row['timestamp']}: candle refused: {e}", flush=True)
            continue
        scored += score.ready
        trades += score.signal != 0
        if every:
            print(f"{row['timestamp']} ready {score.ready} signal {score.signal} size {score.size!r} confidence "
                  f"{score.confidence!r} p_up {score.p_up!r} p_long {score.p_long!r} p_short {score.p_short!r}", flush=True)
        elif score.signal != 0:
            print(f"{row['timestamp']}  {SIGNALS[score.signal]:5}  size {score.size:.3f}  confidence {score.confidence:.3f}"
                  f"  p_up {score.p_up:.3f} p_long {score.p_long:.3f} p_short {score.p_short:.3f}", flush=True)
    print(f"{scored} candles scored, {trades} signals")


def main() -> None:
    parser = argparse.ArgumentParser(description="Stream candles through a modelc artifact.")
    parser.add_argument("model", help="the .modelc artifact")
    parser.add_argument("candles", help="candles CSV, or - for standard input")
    parser.add_argument("--watch", action="store_true", help="reload the model when its file is replaced")
    parser.add_argument("--every", action="store_true", help="print every candle's score")
    args = parser.parse_args()
    if args.candles == "-":
        run(args.model, sys.stdin, args.watch, args.every)
    else:
        with open(args.candles, newline="") as f:
            run(args.model, f, args.watch, args.every)


if __name__ == "__main__":
    main()
