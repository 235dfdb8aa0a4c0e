"""The PyTorch baseline of scripts/perf/gpt.ts: one training step of the same GPT-2-shaped model
(pre-LayerNorm blocks, causal attention with an explicit softmax, erf GELU, untied unembedding, as
subjects/language-model/build-gpt2.ts writes it) at the same batch, with Adam and the next-token
cross-entropy, on the CPU. Random token ids. Prints one JSON line with the median seconds (wall and
CPU) of the timed steps. Run with Debian's python3 (python3-torch).

    /usr/bin/python3 scripts/perf/gpt-torch.py <layers> <width> <heads> <context> <vocab> <batch> <steps> <threads>
"""
import json
import math
import statistics
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

layers, width, heads, context, vocab, batch, steps, threads = map(int, sys.argv[1:9])
torch.set_num_threads(threads)
torch.manual_seed(16)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.c_attn = nn.Linear(width, 3 * width)
        self.c_proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, 4 * width)
        self.mlp_proj = nn.Linear(4 * width, width)
        self.register_buffer("mask", torch.tril(torch.ones(context, context, dtype=torch.bool)))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, heads, d // heads).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // heads)
        scores = scores.masked_fill(~self.mask[:t, :t], -1e9)
        z = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.c_proj(z)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block() for _ in range(layers))
        self.ln_f = nn.LayerNorm(width)
        self.lm_head = nn.Linear(width, vocab, bias=False)

    def forward(self, ids):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))


model = Gpt()
optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
ids = torch.randint(0, vocab, (batch, context + 1))
walls, cpus = [], []
for step in range(steps + 2):
    started, cpu_started = time.perf_counter(), time.process_time()
    optimiser.zero_grad()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, vocab), ids[:, 1:].reshape(-1))
    loss.backward()
    optimiser.step()
    if step >= 2:  # two warm-up steps
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
config = torch.__config__.show()
blas = config.split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in config else "unknown"
print(json.dumps({"seconds": statistics.median(walls), "cpu": statistics.median(cpus), "threads": threads,
                  "torch": torch.__version__, "blas": blas, "loss": float(loss)}))
