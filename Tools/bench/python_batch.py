"""Batch scoring from Python against the C ABI, 100 000 at a time. Run by hand, not in the tests:
    MODELC_RUNTIME_LIB=... python Tools/bench/python_batch.py ARTIFACT [REPEATS] [COMPONENT]
- candles: Model.score_frame (one mc_stream_push_many per symbol) on 100 000 candles against the
  C ABI pushing the same candles one mc_stream_push at a time (Tools/bench/stream_push.c);
- rows (with COMPONENT, a tree component reading the 23 catalogue features, such as long_trees of
  Tests/Golden/calibrated-isotonic.modelc): Component.score_inputs on a NumPy array of 100 000 rows
  (the tree fixture's 1000 test rows, 100 times) against one mc_score_inputs call on the same
  rows in C (Tools/bench/trees_score.c).
Builds the C programs with cc next to temporary copies of the inputs. Both sides are timed in
CPU time on the calling thread (the runtime runs there), median of REPEATS passes."""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import modelc

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "ohlcv"
TREE_ROWS = ROOT.parent / "shared" / "fixtures" / "trees" / "X_test.npy"
ROWS_PER_SYMBOL = 50_000


def frame():
    """The first 50 000 candles of BTC and of ETH, as one frame with a symbol column."""
    parts = [pd.read_csv(DATA / f"{s}USDT_1h.csv", nrows=ROWS_PER_SYMBOL).assign(symbol=s) for s in ("BTC", "ETH")]
    df = pd.concat(parts, ignore_index=True)
    return df.assign(timestamp=pd.to_datetime(df["timestamp"], utc=True, format="ISO8601"))


def runtime_dir():
    return str(Path(modelc._library.lib._name).parent)


def build(work, source, name):
    subprocess.run(["cc", "-O2", "-std=c11", f"-I{ROOT}/Bindings/c", f"-I{ROOT}/Tests/C", f"{ROOT}/Tools/bench/{source}",
                    "-L", runtime_dir(), "-lmodelc_runtime", "-o", f"{work}/{name}"], check=True)
    return f"{work}/{name}"


def median_ms(repeats, run):
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        run()
        times.append((time.thread_time() - start) * 1e3)
    times.sort()
    return times[len(times) // 2], times[0]


def rows(model, component, repeats):
    """Component.score_inputs on 100 000 float64 rows against mc_score_inputs on them in C."""
    c = model.component(component)
    x = np.ascontiguousarray(np.tile(np.load(TREE_ROWS).astype(np.float64), (100, 1)))
    with tempfile.TemporaryDirectory() as work:
        x.tofile(f"{work}/rows.f64")
        out = subprocess.run([build(work, "trees_score.c", "trees_score"), model.path, component, f"{work}/rows.f64", str(len(x)), "1"],
                             check=True, capture_output=True, text=True, env={"LD_LIBRARY_PATH": runtime_dir()}).stdout
    batch = json.loads(out)["batch"]
    median, low = median_ms(repeats, lambda: c.score_inputs(x))
    print(f"C ABI, one mc_score_inputs:         {len(x)} rows: {batch['cpu'] * len(x) / 1e6:.2f} ms CPU "
          f"(best of three)")
    print(f"Python, Component.score_inputs:     {len(x)} rows: median {median:.2f} ms, min {low:.2f} ms (thread CPU)")


def main():
    artifact, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    model, df = modelc.Model(artifact), frame()
    model.path = artifact
    if len(sys.argv) > 3:
        rows(model, sys.argv[3], repeats)
    with tempfile.TemporaryDirectory() as work:
        candles = np.empty(len(df), [("timestamp", "<i8")] + [(c, "<f8") for c in ("open", "high", "low", "close", "volume")])
        candles["timestamp"] = (df["timestamp"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
        for c in ("open", "high", "low", "close", "volume"):
            candles[c] = df[c]
        candles.tofile(f"{work}/candles.bin")
        c_side = subprocess.run([build(work, "stream_push.c", "stream_push"), artifact, f"{work}/candles.bin", str(repeats)],
                                check=True, capture_output=True, text=True, env={"LD_LIBRARY_PATH": runtime_dir()}).stdout.strip()
    median, low = median_ms(repeats, lambda: model.score_frame(df))
    print(f"C ABI, mc_stream_push per candle: {c_side}")
    print(f"Python, Model.score_frame:        {len(df)} candles: median {median:.2f} ms, min {low:.2f} ms (thread CPU)")


if __name__ == "__main__":
    main()
