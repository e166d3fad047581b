"""Arithmetic, comparison and logical operators of hwd.DataFrame and hwd.Series, partition by partition.

Operands combine partition ``i`` with partition ``i`` by position: both must come from
the same collection (as ``d["a"] + d["b"]`` or ``d[d["a"] > 0]`` do), or be scalars.
"""

from __future__ import annotations

import operator
from typing import Any

from headwater.dask import collection
from headwater.dask.partition import positional

__all__ = ["Operators", "elementwise"]

_BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor"]
_COMPARE = ["eq", "ne", "lt", "le", "gt", "ge"]


def elementwise(name: str, reflected: bool, left: Any, right: Any) -> Any:
    """``left <op> right`` on partitions (positional rows), ``right <op> left`` when reflected."""
    func = getattr(operator, f"{name}_" if name in ("and", "or") else name)
    left = positional(left) if hasattr(left, "_keys") else left
    right = positional(right) if hasattr(right, "_keys") else right
    return func(right, left) if reflected else func(left, right)


def unary(name: str, obj: Any) -> Any:
    return getattr(operator, name)(obj)


def _binary_method(name: str, reflected: bool) -> Any:
    def method(self: Any, other: Any) -> Any:
        if not isinstance(other, collection.Collection) and hasattr(other, "_keys"):
            raise TypeError(f"cannot combine a partitioned collection with an in-memory Headwater "
                            f"{type(other).__name__} by position; wrap it with hwd.from_headwater or use merge")
        return collection.partitionwise(elementwise, name, reflected, self, other, prefix=name)

    method.__name__ = f"__{'r' if reflected else ''}{name}__"
    return method


def _unary_method(name: str) -> Any:
    def method(self: Any) -> Any:
        return collection.partitionwise(unary, name, self, prefix=name)

    method.__name__ = f"__{name}__"
    return method


class Operators:
    """Operator dunders that build partition-wise layers (mixed into both collections)."""


for _name in _BINARY:
    setattr(Operators, f"__{_name}__", _binary_method(_name, False))
    setattr(Operators, f"__r{_name}__", _binary_method(_name, True))
for _name in _COMPARE:
    setattr(Operators, f"__{_name}__", _binary_method(_name, False))
for _name in ("neg", "pos", "invert", "abs"):
    setattr(Operators, f"__{_name}__", _unary_method(_name))
