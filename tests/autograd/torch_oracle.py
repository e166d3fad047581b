"""PyTorch as the oracle for one op: ``helper_test_op(shapes, fn)`` runs ``fn(lib, *inputs)``
with ``lib`` torch and then headwater on the same data, and compares shapes, dtypes, values and
gradients. Both libraries spell these ops alike, so one lambda serves both."""

from __future__ import annotations

import numpy as np

import headwater as hw


def _as_list(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def idx(lib, values):
    """An int64 index tensor in ``lib`` (torch or headwater)."""
    return lib.as_tensor(np.asarray(values, dtype=np.int64))


def mask(lib, values):
    return lib.as_tensor(np.asarray(values, dtype=bool))


def helper_test_op(shapes, fn, *, dtype="float64", low=-2.0, high=2.0, atol=None, rtol=None, seed=0,
                   grad=True, hosts=None):
    """Run ``fn(lib, *inputs)`` in torch and headwater on the same random inputs of ``shapes``
    (or the given ``hosts`` arrays); compare every output and, when ``grad``, the gradients of a
    random weighting of the float outputs."""
    import torch

    if atol is None:
        atol, rtol = (1e-8, 1e-7) if dtype == "float64" else (1e-5, 1e-4)
    rng = np.random.default_rng(seed)
    if hosts is None:
        hosts = [rng.uniform(low, high, size=s).astype(dtype) for s in shapes]
    else:
        hosts = [np.asarray(h, dtype=dtype) for h in hosts]
    h_in = [hw.as_tensor(a.copy(), requires_grad=grad) for a in hosts]
    t_in = [torch.tensor(a.copy(), requires_grad=grad) for a in hosts]
    t_out, h_out = _as_list(fn(torch, *t_in)), _as_list(fn(hw, *h_in))
    assert len(t_out) == len(h_out)
    h_loss = t_loss = None
    for h, t in zip(h_out, t_out):
        assert tuple(h.shape) == tuple(t.shape), (h.shape, t.shape)
        assert h.dtype == np.dtype(str(t.dtype).replace("torch.", "")), (h.dtype, t.dtype)
        np.testing.assert_allclose(_np(h), _np(t), atol=atol, rtol=rtol)
        if grad and t.requires_grad:
            w = rng.standard_normal(tuple(t.shape)).astype(dtype)
            h_loss = (h * hw.as_tensor(w)).sum() + (0 if h_loss is None else h_loss)
            t_loss = (t * torch.tensor(w)).sum() + (0 if t_loss is None else t_loss)
    if h_loss is None:
        return
    h_loss.backward()
    t_loss.backward()
    for h, t in zip(h_in, t_in):
        if t.grad is None:
            assert h.grad is None or not np.any(h.grad.numpy())
            continue
        np.testing.assert_allclose(h.grad.numpy(), t.grad.numpy(), atol=atol * 10, rtol=rtol * 10)


def check_grad(shapes, fn, *, low=-2.0, high=2.0, seed=0, hosts=None, **kwargs) -> None:
    """Finite-difference gradcheck of ``fn(hw, *inputs)`` in float64."""
    rng = np.random.default_rng(seed)
    if hosts is None:
        hosts = [rng.uniform(low, high, size=s) for s in shapes]
    inputs = [hw.as_tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in hosts]
    assert hw.autograd.gradcheck(lambda *a: fn(hw, *a), inputs, **kwargs)
