"""Transformer training throughput: a causal language model (embedding and learned
positions, 4 encoder layers with d_model 128, 4 heads, feed-forward 512, no dropout,
linear head over 96 symbols) on sequences of 64, batch 32, Headwater against PyTorch
eager from the same weights (see model_bench.py).

    python benchmarks/train_transformer.py --threads 1 [--memory]
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from model_bench import lm_loss, parse, run, token_batches  # noqa: E402

ARGS = parse(__doc__, batch=32, steps=10)
VOCAB, SEQ, D = 96, 64, 128


def build(L):
    nn = L.nn

    class TinyGPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCAB, D)
            self.pos = nn.Embedding(SEQ, D)
            layer = nn.TransformerEncoderLayer(D, 4, 512, dropout=0.0, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, 4, enable_nested_tensor=False)
            self.head = nn.Linear(D, VOCAB)
            self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(SEQ))
            self.register_buffer("positions", L.arange(SEQ))

        def forward(self, x):
            h = self.embed(x) + self.pos(self.positions)
            return self.head(self.encoder(h, mask=self.mask, is_causal=True))

    return TinyGPT()


if __name__ == "__main__":
    run(ARGS, "4-layer Transformer", build, token_batches(VOCAB, SEQ), lm_loss(VOCAB), os.path.abspath(__file__))
