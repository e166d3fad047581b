"""The converter table: autograd op name -> the function that writes it as ONNX nodes.

A converter is ``fn(ctx, node)`` returning the ONNX name of each output of the op
(one name, or a list for several). Keys are the ``name`` of the op classes in
:mod:`headwater.autograd.ops` (``"linear"``, ``"lstmsequence"``...), as the trace
records them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["CONVERTERS", "converter"]

CONVERTERS: dict[str, Callable[..., Any]] = {}


def converter(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the converter of the ops ``names``."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            if name in CONVERTERS:
                raise ValueError(f"op {name!r} has two ONNX converters")
            CONVERTERS[name] = fn
        return fn
    return register
