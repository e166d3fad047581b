"""``hw.special``, as ``torch.special``: special functions, most of them the
top-level ops under their SciPy-style names (the work lives in
:mod:`headwater.autograd.ops`).

Examples
--------
>>> import headwater as hw
>>> x = hw.as_tensor([0.0, 1.0], dtype=hw.float64)
>>> [round(v, 6) for v in hw.special.expit(x).tolist()]
[0.5, 0.731059]
>>> [round(v, 6) for v in hw.special.gammaln(x + 1).tolist()]
[0.0, 0.0]
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.ops.activations import sigmoid as expit
from headwater.autograd.ops.bessel import i0
from headwater.autograd.ops.binary import xlog1py, xlogy
from headwater.autograd.ops.conversion import to
from headwater.autograd.ops.elementwise import log1p
from headwater.autograd.ops.gamma import digamma, polygamma
from headwater.autograd.ops.gamma import lgamma as gammaln
from headwater.autograd.ops.probability_functions import entr, ndtr, ndtri, sinc
from headwater.autograd.ops.reduce import logsumexp
from headwater.autograd.ops.softmax import log_softmax as _log_softmax
from headwater.autograd.ops.softmax import softmax as _softmax
from headwater.autograd.ops.special import erf, erfc, erfinv
from headwater.autograd.ops.unary import exp2, expm1, logit
from headwater.tensor.tensor import Tensor

psi = digamma

__all__ = [
    "digamma", "entr", "erf", "erfc", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0",
    "log1p", "log_softmax", "logit", "logsumexp", "ndtr", "ndtri", "polygamma", "psi", "sinc",
    "softmax", "xlog1py", "xlogy",
]


def softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Softmax along ``dim``; with ``dtype`` the input is cast first, as torch's.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.special.softmax(hw.zeros(2), 0).tolist()
    [0.5, 0.5]
    """
    return _softmax(input if dtype is None else to(input, dtype), dim)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Log-softmax along ``dim``; with ``dtype`` the input is cast first.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 6) for v in hw.special.log_softmax(hw.zeros(2), 0).tolist()]
    [-0.693147, -0.693147]
    """
    return _log_softmax(input if dtype is None else to(input, dtype), dim)
