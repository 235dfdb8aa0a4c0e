"""The perf baseline of scripts/perf/trainer.ts: the same small CNN (conv 3x3 16 -> max-pool ->
conv 3x3 32 -> max-pool -> dense 64 -> dense 10) trained for one pass over the first N Fashion-MNIST
training images with Adam (lr 1e-3), batch 64, cross-entropy, in PyTorch on the CPU. Prints one
JSON line: {"seconds": ..., "cpu": ..., "threads": ..., "torch": ...}. Run with Debian's python3 (python3-torch).

    /usr/bin/python3 scripts/perf/trainer-torch.py <examples> <threads>
"""
import gzip
import json
import sys
import time

import numpy as np
import torch
from torch import nn

examples = int(sys.argv[1])
threads = int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(13)
root = "/usr/share/datasets/fashion-mnist/"
with gzip.open(root + "train-images-idx3-ubyte.gz") as f:
    images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)[:examples]
with gzip.open(root + "train-labels-idx1-ubyte.gz") as f:
    labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:examples]
x = torch.from_numpy(np.repeat(images[:, None, :, :], 3, axis=1).astype(np.float32) / 255)
y = torch.from_numpy(labels.astype(np.int64))
model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10),
)
optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
batch = 64
started = time.perf_counter()
cpu_started = time.process_time()
order = torch.randperm(len(y))
for step in range(len(y) // batch):
    index = order[step * batch:(step + 1) * batch]
    optimiser.zero_grad()
    loss = loss_fn(model(x[index]), y[index])
    loss.backward()
    optimiser.step()
seconds = time.perf_counter() - started
cpu = time.process_time() - cpu_started
print(json.dumps({"seconds": seconds, "cpu": cpu, "threads": threads, "torch": torch.__version__, "loss": float(loss)}))
