"""Compiled CPU loops for replays: ReLU's backward as one select, a linear layer's bias
gradient as one pass over the rows, and cross-entropy's target matrix in one loop, with
numba (``pip install "headwater[jit]"``); the Adam update of one parameter in one pass
is :mod:`headwater.autograd.optim.adam_kernel`, which eager steps share. Without numba
(or with ``HEADWATER_JIT_NUMBA=0``) replays keep the ufunc sequences. ReLU's backward
(the gradient where the output is not ``<= 0``, else ``+0.0``) is eager's
``blend``/``where`` as one branch-free loop. The bias gradient adds the rows in NumPy's
order for a matrix of several columns (from ``+0.0``, row after row), so the same
bits. Cross-entropy with class indices (no class weights, no label smoothing) runs as
two loops around NumPy's exponent, row sums and logarithm, instead of about a dozen
small array operations: the one-hot target matrix (exact zeros and ones), the count of
rows kept and the max-shifted logits in the first; the log-probabilities and each row's
loss (a sum that is exact for a one-hot target) in the second; its backward on that
target is one loop after NumPy's exponent. The first use compiles the loop (a few
seconds; numba caches it on disk next to this file when it can).
"""

from __future__ import annotations

from typing import Any

import numpy as np

# the Adam loop lives with the optimizer (eager steps use it too); re-exported here
from headwater.autograd.optim.adam_kernel import _state, adam_cpu_kernel, adam_cpu_update, numba_enabled, reset

__all__ = ["adam_cpu_kernel", "adam_cpu_update", "adam_group_kernel", "numba_enabled", "reset",
           "replay_backward", "replay_forward"]


def _compiled(name: str, loop: Any) -> Any:
    """``loop`` compiled by numba (once per process; cached on disk where possible)."""
    fn = _state.get(name)
    if fn is None:
        import numba

        fn = _state[name] = numba.njit(cache=True, nogil=True, error_model="numpy")(loop)
    return fn


_adam_one = None  # the one-parameter Adam loop, which the group loop calls (set before it compiles)


def _adam_group_loop(datas, grads, ms, vs, coef):
    # one call for every parameter of a group (same dtype, same step): the loop of
    # adam_kernel per parameter, so the same operations in the same order. The
    # parameters are independent, so their order cannot change a bit; the last one
    # first, so that the first layer's arrays, which the next forward pass reads
    # first, are the ones still in cache (measured: ~5% of a batch-32 MLP step)
    for k in range(len(datas) - 1, -1, -1):
        _adam_one(datas[k], grads[k], ms[k], vs[k], coef)


def adam_group_kernel() -> Any:
    """The compiled loop doing Adam's update of several parameters in one call
    (``fn(datas, grads, exp_avgs, exp_avg_sqs, coef)``, tuples of flat C-contiguous
    arrays of one dtype and the coefficients of
    :func:`~headwater.autograd.optim.adam_kernel.adam_coefficients`), or None without
    numba.

    Examples
    --------
    >>> (adam_group_kernel() is not None) == numba_enabled()
    True
    """
    global _adam_one
    if not numba_enabled():
        return None
    _adam_one = adam_cpu_kernel()
    return _compiled("adam_group", _adam_group_loop)


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


def _cross_entropy_backward_loop(e, dist, scale, out):
    # CrossEntropy.backward on a one-hot target: exp(logp) * dist.sum(axis=1) - dist, then
    # times the scale, each rounded as the ufuncs round (a row's sum of zeros and ones is exact)
    for i in range(out.shape[0]):
        kept = dist[i, 0]  # in dist's dtype
        for j in range(1, out.shape[1]):
            kept += dist[i, j]
        for j in range(out.shape[1]):
            t = e[i, j] * kept
            t = t - dist[i, j]
            out[i, j] = t * scale


def _cross_entropy_backward(op: Any, g: Any) -> Any:
    """``CrossEntropy.backward`` for an op whose forward was :func:`_cross_entropy_forward`'s
    one-hot route and whose loss is a mean or a sum: the exponent is NumPy's, the rest one
    compiled pass with the same operations; anything else takes the op's own backward."""
    if not getattr(op, "onehot", False) or op.reduction == "none" or type(g) is not np.ndarray \
            or g.ndim != 0 or g.dtype != op.logp.dtype:
        return op._run_backward(g)
    scale = g / op.denom if op.reduction == "mean" else g
    out = np.exp(op.logp)
    _state["ce_backward"](out, op.dist, scale[()], out)
    return out, None, None


def _column_sum_loop(g, out):
    # g.sum(axis=0) as NumPy sums a C-contiguous matrix with several columns: from +0.0,
    # one row after the other
    for j in range(out.shape[0]):
        out[j] = 0.0
    for i in range(g.shape[0]):
        for j in range(out.shape[0]):
            out[j] += g[i, j]


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_MIN_COLUMNS = 8  # NumPy sums a single column pairwise; from a few columns on, row after row


def _linear_backward(op: Any, g: Any) -> Any:
    """``Linear.backward`` with the bias gradient (the column sums of the output
    gradient) from one compiled loop adding the rows in NumPy's order, instead of one
    NumPy call per row; the two products are the op's own (``Linear.products``)."""
    needs = op.needs
    if len(needs) < 3 or not needs[2] or type(g) is not np.ndarray or g.ndim < 2 \
            or g.dtype not in _FLOATS or g.shape[-1] < _MIN_COLUMNS or not g.flags.c_contiguous:
        return op._run_backward(g)
    gx, gw = op.products(g)
    gb = np.empty(g.shape[-1], dtype=g.dtype)
    _state["column_sum"](g if g.ndim == 2 else g.reshape(-1, g.shape[-1]), gb)
    return gx, gw, gb


def replay_backward(cls: type) -> Any:
    """A compiled replacement for ``cls``'s backward in CPU replays (called as
    ``fn(op, grad)``, the same values as ``op._run_backward(grad)``), or None.

    Examples
    --------
    >>> from headwater.autograd.ops.activations import Relu
    >>> (replay_backward(Relu) is not None) == numba_enabled()
    True
    """
    from headwater.autograd.nn.loss_functions import CrossEntropy
    from headwater.autograd.ops.activations import Relu
    from headwater.autograd.ops.linalg import Linear

    if not numba_enabled():
        return None
    if cls is Linear:
        _compiled("column_sum", _column_sum_loop)
        return _linear_backward
    if cls is Relu:
        _compiled("relu_backward", _relu_backward_loop)
        return _relu_backward
    if cls is CrossEntropy:
        _compiled("ce_backward", _cross_entropy_backward_loop)
        return _cross_entropy_backward
    return None


def _ce_prepare_loop(logits, target, ignore_index, dist, shifted):
    # the one-hot target matrix (exact zeros and ones; -1 for a class index out of range)
    # and the log-softmax's shift, a - a.max(axis=1, keepdims=True), with the row
    # maximum as NumPy's (a NaN wins) and the same rounded subtraction; returns the
    # count of rows kept
    kept = 0
    n, c = logits.shape
    for i in range(n):
        for j in range(c):
            dist[i, j] = 0.0
        t = target[i]
        if t != ignore_index:
            if t < 0 or t >= c:
                return -1
            dist[i, t] = 1.0
            kept += 1
        m = logits[i, 0]
        for j in range(1, c):
            x = logits[i, j]
            if x > m or x != x:
                m = x
        for j in range(c):
            shifted[i, j] = logits[i, j] - m
    return kept


def _ce_tail_loop(shifted, lse, dist, logp, per_row):
    # logp = shifted - lse (lse: the log of the rows' exponent sums, NumPy's), then
    # per_row = -(dist * logp).sum(axis=1). With a one-hot dist every product but one is
    # a signed zero, so the row's sum is exact in any order: the one product itself, +0.0
    # where all are zeros (NumPy's sum starts from +0.0 too), NaN or -inf where those are
    # among the terms
    for i in range(shifted.shape[0]):
        acc = 0.0
        for j in range(shifted.shape[1]):
            v = shifted[i, j] - lse[i, 0]
            logp[i, j] = v
            acc += dist[i, j] * v
        per_row[i] = -acc


_add_reduce = np.add.reduce


def _cross_entropy_forward(op: Any, logits: Any, target: Any, weight: Any = None, ignore_index: int = -100,
                           smoothing: float = 0.0, reduction: str = "mean") -> Any:
    """``CrossEntropy.forward`` on class indices (no class weights, no smoothing) as two
    compiled passes around NumPy's exponent, row sums and logarithm: the first builds
    the one-hot target matrix and the max-shifted logits, the second the
    log-probabilities and each row's loss (exact, see ``_ce_tail_loop``); the total is
    NumPy's sum. The same arrays as the op's forward (``dist`` of exact zeros and ones,
    ``denom`` the count of rows kept in the logits' dtype), so the same results;
    anything else takes the op's own forward."""
    if (weight is not None or smoothing or type(logits) is not np.ndarray or type(target) is not np.ndarray
            or logits.ndim != 2 or target.ndim != 1 or target.dtype.kind not in "iu"
            or logits.dtype not in _FLOATS or not isinstance(ignore_index, int)
            or logits.shape[1] == 0 or not logits.flags.c_contiguous or target.shape[0] != logits.shape[0]):
        return op.forward(logits, target, weight, ignore_index, smoothing, reduction)
    dist = np.empty_like(logits)
    shifted = np.empty_like(logits)
    kept = _state["ce_prepare"](logits, target, ignore_index, dist, shifted)
    if kept < 0:  # a class index out of range: the op's forward raises its error
        return op.forward(logits, target, weight, ignore_index, smoothing, reduction)
    lse = _add_reduce(np.exp(shifted), axis=1, keepdims=True)
    np.log(lse, out=lse)
    logp = np.empty_like(logits)
    per_row = np.empty(logits.shape[0], dtype=logits.dtype)
    _state["ce_tail"](shifted, lse, dist, logp, per_row)
    denom = logits.dtype.type(kept)
    op.logp, op.dist, op.denom, op.reduction = logp, dist, denom, reduction
    op.onehot = True  # dist holds zeros and ones: the compiled backward applies
    if reduction == "none":
        return per_row
    total = _add_reduce(per_row)
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
    _compiled("ce_prepare", _ce_prepare_loop)
    _compiled("ce_tail", _ce_tail_loop)
    return _cross_entropy_forward
