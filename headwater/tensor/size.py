"""``hw.Size``: the shape of a tensor, a tuple as ``torch.Size`` is."""

from __future__ import annotations

from typing import Any

__all__ = ["Size"]


class Size(tuple):
    """The shape of a tensor: a tuple of ints (``t.shape``, ``t.size()``).

    It is a plain tuple with torch's extras: slicing and ``+`` keep the type, and
    :meth:`numel` gives the number of elements. It prints as a tuple, ``(2, 3)``,
    where torch prints ``torch.Size([2, 3])``.

    Examples
    --------
    >>> import headwater as hw
    >>> s = hw.zeros(2, 3).shape
    >>> s, isinstance(s, tuple), s.numel(), type(s[1:]).__name__
    ((2, 3), True, 6, 'Size')
    >>> hw.Size([4, 5]) == (4, 5)
    True
    """

    __slots__ = ()

    def __new__(cls, sizes: Any = ()) -> Size:
        return super().__new__(cls, (int(n) for n in sizes))

    def numel(self) -> int:
        """The number of elements of a tensor of this shape."""
        out = 1
        for n in self:
            out *= n
        return out

    def __getitem__(self, key: Any) -> Any:
        out = tuple.__getitem__(self, key)
        return Size(out) if isinstance(key, slice) else out

    def __add__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __repr__(self) -> str:
        return tuple.__repr__(self)

    def __reduce__(self) -> tuple:
        return (Size, (tuple(self),))
