"""Flattening nested call arguments and results (tuples, lists, dicts) to their
leaves and back."""

from __future__ import annotations

from typing import Any

__all__ = ["flatten", "unflatten"]


def flatten(obj: Any) -> tuple[list, Any]:
    """The leaves of ``obj`` (in order) and a hashable spec that :func:`unflatten`
    rebuilds from.

    Examples
    --------
    >>> leaves, spec = flatten((1, [2, {"a": 3}]))
    >>> leaves, unflatten(spec, [x * 10 for x in leaves])
    ([1, 2, 3], (10, [20, {'a': 30}]))
    """
    leaves: list = []
    return leaves, _flatten(obj, leaves)


def _flatten(obj: Any, leaves: list) -> Any:
    if type(obj) in (tuple, list):
        return (type(obj), tuple(_flatten(x, leaves) for x in obj))
    if type(obj) is dict:
        return (dict, tuple((k, _flatten(v, leaves)) for k, v in obj.items()))
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple
        return (type(obj), tuple(_flatten(x, leaves) for x in obj))
    leaves.append(obj)
    return None


def unflatten(spec: Any, leaves: list) -> Any:
    """Rebuild the structure ``spec`` (from :func:`flatten`) around new leaves."""
    it = iter(leaves)
    return _build(spec, it)


def _build(spec: Any, it: Any) -> Any:
    if spec is None:
        return next(it)
    kind, items = spec
    if kind is dict:
        return {k: _build(s, it) for k, s in items}
    values = [_build(s, it) for s in items]
    if kind is list:
        return values
    if kind is tuple:
        return tuple(values)
    return kind(*values)
