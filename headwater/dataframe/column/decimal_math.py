"""Checked int64 arithmetic for decimal columns: every result is tested for overflow.

Decimals are int64 multiples of ``10**-scale``. The sums, differences and products of
such integers wrap silently in NumPy and CuPy, so each operation also computes whether
it wrapped, with ``xp`` operations only (no host loop, the same code on both devices):

- ``a + b`` wrapped when both operands have one sign and the result the other;
- ``a * b`` wrapped when the float64 product is clearly past 2**63, or near it with a
  sign that disagrees with the wrapped product's;
- a total (or running total) is split into the high and low 32-bit halves of each
  value, which cannot wrap when summed separately; the total fits exactly when its
  high half plus the low half's carry fits 32 bits.

Only a flag leaves the device (one host read per operation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.tensor.transfer import to_host

__all__ = ["DecimalOverflowError", "overflow_error", "checked_add", "checked_sub", "checked_mul",
           "rescale", "checked_total", "INT64_MAX", "INT64_MIN"]

INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min
_TWO63 = 2.0**63
_LOW32 = 0xFFFFFFFF


class DecimalOverflowError(OverflowError):
    """A decimal result does not fit the int64 that holds it (more than 18 digits)."""


def overflow_error(what: str) -> DecimalOverflowError:
    """The error for an overflowing decimal ``what``, naming the float fallback."""
    return DecimalOverflowError(
        f"decimal overflow: {what} does not fit the int64 that holds a decimal (18 digits); "
        f"cast the column with .astype(float) first"
    )


def _raise_if(xp: Any, bad: Any, valid: Any, what: str) -> None:
    if valid is not None:
        bad = bad & valid
    if bool(to_host(xp.any(bad))):
        raise overflow_error(what)


def checked_add(xp: Any, a: Any, b: Any, valid: Any, what: str) -> Any:
    """``a + b`` (int64 arrays or scalars); raises when any valid row overflows."""
    with np.errstate(all="ignore"):
        out = xp.add(a, b, dtype=np.int64)
        bad = ((a ^ out) & (b ^ out)) < 0
    _raise_if(xp, bad, valid, what)
    return out


def checked_sub(xp: Any, a: Any, b: Any, valid: Any, what: str) -> Any:
    """``a - b``; raises when any valid row overflows."""
    with np.errstate(all="ignore"):
        out = xp.subtract(a, b, dtype=np.int64)
        bad = ((a ^ b) & (a ^ out)) < 0
    _raise_if(xp, bad, valid, what)
    return out


def checked_mul(xp: Any, a: Any, b: Any, valid: Any, what: str) -> Any:
    """``a * b``; raises when any valid row overflows."""
    with np.errstate(all="ignore"):
        out = xp.multiply(a, b, dtype=np.int64)
        approx = xp.multiply(xp.asarray(a, dtype=np.float64), xp.asarray(b, dtype=np.float64))
        size = xp.abs(approx)
        # far past 2**63 the float says so; near it a wrapped product has flipped sign
        bad = (size >= _TWO63 * (1 + 2.0**-40)) | ((size >= 2.0**62) & ((out < 0) != (approx < 0)))
    _raise_if(xp, bad, valid, what)
    return out


def rescale(xp: Any, data: Any, digits: int, valid: Any, what: str) -> Any:
    """``data * 10**digits`` (``digits >= 0``), checked."""
    if digits == 0:
        return data
    if digits > 18:
        raise overflow_error(what)
    return checked_mul(xp, data, np.int64(10**digits), valid, what)


def checked_total(xp: Any, data: Any, total: Callable[[Any], Any], what: str) -> Any:
    """``total(data)`` (a sum, segment sum or running sum of int64 ``data`` whose
    invalid rows are already zero), raising when any result overflows int64."""
    out = total(data)
    if data.shape[0] == 0:
        return out
    peak = int(to_host(xp.max(xp.abs(data))))  # |INT64_MIN| wraps negative: counted as large
    if 0 <= peak and peak * int(data.shape[0]) < 2**63:
        return out  # no total of these values can reach 2**63
    high = total(data >> 32) + (total(data & _LOW32) >> 32)
    bad = (high < -(2**31)) | (high >= 2**31)
    if bool(to_host(xp.any(bad))):
        raise overflow_error(what)
    return out
