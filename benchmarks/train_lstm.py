"""LSTM training throughput: a character language model (embedding 64, 2-layer LSTM with
hidden 256, linear head over 96 symbols) on sequences of 64, batch 32, Headwater
against PyTorch eager from the same weights (see model_bench.py).

    python benchmarks/train_lstm.py --threads 1 [--memory]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from model_bench import lm_loss, parse, run, token_batches  # noqa: E402

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


if __name__ == "__main__":
    run(ARGS, "2-layer LSTM", build, token_batches(VOCAB, SEQ), lm_loss(VOCAB), os.path.abspath(__file__))
