"""Symbolic sizes: the dimensions of an exported graph that change with its inputs.

A trace records concrete sizes (a reshape to ``(10, 8)`` for a batch of 2 and 5
steps). To export a graph whose batch dimension is free, the exporter traces the
model again with each named dynamic axis one larger and compares: a size that moved
with an axis is a :class:`SymDim` in that axis' name, ``coeff * prod(symbols) +
offset``, which covers what models compute from their input sizes (``batch``,
``batch * steps``, ``steps * batch + batch``). :func:`merge` does the comparison over
any nest of tuples, lists, dicts and slices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["SymDim", "Dim", "merge", "is_static", "MergeError"]


class MergeError(ValueError):
    """Two traces disagree in a way no symbolic size explains."""


@dataclass(frozen=True)
class SymDim:
    """``coeff * prod(symbols) + offset``, with the value ``base`` in the traced example.

    Examples
    --------
    >>> from headwater.onnx.dims import SymDim
    >>> SymDim(("batch",), 5, 0, 10)
    SymDim(5*batch)
    """

    symbols: tuple[str, ...]
    coeff: int
    offset: int
    base: int

    def __repr__(self) -> str:
        core = "*".join(self.symbols)
        core = core if self.coeff == 1 else f"{self.coeff}*{core}"
        if self.offset:
            core += f"{self.offset:+d}"
        return f"SymDim({core})"

    def __index__(self) -> int:  # converters that only need the traced value
        return self.base

    def __add__(self, other: int) -> SymDim:
        if not isinstance(other, int):
            return NotImplemented
        return SymDim(self.symbols, self.coeff, self.offset + other, self.base + other)

    __radd__ = __add__

    def __mul__(self, other: int) -> SymDim:
        if not isinstance(other, int):
            return NotImplemented
        return SymDim(self.symbols, self.coeff * other, self.offset * other, self.base * other)

    __rmul__ = __mul__

    def label(self) -> str:
        """The name of this size as an ONNX ``dim_param`` (``batch``, ``5*batch``)."""
        return repr(self)[len("SymDim("):-1]

    @property
    def is_plain(self) -> bool:
        """True for one symbol itself (``batch``), which ONNX can name in a shape."""
        return len(self.symbols) == 1 and self.coeff == 1 and self.offset == 0


Dim = int | SymDim


def is_static(value: Any) -> bool:
    """True when ``value`` (a size, or a nest of them) holds no symbolic size."""
    if isinstance(value, SymDim):
        return False
    if isinstance(value, (tuple, list)):
        return all(is_static(v) for v in value)
    if isinstance(value, dict):
        return all(is_static(v) for v in value.values())
    if isinstance(value, slice):
        return is_static((value.start, value.stop, value.step))
    return True


def _fit(base: int, moved: dict[str, int], bases: dict[str, int], where: str) -> Dim:
    """The symbolic size whose value is ``base`` and ``moved[s]`` with symbol ``s`` one larger."""
    symbols = tuple(sorted(s for s, v in moved.items() if v != base))
    if not symbols:
        return base
    if len(symbols) == 1:
        (s,) = symbols
        coeff = moved[s] - base
        offset = base - coeff * bases[s]
        return SymDim(symbols, coeff, offset, base)
    prod = math.prod(bases[s] for s in symbols)
    coeff, rest = divmod(base, prod)
    fits = rest == 0 and all(moved[s] == coeff * prod // bases[s] * (bases[s] + 1) for s in symbols)
    if not fits:
        raise MergeError(f"{where}: the size {base} changes with {', '.join(symbols)} in a way the exporter cannot "
                         f"write as a product of them; export with those axes static (dynamic_axes without them)")
    return SymDim(symbols, coeff, 0, base)


def merge(base: Any, moved: dict[str, Any], bases: dict[str, int], where: str) -> Any:
    """``base`` (from the example trace) with every int that moved in ``moved`` made symbolic.

    ``moved[s]`` is the same structure from the trace with symbol ``s`` one larger;
    ``bases[s]`` is the symbol's size in the example. Structures that differ in
    shape (a list that grew) raise :class:`MergeError`. Arrays and other values are
    kept from ``base``.

    Examples
    --------
    >>> from headwater.onnx.dims import merge
    >>> merge((10, 8), {"batch": (15, 8)}, {"batch": 2}, "reshape")
    (SymDim(5*batch), 8)
    """
    if isinstance(base, bool) or not isinstance(base, (int, tuple, list, dict, slice)):
        return base
    if isinstance(base, int):
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in moved.values()):
            raise MergeError(f"{where}: the value {base!r} is not a size in every trace")
        return _fit(base, moved, bases, where)
    if isinstance(base, slice):
        parts = merge((base.start, base.stop, base.step),
                      {s: (v.start, v.stop, v.step) for s, v in moved.items()}, bases, where)
        return slice(*parts)
    if isinstance(base, dict):
        for v in moved.values():
            if not isinstance(v, dict) or set(v) != set(base):
                raise MergeError(f"{where}: the traces disagree on {sorted(base)}")
        return {k: merge(base[k], {s: v[k] for s, v in moved.items()}, bases, f"{where}.{k}") for k in base}
    for v in moved.values():
        if not isinstance(v, (tuple, list)) or len(v) != len(base):
            raise MergeError(f"{where}: {base!r} has another length when a dynamic axis changes size; "
                             f"export with that axis static")
    out = [merge(b, {s: v[i] for s, v in moved.items()}, bases, where) for i, b in enumerate(base)]
    return tuple(out) if isinstance(base, tuple) else out
