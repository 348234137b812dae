"""The reference MLP in numpy, as it ships (float64) and in float32, on the rows the native
binary wrote (bench/src/bin/native.rs): scoring events/s with the same trained network, and
steps/s of the reference recipe (balanced batches of 4096, SGD at lr 0.01, cross-entropy).
Each figure is the median of 5 timed runs after a warm-up, with the BLAS's own threads (as numpy
ships) and limited to one thread. Usage: reference.py <dir>; prints JSON."""
import json
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

RUNS = 5
STEPS = 30
BATCH = 4096
LR = 0.01


def median_seconds(f):
    f()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return sorted(times)[RUNS // 2]


def forward(layers, x):
    """Activations of every layer; the last is the sigmoid score."""
    acts = [x]
    for k, (w, b) in enumerate(layers):
        z = acts[-1] @ w + b
        acts.append(1.0 / (1.0 + np.exp(-z)) if k == len(layers) - 1 else np.maximum(z, 0.0))
    return acts


def sgd_step(layers, x, y):
    """One step of binary cross-entropy through the sigmoid, back-propagated, SGD update."""
    acts = forward(layers, x)
    delta = (acts[-1] - y[:, None]) / len(y)
    for k in range(len(layers) - 1, -1, -1):
        w, b = layers[k]
        grad_w, grad_b = acts[k].T @ delta, delta.sum(axis=0)
        if k > 0:
            delta = (delta @ w.T) * (acts[k] > 0)
        w -= LR * grad_w
        b -= LR * grad_b


def measure(dtype, raw_layers, x32, y, ours):
    layers = [
        (np.array(l["weights"], dtype=dtype).reshape(l["inputs"], l["outputs"]), np.array(l["bias"], dtype=dtype))
        for l in raw_layers
    ]
    x = x32.astype(dtype)
    scores = forward(layers, x)[-1][:, 0]
    score_s = median_seconds(lambda: forward(layers, x))
    rng = np.random.default_rng(42)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y != 1)
    # Balanced batches: even slots from the suspicious rows, odd from the benign, as the recipe draws.
    rows = np.empty(BATCH, dtype=np.int64)

    def train():
        for _ in range(STEPS):
            rows[0::2] = rng.choice(pos, BATCH // 2)
            rows[1::2] = rng.choice(neg, BATCH // 2)
            sgd_step(layers, x[rows], y[rows].astype(dtype))

    step_s = median_seconds(train) / STEPS
    return {
        "scoring_events_per_s": len(x) / score_s,
        "train_steps_per_s": 1.0 / step_s,
        "max_abs_diff_vs_ours": float(np.max(np.abs(scores - ours))),
    }


def main(folder):
    with open(f"{folder}/reference-mlp.json") as f:
        layers = json.load(f)["layers"]
    ours = np.fromfile(f"{folder}/reference-scores.f32", dtype="<f4")
    x = np.fromfile(f"{folder}/reference-x.f32", dtype="<f4").reshape(len(ours), layers[0]["inputs"])
    y = np.fromfile(f"{folder}/reference-y.u8", dtype=np.uint8)
    figures = {}
    for name, dtype in [("f64", np.float64), ("f32", np.float32)]:
        figures[name] = measure(dtype, layers, x, y, ours)
        with threadpool_limits(1):
            figures[f"{name}_1_thread"] = measure(dtype, layers, x, y, ours)
    blas = [
        {k: i.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
        for i in threadpool_info()
    ]
    print(json.dumps({"numpy": np.__version__, "blas": blas, **figures}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
