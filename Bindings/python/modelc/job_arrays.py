"""Writes a modelc plan's tasks as a Slurm job array and as a Kubernetes Indexed Job.

Each array element (Slurm's ``SLURM_ARRAY_TASK_ID``, Kubernetes' ``JOB_COMPLETION_INDEX``) runs
``modelc run-task PLAN INDEX``: the task at that position of the plan (Spec.md §14.6). The nodes
must see the plan, the config, the candle files and the cache at the paths the plan names (a
shared file system; on Kubernetes one volume, mounted at the folder that holds the plan, the config
and the cache, with the candle files inside it too). When the array is done,
plan again; an empty plan means ``modelc build`` only assembles the artifact.

    python -m modelc.job_arrays PLAN --slurm build.sbatch --kubernetes build-job.yaml \\
        [--cpus 2] [--modelc /opt/modelc/bin/modelc] [--image IMAGE] [--claim PVC]
"""
import argparse
import json
import os
import shlex
import sys


def slurm(plan: str, tasks: int, cpus: int, modelc: str) -> str:
    """A batch script for ``sbatch``: one array element per task."""
    return "\n".join([
        "#!/bin/bash",
        "#SBATCH --job-name=modelc-build",
        f"#SBATCH --array=0-{tasks - 1}",
        f"#SBATCH --cpus-per-task={cpus}",
        "#SBATCH --ntasks=1",
        "set -euo pipefail",
        f"exec {shlex.quote(modelc)} run-task {shlex.quote(plan)} \"$SLURM_ARRAY_TASK_ID\" --threads {cpus}",
        "",
    ])


def kubernetes(plan: str, tasks: int, cpus: int, modelc: str, image: str, claim: str, parallelism: int) -> str:
    """An Indexed Job (batch/v1): completions = tasks, each pod one index, retried on failure."""
    with open(plan) as f:
        planned = json.load(f)
    folder = os.path.commonpath([plan, planned["config"], planned["cache"]])  # one volume holds them all
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "modelc-build"},
        "spec": {
            "completionMode": "Indexed",
            "completions": tasks,
            "parallelism": min(parallelism, tasks),
            "backoffLimitPerIndex": 2,
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{
                        "name": "task",
                        "image": image,
                        "command": ["/bin/sh", "-c",
                                    f"exec {shlex.quote(modelc)} run-task {shlex.quote(plan)} \"$JOB_COMPLETION_INDEX\" "
                                    f"--threads {cpus}"],
                        "resources": {"requests": {"cpu": str(cpus)}, "limits": {"cpu": str(cpus)}},
                        "volumeMounts": [{"name": "work", "mountPath": folder}],
                    }],
                    "volumes": [{"name": "work", "persistentVolumeClaim": {"claimName": claim}}],
                }
            },
        },
    }
    return json.dumps(job, indent=2) + "\n"  # JSON is YAML: `kubectl apply -f` reads it as it is


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m modelc.job_arrays", description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", help="the plan file (modelc plan)")
    parser.add_argument("--slurm", help="where to write the Slurm batch script")
    parser.add_argument("--kubernetes", help="where to write the Kubernetes Job manifest")
    parser.add_argument("--cpus", type=int, default=2, help="cores per task (and its trainer threads)")
    parser.add_argument("--modelc", default=os.environ.get("MODELC_BIN", "modelc"), help="the modelc binary on the nodes")
    parser.add_argument("--image", default="modelc:latest", help="the container image with modelc (Kubernetes)")
    parser.add_argument("--claim", default="modelc-work", help="the PersistentVolumeClaim holding plan, data and cache")
    parser.add_argument("--parallelism", type=int, default=16, help="pods at once (Kubernetes)")
    args = parser.parse_args(argv)
    plan = os.path.abspath(args.plan)
    with open(plan) as f:
        tasks = len(json.load(f)["tasks"])
    if tasks == 0:
        print(f"{args.plan}: no tasks; `modelc build` assembles the artifact from the cache", file=sys.stderr)
        return 0
    for path, text in [(args.slurm, lambda: slurm(plan, tasks, args.cpus, args.modelc)),
                       (args.kubernetes, lambda: kubernetes(plan, tasks, args.cpus, args.modelc, args.image, args.claim,
                                                            args.parallelism))]:
        if path:
            with open(path, "w") as f:
                f.write(text())
            print(f"wrote {path}: {tasks} task(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
