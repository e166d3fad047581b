"""CNN training throughput: a LeNet-style network (conv 5x5 x2 with max pooling, three
linear layers) on batches of 64 28x28 images, Headwater against PyTorch eager from the
same weights (see model_bench.py).

    python benchmarks/train_cnn.py --threads 1 [--memory]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from model_bench import parse, run  # noqa: E402

ARGS = parse(__doc__, batch=64, steps=30)


def build(L):
    nn = L.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def make_batches(rng, batch):
    return [(rng.standard_normal((batch, 1, 28, 28)).astype("float32"),
             rng.integers(0, 10, batch).astype("int64")) for _ in range(8)]


def loss_fn(L, model, x, y):
    return L.nn.functional.cross_entropy(model(x), y)


if __name__ == "__main__":
    run(ARGS, "LeNet CNN", build, make_batches, loss_fn, os.path.abspath(__file__))
