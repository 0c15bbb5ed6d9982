"""A bare nn.LSTM of the engine bench's shape, timed as `bench/engine.ts` times an exported project's run.

Usage: /usr/bin/python3 bench/peers/torch_bare_lstm.py <steps>
LSTM(2 → 64, 2 layers) and Linear(64 → 1) on the last step, batch 32 × window 30, MSE, gradient norm clipped at 1,
Adam: what the exported train.py runs for that workload, without data, records or events. One batch of random
numbers is reused, so the figure is the model's and the framework's alone; the difference to the exported project
is what the project adds around the model. Prints step events as train.py does: {"type": "step", "step",
"samplesPerSecond"} at most every 0.1 s (samples since the last event over the wall-clock time since it).
"""
import json
import sys
import time

import torch
import torch.nn as nn

steps = int(sys.argv[1])
torch.manual_seed(1)


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(2, 64, num_layers=2, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.head(output[:, -1])


model = Forecaster()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
inputs, targets = torch.randn(32, 30, 2), torch.randn(32, 1)
window_samples, window_started, last_event = 0, time.time(), -1e9
for step in range(1, steps + 1):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(inputs), targets)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    loss.item()
    window_samples += 32
    now = time.time()
    if now - last_event >= 0.1 or step == steps:
        print(json.dumps({"type": "step", "step": step, "samplesPerSecond": window_samples / max(1e-9, now - window_started)}), flush=True)
        window_samples, window_started, last_event = 0, now, now
