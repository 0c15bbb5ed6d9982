"""PyTorch on the SeqLab workloads, for `npm run bench -- --vs-peers`.

Usage: /usr/bin/python3 bench/peers/torch_bench.py '<workloads JSON>' <seconds per measurement> <threads>
An empty workload list ('[]') measures GEMM 1024² instead.
Prints one JSON object per line: {framework, workload, mode, samplesPerSecond, steps} or {framework, gemm1024}.
Run with OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=<threads> (the caller sets them).
"""
import json
import sys
import time

import torch
import torch.nn as nn

workloads = json.loads(sys.argv[1])
seconds = float(sys.argv[2])
threads = int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
framework = "torch" if threads == 1 else f"torch-{threads}t"


def emit(**fields):
    print(json.dumps({"framework": framework, **fields}), flush=True)


def rate(step):
    """Steps per CPU-second of this process (as SeqLab measures itself on a shared machine): one warm-up
    step, then steps until `seconds` of CPU have been used (at least two). With several threads, wall-clock."""
    clock = time.process_time if threads == 1 else time.perf_counter
    step()
    steps = 0
    start, wall_start = clock(), time.perf_counter()
    while steps < 2 or (clock() - start < seconds and time.perf_counter() - wall_start < 20 * seconds):
        step()
        steps += 1
    return steps / (clock() - start), steps


class Model(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = w
        d = 2 if w["bidirectional"] else 1
        self.embedding = nn.Embedding(w["embedding"]["vocab"], w["embedding"]["dim"]) if w.get("embedding") else None
        cell = nn.LSTM if w["cell"] == "lstm" else nn.GRU
        self.rnn = cell(w["inputSize"], w["hidden"], num_layers=w["layers"], bidirectional=w["bidirectional"], batch_first=True)
        self.head = nn.Linear(d * w["hidden"], w["outputs"])

    def forward(self, x):
        if self.embedding is not None:
            x = self.embedding(x)
        output, state = self.rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state
        if self.w["head"] == "perStep":
            return self.head(output)
        return self.head(h_n[-1])


for w in workloads:
    model = Model(w)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    B, T, O = w["B"], w["T"], w["outputs"]
    if w.get("embedding"):
        x = torch.randint(0, w["embedding"]["vocab"], (B, T))
    else:
        x = torch.randn(B, T, w["inputSize"])
    rows = (B, T) if w["head"] == "perStep" else (B,)
    y = torch.randint(0, O, rows) if w["loss"] == "ce" else torch.randn(*rows, O)
    loss_fn = nn.CrossEntropyLoss() if w["loss"] == "ce" else nn.MSELoss()

    def train_step():
        optimizer.zero_grad()
        p = model(x)
        loss = loss_fn(p.reshape(-1, O), y.reshape(-1)) if w["loss"] == "ce" else loss_fn(p, y)
        loss.backward()
        optimizer.step()

    def infer_step():
        with torch.no_grad():
            model(x)

    per_second, steps = rate(train_step)
    emit(workload=w["id"], mode="train", samplesPerSecond=per_second * B, steps=steps)
    per_second, steps = rate(infer_step)
    emit(workload=w["id"], mode="infer", samplesPerSecond=per_second * B, steps=steps)

if workloads:
    sys.exit(0)
# An empty workload list measures GEMM 1024² instead.
n = 1024
a, b = torch.randn(n, n), torch.randn(n, n)
per_second, _ = rate(lambda: torch.mm(a, b))
emit(gemm1024=2 * n**3 * per_second / 1e9)
