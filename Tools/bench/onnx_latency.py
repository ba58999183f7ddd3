"""ONNX Runtime's side of Tools/bench/runtime.sh: latency of one call on 1 and on 25 windows of the
seed network, one thread, timed like score_latency.c (REPEATS blocks of at least 1 s; median and minimum, in
wall-clock and in this thread's CPU time). The graphs are the ones ../shared/bench/build_onnx.py
writes; int8 is onnxruntime.quantization.quantize_dynamic (QInt8 weights), as bench_onnx.py.
Usage: python onnx_latency.py MODELS_DIR REPEATS
"""
import os
import sys
import time

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic


def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def time_blocks(run, repeats):
    wall, cpu = [], []
    for _ in range(50):
        run()
    for _ in range(repeats):
        n, w0, c0 = 0, time.perf_counter(), time.thread_time()
        while time.perf_counter() - w0 < 1.0:
            run()
            n += 1
        wall.append((time.perf_counter() - w0) / n * 1e6)
        cpu.append((time.thread_time() - c0) / n * 1e6)
    wall.sort(), cpu.sort()
    return wall[len(wall) // 2], wall[0], cpu[len(cpu) // 2], cpu[0]


def main():
    models, repeats = sys.argv[1], int(sys.argv[2])
    runs = (("f32", "bilstm_attn_f19", 1), ("f32-lastq", "bilstm_attn_f19_lastq", 1),
            ("int8-dynamic-lastq", "bilstm_attn_f19_lastq_int8", 1),
            ("f32-lastq-b25", "bilstm_attn_f19_lastq", 25), ("int8-dynamic-lastq-b25", "bilstm_attn_f19_lastq_int8", 25))
    for name, base, batch in runs:
        x = np.random.default_rng(5).standard_normal((batch, 64, 19)).astype(np.float32)
        path = os.path.join(models, base + ".onnx")
        if base.endswith("_int8") and not os.path.exists(path):
            quantize_dynamic(path[:-len("_int8.onnx")] + ".onnx", path, weight_type=QuantType.QInt8)
        s = session(path)
        feed, outs = {s.get_inputs()[0].name: x}, [s.get_outputs()[0].name]
        med, low, cmed, clow = time_blocks(lambda: s.run(outs, feed), repeats)
        print(f"ort {name:<22} median_us {med:.1f} min_us {low:.1f} cpu_median_us {cmed:.1f} cpu_min_us {clow:.1f}",
              flush=True)


if __name__ == "__main__":
    main()
