"""Optimizers and schedules: 10 steps agree with PyTorch from the same weights; steps
never touch the host; state_dict round-trips."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater import nn, optim


def _data(seed=0):
    rng = np.random.default_rng(seed)
    w1, b1 = rng.standard_normal((8, 5)) * 0.4, rng.standard_normal(8) * 0.1
    w2, b2 = rng.standard_normal((3, 8)) * 0.4, rng.standard_normal(3) * 0.1
    x = rng.standard_normal((16, 5))
    y = rng.integers(0, 3, 16)
    return [w1, b1, w2, b2], x, y


def _hw_model(weights):
    model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)).to(hw.float64)
    with hw.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(hw.as_tensor(w))
    return model


OPTIMIZERS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1)),
    "sgd_nesterov_wd": ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    "sgd_maximize": ("SGD", dict(lr=0.05, maximize=True)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam_wd_amsgrad": ("Adam", dict(lr=0.02, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True)),
    "adamw": ("AdamW", dict(lr=0.01)),
    "adamw_amsgrad": ("AdamW", dict(lr=0.01, weight_decay=0.3, amsgrad=True, eps=1e-6)),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop_centered_momentum": ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01)),
}


@pytest.mark.torch
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_ten_steps_match_torch(name):
    torch = pytest.importorskip("torch")
    cls, kw = OPTIMIZERS[name]
    weights, x, y = _data()
    model = _hw_model(weights)
    opt = getattr(optim, cls)(model.parameters(), **kw)
    tmodel = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)).double()
    with torch.no_grad():
        for p, w in zip(tmodel.parameters(), weights):
            p.copy_(torch.tensor(w))
    topt = getattr(torch.optim, cls)(tmodel.parameters(), **kw)
    hx, hy, tx, ty = hw.as_tensor(x), hw.as_tensor(y), torch.tensor(x), torch.tensor(y)
    for step in range(10):
        opt.zero_grad()
        nn.functional.cross_entropy(model(hx), hy).backward()
        opt.step()
        topt.zero_grad()
        torch.nn.functional.cross_entropy(tmodel(tx), ty).backward()
        topt.step()
        for p, tp in zip(model.parameters(), tmodel.parameters()):
            np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-7, atol=1e-9,
                                       err_msg=f"{name} step {step}")


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_step_does_not_touch_the_host(name):
    cls, kw = OPTIMIZERS[name]
    model = nn.Linear(4, 2)
    opt = getattr(optim, cls)(model.parameters(), **kw)
    model(hw.randn(8, 4)).pow(2).mean().backward()
    hw.reset_transfer_stats()
    for _ in range(3):
        opt.step()
    assert hw.transfer_stats().calls == 0


def test_state_dict_roundtrip_resumes_exactly():
    weights, x, y = _data(1)
    hx, hy = hw.as_tensor(x), hw.as_tensor(y)

    def train(model, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            nn.functional.cross_entropy(model(hx), hy).backward()
            opt.step()

    a = _hw_model(weights)
    opt_a = optim.Adam(a.parameters(), lr=0.01)
    train(a, opt_a, 6)
    b = _hw_model(weights)
    opt_b = optim.Adam(b.parameters(), lr=0.01)
    train(b, opt_b, 3)
    c = _hw_model(weights)
    c.load_state_dict(b.state_dict())
    opt_c = optim.Adam(c.parameters(), lr=0.5)
    opt_c.load_state_dict(opt_b.state_dict())
    assert opt_c.param_groups[0]["lr"] == 0.01
    first = next(iter(c.parameters()))
    assert first in opt_c.state and opt_c.state[first]["step"] == 3
    train(c, opt_c, 3)
    for pa, pc in zip(a.parameters(), c.parameters()):
        np.testing.assert_array_equal(pa.detach().numpy(), pc.detach().numpy())


def test_optimizer_errors():
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="wrap it in a list"):
        optim.SGD(nn.Parameter(hw.zeros(1)), lr=0.1)
    with pytest.raises(ValueError, match="nesterov"):
        optim.SGD([nn.Parameter(hw.zeros(1))], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="invalid betas"):
        optim.Adam([nn.Parameter(hw.zeros(1))], betas=(1.0, 0.9))
    p = nn.Parameter(hw.zeros(1))
    opt = optim.SGD([p], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [p]})


def test_param_groups_have_their_own_lr():
    a, b = nn.Parameter(hw.ones(1)), nn.Parameter(hw.ones(1))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    a.grad, b.grad = hw.ones(1), hw.ones(1)
    opt.step()
    assert a.tolist() == pytest.approx([0.9]) and b.tolist() == pytest.approx([0.0])


SCHEDULES = {
    "step": ("StepLR", dict(step_size=3, gamma=0.5), "SGD", dict(lr=0.1)),
    "cosine": ("CosineAnnealingLR", dict(T_max=7, eta_min=0.01), "SGD", dict(lr=0.1)),
    "onecycle_sgd": ("OneCycleLR", dict(max_lr=1.0, total_steps=20), "SGD", dict(lr=0.1, momentum=0.9)),
    "onecycle_adam_linear_3phase": ("OneCycleLR", dict(max_lr=0.5, epochs=4, steps_per_epoch=5,
                                                       anneal_strategy="linear", three_phase=True),
                                    "Adam", dict(lr=0.1)),
}


@pytest.mark.torch
@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedules_match_torch(name):
    torch = pytest.importorskip("torch")
    sched_cls, skw, opt_cls, okw = SCHEDULES[name]
    opt = getattr(optim, opt_cls)([nn.Parameter(hw.zeros(1))], **okw)
    topt = getattr(torch.optim, opt_cls)([torch.nn.Parameter(torch.zeros(1))], **okw)
    sched = getattr(optim.lr_scheduler, sched_cls)(opt, **skw)
    tsched = getattr(torch.optim.lr_scheduler, sched_cls)(topt, **skw)
    for _ in range(19):
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-9)
        g, tg = opt.param_groups[0], topt.param_groups[0]
        if "momentum" in tg:
            assert g["momentum"] == pytest.approx(tg["momentum"])
        if "betas" in tg:
            assert g["betas"][0] == pytest.approx(tg["betas"][0])
        opt.step()
        topt.step()
        sched.step()
        tsched.step()


@pytest.mark.torch
def test_reduce_on_plateau_matches_torch():
    torch = pytest.importorskip("torch")
    opt = optim.SGD([nn.Parameter(hw.zeros(1))], lr=1.0)
    topt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    kw = dict(mode="min", factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.1)
    sched = optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
    tsched = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kw)
    for metric in [1.0, 0.9, 0.95, 0.9, 0.91, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]:
        sched.step(hw.as_tensor([metric]))
        tsched.step(metric)
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr())


def test_onecycle_refuses_stepping_past_the_end():
    opt = optim.SGD([nn.Parameter(hw.zeros(1))], lr=0.1, momentum=0.9)
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        sched.step()
    with pytest.raises(ValueError, match="total_steps is 3"):
        sched.step()


def test_scheduler_state_dict():
    opt = optim.SGD([nn.Parameter(hw.zeros(1))], lr=1.0)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    sched.step()
    state = sched.state_dict()
    other = optim.lr_scheduler.StepLR(optim.SGD([nn.Parameter(hw.zeros(1))], lr=1.0), step_size=1, gamma=0.5)
    other.load_state_dict(state)
    assert other.last_epoch == 1 and other.get_last_lr() == [0.5]
