"""Vertex renumbering: original ids of any key dtype <-> dense ids ``0..n-1``.

The source and destination columns are stacked and factorized with the frame's own
factorize (sorted), so vertex ``i`` is the ``i``-th smallest original id. Results
gather the original values back; an internal id of -1 becomes a null.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.column import Column, column_from_host
from headwater.dataframe.column.cast import concat_columns
from headwater.dataframe.unique import factorize_column
from headwater.graph.errors import NullVertexError, VertexNotFoundError
from headwater.tensor.transfer import to_host

__all__ = ["renumber", "check_no_nulls", "lookup"]


def renumber(src: Column, dst: Column, names: tuple[str, str]) -> tuple[Any, Any, Column]:
    """(src ids, dst ids, vertex column): dense int64 ids and the sorted original ids.

    Raises
    ------
    NullVertexError
        A source or destination row is null (a null is no vertex).
    """
    check_no_nulls(src, dst, names)
    both = concat_columns([src, dst])
    ids, vertices = factorize_column(both, sort=True)
    n_edges = len(src)
    return ids[:n_edges], ids[n_edges:], vertices


def check_no_nulls(src: Column, dst: Column, names: tuple[str, str]) -> None:
    """Raise :class:`NullVertexError` naming the column that holds a null vertex id."""
    for col, name in zip((src, dst), names):
        valid = col.missing_mask()  # NaN in a float id column is missing too
        nulls = 0 if valid is None else len(col) - int(to_host(col.xp.count_nonzero(valid)))
        if nulls:
            raise NullVertexError(
                f"Graph.from_edgelist: column {name!r} holds {nulls} null vertex id(s); an edge needs "
                f"two vertices: drop those rows first (df.dropna(subset=[{name!r}])) or fill them"
            )


def lookup(vertices: Column, values: Any, algorithm: str, argument: str) -> Any:
    """Internal int64 ids of ``values`` (a scalar, list, Series or Column) in ``vertices``.

    Raises
    ------
    VertexNotFoundError
        A value is not a vertex of the graph (or is null).
    """
    col = _as_column(values, vertices)
    xp = vertices.xp
    n = len(vertices)
    try:
        both = concat_columns([vertices, col])
    except (TypeError, ValueError) as exc:
        raise VertexNotFoundError(
            f"{algorithm}: {argument}={_shown(values)} cannot be a vertex: the graph's vertex ids are "
            f"{vertices.dtype} ({exc}); pass ids of that dtype"
        ) from None
    ids, uniques = factorize_column(both, sort=False)
    table = xp.full(len(uniques) + 1, -1, dtype=xp.int64)
    table[ids[:n]] = xp.arange(n, dtype=xp.int64)
    found = xp.take(table, ids[n:])  # a null query has id -1, which reads the last slot: -1
    missing = found < 0
    if bool(to_host(xp.any(missing))):
        bad = col.filter(missing).to_arrow().to_pylist()[:5]
        raise VertexNotFoundError(
            f"{algorithm}: {argument} names {bad} which {'is' if len(bad) == 1 else 'are'} not a vertex "
            f"of the graph; pass ids that appear in the edge list's source or destination column"
        )
    return found


def _as_column(values: Any, like: Column) -> Column:
    if isinstance(values, Column):
        return values
    column = getattr(values, "_column", None)  # a Series
    if isinstance(column, Column):
        return column
    if isinstance(values, (list, tuple)):
        host = list(values)
    else:
        host = [values]
    return column_from_host(host, device=like.device)


def _shown(values: Any) -> str:
    text = repr(values)
    return text if len(text) < 60 else text[:57] + "..."
