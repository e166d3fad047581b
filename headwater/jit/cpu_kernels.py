"""Compiled CPU loops for replays: the Adam update of one parameter in one pass,
ReLU's backward as one select, and cross-entropy's target matrix in one loop.

On NumPy memory an Adam update is thirteen ufunc passes over the parameter (the
eager rule, ``adam_arithmetic``); a replay may instead run one loop doing the same
operations in the same order per element, each rounded to the array's dtype, when
`numba <https://numba.pydata.org>`_ is installed (``pip install "headwater[jit]"``).
The loop is compiled without fast-math, so nothing is reassociated or contracted into
fused multiply-adds, and every operation it uses (``+ - * /`` and ``sqrt``) is
correctly rounded in IEEE arithmetic: the results are the ufuncs' bit for bit, which
the tests check. Without numba (or with ``HEADWATER_JIT_NUMBA=0``) replays keep the
ufunc sequence. ReLU's backward (the gradient where the output is not ``<= 0``, else
``+0.0``) is eager's ``blend``/``where`` as one branch-free loop. Cross-entropy with
class indices (no class weights, no label smoothing) builds its one-hot target matrix
(exact zeros and ones) and the count of rows kept in one loop instead of ten small
array operations; the floating-point part is the op's own. The first use compiles the loop (a few seconds; numba caches it on
disk next to this file when it can).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

__all__ = ["adam_cpu_kernel", "adam_cpu_update", "numba_enabled", "reset", "replay_backward", "replay_forward"]

_state: dict = {}
_coefs: dict = {}


def numba_enabled() -> bool:
    """Whether replays use the compiled CPU loops (numba importable and not switched
    off by ``HEADWATER_JIT_NUMBA=0``).

    Examples
    --------
    >>> isinstance(numba_enabled(), bool)
    True
    """
    on = _state.get("on")
    if on is None:  # read once per process
        on = _state["on"] = os.environ.get("HEADWATER_JIT_NUMBA", "1") != "0" and adam_cpu_kernel() is not None
    return on


def adam_cpu_kernel() -> Any:
    """The compiled Adam loop, or None without numba (compiled at the first call)."""
    if "adam" not in _state:
        try:
            import numba
        except ImportError:
            _state["adam"] = None
        else:
            _state["adam"] = numba.njit(cache=True, nogil=True, error_model="numpy")(_adam_loop)
    return _state["adam"]


def _adam_loop(data, g, m, v, coef):
    # the operations of adam_arithmetic, element by element, in its order; the scalars
    # come in one array (fewer arguments: numba's dispatch costs about 1 us each)
    maximize, wd_mode, decay, wd = coef[0] != 0, coef[1], coef[2], coef[3]
    b1, c1, b2, c2, bias2_sqrt, eps, step_size = coef[4], coef[5], coef[6], coef[7], coef[8], coef[9], coef[10]
    for i in range(data.shape[0]):
        gg = g[i]
        if maximize:
            gg = -gg
        d = data[i]
        if wd_mode == 1:
            d = d * decay
        elif wd_mode == 2:
            t = d * wd
            gg = gg + t
        mi = m[i] * b1
        t1 = gg * c1
        mi = mi + t1
        m[i] = mi
        vi = v[i] * b2
        sq = gg * gg
        sq = sq * c2
        vi = vi + sq
        v[i] = vi
        r = np.sqrt(vi)
        r = r / bias2_sqrt
        r = r + eps
        r = mi / r
        r = r * step_size
        data[i] = d - r


def adam_cpu_update(data: Any, grad: Any, state: dict, group: dict, decoupled: bool) -> bool:
    """One Adam step (no AMSGrad) of a NumPy parameter through the compiled loop; False
    (nothing done) where it does not apply: numba missing or off, AMSGrad, arrays that
    are not C-contiguous NumPy arrays of one dtype, float32 or float64.

    Examples
    --------
    >>> d, st = np.ones(2), {"step": 0, "exp_avg": np.zeros(2), "exp_avg_sq": np.zeros(2)}
    >>> group = dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False)
    >>> done = adam_cpu_update(d, np.full(2, 0.5), st, group, False)
    >>> done == numba_enabled(), st["step"] == (1 if done else 0)
    (True, True)
    """
    if group["amsgrad"] or not numba_enabled():
        return False
    m, v = state["exp_avg"], state["exp_avg_sq"]
    dtype = data.dtype
    for a in (data, grad, m, v):
        if type(a) is not np.ndarray or a.dtype != dtype or not a.flags.c_contiguous:
            return False
    if dtype not in (np.float32, np.float64) or grad.shape != data.shape:
        return False
    lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
    state["step"] += 1
    step = state["step"]
    key = (lr, b1, b2, eps, wd, group["maximize"], decoupled, step, dtype)
    coef = _coefs.get(key)  # the parameters of a group share them
    if coef is None:
        if len(_coefs) > 64:
            _coefs.clear()
        wd_mode = 0 if not wd else 1 if decoupled else 2
        # the scalars as adam_arithmetic's ufuncs see them: Python floats rounded to the dtype
        coef = _coefs[key] = np.array([1.0 if group["maximize"] else 0.0, wd_mode, 1 - lr * wd, wd, b1, 1 - b1,
                                       b2, 1 - b2, math.sqrt(1 - b2**step), eps, lr / (1 - b1**step)], dtype=dtype)
    _state["adam"](data.reshape(-1), grad.reshape(-1), m.reshape(-1), v.reshape(-1), coef)
    return True


def reset() -> None:
    """Forget whether numba is on (``HEADWATER_JIT_NUMBA`` is read again; for tests)."""
    _state.pop("on", None)


def _relu_backward_loop(out, g, res):
    for i in range(res.shape[0]):
        res[i] = 0.0 if out[i] <= 0 else g[i]


def _relu_backward(op: Any, g: Any) -> Any:
    out = op.out
    if type(g) is not np.ndarray or type(out) is not np.ndarray or g.shape != out.shape \
            or g.dtype != out.dtype or out.dtype not in (np.float32, np.float64) \
            or not (g.flags.c_contiguous and out.flags.c_contiguous):
        return op._run_backward(g)
    res = np.empty_like(g)
    _state["relu_backward"](out.reshape(-1), g.reshape(-1), res.reshape(-1))
    return res


def replay_backward(cls: type) -> Any:
    """A compiled replacement for ``cls``'s backward in CPU replays (called as
    ``fn(op, grad)``, the same values as ``op._run_backward(grad)``), or None.

    Examples
    --------
    >>> from headwater.autograd.ops.activations import Relu
    >>> (replay_backward(Relu) is not None) == numba_enabled()
    True
    """
    from headwater.autograd.ops.activations import Relu

    if cls is not Relu or not numba_enabled():
        return None
    if "relu_backward" not in _state:
        import numba

        _state["relu_backward"] = numba.njit(cache=True, nogil=True)(_relu_backward_loop)
    return _relu_backward


def _onehot_loop(target, ignore_index, dist):
    kept = 0
    for i in range(target.shape[0]):
        t = target[i]
        if t == ignore_index:
            continue
        if t < 0 or t >= dist.shape[1]:
            return -1
        dist[i, t] = 1.0
        kept += 1
    return kept


def _cross_entropy_forward(op: Any, logits: Any, target: Any, weight: Any = None, ignore_index: int = -100,
                           smoothing: float = 0.0, reduction: str = "mean") -> Any:
    """``CrossEntropy.forward`` with the target matrix from one loop: the same arrays
    (``dist`` holds exact zeros and ones, ``denom`` the count of rows kept in the
    logits' dtype), so the same results; anything else takes the op's own forward."""
    from headwater.autograd.ops.softmax import log_softmax_array

    if (weight is not None or smoothing or type(logits) is not np.ndarray or type(target) is not np.ndarray
            or logits.ndim != 2 or target.ndim != 1 or target.dtype.kind not in "iu"
            or logits.dtype not in (np.float32, np.float64) or not isinstance(ignore_index, int)):
        return op.forward(logits, target, weight, ignore_index, smoothing, reduction)
    dist = np.zeros(logits.shape, dtype=logits.dtype)
    kept = _state["onehot"](target, ignore_index, dist)
    if kept < 0:  # a class index out of range: the op's forward raises its error
        return op.forward(logits, target, weight, ignore_index, smoothing, reduction)
    logp = log_softmax_array(np, logits, 1)
    denom = logits.dtype.type(kept)
    per_row = -(dist * logp).sum(axis=1)
    op.logp, op.dist, op.denom, op.reduction = logp, dist, denom, reduction
    if reduction == "none":
        return per_row
    total = per_row.sum()
    return total / denom if reduction == "mean" else total


def replay_forward(cls: type) -> Any:
    """A compiled replacement for ``cls``'s forward in CPU replays (called as
    ``fn(op, *arrays, **attrs)``, the same values and saved state), or None.

    Examples
    --------
    >>> from headwater.autograd.nn.loss_functions import CrossEntropy
    >>> (replay_forward(CrossEntropy) is not None) == numba_enabled()
    True
    """
    from headwater.autograd.nn.loss_functions import CrossEntropy

    if cls is not CrossEntropy or not numba_enabled():
        return None
    if "onehot" not in _state:
        import numba

        _state["onehot"] = numba.njit(cache=True, nogil=True)(_onehot_loop)
    return _cross_entropy_forward
