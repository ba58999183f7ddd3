"""Runs the tasks of a modelc plan on a Ray cluster (``modelc build --executor ray`` calls this).

Each task of the plan (``modelc plan``, Spec.md §14.6) becomes one Ray task that runs
``modelc run-task PLAN TASK`` on whichever node Ray picks, with ``--cpus`` cores reserved and as
many trainer threads. Outputs travel through the task cache the plan names, which every node must
mount at the same path (or pass ``--cache``); the artifact's bytes do not depend on which node
ran what. A failed task is retried (``--retries``) before the run fails. The cluster is Ray's own
``RAY_ADDRESS``; unset, Ray starts a local one for the run.

    python -m modelc.ray_tasks PLAN --modelc /path/to/modelc [--cpus 2] [--retries 2]
"""
import argparse
import json
import os
import subprocess
import sys
import time


def run_task(modelc: str, plan: str, task: str, threads: int, cache):
    """One task, on a Ray worker: the modelc binary, its exit status checked."""
    command = [modelc, "run-task", plan, task, "--threads", str(threads)] + (["--cache", cache] if cache else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{task}: modelc run-task exited {done.returncode}:\n{done.stderr[-2000:]}")
    return task, os.uname().nodename


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m modelc.ray_tasks", description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", help="the plan file (modelc plan)")
    parser.add_argument("--modelc", default=os.environ.get("MODELC_BIN", "modelc"), help="the modelc binary on every node")
    parser.add_argument("--cpus", type=int, default=1, help="cores each task reserves (and its trainer threads)")
    parser.add_argument("--retries", type=int, default=2, help="tries after a task fails")
    parser.add_argument("--cache", help="the cache folder on the nodes, when not the plan's")
    args = parser.parse_args(argv)
    with open(args.plan) as f:
        tasks = [t["id"] for t in json.load(f)["tasks"]]
    if not tasks:
        return 0

    import ray  # installed by Tools/setup.sh; only this module needs it

    ray.init(log_to_driver=False)  # RAY_ADDRESS when set, else a local cluster
    remote = ray.remote(num_cpus=args.cpus, max_retries=args.retries, retry_exceptions=True)(run_task)
    pending = [remote.remote(args.modelc, os.path.abspath(args.plan), t, args.cpus, args.cache) for t in tasks]
    started, done = time.time(), 0
    try:
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            task, node = ray.get(ready[0])
            done += 1
            left = (time.time() - started) / done * (len(tasks) - done)
            print(f"  tasks: {done} of {len(tasks)} done on Ray, {len(pending)} queued or running"
                  + (f", about {left:.0f} s left" if pending else "") + f"; {task} finished on {node}", file=sys.stderr)
    except Exception as e:  # a task out of retries: name it, leave the rest to the next build
        print(f"ray: {e}", file=sys.stderr)
        for ref in pending:
            ray.cancel(ref)
        return 1
    finally:
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
