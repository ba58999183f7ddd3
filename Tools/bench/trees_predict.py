#!/usr/bin/env python3
"""Tree scoring speed: modelc through its C ABI vs XGBoost's and LightGBM's own predict, same
model, same rows, one thread, in one run (Tools/bench/trees.sh builds what it needs and calls this).

Usage: trees_predict.py --modelc MODELC --scorer TREES_SCORE [--rows 100000] [--repeats 7]

For each model: the fixture models in shared/fixtures/trees (XGBoost depth 6, LightGBM 63 leaves;
300 trees, 23 features, scored on the fixture rows), and two trained here on real features (23
per candle from shared/data/ohlcv, see real_features; label: the close 4 hours later is higher):
XGBoost max_depth 8, 400 rounds, and LightGBM num_leaves 127, 300 rounds, scored on held-out
candles (the last 1000 of each coin's series is the test set). Imports it, checks with `modelc predict` that modelc's margins equal the library's bit
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


def real_features(path):
    """23 features per candle of one coin's 1-hour series (returns over 1 to 72 hours, ranges,
    volume ratios, hour and weekday) and the label (close 4 hours later is higher); rows whose
    look-back or look-ahead leaves the series are dropped."""
    ts = np.loadtxt(path, delimiter=",", skiprows=1, usecols=0, dtype=str)
    o, h, l, c, v = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1, 2, 3, 4, 5), unpack=True)
    hours = np.array([int(t[11:13]) for t in ts], dtype=np.float64)
    days = (np.arange(len(c)) // 24 + 3) % 7.0  # weekday in steps of whole days from the first candle

    def lag(x, k):
        return np.concatenate([np.full(k, np.nan), x[:-k]])

    lc, lv = np.log(c), np.log1p(v)
    cols = [lc - lag(lc, k) for k in (1, 2, 3, 4, 6, 8, 12, 24, 48, 72)]
    cols += [np.log(h / l), (c - l) / np.maximum(h - l, 1e-12), np.log(c / o)]
    cols += [lv - lag(lv, k) for k in (1, 4, 24)]
    for w in (6, 24, 72):
        r = lc - lag(lc, 1)
        cols.append(np.sqrt(np.convolve(np.nan_to_num(r) ** 2, np.ones(w) / w, mode="full")[: len(c)]))
    cols += [lc - np.convolve(lc, np.ones(24) / 24, mode="full")[: len(c)],
             lv - np.convolve(lv, np.ones(24) / 24, mode="full")[: len(c)], hours, days]
    X = np.stack(cols, axis=1)[72:-4]
    y = (c[76:] > c[72:-4]).astype(np.float64)
    return X.astype(np.float32), y


def train_real(tmp):
    """The depth-8 XGBoost and 127-leaf LightGBM models on real features, their test rows."""
    import lightgbm as lgb
    import xgboost as xgb

    parts = [real_features(os.path.join(SHARED, "data", "ohlcv", f))
             for f in sorted(os.listdir(os.path.join(SHARED, "data", "ohlcv"))) if f.endswith(".csv")]
    train_X = np.concatenate([X[-20000:-1000] for X, _ in parts])
    train_y = np.concatenate([y[-20000:-1000] for _, y in parts])
    test_X = np.concatenate([X[-125:] for X, _ in parts])[:1000]
    xgb_path, lgb_path = os.path.join(tmp, "xgb_depth8.json"), os.path.join(tmp, "lgb_127.txt")
    xgb.train({"objective": "binary:logistic", "tree_method": "hist", "max_depth": 8, "eta": 0.05,
               "nthread": 2, "seed": 0}, xgb.DMatrix(train_X, label=train_y), 400).save_model(xgb_path)
    lgb.train({"objective": "binary", "num_leaves": 127, "learning_rate": 0.05, "num_threads": 2,
               "seed": 0, "verbose": -1}, lgb.Dataset(train_X, label=train_y), 300).save_model(lgb_path)
    return xgb_path, lgb_path, test_X.astype(np.float64)


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

    tmp_dir = tempfile.TemporaryDirectory()
    tmp = tmp_dir.name
    X = np.load(os.path.join(FIXTURES, "X_test.npy")).astype(np.float64)
    xgb8_path, lgb127_path, X_real = train_real(tmp)

    def peer(kind, path, X):
        """A contender: its model file, its rows (tiled to --rows), and the library's calls."""
        Xb = np.ascontiguousarray(np.tile(X, (args.rows // len(X) + 1, 1))[: args.rows])
        X1 = [np.ascontiguousarray(X[i : i + 1]) for i in range(len(X))]
        if kind == "xgboost":
            bst = xgb.Booster(params={"nthread": 1}, model_file=path)
            return {"kind": kind, "path": path, "Xb": Xb, "X1": X1,
                    "margin": lambda: bst.inplace_predict(Xb, predict_type="margin"),
                    "batch": {"inplace_predict": lambda: bst.inplace_predict(Xb)},
                    "single": {"inplace_predict": lambda x: bst.inplace_predict(x)}}
        lbst = lgb.Booster(model_file=path)
        return {"kind": kind, "path": path, "Xb": Xb, "X1": X1,
                "margin": lambda: lbst.predict(Xb, raw_score=True, num_threads=1),
                "batch": {"predict": lambda: lbst.predict(Xb, num_threads=1)},
                "single": {"predict": lambda x: lbst.predict(x, num_threads=1)}}

    peers = {
        "xgboost": peer("xgboost", os.path.join(FIXTURES, "xgb_model.json"), X),
        "lightgbm": peer("lightgbm", os.path.join(FIXTURES, "lgb_model.txt"), X),
        "xgboost depth 8 x 400 (real features)": peer("xgboost", xgb8_path, X_real),
        "lightgbm 127 leaves x 300 (real features)": peer("lightgbm", lgb127_path, X_real),
    }
    result = {"machine": machine_info(), "rows": args.rows, "repeats": args.repeats,
              "load_avg_start": os.getloadavg()[0]}
    with tmp_dir:
        runs = {}
        for i, (lib, peer) in enumerate(peers.items()):
            rows_npy = os.path.join(tmp, f"rows{i}.npy")
            rows_f64 = peer["rows_f64"] = os.path.join(tmp, f"rows{i}.f64")
            np.save(rows_npy, peer["Xb"])
            peer["Xb"].astype("<f8").tofile(rows_f64)
            imported = os.path.join(tmp, f"model{i}.modelc")
            composed = os.path.join(tmp, f"model{i}-direction.modelc")
            subprocess.run([args.modelc, "import", peer["kind"], peer["path"], "-o", imported],
                           check=True, capture_output=True)
            subprocess.run([args.modelc, "compose", "--direction", imported, "--direction-features", "base+crash",
                            "-o", composed], check=True, capture_output=True)
            out = os.path.join(tmp, f"margin{i}.npy")
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
                text = subprocess.run([args.scorer, r["composed"], "direction", peer["rows_f64"], str(args.rows),
                                       str(args.seconds)], check=True, capture_output=True, text=True).stdout
                ours = json.loads(text)
                r["modelc batch"].append(ours["batch"])
                r["modelc single"].append(ours["single"])
                r["single_equals_batch"] &= ours["single_equals_batch"]
                for name, fn in peer["batch"].items():
                    r[name + " batch"].append(batch_ns(fn, args.rows))
                for name, fn in peer["single"].items():
                    r[name + " single"].append(single_ns(fn, peer["X1"], args.seconds))
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
