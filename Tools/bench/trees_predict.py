#!/usr/bin/env python3
"""Tree scoring speed: modelc through its C ABI vs XGBoost's and LightGBM's own predict, same
model, same rows, one thread, in one run (Tools/bench/trees.sh builds what it needs and calls this).

Usage: trees_predict.py --modelc MODELC --scorer TREES_SCORE [--rows 100000] [--repeats 7]

For each fixture model in shared/fixtures/trees (XGBoost JSON, LightGBM text; 300 trees, 23
features): imports it, checks with `modelc predict` that modelc's margins equal the library's bit
for bit on all rows, composes it into a direction component that reads the 23 columns, then
repeats, interleaved so that load on the shared machine hits every contender alike:
  - modelc (TREES_SCORE, release Embedded library): batch = one mc_score_inputs call over --rows
    rows (the 1000 fixture rows tiled), ns per row; single = mc_score_inputs on one row at a time,
    cycling through the 1000 rows, ns per call;
  - XGBoost: inplace_predict, nthread 1 (Booster.predict on a DMatrix is not timed: XGBoost caches
    the predictions of a DMatrix it has seen, so repeats would time the cache);
    LightGBM: predict(num_threads=1); batch over the same rows, single = one row per call from
    Python, cycling through the same 1000 rows.
All produce probabilities. Times are taken on two clocks: wall and process CPU time (the latter
leaves out what other jobs on a shared machine take). Prints one JSON object: ns per row (batch)
or per call (single), min and median over the repeats, and the ratios library / modelc of the
mins and of the medians.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
FIXTURES = os.path.join(SHARED, "fixtures", "trees")
sys.path.insert(0, os.path.join(SHARED, "bench"))
from timing import machine_info  # noqa: E402


def batch_ns(fn, rows):
    """Best of three calls over all rows, ns per row: {"wall": ..., "cpu": ...}."""
    best = {"wall": float("inf"), "cpu": float("inf")}
    for _ in range(3):
        w, c = time.perf_counter_ns(), time.process_time_ns()
        fn()
        best["wall"] = min(best["wall"], (time.perf_counter_ns() - w) / rows)
        best["cpu"] = min(best["cpu"], (time.process_time_ns() - c) / rows)
    return best


def single_ns(fn, X1, seconds):
    """One row per call, cycling through X1's rows (each a (1, width) array), for `seconds`."""
    calls, w, c = 0, time.perf_counter_ns(), time.process_time_ns()
    while True:
        for x in X1:
            fn(x)
        calls += len(X1)
        wall = time.perf_counter_ns() - w
        if wall >= seconds * 1e9:
            return {"wall": wall / calls, "cpu": (time.process_time_ns() - c) / calls}


def summary(runs):
    """Min and median over the repeats, per clock."""
    return {clock: {"min": round(float(np.min([r[clock] for r in runs])), 1),
                    "median": round(float(np.median([r[clock] for r in runs])), 1)} for clock in ("cpu", "wall")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modelc", required=True)
    ap.add_argument("--scorer", required=True)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--seconds", type=float, default=0.5, help="length of each single-row run")
    args = ap.parse_args()

    import lightgbm as lgb
    import xgboost as xgb

    X = np.load(os.path.join(FIXTURES, "X_test.npy")).astype(np.float64)
    Xb = np.ascontiguousarray(np.tile(X, (args.rows // len(X) + 1, 1))[: args.rows])
    X1 = [np.ascontiguousarray(X[i : i + 1]) for i in range(len(X))]
    bst = xgb.Booster(params={"nthread": 1}, model_file=os.path.join(FIXTURES, "xgb_model.json"))
    lbst = lgb.Booster(model_file=os.path.join(FIXTURES, "lgb_model.txt"))
    peers = {
        "xgboost": {
            "model": "xgb_model.json",
            "margin": lambda: bst.inplace_predict(Xb, predict_type="margin"),
            "batch": {"inplace_predict": lambda: bst.inplace_predict(Xb)},
            "single": {"inplace_predict": lambda x: bst.inplace_predict(x)},
        },
        "lightgbm": {
            "model": "lgb_model.txt",
            "margin": lambda: lbst.predict(Xb, raw_score=True, num_threads=1),
            "batch": {"predict": lambda: lbst.predict(Xb, num_threads=1)},
            "single": {"predict": lambda x: lbst.predict(x, num_threads=1)},
        },
    }
    result = {"machine": machine_info(), "rows": args.rows, "repeats": args.repeats,
              "load_avg_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        rows_npy = os.path.join(tmp, "rows.npy")
        rows_f64 = os.path.join(tmp, "rows.f64")
        np.save(rows_npy, Xb)
        Xb.astype("<f8").tofile(rows_f64)
        runs = {}
        for lib, peer in peers.items():
            imported = os.path.join(tmp, lib + ".modelc")
            composed = os.path.join(tmp, lib + "-direction.modelc")
            subprocess.run([args.modelc, "import", lib, os.path.join(FIXTURES, peer["model"]), "-o", imported],
                           check=True, capture_output=True)
            subprocess.run([args.modelc, "compose", "--direction", imported, "--direction-features", "base+crash",
                            "-o", composed], check=True, capture_output=True)
            out = os.path.join(tmp, lib + "_margin.npy")
            subprocess.run([args.modelc, "predict", imported, "--input", rows_npy, "-o", out, "--kind", "margin"],
                           check=True, capture_output=True)
            expected = peer["margin"]().astype(np.float64)
            result[lib] = {"margins_bit_exact": bool(np.array_equal(np.load(out).view(np.uint64),
                                                                    expected.view(np.uint64)))}
            runs[lib] = {"composed": composed, "modelc batch": [], "modelc single": [], "single_equals_batch": True}
            for name in peer["batch"]:
                runs[lib][name + " batch"] = []
            for name in peer["single"]:
                runs[lib][name + " single"] = []
        for _ in range(args.repeats):
            for lib, peer in peers.items():
                r = runs[lib]
                text = subprocess.run([args.scorer, r["composed"], "direction", rows_f64, str(args.rows),
                                       str(args.seconds)], check=True, capture_output=True, text=True).stdout
                ours = json.loads(text)
                r["modelc batch"].append(ours["batch"])
                r["modelc single"].append(ours["single"])
                r["single_equals_batch"] &= ours["single_equals_batch"]
                for name, fn in peer["batch"].items():
                    r[name + " batch"].append(batch_ns(fn, args.rows))
                for name, fn in peer["single"].items():
                    r[name + " single"].append(single_ns(fn, X1, args.seconds))
        for lib, peer in peers.items():
            r = runs[lib]
            entry = result[lib]
            entry["single_equals_batch"] = r["single_equals_batch"]
            entry["ns"] = {k: summary(v) for k, v in r.items() if isinstance(v, list)}
            ratios = {}
            for mode in ("batch", "single"):
                ours = entry["ns"]["modelc " + mode]
                for name in peer[mode]:
                    theirs = entry["ns"][name + " " + mode]
                    ratios[name + " " + mode] = {
                        clock: {stat: round(theirs[clock][stat] / ours[clock][stat], 1) for stat in ("min", "median")}
                        for clock in ("cpu", "wall")}
            entry["library_over_modelc"] = ratios
    result["load_avg_end"] = os.getloadavg()[0]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
