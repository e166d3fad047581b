"""PyTorch as the oracle for op tables: the same data through both libraries.

``helper_test_op(shapes, torch_fn, hw_fn)`` draws inputs of the given shapes, runs
both functions, and compares the outputs (values, shape, dtype; tuples and named
tuples element by element; Python scalars as they are) and, for float outputs, the
gradients of a fixed random projection of the outputs with respect to every input.

Table entries are written once as ``fn(lib, *tensors)`` with ``lib`` either ``torch``
or ``headwater``; :func:`run_case` binds each library in turn.
"""

from __future__ import annotations

import functools

import numpy as np

import headwater as hw

TOL = {"float64": dict(atol=1e-9, rtol=1e-7), "float32": dict(atol=1e-5, rtol=1e-4)}


def _np_dtype(t) -> np.dtype:
    return np.dtype(str(t.dtype).replace("torch.", ""))


def _outputs(out) -> list:
    if isinstance(out, tuple):
        return list(out)
    return [out]


def _check_value(h, t, atol, rtol) -> None:
    import torch

    if isinstance(t, torch.Tensor):
        assert isinstance(h, hw.Tensor), f"expected a Tensor, got {type(h).__name__}"
        assert h.shape == tuple(t.shape), f"shape {h.shape} != torch's {tuple(t.shape)}"
        assert h.dtype == _np_dtype(t), f"dtype {h.dtype} != torch's {t.dtype}"
        np.testing.assert_allclose(
            h.detach().numpy(), t.detach().numpy(), atol=atol, rtol=rtol, equal_nan=True
        )
    else:
        assert type(h) is type(t) or isinstance(h, type(t)), f"{type(h).__name__} != {type(t).__name__}"
        assert h == t or (h != h and t != t), f"{h!r} != torch's {t!r}"


def helper_test_op(shapes, torch_fn, hw_fn, *, dtype="float64", low=-2.0, high=2.0, grad=True,
                   atol=None, rtol=None, seed=0, hosts=None):
    """Run one op in both libraries on the same data (random inputs of ``shapes``, or
    the given ``hosts`` arrays); compare outputs and gradients."""
    import torch

    tol = TOL[dtype]
    atol = tol["atol"] if atol is None else atol
    rtol = tol["rtol"] if rtol is None else rtol
    rng = np.random.default_rng(seed)
    if hosts is None:
        hosts = [rng.uniform(low, high, size=s).astype(dtype) for s in shapes]
    else:
        hosts = [np.asarray(h, dtype=dtype) for h in hosts]
    h_in = [hw.as_tensor(a, requires_grad=grad) for a in hosts]
    t_in = [torch.tensor(a, requires_grad=grad) for a in hosts]
    h_out, t_out = hw_fn(*h_in), torch_fn(*t_in)
    fields = getattr(type(t_out), "__match_args__", None)  # torch.return_types.* field names
    if isinstance(t_out, tuple) and fields:
        assert tuple(getattr(h_out, "_fields", ())) == tuple(fields), "named result fields differ"
        for name in fields:
            _check_value(getattr(h_out, name), getattr(t_out, name), atol, rtol)
    h_outs, t_outs = _outputs(h_out), _outputs(t_out)
    assert len(h_outs) == len(t_outs)
    for h, t in zip(h_outs, t_outs):
        _check_value(h, t, atol, rtol)
    if not grad:
        return
    pairs = [
        (h, t) for h, t in zip(h_outs, t_outs)
        if isinstance(t, torch.Tensor) and t.dtype.is_floating_point and t.requires_grad
    ]
    if not pairs:
        return
    h_total, t_total = 0.0, 0.0
    for h, t in pairs:
        w = rng.standard_normal(tuple(t.shape)).astype(dtype)
        h_total = h_total + (h * hw.as_tensor(w)).sum()
        t_total = t_total + (t * torch.tensor(w)).sum()
    h_total.backward()
    t_total.backward()
    for i, (h, t) in enumerate(zip(h_in, t_in)):
        if t.grad is None:
            assert h.grad is None or not np.any(h.grad.numpy()), f"input {i}: torch has no gradient"
            continue
        assert h.grad is not None, f"input {i}: no gradient reached it"
        np.testing.assert_allclose(
            h.grad.numpy(), t.grad.numpy(), atol=atol * 10, rtol=rtol * 10, equal_nan=True,
            err_msg=f"gradient of input {i}",
        )


def run_case(case, dtype="float64", seed=0):
    """``case`` is ``(shapes, fn)`` or ``(shapes, fn, options)`` with ``fn(lib, *xs)``;
    ``seed`` draws other data for the same case."""
    import torch

    shapes, fn, *rest = case
    options = dict(rest[0]) if rest else {}
    tol32 = options.pop("tol32", {})
    if dtype == "float32":
        options.pop("atol", None)
        options.pop("rtol", None)
        options.update(tol32)
    helper_test_op(shapes, functools.partial(fn, torch), functools.partial(fn, hw), dtype=dtype,
                   seed=seed, **options)
