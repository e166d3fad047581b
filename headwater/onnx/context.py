"""What a converter sees: one traced node with symbolic sizes, and the graph being built.

The exporter turns the trace into :class:`ExportNode` records (op name, inputs,
parameters, output shapes and dtypes, the module the op ran in) and calls one
converter per node with a :class:`ConvertContext`, which maps the trace's values to
ONNX value names and knows which of them are constants (weights, buffers), so that
converters can fold them (a transposed weight becomes a new initializer, not a node).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from headwater.onnx.builder import GraphBuilder
from headwater.onnx.dims import Dim
from headwater.onnx.errors import UnsupportedOpError

__all__ = ["Value", "ExportNode", "ConvertContext"]


@dataclass
class Value:
    """A tensor of the exported graph: its ONNX name, symbolic shape, dtype and, for a
    constant, its host value."""

    name: str
    shape: tuple[Dim, ...]
    dtype: np.dtype
    const: Any = None
    producer: ExportNode | None = None

    @property
    def ndim(self) -> int:
        return len(self.shape)


@dataclass
class ExportNode:
    """One op of the trace, as the converters see it.

    ``inputs`` holds a :class:`Value` per tensor argument and the Python value of
    every other argument (a scalar, None); ``params`` are the op's keyword arguments
    with symbolic sizes; ``out_shapes``/``out_dtypes`` describe its outputs.
    """

    op: str
    inputs: list[Any]
    params: dict[str, Any]
    out_shapes: list[tuple[Dim, ...]]
    out_dtypes: list[np.dtype]
    module: str = ""
    index: int = 0
    outputs: list[Value] = field(default_factory=list)

    @property
    def dtype(self) -> np.dtype:
        return self.out_dtypes[0]

    @property
    def shape(self) -> tuple[Dim, ...]:
        return self.out_shapes[0]

    def where(self) -> str:
        return f"op {self.op!r} (node {self.index}) in module {self.module!r}"


class ConvertContext:
    """The builder plus helpers converters share."""

    def __init__(self, builder: GraphBuilder) -> None:
        self.b = builder

    def fail(self, node: ExportNode, problem: str) -> UnsupportedOpError:
        return UnsupportedOpError(f"cannot export {node.where()}: {problem}")

    def tensor(self, x: Any, dtype: Any) -> str:
        """The ONNX name of an input: a Value's name, or a constant for a Python scalar."""
        if isinstance(x, Value):
            return x.name
        return self.b.const(x, dtype)

    def as_dtype(self, x: Any, dtype: Any) -> str:
        """``x`` as a tensor of ``dtype`` (a Cast only when the dtypes differ)."""
        if isinstance(x, Value):
            if x.dtype == np.dtype(dtype):
                return x.name
            if x.const is not None:
                return self.b.initializer(np.asarray(x.const).astype(dtype), "w")
            return self.b.cast(x.name, dtype)
        return self.b.const(x, dtype)

    @staticmethod
    def axis(a: int, ndim: int) -> int:
        return a + ndim if a < 0 else a
