"""Where forward and backward fills take their values from."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["forward_positions", "backward_positions"]


def forward_positions(valid: Any) -> Any:
    """For each row, the last valid row at or above it (-1 when there is none).

    Examples
    --------
    >>> import headwater as hw
    >>> forward_positions(hw.get_backend().xp.asarray([False, True, False, True])).tolist()
    [-1, 1, 1, 3]
    """
    xp = _xp(valid)
    n = valid.shape[0]
    idx = xp.where(valid, xp.arange(n, dtype=np.int64), -1)
    return xp.maximum.accumulate(idx) if n else idx


def backward_positions(valid: Any) -> Any:
    """For each row, the first valid row at or below it (-1 when there is none).

    Examples
    --------
    >>> import headwater as hw
    >>> backward_positions(hw.get_backend().xp.asarray([False, True, False, False])).tolist()
    [1, 1, -1, -1]
    """
    xp = _xp(valid)
    n = valid.shape[0]
    if n == 0:
        return xp.zeros(0, dtype=np.int64)
    idx = xp.where(valid, xp.arange(n, dtype=np.int64), n)
    nxt = xp.minimum.accumulate(idx[::-1])[::-1]
    return xp.where(nxt == n, -1, nxt)


def _xp(array: Any) -> Any:
    from headwater.tensor.devices import backend_of

    return backend_of(array).xp
