"""A process-wide counter of module structure changes, so that ``hw.compile`` can tell
in O(1) that no module's parameters, buffers, children or training flag changed.

Every registry of a :class:`~headwater.autograd.nn.Module` (``_parameters``,
``_buffers``, ``_modules``) is a :class:`VersionedDict`, whose every mutation bumps
the counter; setting ``training`` (``m.training = ...``, ``train()``, ``eval()``) bumps
it too. A reader saves :func:`current` and walks the modules again only when the
counter has moved.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

__all__ = ["VersionedDict", "bump", "current"]

_version = [0]


def bump() -> None:
    """Record that some module's structure or training flag changed."""
    _version[0] += 1


def current() -> int:
    """The counter's value (it only grows).

    Examples
    --------
    >>> before = current()
    >>> d = VersionedDict(); d["w"] = 1
    >>> current() > before
    True
    """
    return _version[0]


class VersionedDict(OrderedDict):
    """An ``OrderedDict`` whose every mutation bumps the structure counter."""

    __slots__ = ()

    def __setitem__(self, key: Any, value: Any) -> None:
        _version[0] += 1
        OrderedDict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        _version[0] += 1
        OrderedDict.__delitem__(self, key)

    def __ior__(self, other: Any) -> VersionedDict:
        _version[0] += 1
        return OrderedDict.__ior__(self, other)

    def pop(self, *args: Any) -> Any:
        _version[0] += 1
        return OrderedDict.pop(self, *args)

    def popitem(self, last: bool = True) -> Any:
        _version[0] += 1
        return OrderedDict.popitem(self, last)

    def clear(self) -> None:
        _version[0] += 1
        OrderedDict.clear(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        _version[0] += 1
        OrderedDict.update(self, *args, **kwargs)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        _version[0] += 1
        return OrderedDict.setdefault(self, key, default)

    def move_to_end(self, key: Any, last: bool = True) -> None:
        _version[0] += 1
        OrderedDict.move_to_end(self, key, last)
