"""From recorded traces to the nodes the converters see, with symbolic sizes.

The model is traced with :func:`headwater.jit.trace` once on the example inputs and
once more per named dynamic axis, with that axis one larger. The traces must run the
same ops; every size that differs between them (shapes, reshape targets, slice
bounds, the batch sizes of a recurrent op) becomes a :class:`~headwater.onnx.dims.SymDim`
(:func:`headwater.onnx.dims.merge`). A tensor the model creates inside its forward
(the zero initial state of an LSTM) is a constant of the trace; when its shape moves
with an axis and it is filled with one value, it is written as ``ConstantOfShape``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from headwater.onnx.dims import MergeError, merge
from headwater.onnx.errors import OnnxExportError
from headwater.tensor.transfer import to_host

__all__ = ["TraceSet", "host_array"]


def host_array(tensor: Any) -> np.ndarray:
    """A host NumPy copy of a Tensor's data (one counted transfer on a GPU)."""
    data = getattr(tensor, "array", tensor)
    return data if isinstance(data, np.ndarray) else np.asarray(to_host(data))


@dataclass
class TraceSet:
    """The example trace and one trace per dynamic axis (that axis one larger)."""

    base: Any
    moved: dict[str, Any]
    sizes: dict[str, int]

    def check_same_ops(self) -> None:
        base_ops = [n.op for n in self.base.nodes]
        for symbol, graph in self.moved.items():
            ops = [n.op for n in graph.nodes]
            if ops != base_ops:
                at = next((i for i, (a, b) in enumerate(zip(base_ops, ops)) if a != b), min(len(ops), len(base_ops)))
                raise OnnxExportError(
                    f"the model runs other ops when {symbol!r} changes size (from node {at}: "
                    f"{base_ops[at:at + 3]} against {ops[at:at + 3]}), so one graph cannot serve every size; "
                    f"export with {symbol!r} static (leave it out of dynamic_axes)")

    def merged(self, pick: Any, where: str) -> Any:
        """``pick(graph)`` from the example trace, sizes made symbolic against the others."""
        try:
            return merge(pick(self.base), {s: pick(g) for s, g in self.moved.items()}, self.sizes, where)
        except MergeError as exc:
            raise OnnxExportError(str(exc)) from None

    def constant_fill(self, position: int) -> Any:
        """The single value a constant holds in every trace, or None when it holds several."""
        fills = []
        for graph in (self.base, *self.moved.values()):
            data = host_array(graph.constants[position].tensor)
            if data.size == 0:
                return None
            flat = data.reshape(-1)
            if not np.all(flat == flat[0]):
                return None
            fills.append(flat[0])
        return fills[0] if all(f == fills[0] for f in fills) else None
