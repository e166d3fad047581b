"""End to end: an MLP learns two interleaved spirals (a non-linear task)."""

from __future__ import annotations

import numpy as np

import headwater as hw
from headwater import nn


def two_spirals(n_per_class: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0.05, 1.0, n_per_class)) * 4 * np.pi
    a = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / (4 * np.pi)
    x = np.concatenate([a, -a]) + rng.normal(0, 0.01, (2 * n_per_class, 2))
    y = np.concatenate([np.zeros(n_per_class), np.ones(n_per_class)]).astype(np.int64)
    return x.astype(np.float32), y


def train_and_score(model: nn.Module, epochs: int) -> float:
    x_host, y_host = two_spirals(500)
    x, y = hw.as_tensor(x_host), hw.as_tensor(y_host)
    opt = hw.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    n = len(y_host)
    for _ in range(epochs):
        perm = hw.randperm(n)
        for i in range(0, n, 100):
            idx = perm[i:i + 100]
            loss = loss_fn(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with hw.no_grad():
        x_test, y_test = two_spirals(500, seed=1)
        pred = model(hw.as_tensor(x_test)).argmax(dim=1)
        return (pred == hw.as_tensor(y_test)).float().mean().item()


def test_mlp_learns_two_spirals():
    hw.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))
    accuracy = train_and_score(model, epochs=120)
    assert accuracy > 0.95, f"accuracy {accuracy:.3f}"


def test_a_linear_model_cannot_separate_the_spirals():
    hw.manual_seed(0)
    accuracy = train_and_score(nn.Linear(2, 2), epochs=20)
    assert accuracy < 0.75, f"accuracy {accuracy:.3f}"
