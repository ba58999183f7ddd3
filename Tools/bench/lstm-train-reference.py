"""PyTorch reference for Tests/ModelcTrainingTests/LstmTorchReferenceTests.swift.

Two AdamW training steps of a miniature seed network (BiLSTM 2 x 2, 2-head attention read at
the last step, Linear 4->3, ReLU, Linear 3->2; dropout 0) on one batch of 5 windows, with
class-weighted cross-entropy (weights n / (2 n_k) of the batch), clip_grad_norm_(0.05) and
AdamW(lr=1e-3, default betas/eps/weight decay). Weights, inputs and labels come from closed
formulas that the Swift test repeats, so only PyTorch's outputs are pasted there.

    /tmp/peervenv-torch/bin/python Tools/bench/lstm-train-reference.py
"""
import math

import torch
from torch import nn

torch.set_num_threads(1)
F, T, B, H, HEADS, FC = 2, 4, 5, 2, 2, 3


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(F, H, 2, batch_first=True, bidirectional=True, dropout=0.0)
        self.attention = nn.MultiheadAttention(2 * H, HEADS, batch_first=True)
        self.fc = nn.Sequential(nn.Linear(2 * H, FC), nn.ReLU(), nn.Dropout(0.0), nn.Linear(FC, 2))

    def forward(self, x):
        h, _ = self.lstm(x)
        a, _ = self.attention(h, h, h, need_weights=False)
        return self.fc(a[:, -1, :])


net = Net()
k = 0
with torch.no_grad():
    for name, p in net.state_dict().items():
        flat = p.view(-1)
        for i in range(flat.numel()):
            flat[i] = 0.3 * math.sin(1.7 * k + 0.1)
            k += 1
x = torch.tensor([[[math.cos(0.37 * (b * T * F + t * F + f)) * 1.5 for f in range(F)] for t in range(T)] for b in range(B)],
                 dtype=torch.float32)
y = torch.tensor([(b * 2) % 3 % 2 for b in range(B)])
n1 = int(y.sum())
cw = torch.tensor([B / (2 * (B - n1)), B / (2 * n1)], dtype=torch.float32)
crit = nn.CrossEntropyLoss(weight=cw)
opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
losses, norms = [], []
for step in range(2):
    opt.zero_grad()
    loss = crit(net(x), y)
    loss.backward()
    norms.append(float(torch.nn.utils.clip_grad_norm_(net.parameters(), 0.05)))
    opt.step()
    losses.append(loss.item())
params = torch.cat([p.detach().view(-1) for p in net.state_dict().values()])
print(f"// parameters: {k}, labels: {y.tolist()}")
print(f"let expectedLosses: [Double] = [{losses[0]!r}, {losses[1]!r}]")
print(f"let expectedGradientNorms: [Double] = [{norms[0]!r}, {norms[1]!r}]")
print("let expectedParameters: [Float] = [")
vals = [repr(float(v)) for v in params.tolist()]
for i in range(0, len(vals), 6):
    print("    " + ", ".join(vals[i:i + 6]) + ",")
print("]")
