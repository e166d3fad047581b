"""Module and tensor hooks against torch: call order, what each hook sees, gradient
values, replacement results, removable handles; autograd.grad and inference_mode."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import headwater as hw
from headwater import nn

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _pair(seed=0):
    rng = np.random.default_rng(seed)
    w1, b1, w2, b2 = rng.standard_normal((5, 3)), rng.standard_normal(5), rng.standard_normal((2, 5)), rng.standard_normal(2)
    x = rng.standard_normal((4, 3))
    ours = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).double()
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    with hw.no_grad(), torch.no_grad():
        for p, tp, w in zip(ours.parameters(), theirs.parameters(), (w1, b1, w2, b2)):
            p.copy_(hw.as_tensor(w))
            tp.copy_(torch.tensor(w))
    return ours, theirs, x


def _np(t):
    if t is None:
        return None
    return t.detach().numpy() if hasattr(t, "detach") else t


def _record(model, log, scale_output=None):
    """Register every kind of hook on every submodule, logging (event, name, arrays)."""
    handles = []
    for name, m in model.named_modules():
        def pre(mod, args, name=name):
            log.append(("pre", name, [_np(a) for a in args]))

        def fwd(mod, args, out, name=name):
            log.append(("fwd", name, [_np(out)]))
            if scale_output is not None and name == "1":
                return out * scale_output

        def bpre(mod, gout, name=name):
            log.append(("bpre", name, [_np(g) for g in gout]))

        def bwd(mod, gin, gout, name=name):
            log.append(("bwd", name, [_np(g) for g in gin] + [_np(g) for g in gout]))

        handles += [m.register_forward_pre_hook(pre), m.register_forward_hook(fwd),
                    m.register_full_backward_pre_hook(bpre), m.register_full_backward_hook(bwd)]
    return handles


def _assert_logs_equal(a, b):
    assert [(e, n) for e, n, _ in a] == [(e, n) for e, n, _ in b]
    for (e, n, xs), (_, _, ys) in zip(a, b):
        assert len(xs) == len(ys), (e, n)
        for x, y in zip(xs, ys):
            if x is None or y is None:
                assert x is None and y is None, (e, n)
            else:
                np.testing.assert_allclose(x, y, rtol=1e-12, err_msg=f"{e} {n}")


@pytest.mark.filterwarnings("ignore:Full backward hook is firing")
@pytest.mark.parametrize("input_grad", [True, False])
@pytest.mark.parametrize("scale", [None, 3.0])
def test_hook_order_and_values_match_torch(input_grad, scale):
    ours, theirs, x = _pair()
    log, tlog = [], []
    _record(ours, log, scale)
    _record(theirs, tlog, scale)
    hx = hw.as_tensor(x, requires_grad=input_grad)
    tx = torch.tensor(x, requires_grad=input_grad)
    ours(hx).pow(2).sum().backward()
    theirs(tx).pow(2).sum().backward()
    _assert_logs_equal(log, tlog)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12)
    if input_grad:
        np.testing.assert_allclose(hx.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def test_backward_hooks_replace_gradients_like_torch():
    ours, theirs, x = _pair(1)
    for lib_model in (ours, theirs):
        lib_model[1].register_full_backward_hook(lambda mod, gin, gout: (gin[0] * 0.5,))
        lib_model[2].register_full_backward_pre_hook(lambda mod, gout: (gout[0] * 2,))
    hx, tx = hw.as_tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours(hx).sum().backward()
    theirs(tx).sum().backward()
    np.testing.assert_allclose(hx.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12)


def test_forward_pre_hook_kwargs_prepend_and_removal():
    calls = []
    m = nn.Identity()
    h1 = m.register_forward_pre_hook(lambda mod, args: calls.append("first"))
    m.register_forward_pre_hook(lambda mod, args: calls.append("prepended"), prepend=True)

    def with_kw(mod, args, kwargs):
        calls.append(("kw", sorted(kwargs)))
        return (args[0] + 1,), kwargs

    m.register_forward_pre_hook(with_kw, with_kwargs=True)
    out = m(hw.zeros(2))
    assert out.tolist() == [1.0, 1.0]
    assert calls == ["prepended", "first", ("kw", [])]
    h1.remove()
    h1.remove()  # twice is harmless
    calls.clear()
    m(hw.zeros(1))
    assert calls == ["prepended", ("kw", [])]


def test_forward_hook_always_call_and_with_kwargs():
    class Boom(nn.Module):
        def forward(self, x, scale=1.0):
            if scale < 0:
                raise ValueError("negative scale")
            return x * scale

    m = Boom()
    seen = []
    m.register_forward_hook(lambda mod, args, kwargs, out: seen.append((kwargs, out is None)),
                            with_kwargs=True, always_call=True)
    m(hw.ones(1), scale=2.0)
    with pytest.raises(ValueError, match="negative scale"):
        m(hw.ones(1), scale=-1.0)
    assert seen == [({"scale": 2.0}, False), ({"scale": -1.0}, True)]


def test_hook_handles_as_context_managers_and_errors():
    m = nn.Linear(2, 2)
    with m.register_forward_hook(lambda mod, a, o: o * 0):
        assert m(hw.ones(1, 2)).abs().sum().item() == 0
    assert m(hw.ones(1, 2)).abs().sum().item() != 0
    with pytest.raises(TypeError, match="callable"):
        m.register_forward_hook("not a function")
    m.register_full_backward_hook(lambda mod, gin, gout: (gin[0], gin[0]))
    with pytest.raises(ValueError, match="expected 1"):
        m(hw.ones(1, 2, requires_grad=True)).sum().backward()


def test_tensor_hooks_match_torch():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 4))

    def run(lib, tensor):
        x = tensor(a.copy(), requires_grad=True)
        seen = []
        y = x * 2
        z = y.exp()
        hy = y.register_hook(lambda g: seen.append(("y", _np(g).copy())) or g * 3)
        y.register_hook(lambda g: seen.append(("y2", _np(g).copy())))
        x.register_hook(lambda g: seen.append(("x", _np(g).copy())) or g + 1)
        (z.sum() + (x * x).sum()).backward()
        hy.remove()
        return x.grad.detach().numpy(), seen

    ours, ours_seen = run(hw, hw.as_tensor)
    theirs, theirs_seen = run(torch, torch.tensor)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    assert [n for n, _ in ours_seen] == [n for n, _ in theirs_seen]
    for (_, g), (_, tg) in zip(ours_seen, theirs_seen):
        np.testing.assert_allclose(g, tg, rtol=1e-12)


def test_tensor_hook_handle_removal_and_errors():
    x = hw.ones(2, requires_grad=True)
    h = x.register_hook(lambda g: g * 0)
    h.remove()
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        hw.ones(2).register_hook(lambda g: g)
    y = hw.ones(2, requires_grad=True)
    y.register_hook(lambda g: hw.ones(3))
    with pytest.raises(ValueError, match="shape"):
        (y * 2).sum().backward()


def test_autograd_grad_runs_tensor_hooks_and_options():
    x = hw.as_tensor([1.0, 2.0], requires_grad=True)
    u = hw.as_tensor([1.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    (gx,) = hw.autograd.grad((x * x).sum(), x)
    assert gx.tolist() == [20.0, 40.0] and x.grad is None
    gx, gu = hw.autograd.grad((x * 3).sum(), [x, u], materialize_grads=True)
    assert gu.tolist() == [0.0]
    with pytest.raises(NotImplementedError, match="create_graph"):
        hw.autograd.grad((x * x).sum(), x, create_graph=True)
    with pytest.raises(NotImplementedError, match="create_graph"):
        (x * x).sum().backward(create_graph=True)
    y = x * 2
    y.sum().backward(inputs=[y])
    assert y.grad.tolist() == [1.0, 1.0] and x.grad is None


def test_inference_mode_and_enable_grad():
    x = hw.ones(2, requires_grad=True)
    with hw.inference_mode():
        assert not hw.is_grad_enabled() and hw.is_inference_mode_enabled()
        with hw.enable_grad():
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad
    with hw.inference_mode(False):
        assert (x * 2).requires_grad

    @hw.inference_mode()
    def f(t):
        return t * 2

    assert not f(x).requires_grad and hw.is_grad_enabled() and not hw.is_inference_mode_enabled()


def test_hooks_survive_deepcopy_and_model_copies_are_independent():
    ours, theirs, x = _pair(3)
    seen = []
    ours.register_forward_hook(lambda mod, a, o: seen.append(1))
    clone = copy.deepcopy(ours)
    clone(hw.as_tensor(x))
    assert seen == [1]
    with hw.no_grad():
        next(clone.parameters()).add_(1.0)
    a, b = next(ours.parameters()), next(clone.parameters())
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    assert {n for n, _ in clone.named_parameters()} == {n for n, _ in theirs.named_parameters()}
