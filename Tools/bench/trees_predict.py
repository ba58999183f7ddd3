#!/usr/bin/env python3
"""Batch tree scoring: `modelc predict` vs XGBoost's and LightGBM's own predict, same rows.

Usage: Tools/bench/trees_predict.py [--modelc .build/release/modelc] [--rows 100000]

Needs a release build (`swift build -c release --product modelc`) and a Python with numpy,
xgboost and lightgbm (e.g. /tmp/peervenv from shared/bench/setup_venv.sh). Imports the fixture
models from shared/fixtures/trees, tiles the 1000 fixture rows (all the traps) to --rows rows,
checks that modelc's margins equal the libraries' bit for bit, then times scoring:
  - modelc: the "scored in" time `modelc predict` reports (the runtime's batch kernel on rows
    already in memory; file reading and artifact loading excluded), median of --repeats runs;
  - peers: XGBoost inplace_predict(predict_type="margin"), LightGBM predict(raw_score=True),
    1 thread, timed with shared/bench/timing.py (waits for a quiet machine, flags foreign load).
Prints one JSON object with ns/row for each and the ratios.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
FIXTURES = os.path.join(SHARED, "fixtures", "trees")
sys.path.insert(0, os.path.join(SHARED, "bench"))
from timing import machine_info, time_blocks  # noqa: E402


def modelc_ns_per_row(modelc, artifact, rows_path, out, repeats):
    times = []
    for _ in range(repeats):
        text = subprocess.run([modelc, "predict", artifact, "--input", rows_path, "-o", out, "--output", "margin"],
                              check=True, capture_output=True, text=True).stdout
        times.append(int(re.search(r"(\d+) ns/row", text).group(1)))
    return float(np.median(times)), times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modelc", default=os.path.join(ROOT, ".build", "release", "modelc"))
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    import lightgbm as lgb
    import xgboost as xgb

    X = np.load(os.path.join(FIXTURES, "X_test.npy"))
    Xb = np.ascontiguousarray(np.tile(X, (args.rows // len(X) + 1, 1))[: args.rows])
    bst = xgb.Booster(params={"nthread": 1}, model_file=os.path.join(FIXTURES, "xgb_model.json"))
    lbst = lgb.Booster(model_file=os.path.join(FIXTURES, "lgb_model.txt"))
    result = {"machine": machine_info(), "rows": args.rows, "modelc": args.modelc}
    with tempfile.TemporaryDirectory() as tmp:
        rows_path = os.path.join(tmp, "rows.npy")
        np.save(rows_path, Xb)
        for lib, model, peer in [
            ("xgboost", "xgb_model.json", lambda: bst.inplace_predict(Xb, predict_type="margin")),
            ("lightgbm", "lgb_model.txt", lambda: lbst.predict(Xb, raw_score=True, num_threads=1)),
        ]:
            artifact = os.path.join(tmp, lib + ".modelc")
            subprocess.run([args.modelc, "import", lib, os.path.join(FIXTURES, model), "-o", artifact],
                           check=True, capture_output=True)
            out = os.path.join(tmp, lib + "_margin.npy")
            ours, runs = modelc_ns_per_row(args.modelc, artifact, rows_path, out, args.repeats)
            expected = peer().astype(np.float64)
            exact = bool(np.array_equal(np.load(out).view(np.uint64), expected.view(np.uint64)))
            st = time_blocks(peer, 1, 3)
            theirs = st["median_us"] * 1e3 / args.rows
            result[lib] = {"modelc_ns_per_row": ours, "modelc_runs": runs, "library_ns_per_row": theirs,
                           "library_over_modelc": theirs / ours, "margins_bit_exact": exact,
                           "library_contaminated": st["contaminated"], "library_foreign_load": st["block_foreign_load"]}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
