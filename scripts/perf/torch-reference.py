"""PyTorch speed reference for the autodiff perf section (never a dependency of aia).

Reads a forward graph exported as JSON by scripts/perf/autodiff.ts (the PaddleOCR classifier after
its opset-17 rewrite: nodes, attributes, weights), runs it eagerly as PyTorch ops, and times, with
interleaved rounds: a forward pass at batch B under inference_mode; one forward+backward for the
input gradient of logit 0 at batch B (weights do not require gradients); a forward+backward at batch
STEPS (Integrated Gradients' batch); a forward pass at batch 1. Prints medians (wall and CPU, ms) as
JSON. Usage: torch-reference.py GRAPH.json ROUNDS THREADS BATCH STEPS
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

DTYPES = {1: torch.float32, 6: torch.int32, 7: torch.int64, 11: torch.float64}


def tensor_of(spec):
    dtype = torch.float32 if spec["dtype"] == "float" else torch.int64
    return torch.tensor(spec["data"], dtype=dtype).reshape(spec["dims"])


def pads2d(pads):
    # ONNX [top, left, bottom, right] → F.pad's (left, right, top, bottom)
    return (pads[1], pads[3], pads[0], pads[2])


def run(graph, weights, x, logits_name):
    env = dict(weights)
    env[graph["input"]] = x
    for node in graph["nodes"]:
        op, ins, outs, a = node["op"], node["inputs"], node["outputs"], node["attrs"]
        v = [env[i] if i else None for i in ins]
        if op == "Constant":
            y = tensor_of(a["value"])
        elif op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            inp = v[0]
            if pads[0] != pads[2] or pads[1] != pads[3]:
                inp, padding = F.pad(inp, pads2d(pads)), 0
            else:
                padding = (pads[0], pads[1])
            y = F.conv2d(inp, v[1], v[2] if len(v) > 2 else None, tuple(a.get("strides", [1, 1])),
                         padding, tuple(a.get("dilations", [1, 1])), a.get("group", 1))
        elif op == "BatchNormalization":
            y = F.batch_norm(v[0], v[3], v[4], v[1], v[2], False, 0.0, a.get("epsilon", 1e-5))
        elif op == "Add":
            y = v[0] + v[1]
        elif op == "Mul":
            y = v[0] * v[1]
        elif op == "Div":
            y = v[0] / v[1]
        elif op == "Relu":
            y = F.relu(v[0])
        elif op == "Clip":
            low = v[1] if len(v) > 1 and v[1] is not None else None
            high = v[2] if len(v) > 2 and v[2] is not None else None
            y = torch.clamp(v[0], None if low is None else float(low), None if high is None else float(high))
        elif op == "HardSigmoid":
            y = torch.clamp(v[0] * a.get("alpha", 0.2) + a.get("beta", 0.5), 0, 1)
        elif op == "GlobalAveragePool":
            y = v[0].mean(dim=(2, 3), keepdim=True)
        elif op == "MaxPool":
            pads = a.get("pads", [0, 0, 0, 0])
            y = F.max_pool2d(v[0], tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])),
                             (pads[0], pads[1]), ceil_mode=bool(a.get("ceil_mode", 0)))
        elif op == "Shape":
            y = torch.tensor(list(v[0].shape), dtype=torch.int64)
        elif op == "Cast":
            y = v[0].to(DTYPES[a["to"]])
        elif op == "Slice":
            y = v[0]
            steps = v[4].tolist() if len(v) > 4 and v[4] is not None else None
            axes = v[3].tolist() if len(v) > 3 and v[3] is not None else list(range(len(v[1])))
            for k, axis in enumerate(axes):
                index = [slice(None)] * y.dim()
                index[axis] = slice(int(v[1][k]), int(v[2][k]), steps[k] if steps else 1)
                y = y[tuple(index)]
        elif op == "Concat":
            y = torch.cat(v, dim=a["axis"])
        elif op == "Reshape":
            shape = [int(s) for s in v[1].tolist()]
            shape = [v[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            y = v[0].reshape(shape)
        elif op == "Flatten":
            axis = a.get("axis", 1)
            y = v[0].reshape(math.prod(v[0].shape[:axis]), -1)
        elif op == "MatMul":
            y = v[0] @ v[1]
        elif op == "Softmax":
            y = torch.softmax(v[0], dim=a.get("axis", -1))
        else:
            raise SystemExit(f"torch reference: no translation for {op}")
        env[outs[0]] = y
    return env[logits_name]


def main():
    path, rounds, threads, batch, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    with open(path) as f:
        graph = json.load(f)
    weights = {name: tensor_of(spec) for name, spec in graph["weights"].items()}

    def image(n):
        i = torch.arange(n * 3 * 48 * 192, dtype=torch.float64)
        return (torch.sin(i * 0.37) * 0.9).to(torch.float32).reshape(n, 3, 48, 192)

    xs = {n: image(n) for n in {batch, steps, 1}}

    def forward(n):
        with torch.inference_mode():
            run(graph, weights, xs[n], graph["logits"])

    def forward_backward(n):
        x = xs[n].clone().requires_grad_(True)
        run(graph, weights, x, graph["logits"])[:, 0].sum().backward()
        return x.grad

    cases = {
        "forward": lambda: forward(batch),
        "forwardBackward": lambda: forward_backward(batch),
        "forwardBackwardSteps": lambda: forward_backward(steps),
        "forwardOne": lambda: forward(1),
    }
    wall = {k: [] for k in cases}
    cpu = {k: [] for k in cases}
    for fn in cases.values():
        fn()
        fn()
    for _ in range(rounds):
        for name, fn in cases.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            wall[name].append((time.perf_counter() - t0) * 1000)
            cpu[name].append((time.process_time() - c0) * 1000)
    out = {k: {"median": statistics.median(wall[k]), "fastest": min(wall[k]), "cpu": statistics.median(cpu[k])} for k in cases}
    out["torch"] = torch.__version__
    out["threads"] = torch.get_num_threads()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
