"""A build's tasks run elsewhere write the artifact of a serial build, byte for byte (Spec.md §14.6):
on a real Ray cluster of a head and a separate worker process on loopback, and through the
Slurm job array and Kubernetes Indexed Job that ``modelc.job_arrays`` writes, whose commands are
run here element by element as the schedulers would run them."""
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from modelc import job_arrays

ROOT = Path(__file__).resolve().parents[3]
MODELC = os.environ.get("MODELC_BIN", str(ROOT / ".build" / "debug" / "modelc"))
CANDLES = ROOT / "Models" / "data" / "ETHUSDT_1h_recent.csv"
CONFIG = f"""name: eth-tasks
data: {{files: [{CANDLES}], from: 2025-03-01}}
walk_forward: {{train: 60d, test: 7d, windows: 2, holdout: 14d}}
trees: {{num_trees: 15, num_leaves: 5, early_stopping_rounds: 5}}
networks:
  long: {{sequence_length: 6, hidden_size: 4, heads: 1, fc_hidden: 4, epochs: 1}}
  short: {{enabled: false}}
search: {{trials: 3, trees: {{learning_rate: [0.03, 0.2]}}}}
blend: {{confidence: 0}}
precision: int8-dynamic
"""
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", MODELC_PYTHON=sys.executable,
           PYTHONPATH=os.pathsep.join([str(ROOT / "Bindings" / "python")] + os.environ.get("PYTHONPATH", "").split(os.pathsep)),
           RAY_USAGE_STATS_ENABLED="0")


def modelc(*args, env=ENV, timeout=300):
    done = subprocess.run([MODELC, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def serial_build(tmp_path):
    config = tmp_path / "eth.yaml"
    config.write_text(CONFIG)
    modelc("build", config, "-o", tmp_path / "serial.modelc", "--no-cache")
    return config, (tmp_path / "serial.modelc").read_bytes()


def test_slurm_array_and_kubernetes_indexed_job_run_the_plan(tmp_path):
    config, serial = serial_build(tmp_path)
    plan, cache = tmp_path / "plan.json", tmp_path / "cache"
    waves = 0
    while True:
        modelc("plan", config, "-o", plan, "--cache", cache)
        tasks = json.loads(plan.read_text())["tasks"]
        if not tasks:
            break
        waves += 1
        job_arrays.main([str(plan), "--slurm", str(tmp_path / "build.sbatch"), "--kubernetes", str(tmp_path / "job.yaml"),
                         "--cpus", "1", "--modelc", MODELC])
        script = (tmp_path / "build.sbatch").read_text()
        assert subprocess.run(["bash", "-n", tmp_path / "build.sbatch"]).returncode == 0
        directives = dict(line[len("#SBATCH --"):].split("=", 1) for line in script.splitlines() if line.startswith("#SBATCH --"))
        assert directives["array"] == f"0-{len(tasks) - 1}" and directives["cpus-per-task"] == "1"
        job = yaml.safe_load((tmp_path / "job.yaml").read_text())
        spec = job["spec"]
        assert (job["apiVersion"], job["kind"], spec["completionMode"], spec["completions"]) == ("batch/v1", "Job", "Indexed",
                                                                                                 len(tasks))
        pod = spec["template"]["spec"]
        assert pod["restartPolicy"] == "Never"
        (container,) = pod["containers"]
        (mount,) = container["volumeMounts"]
        assert mount["name"] == pod["volumes"][0]["name"]
        assert all(p.startswith(mount["mountPath"]) for p in [str(plan), str(config), str(cache)])
        # Run every element as its scheduler would: Slurm's script, then (second wave) the pod's command.
        for index in range(len(tasks)):
            if waves == 2:
                done = subprocess.run(container["command"], env=dict(ENV, JOB_COMPLETION_INDEX=str(index)), capture_output=True,
                                      text=True, timeout=300)
            else:
                done = subprocess.run(["bash", tmp_path / "build.sbatch"], env=dict(ENV, SLURM_ARRAY_TASK_ID=str(index)),
                                      capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr[-3000:]
        assert waves < 4
    assert waves == 3  # two search rungs, then the windows and the final span
    assembled = modelc("build", config, "-o", tmp_path / "planned.modelc", "--cache", cache)
    assert "to run" not in assembled.stderr
    assert (tmp_path / "planned.modelc").read_bytes() == serial


# Head, worker and build in a network namespace of their own holding only loopback: Ray publishes
# a node's routable address, and there 127.0.0.1 is the only one. Every process is stopped by its id.
RAY_CLUSTER = r"""
set -u
ip link set lo up
ray="$1"; shift
sessions=$(mktemp -d /tmp/ray.XXXXXX)  # short: Ray's socket paths must fit in 107 bytes
setsid "$ray" start --head --block --port 6390 --num-cpus 0 --include-dashboard false --temp-dir "$sessions" \
    --disable-usage-stats > "$TMP/head.log" 2>&1 &
head=$!
setsid "$ray" start --block --address 127.0.0.1:6390 --num-cpus 2 --disable-usage-stats > "$TMP/worker.log" 2>&1 &
worker=$!
RAY_ADDRESS=127.0.0.1:6390 timeout 240 "$@"
status=$?
kill -TERM "$worker" "$head"
for i in $(seq 60); do kill -0 "$worker" 2>/dev/null || kill -0 "$head" 2>/dev/null || break; sleep 1; done
kill -KILL -- "-$worker" "-$head" 2>/dev/null
rm -rf "$sessions"
exit $status
"""


def test_ray_cluster_of_a_head_and_a_worker_builds_the_serial_bytes(tmp_path):
    config, serial = serial_build(tmp_path)
    ray = str(Path(sys.executable).parent / "ray")
    command = [MODELC, "build", str(config), "-o", str(tmp_path / "ray.modelc"), "--executor", "ray", "--cache", str(tmp_path / "cache")]
    built = subprocess.run(["unshare", "--net", "bash", "-c", RAY_CLUSTER, "ray-cluster", ray, *command], capture_output=True,
                           text=True, env=dict(ENV, TMP=str(tmp_path)), timeout=420)
    logs = "".join((tmp_path / f).read_text()[-1500:] for f in ["head.log", "worker.log"] if (tmp_path / f).exists())
    assert built.returncode == 0, built.stderr[-3000:] + logs
    assert "done on Ray" in built.stderr and "final finished on" in built.stderr, built.stderr[-3000:]
    assert (tmp_path / "ray.modelc").read_bytes() == serial
