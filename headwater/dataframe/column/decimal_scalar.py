"""The scalar a decimal column gives back: a ``decimal.Decimal`` that also mixes with floats.

A decimal column's ``sum``, ``min``, ``max`` (and every other scalar read from it) is
exact, so it comes back as a :class:`decimal.Decimal`. Python's ``Decimal`` refuses to
mix with ``float`` (``Decimal("1.5") * 0.1`` raises ``TypeError``), which breaks plain
pandas code such as ``df["price"].sum() * 0.0001`` on a decimal column. The rule here
is the columns' own rule, which is also Arrow's and Polars' (decimal with float64 gives
float64):

- with a ``float`` or a NumPy floating scalar, every arithmetic operator (``+ - * /
  // % **``, either side) gives a float64: the decimal is converted to the nearest
  float first, then the float operation runs;
- with a ``Decimal``, an ``int`` or another :class:`DecimalScalar`, arithmetic stays
  exact (Python's ``decimal`` rules and context) and the result is again a
  :class:`DecimalScalar`, so a chain of exact steps can still meet a float later;
- comparisons, hashing, ``str`` and ``repr`` are ``Decimal``'s own (a ``DecimalScalar``
  equals the ``Decimal`` of the same value and prints as one).

pandas' Arrow-backed decimal columns give a plain ``Decimal`` and refuse the float; this
is one of the documented differences (the README's list).
"""

from __future__ import annotations

import decimal as pydecimal
from typing import Any

import numpy as np

__all__ = ["DecimalScalar"]


def _is_float(value: Any) -> bool:
    return isinstance(value, (float, np.floating))


def _binary(name: str, reflected: str) -> Any:
    exact_op = getattr(pydecimal.Decimal, name)
    exact_rop = getattr(pydecimal.Decimal, reflected)
    float_op = getattr(float, name)
    float_rop = getattr(float, reflected)

    def forward(self: DecimalScalar, other: Any) -> Any:
        if _is_float(other):
            return _float_result(float_op(float(self), float(other)), other)
        return _wrap(exact_op(self, other))

    def backward(self: DecimalScalar, other: Any) -> Any:
        if _is_float(other):
            return _float_result(float_rop(float(self), float(other)), other)
        return _wrap(exact_rop(self, other))

    forward.__name__, backward.__name__ = name, reflected
    return forward, backward


def _float_result(value: Any, other: Any) -> Any:
    """A Python float operand gives a float; a NumPy one gives ``numpy.float64``."""
    if value is NotImplemented:
        return value
    return np.float64(value) if isinstance(other, np.floating) else value


def _wrap(value: Any) -> Any:
    if type(value) is pydecimal.Decimal:
        return DecimalScalar(value)
    if isinstance(value, tuple):  # divmod
        return tuple(_wrap(v) for v in value)
    return value


class DecimalScalar(pydecimal.Decimal):
    """An exact decimal scalar that gives float64 when combined with a float.

    Examples
    --------
    >>> from decimal import Decimal
    >>> total = DecimalScalar("12.50")
    >>> total * 0.5, 100.0 * total / 5.0
    (6.25, 250.0)
    >>> total + Decimal("0.25"), total * 2
    (Decimal('12.75'), Decimal('25.00'))
    >>> type(total + 1).__name__
    'DecimalScalar'
    >>> total == Decimal("12.5")
    True
    """

    __slots__ = ()

    __add__, __radd__ = _binary("__add__", "__radd__")
    __sub__, __rsub__ = _binary("__sub__", "__rsub__")
    __mul__, __rmul__ = _binary("__mul__", "__rmul__")
    __truediv__, __rtruediv__ = _binary("__truediv__", "__rtruediv__")
    __floordiv__, __rfloordiv__ = _binary("__floordiv__", "__rfloordiv__")
    __mod__, __rmod__ = _binary("__mod__", "__rmod__")
    __divmod__, __rdivmod__ = _binary("__divmod__", "__rdivmod__")

    def __pow__(self, other: Any, modulo: Any = None) -> Any:
        if _is_float(other) and modulo is None:
            return _float_result(float(self) ** float(other), other)
        return _wrap(pydecimal.Decimal.__pow__(self, other, modulo))

    def __rpow__(self, other: Any) -> Any:
        if _is_float(other):
            return _float_result(float(other) ** float(self), other)
        return _wrap(pydecimal.Decimal.__rpow__(self, other))

    def __neg__(self) -> Any:
        return _wrap(pydecimal.Decimal.__neg__(self))

    def __pos__(self) -> Any:
        return _wrap(pydecimal.Decimal.__pos__(self))

    def __abs__(self) -> Any:
        return _wrap(pydecimal.Decimal.__abs__(self))
