"""Moving between the CPU and a GPU: explicit, counted, and differentiable (GPU only)."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater import nn

pytestmark = pytest.mark.gpu


def test_tensor_round_trip_is_differentiable_and_counted():
    x = hw.ones(3, device="cpu", requires_grad=True)
    hw.reset_transfer_stats()
    y = x.to("cuda") * 2
    assert y.device == "cuda" and hw.transfer_stats().to_device_calls == 1
    y.sum().backward()
    assert x.grad.device == "cpu" and x.grad.tolist() == [2.0, 2.0, 2.0]


def test_training_step_on_the_gpu_keeps_data_there():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).to("cuda")
    opt = hw.optim.AdamW(model.parameters(), lr=1e-2)
    x = hw.randn(16, 4, device="cuda")
    y = hw.randint(0, 3, (16,), device="cuda")
    hw.reset_transfer_stats()
    for _ in range(3):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    assert hw.transfer_stats().calls == 0
    assert all(p.device == "cuda" for p in model.parameters())


def test_checkpoint_saved_on_gpu_loads_on_cpu(tmp_path):
    model = nn.Linear(3, 2).to("cuda")
    hw.save(model.state_dict(), tmp_path / "m.hw")
    state = hw.load(tmp_path / "m.hw", device="cpu")
    assert state["weight"].device == "cpu"
    np.testing.assert_array_equal(state["weight"].numpy(), model.weight.detach().numpy())
