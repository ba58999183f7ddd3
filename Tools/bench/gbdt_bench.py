"""GBDT training: modelc vs LightGBM vs XGBoost, same data, same parameters, one run.

Data: the peer benchmark's recipe (shared/bench/trees.py make_data): 200,000 training rows x 23
float32 features (gaussian and heavy-tailed returns, oscillators, log-normal volumes, integer
hour/day ties, ~3 % NaN in three features), an independent 100,000-row test set, a noisy
nonlinear label. Two pairings, each with identical parameters on both sides:
  leaf-wise : modelc growth=leaf  vs LightGBM  (num_leaves 63, lambda_l2 1, min_data_in_leaf 20,
              min_sum_hessian 1e-3, 255 bins)
  depth-wise: modelc growth=depth vs XGBoost hist (max_depth 6, lambda 1, min_child_weight 1,
              256 bins)
learning rate 0.1, 300 rounds, 2 threads. Times include binning: LightGBM's Dataset
construction inside lgb.train, XGBoost's DMatrix, modelc's binning (timed inside the driver,
so process start and file reading are not counted). Repeats are interleaved; min and median
wall times are reported, with each run's CPU time (all threads) and the CPU share other
processes used meanwhile (the box is shared: under load, wall ratios mostly measure how each
library copes with lost cores; OpenMP's spinning threads suffer most: OMP_WAIT_POLICY=PASSIVE
makes the peers sleep instead of spin, which helps them on a loaded machine).

Usage: python gbdt_bench.py --driver PATH [--repeats 5] [--rows 200000] [--trees 300]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import lightgbm as lgb
import numpy as np
import xgboost as xgb
from scipy.stats import rankdata

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "bench")
sys.path.insert(0, SHARED)
from timing import wait_idle  # noqa: E402
from trees import make_data  # noqa: E402


def auc(y, score):
    """ROC AUC with average ranks for ties (what modelc's BinaryMetrics.rocAUC computes)."""
    r = rankdata(score)
    pos = y == 1
    p, n = pos.sum(), (~pos).sum()
    return float((r[pos].sum() - p * (p + 1) / 2) / (p * n))


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def machine_busy_seconds():
    """CPU seconds all processes used so far, and those this process and its children used."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    t = os.times()
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK"), t.user + t.system + t.children_user + t.children_system


def timed(fn):
    """(wall s, CPU s of this process, result, share of all cores other processes used meanwhile)."""
    wait_idle(max_wait_s=60)
    busy0, ours0 = machine_busy_seconds()
    c0 = cpu_seconds()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    busy1, ours1 = machine_busy_seconds()
    foreign = max(0.0, (busy1 - busy0) - (ours1 - ours0)) / (dt * (os.cpu_count() or 1))
    return dt, cpu_seconds() - c0, out, foreign


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--trees", type=int, default=300)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    X, y = make_data(args.rows, seed=42)
    Xt, yt = make_data(args.rows // 2, seed=4242)
    tmp = tempfile.mkdtemp(prefix="gbdt-bench-")
    try:
        run(args, X, y, Xt, yt, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, X, y, Xt, yt, tmp):
    paths = {k: os.path.join(tmp, k) for k in ("X.f32", "y.u8", "T.f32", "m.f64")}
    np.ascontiguousarray(X, np.float32).tofile(paths["X.f32"])
    y.astype(np.uint8).tofile(paths["y.u8"])
    np.ascontiguousarray(Xt, np.float32).tofile(paths["T.f32"])

    lr, nt = 0.1, args.threads
    lgb_params = dict(objective="binary", num_leaves=63, learning_rate=lr, lambda_l2=1.0, min_data_in_leaf=20,
                      min_sum_hessian_in_leaf=1e-3, max_bin=255, num_threads=nt, seed=0, verbose=-1)
    xgb_params = dict(objective="binary:logistic", tree_method="hist", max_depth=6, eta=lr, reg_lambda=1.0,
                      min_child_weight=1.0, max_bin=256, nthread=nt, seed=0)
    common = [f"train={paths['X.f32']}", f"labels={paths['y.u8']}", f"test={paths['T.f32']}",
              f"columns={X.shape[1]}", f"out={paths['m.f64']}", f"trees={args.trees}", f"lr={lr}",
              f"threads={nt}", "lambda=1"]
    ours_leaf = common + ["growth=leaf", "leaves=63", "min_data=20", "min_child_weight=1e-3", "bins=255"]
    ours_depth = common + ["growth=depth", "depth=6", "min_data=1", "min_child_weight=1", "bins=255"]

    # Training only is timed; the test margins are predicted afterwards.
    def run_lgb():
        return lgb.train(lgb_params, lgb.Dataset(X, label=y), num_boost_round=args.trees)

    def run_xgb():
        return xgb.train(xgb_params, xgb.DMatrix(X, label=y, nthread=nt), num_boost_round=args.trees)

    predict = {"lightgbm": lambda b: b.predict(Xt, raw_score=True),
               "xgboost": lambda b: b.predict(xgb.DMatrix(Xt, nthread=nt), output_margin=True)}

    def run_ours(argv):
        def go():
            out = subprocess.run([args.driver] + argv, check=True, capture_output=True, text=True).stdout
            report = json.loads(out.strip().splitlines()[-1])
            return report, np.fromfile(paths["m.f64"], dtype=np.float64)
        return go

    runs = {"lightgbm": run_lgb, "xgboost": run_xgb, "modelc_leafwise": run_ours(ours_leaf),
            "modelc_depthwise": run_ours(ours_depth)}
    times = {k: [] for k in runs}
    cpu = {k: [] for k in runs}
    foreign = {k: [] for k in runs}
    aucs = {}
    for rep in range(args.repeats):
        for name, fn in runs.items():
            dt, ct, out, fl = timed(fn)
            if name.startswith("modelc"):
                report, margins = out
                dt, ct = report["train_s"], report["train_cpu_s"]  # the driver's own timers
            else:
                margins = predict[name](out)
            times[name].append(dt)
            cpu[name].append(round(ct, 2))
            foreign[name].append(round(fl, 3))
            aucs[name] = auc(yt, margins)
        print(f"repeat {rep}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in times.items()), flush=True)

    summary = {k: {"min_s": min(v), "median_s": statistics.median(v), "runs_s": [round(t, 3) for t in v],
                   "cpu_s": cpu[k], "foreign_cpu": foreign[k], "test_auc": round(aucs[k], 5)} for k, v in times.items()}
    ratio = lambda a, b, s: summary[a][s] / summary[b][s]  # noqa: E731
    summary["ratios"] = {
        "modelc_leafwise/lightgbm": {"min": round(ratio("modelc_leafwise", "lightgbm", "min_s"), 3),
                                     "median": round(ratio("modelc_leafwise", "lightgbm", "median_s"), 3)},
        "modelc_depthwise/xgboost": {"min": round(ratio("modelc_depthwise", "xgboost", "min_s"), 3),
                                     "median": round(ratio("modelc_depthwise", "xgboost", "median_s"), 3)},
        "auc_leafwise_minus_lightgbm": round(aucs["modelc_leafwise"] - aucs["lightgbm"], 5),
        "auc_depthwise_minus_xgboost": round(aucs["modelc_depthwise"] - aucs["xgboost"], 5),
    }
    summary["setup"] = {"rows": args.rows, "test_rows": args.rows // 2, "features": int(X.shape[1]),
                        "trees": args.trees, "threads": nt, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
                        "lightgbm": lgb.__version__, "xgboost": xgb.__version__,
                        "lgb_params": lgb_params, "xgb_params": xgb_params}
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
