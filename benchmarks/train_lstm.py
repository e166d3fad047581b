"""LSTM training throughput: a character language model (embedding 64, 2-layer LSTM with
hidden 256, linear head over 96 symbols) on sequences of 64, batch 32, Headwater
against PyTorch eager from the same weights (see model_bench.py).

    python benchmarks/train_lstm.py --threads 1 [--memory]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from model_bench import parse, run  # noqa: E402

ARGS = parse(__doc__, batch=32, steps=10)
VOCAB, SEQ = 96, 64


def build(L):
    nn = L.nn

    class CharLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCAB, 64)
            self.lstm = nn.LSTM(64, 256, num_layers=2, batch_first=True)
            self.head = nn.Linear(256, VOCAB)

        def forward(self, x):
            out, _ = self.lstm(self.embed(x))
            return self.head(out)

    return CharLSTM()


def make_batches(rng, batch):
    return [(rng.integers(0, VOCAB, (batch, SEQ)).astype("int64"),
             rng.integers(0, VOCAB, (batch, SEQ)).astype("int64")) for _ in range(4)]


def loss_fn(L, model, x, y):
    return L.nn.functional.cross_entropy(model(x).reshape(-1, VOCAB), y.reshape(-1))


if __name__ == "__main__":
    run(ARGS, "2-layer LSTM", build, make_batches, loss_fn, os.path.abspath(__file__))
