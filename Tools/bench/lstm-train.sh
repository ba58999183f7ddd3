#!/usr/bin/env bash
# Training throughput of the seed network (64x19 -> BiLSTM 2x128 -> 4-head attention -> 256 -> 64 -> 2,
# batch 256; one step = forward + class-weighted loss + backward + AdamW): modelc's trainer
# (Tools/bench/lstm-train-bench) against PyTorch's CPU training of the same network, in the same run,
# interleaved (ours, torch, ours, torch, ...) so that load from other processes hits both alike.
#
#   Tools/bench/lstm-train.sh [--rounds N] [--steps N] [--official]
#
# PyTorch: $TORCH_PYTHON, else /tmp/peervenv-torch/bin/python (made by
# shared/bench/setup_venv.sh --torch). Without it the PyTorch figure of shared/bench/README.md is
# quoted instead (502 seq/s on 2 threads, measured on a Zen 5 with AVX-512), and the output says so.
# --official also runs shared/bench/bench_torch_train.py (wall time only; a copy in a temporary
# folder, since it writes its results beside itself).
#
# Reported per side and thread count: median step time -> sequences/s, CPU seconds per step (all
# threads; sequences per CPU-second is what other load on a shared 2-core machine distorts least),
# and peak RSS. Results also go to .build/bench/lstm-train.json.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=2 steps=20 official=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --official) official=1; shift ;;
    *) echo "usage: $0 [--rounds N] [--steps N] [--official]" >&2; exit 2 ;;
  esac
done

swift build -c release --product lstm-train-bench >/dev/null
bench="$(swift build -c release --show-bin-path)/lstm-train-bench"
torch_python=${TORCH_PYTHON:-/tmp/peervenv-torch/bin/python}
have_torch=0
if [ -x "$torch_python" ] && "$torch_python" -c "import torch" 2>/dev/null; then have_torch=1; fi

out=.build/bench
mkdir -p "$out"
raw="$out/lstm-train.jsonl"
: >"$raw"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  for threads in 2 1; do
    echo "{\"side\":\"modelc\",\"round\":$round,\"result\":$("$bench" --threads "$threads" --steps "$steps" --warmup 3)}" | tee -a "$raw"
    if [ "$have_torch" = 1 ]; then
      echo "{\"side\":\"pytorch\",\"round\":$round,\"result\":$("$torch_python" Tools/bench/lstm-train-torch.py "$threads" "$steps" 3)}" | tee -a "$raw"
    fi
  done
done

if [ "$official" = 1 ] && [ "$have_torch" = 1 ]; then
  copy=$(mktemp -d)
  cp ../shared/bench/bench_torch_train.py ../shared/bench/timing.py "$copy/"
  mkdir -p "$copy/results"
  echo "shared/bench/bench_torch_train.py:"
  "$torch_python" "$copy/bench_torch_train.py" --steps "$steps" --warmup 5 | grep "threads="
  rm -rf "$copy"
fi

python3 - "$raw" "$have_torch" "$out/lstm-train.json" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
have_torch = sys.argv[2] == "1"
summary = {}
for side in ("modelc", "pytorch"):
    for threads in (1, 2):
        runs = [r["result"] for r in rows if r["side"] == side and r["result"]["threads"] == threads]
        if runs:
            summary[f"{side}-{threads}"] = {
                "seq_per_s": statistics.median(r["seq_per_s_median"] for r in runs),
                "seq_per_cpu_s": statistics.median(r["seq_per_cpu_s"] for r in runs),
                "cpu_s_per_step": statistics.median(r["cpu_s_per_step"] for r in runs),
                "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
            }
print("\n| trainer | threads | sequences/s (wall) | CPU s / step | sequences / CPU-second | peak RSS |")
print("|---|---|---|---|---|---|")
for key, s in summary.items():
    side, threads = key.split("-")
    print(f"| {side} | {threads} | {s['seq_per_s']:.0f} | {s['cpu_s_per_step']:.2f} | {s['seq_per_cpu_s']:.0f} | {s['peak_rss_mib']:.0f} MiB |")
if have_torch:
    for threads in (1, 2):
        m, t = summary[f"modelc-{threads}"], summary[f"pytorch-{threads}"]
        print(f"{threads} thread(s): modelc / PyTorch = {m['seq_per_s'] / t['seq_per_s']:.2f}x (wall), "
              f"{m['seq_per_cpu_s'] / t['seq_per_cpu_s']:.2f}x (per CPU-second)")
else:
    m = summary["modelc-2"]
    print(f"PyTorch is not installed here: quoting shared/bench/README.md, 502 seq/s on 2 threads "
          f"(Zen 5, AVX-512, quiet machine). modelc here: {m['seq_per_s']:.0f} seq/s = {m['seq_per_s'] / 502:.2f}x of that figure.")
json.dump({"runs": rows, "summary": summary}, open(sys.argv[3], "w"), indent=1)
PY
