"""PyTorch CPU training step of the seed network, timed in wall and CPU seconds.

The same model, data and step as /work/shared/bench/bench_torch_train.py (which times wall
clock only); CPU seconds per step (all threads of this process) show throughput per
core-second, which other load on a shared machine distorts far less than wall time.

    python lstm-train-torch.py THREADS [STEPS] [WARMUP]   -> one JSON line
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn

threads = int(sys.argv[1])
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 5
torch.set_num_threads(threads)
BATCH, T, F = 256, 64, 19


class LSTMPredictor(nn.Module):
    def __init__(self, input_size=19, hidden_size=128, num_layers=2, heads=4, fc_hidden=64):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True, bidirectional=True, dropout=0.3)
        self.attention = nn.MultiheadAttention(hidden_size * 2, num_heads=heads, batch_first=True)
        self.fc = nn.Sequential(nn.Linear(hidden_size * 2, fc_hidden), nn.ReLU(), nn.Dropout(0.3), nn.Linear(fc_hidden, 2))

    def forward(self, x):
        h, _ = self.lstm(x)
        a, _ = self.attention(h, h, h, need_weights=False)
        return self.fc(a[:, -1, :])


torch.manual_seed(0)
model = LSTMPredictor(F)
model.train()
rng = np.random.default_rng(0)
xs = [torch.from_numpy(rng.standard_normal((BATCH, T, F)).astype(np.float32)) for _ in range(8)]
ys = [torch.from_numpy((rng.random(BATCH) < 0.16).astype(np.int64)) for _ in range(8)]
pos = float(torch.cat(ys).float().mean())
crit = nn.CrossEntropyLoss(weight=torch.tensor([1.0 / (2 * (1 - pos)), 1.0 / (2 * pos)], dtype=torch.float32))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)


def step(i):
    opt.zero_grad(set_to_none=True)
    loss = crit(model(xs[i % 8]), ys[i % 8])
    loss.backward()
    opt.step()
    return loss.item()


for i in range(warmup):
    step(i)
walls = []
cpu0 = time.process_time()
for i in range(steps):
    t0 = time.perf_counter()
    step(warmup + i)
    walls.append(time.perf_counter() - t0)
cpu = (time.process_time() - cpu0) / steps
median = float(np.median(walls))
print(json.dumps({"threads": threads, "batch": BATCH, "timed_steps": steps, "step_s_median": median,
                  "seq_per_s_median": BATCH / median, "cpu_s_per_step": cpu, "seq_per_cpu_s": BATCH / cpu,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                  "torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability()}))
