"""Per-vertex inputs given as frames (``personalization``, ``nstart``, ...), scattered to ids."""

from __future__ import annotations

from typing import Any

from headwater.graph.graph import Graph
from headwater.tensor.transfer import to_host

__all__ = ["vertex_values"]


def vertex_values(G: Graph, frame: Any, algorithm: str, argument: str, value_names: tuple[str, ...] = ("values",),
                  fill: float = 0.0) -> Any:
    """A float64 array over all vertices from a frame of ``vertex`` and a value column.

    Vertices the frame does not name get ``fill``. The value column is the first of
    ``value_names`` that the frame has.
    """
    columns = getattr(frame, "columns", None)
    if columns is None:
        raise TypeError(f"{algorithm}: {argument} must be a DataFrame with columns 'vertex' and "
                        f"{value_names[0]!r}, got {type(frame).__name__}")
    value_name = next((name for name in value_names if name in columns), None)
    if "vertex" not in columns or value_name is None:
        raise KeyError(f"{algorithm}: {argument} needs columns 'vertex' and {value_names[0]!r}, it has {columns}; "
                       f"rename them (df.rename(columns={{...}}))")
    ids = G.lookup(frame["vertex"], algorithm, f"{argument}['vertex']")
    col = frame._get_column(value_name)
    xp = G.xp
    valid = col.missing_mask()
    missing = valid is not None and bool(to_host(xp.any(~valid)))
    if col.kind not in ("int", "uint", "float", "bool") or missing:
        raise TypeError(f"{algorithm}: {argument}[{value_name!r}] must be numeric without nulls, got {col.dtype}"
                        f"{' with missing values' if missing else ''}: fill or drop them first")
    out = xp.full(G.number_of_vertices(), fill, dtype=xp.float64)
    out[ids] = col.data.astype(xp.float64)
    return out
