"""Adam's update of one parameter as one compiled loop on NumPy memory (numba).

On NumPy memory an Adam update is thirteen ufunc passes over the parameter
(:func:`headwater.autograd.optim.adam.adam_arithmetic`); where `numba
<https://numba.pydata.org>`_ is installed (``pip install "headwater[jit]"``), eager
steps and graph-mode replays instead run one loop doing the same operations in the
same order per element, each rounded to the array's dtype. The loop is compiled
without fast-math, so nothing is reassociated or contracted into fused multiply-adds,
and every operation it uses (``+ - * /`` and ``sqrt``) is correctly rounded in IEEE
arithmetic: the results are the ufuncs' bit for bit, which the tests check. Without
numba (or with ``HEADWATER_JIT_NUMBA=0``) the ufunc sequence runs. The first use
compiles the loop (a few seconds; numba caches it on disk next to this file when it
can).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

__all__ = ["adam_cpu_kernel", "adam_cpu_update", "adam_coefficients", "numba_enabled", "reset"]

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
    state["step"] += 1
    coef = adam_coefficients(group, state["step"], dtype, decoupled)
    _state["adam"](data.reshape(-1), grad.reshape(-1), m.reshape(-1), v.reshape(-1), coef)
    return True


def adam_coefficients(group: dict, step: int, dtype: Any, decoupled: bool) -> Any:
    """The scalars of the compiled loop for one step of a group (the array its ``coef``
    argument takes), as ``adam_arithmetic``'s ufuncs see them: Python floats rounded to
    ``dtype``. Parameters of a group at the same step share one array.

    Examples
    --------
    >>> group = dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False)
    >>> c = adam_coefficients(group, 1, np.float64, False)
    >>> c.shape, round(float(c[-1]), 6)  # the step size lr / (1 - b1**step)
    ((11,), 1.0)
    """
    lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
    key = (lr, b1, b2, eps, wd, group["maximize"], decoupled, step, dtype)
    coef = _coefs.get(key)
    if coef is None:
        if len(_coefs) > 64:
            _coefs.clear()
        wd_mode = 0 if not wd else 1 if decoupled else 2
        coef = _coefs[key] = np.array([1.0 if group["maximize"] else 0.0, wd_mode, 1 - lr * wd, wd, b1, 1 - b1,
                                       b2, 1 - b2, math.sqrt(1 - b2**step), eps, lr / (1 - b1**step)], dtype=dtype)
    return coef


def reset() -> None:
    """Forget whether numba is on (``HEADWATER_JIT_NUMBA`` is read again; for tests)."""
    _state.pop("on", None)


