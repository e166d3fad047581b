"""Small float64 models, one per op family the tape holds, shared by the jit tests."""

from __future__ import annotations

import numpy as np

import headwater as hw


def f64(*shape: int, seed: int = 0, low: float | None = None) -> hw.Tensor:
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if low is not None:
        a = np.abs(a) + low
    return hw.as_tensor(a, device=hw.device())


class Elementwise(hw.nn.Module):
    def forward(self, x):
        y = hw.exp(x * 0.5) - hw.tanh(x) / (1 + x * x) + hw.sigmoid(x) ** 2
        return hw.abs(y).clamp(0.1, 3.0).log() + hw.sqrt(hw.abs(x) + 1)


class Reductions(hw.nn.Module):
    def forward(self, x):
        s = x.sum(dim=1, keepdim=True) + x.mean(0) - x.amax(dim=1, keepdim=True)
        return hw.cat([s, x.var(dim=0, keepdim=True), hw.softmax(x, dim=-1)], dim=0)


class Shapes(hw.nn.Module):
    def forward(self, x):
        y = x.reshape(2, -1).transpose(0, 1)
        z = hw.stack([y, y * 2], dim=0)[:, 1:5, :]
        return z.permute(2, 0, 1).flatten(1) @ hw.ones(8, 3, dtype=x.dtype, device=x.device)


def families() -> dict:
    """name -> (model, example input) in float64 on the device under test."""
    hw.manual_seed(0)
    dt = hw.float64
    out = {
        "mlp": (hw.nn.Sequential(hw.nn.Linear(6, 8), hw.nn.GELU(), hw.nn.Linear(8, 4), hw.nn.Tanh()),
                f64(5, 6)),
        "elementwise": (Elementwise(), f64(4, 6)),
        "reductions": (Reductions(), f64(4, 6)),
        "shapes": (Shapes(), f64(4, 6)),
        "conv_pool_bn": (hw.nn.Sequential(hw.nn.Conv2d(2, 3, 3, padding=1), hw.nn.BatchNorm2d(3),
                                          hw.nn.ReLU(), hw.nn.MaxPool2d(2), hw.nn.Conv2d(3, 2, 2),
                                          hw.nn.AdaptiveAvgPool2d(1), hw.nn.Flatten()),
                         f64(2, 2, 8, 8)),
        "norms": (hw.nn.Sequential(hw.nn.LayerNorm(6), hw.nn.Linear(6, 6), hw.nn.GroupNorm(2, 6)),
                  f64(3, 6)),
        "lstm": (hw.nn.LSTM(4, 5, batch_first=True), f64(2, 3, 4)),
        "gru": (hw.nn.GRU(4, 5, num_layers=2), f64(3, 2, 4)),
        "attention": (hw.nn.MultiheadAttention(8, 2, batch_first=True), None),
    }
    x = f64(2, 3, 8)
    out["attention"] = (out["attention"][0], (x, x, x))
    emb = hw.nn.Embedding(10, 4)
    out["embedding"] = (hw.nn.Sequential(emb, hw.nn.Flatten(), hw.nn.Linear(12, 2)),
                        hw.as_tensor(np.array([[1, 2, 3], [4, 5, 9]]), device=hw.device()))
    for model, _ in out.values():
        model.to(dt)
    return out


def loss_of(result) -> hw.Tensor:
    """A scalar from whatever a model returns (tensors, nested tuples)."""
    if isinstance(result, hw.Tensor):
        return (result * result).sum() if result.dtype.kind == "f" else hw.zeros(())
    return sum(loss_of(r) for r in result if r is not None)


def assert_close(a, b, tol: float = 1e-6) -> None:
    if isinstance(a, hw.Tensor):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=tol, atol=tol)
        return
    assert type(a) is type(b) and len(a) == len(b)
    for x, y in zip(a, b):
        assert_close(x, y, tol)
