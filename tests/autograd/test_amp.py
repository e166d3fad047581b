"""hw.autocast and hw.amp.GradScaler: loss scaling, inf/nan skips and scale
growth/backoff step by step against torch.amp.GradScaler on the CPU; the disabled
(no GPU) behaviour as torch's with enabled=False; float16 compute on CuPy."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import headwater as hw
from headwater import nn

torch = pytest.importorskip("torch")


def _models(seed=0):
    rng = np.random.default_rng(seed)
    ws = [rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal((1, 4)), rng.standard_normal(1)]
    ours = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    with hw.no_grad(), torch.no_grad():
        for p, tp, w in zip(ours.parameters(), theirs.parameters(), ws):
            p.copy_(hw.as_tensor(w.astype(np.float32)))
            tp.copy_(torch.tensor(w.astype(np.float32)))
    return ours, theirs, rng.standard_normal((8, 3)).astype(np.float32)


@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_cpu_scaler_matches_torch_through_skips_backoff_and_growth():
    ours, theirs, x = _models()
    kw = dict(init_scale=2.0**10, growth_factor=4.0, backoff_factor=0.25, growth_interval=3)
    scaler, tscaler = hw.amp.GradScaler("cpu", **kw), torch.amp.GradScaler("cpu", **kw)
    opt, topt = hw.optim.SGD(ours.parameters(), lr=0.05, momentum=0.9), torch.optim.SGD(
        theirs.parameters(), lr=0.05, momentum=0.9)
    poison = {2, 3, 9}  # steps whose loss overflows: the update is skipped, the scale backs off
    for step in range(14):
        opt.zero_grad()
        topt.zero_grad()
        loss = ours(hw.as_tensor(x)).pow(2).mean()
        tloss = theirs(torch.tensor(x)).pow(2).mean()
        if step in poison:
            loss = loss * float("inf")
            tloss = tloss * float("inf")
        scaled, tscaled = scaler.scale(loss), tscaler.scale(tloss)
        assert scaled.item() == pytest.approx(tscaled.item(), rel=1e-6, nan_ok=True)
        scaled.backward()
        tscaled.backward()
        if step % 2:  # the unscale-then-clip pattern
            scaler.unscale_(opt)
            tscaler.unscale_(topt)
            n = nn.utils.clip_grad_norm_(ours.parameters(), 1.0)
            tn = torch.nn.utils.clip_grad_norm_(theirs.parameters(), 1.0)
            assert n.item() == pytest.approx(tn.item(), rel=1e-5, nan_ok=True)
        scaler.step(opt)
        tscaler.step(topt)
        scaler.update()
        tscaler.update()
        assert scaler.get_scale() == tscaler.get_scale(), step
        assert scaler.state_dict() == tscaler.state_dict(), step
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-5, atol=1e-6,
                                       err_msg=f"step {step}")


@pytest.mark.torch
def test_scaler_state_dict_round_trip_and_new_scale():
    ours, _, x = _models(1)
    scaler = hw.amp.GradScaler("cpu", init_scale=8.0, growth_interval=2)
    opt = hw.optim.SGD(ours.parameters(), lr=0.01)
    for _ in range(3):
        opt.zero_grad()
        scaler.scale(ours(hw.as_tensor(x)).sum()).backward()
        scaler.step(opt)
        scaler.update()
    saved = scaler.state_dict()
    assert saved == {"scale": 16.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2,
                     "_growth_tracker": 1}
    other = hw.amp.GradScaler("cpu")
    other.load_state_dict(saved)
    assert other.state_dict() == saved
    other.update(new_scale=3.0)
    assert other.get_scale() == 3.0
    with pytest.raises(RuntimeError, match="empty"):
        hw.amp.GradScaler("cpu").load_state_dict({})


def test_scaler_misuse_raises():
    p = nn.Parameter(hw.ones(2))
    opt = hw.optim.SGD([p], lr=0.1)
    scaler = hw.amp.GradScaler("cpu")
    scaler.scale((p * 2).sum()).backward()
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)
    with pytest.raises(RuntimeError, match="after step"):
        scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="closure"):
        scaler.step(opt, closure=lambda: None)
    with pytest.raises(ValueError, match="growth_factor"):
        hw.amp.GradScaler("cpu", growth_factor=0.5)
    with pytest.raises(TypeError, match="Tensors"):
        scaler.scale(3.0)


@pytest.mark.torch
@pytest.mark.skipif(hw.cuda.is_available(), reason="the no-GPU fallback")
def test_cuda_scaler_without_gpu_is_torchs_disabled_scaler():
    ours, theirs, x = _models(2)
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = hw.amp.GradScaler()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tscaler = torch.amp.GradScaler("cuda")
    assert scaler.is_enabled() == tscaler.is_enabled() is False
    opt, topt = hw.optim.Adam(ours.parameters(), lr=0.01), torch.optim.Adam(theirs.parameters(), lr=0.01)
    for _ in range(3):
        loss = ours(hw.as_tensor(x)).pow(2).mean()
        assert scaler.scale(loss) is loss
        scaler.scale(loss).backward()
        tscaler.scale(theirs(torch.tensor(x)).pow(2).mean()).backward()
        scaler.unscale_(opt)
        scaler.step(opt)
        tscaler.step(topt)
        scaler.update()
        tscaler.update()
        opt.zero_grad()
        topt.zero_grad()
    assert scaler.get_scale() == tscaler.get_scale() == 1.0
    assert scaler.state_dict() == tscaler.state_dict() == {}
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-5, atol=1e-6)
    with pytest.warns(UserWarning, match="CUDA is not available"):
        region = hw.autocast("cuda")
    with region:
        assert not hw.amp.is_autocast_enabled("cuda")


def test_cpu_autocast_is_a_no_op_context_and_decorator():
    model = nn.Linear(3, 2)
    x = hw.ones(4, 3)
    with hw.autocast("cpu"):
        assert hw.amp.is_autocast_enabled("cpu")
        out = model(x)
        with hw.autocast("cpu", enabled=False):
            assert not hw.amp.is_autocast_enabled("cpu")
    assert out.dtype == hw.float32 and not hw.amp.is_autocast_enabled("cpu")

    @hw.amp.autocast("cpu", dtype=hw.float16)
    def run(t):
        return model(t), hw.amp.is_autocast_enabled("cpu")

    out, inside = run(x)
    assert inside and out.dtype == hw.float32
    with pytest.raises(ValueError, match="device_type"):
        hw.autocast("tpu")


@pytest.mark.gpu
def test_cuda_autocast_float16_compute_float32_master_weights():
    hw.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)).to("cuda")
    x = hw.randn(32, 8, device="cuda")
    y = hw.randint(0, 3, (32,), device="cuda")
    with hw.autocast("cuda"):
        hidden = model[0](x)
        logits = model(x)
        loss = nn.functional.cross_entropy(logits, y)
        probs = hw.softmax(logits, dim=1)
    assert hidden.dtype == hw.float16 and logits.dtype == hw.float16
    assert loss.dtype == hw.float32 and probs.dtype == hw.float32
    scaler = hw.amp.GradScaler()
    assert scaler.is_enabled()
    scaler.scale(loss).backward()
    assert all(p.grad.dtype == hw.float32 for p in model.parameters())
    # the float16 forward agrees with the float32 one to half precision
    ref = model(x)
    np.testing.assert_allclose(logits.float().detach().numpy(), ref.detach().numpy(), rtol=2e-2, atol=2e-2)


@pytest.mark.gpu
def test_cuda_amp_training_skips_overflow_and_learns():
    hw.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 1)).to("cuda")
    opt = hw.optim.Adam(model.parameters(), lr=1e-2)
    scaler = hw.amp.GradScaler(init_scale=2.0**24, growth_interval=5)  # far too large: first steps overflow
    x = hw.randn(256, 4, device="cuda")
    y = (x[:, :1] * 2 - x[:, 1:2]).detach()
    losses = []
    for _ in range(60):
        opt.zero_grad()
        with hw.autocast("cuda"):
            loss = nn.functional.mse_loss(model(x).float(), y)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        losses.append(loss.item())
    assert scaler.get_scale() < 2.0**24  # backed off after the overflows
    assert losses[-1] < 0.2 * losses[0]
