"""Scoring 100 000 candles from Python (Model.score_frame: one mc_stream_push_many per symbol)
against the C ABI pushing the same candles one mc_stream_push at a time (Tools/bench/stream_push.c).
Run by hand, not in the tests:
    MODELC_RUNTIME_LIB=... python Tools/bench/python_batch.py ARTIFACT [REPEATS]
Builds stream_push with cc next to a temporary copy of the candles. Both sides are timed in
thread CPU time (the runtime runs on the calling thread), median of REPEATS passes."""
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
ROWS_PER_SYMBOL = 50_000


def frame():
    """The first 50 000 candles of BTC and of ETH, as one frame with a symbol column."""
    parts = [pd.read_csv(DATA / f"{s}USDT_1h.csv", nrows=ROWS_PER_SYMBOL).assign(symbol=s) for s in ("BTC", "ETH")]
    df = pd.concat(parts, ignore_index=True)
    return df.assign(timestamp=pd.to_datetime(df["timestamp"], utc=True, format="ISO8601"))


def main():
    artifact, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    model, df = modelc.Model(artifact), frame()
    with tempfile.TemporaryDirectory() as work:
        candles = np.empty(len(df), [("timestamp", "<i8")] + [(c, "<f8") for c in ("open", "high", "low", "close", "volume")])
        candles["timestamp"] = (df["timestamp"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
        for c in ("open", "high", "low", "close", "volume"):
            candles[c] = df[c]
        candles.tofile(f"{work}/candles.bin")
        subprocess.run(["cc", "-O2", "-std=c11", f"-I{ROOT}/Bindings/c", f"-I{ROOT}/Tests/C", f"{ROOT}/Tools/bench/stream_push.c",
                        "-L", str(Path(modelc._library.lib._name).parent), "-lmodelc_runtime", "-o", f"{work}/stream_push"], check=True)
        c_side = subprocess.run([f"{work}/stream_push", artifact, f"{work}/candles.bin", str(repeats)], check=True,
                                capture_output=True, text=True,
                                env={"LD_LIBRARY_PATH": str(Path(modelc._library.lib._name).parent)}).stdout.strip()
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        model.score_frame(df)
        times.append((time.thread_time() - start) * 1e3)
    times.sort()
    print(f"C ABI, mc_stream_push per candle: {c_side}")
    print(f"Python, Model.score_frame:        {len(df)} candles: median {times[len(times) // 2]:.2f} ms, "
          f"min {times[0]:.2f} ms (thread CPU)")


if __name__ == "__main__":
    main()
