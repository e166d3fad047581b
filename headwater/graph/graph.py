"""``hw.graph.Graph``: cuGraph's graph object, built from an edge-list frame."""

from __future__ import annotations

from typing import Any

from headwater.dataframe.column import Column, build_column
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series
from headwater.graph.adjacency import Adjacency
from headwater.graph.errors import EdgeColumnError, GraphError
from headwater.graph.vertices import check_no_nulls, lookup, renumber
from headwater.tensor.transfer import to_host

__all__ = ["Graph"]


class Graph:
    """A graph on the device, with cuGraph's constructor and ``from_edgelist``.

    Vertex ids may be of any key dtype (integers, strings, ...): they are renumbered
    with the frame's factorize, and every result names vertices by their original
    values. An undirected graph stores each edge once and reads it both ways. As in
    NetworkX's ``Graph``/``DiGraph``, a repeated edge is one edge, with the weight of
    its last row (cuGraph leaves duplicates to the caller).

    Parameters
    ----------
    m_graph : None
        cuGraph's multigraph conversion; not supported here (must be None).
    directed : bool, default False
        Whether edges have a direction.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"src": ["a", "b", "c"], "dst": ["b", "c", "a"]})
    >>> G = hw.graph.Graph().from_edgelist(df, source="src", destination="dst")
    >>> G.number_of_vertices(), G.number_of_edges(), G.is_directed()
    (3, 3, False)
    """

    def __init__(self, m_graph: Any = None, directed: bool = False) -> None:
        if m_graph is not None:
            raise NotImplementedError(
                "Graph(m_graph=...) converts a cuGraph MultiGraph, which Headwater does not have; "
                "build the graph with from_edgelist instead"
            )
        self.directed = bool(directed)
        self._vertices: Column | None = None

    # -- construction -------------------------------------------------------------------
    def from_edgelist(self, input_df: Any, source: str = "source", destination: str = "destination",
                      edge_attr: str | None = None, weight: str | None = None, renumber: bool = True) -> Graph:
        """Fill the graph from the edge list in ``input_df``; returns the graph itself.

        Parameters
        ----------
        input_df : DataFrame
            One row per edge (a pandas DataFrame is converted first).
        source, destination : str
            Column names of the edge ends (cuGraph's defaults ``"source"`` and
            ``"destination"``).
        edge_attr, weight : str, optional
            The weight column (either name; cuGraph accepts both). Weights must be
            numeric and non-null; an unweighted graph has weight 1 on every edge.
        renumber : bool, default True
            With False the ids must be non-negative integers and the vertices are
            ``0..max(id)``, so ids missing from the edge list are isolated vertices.

        Returns
        -------
        Graph
            ``self``, so that ``Graph().from_edgelist(df)`` chains.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"source": [0, 1], "destination": [1, 2], "w": [0.5, 2.0]})
        >>> G = hw.graph.Graph(directed=True).from_edgelist(df, weight="w")
        >>> G.is_weighted(), G.number_of_edges()
        (True, 2)
        """
        if self._vertices is not None:
            raise GraphError("Graph.from_edgelist: this graph already has edges; make a new hw.graph.Graph()")
        frame = _as_frame(input_df)
        if edge_attr is not None and weight is not None:
            raise TypeError("Graph.from_edgelist: pass the weight column as weight= or edge_attr=, not both")
        weight = weight if weight is not None else edge_attr
        src_col = _edge_column(frame, source, "source")
        dst_col = _edge_column(frame, destination, "destination")
        w_col = None if weight is None else _edge_column(frame, weight, "weight")
        if renumber:
            src, dst, vertices = _renumber(src_col, dst_col, (source, destination))
        else:
            src, dst, vertices = _identity_ids(src_col, dst_col, (source, destination))
        self._vertices = vertices
        self._names = (source, destination, weight)
        self._build(src, dst, _weights(w_col, weight), w_col)
        return self

    def from_pandas_edgelist(self, pdf: Any, source: str = "source", destination: str = "destination",
                             edge_attr: str | None = None, weight: str | None = None,
                             renumber: bool = True) -> Graph:
        """:meth:`from_edgelist` on a pandas DataFrame (moved to the default device, counted)."""
        return self.from_edgelist(DataFrame(pdf), source, destination, edge_attr, weight, renumber)

    def _build(self, src: Any, dst: Any, w: Any, w_col: Column | None) -> None:
        backend = self._vertices.backend
        xp = backend.xp
        n = len(self._vertices)
        a, b = (src, dst) if self.directed else (xp.minimum(src, dst), xp.maximum(src, dst))
        key = a * n + b
        order = backend.stable_argsort(key)
        sorted_key = xp.take(key, order)
        last = xp.concatenate([sorted_key[1:] != sorted_key[:-1], xp.ones(min(1, len(key)), dtype=bool)])
        keep = order[last]  # the last row of each repeated edge (the sort is stable)
        self._src, self._dst = xp.take(src, keep), xp.take(dst, keep)
        self._weights = None if w is None else xp.take(w, keep)
        self._weight_column = None if w_col is None else w_col.take(keep, checked=True)
        self._self_loops = self._src == self._dst
        if self.directed:
            self._out = Adjacency(backend, self._src, self._dst, self._weights, n)
            self._in: Adjacency | None = None
        else:
            other = ~self._self_loops  # a self loop is stored once
            rows = xp.concatenate([self._src, self._dst[other]])
            cols = xp.concatenate([self._dst, self._src[other]])
            vals = None if self._weights is None else xp.concatenate([self._weights, self._weights[other]])
            self._out = Adjacency(backend, rows, cols, vals, n)
            self._in = self._out

    # -- structure ----------------------------------------------------------------------
    def _checked(self, what: str) -> Graph:
        if self._vertices is None:
            raise GraphError(f"{what}: the graph has no edges yet; call G.from_edgelist(df, source=, destination=)")
        return self

    @property
    def xp(self) -> Any:
        """The array namespace of the graph's device."""
        return self._checked("Graph.xp")._vertices.xp

    def out_adjacency(self) -> Adjacency:
        """Out-edges grouped by source (both directions for an undirected graph)."""
        return self._checked("Graph.out_adjacency")._out

    def in_adjacency(self) -> Adjacency:
        """In-edges grouped by destination (built on first use for a directed graph)."""
        self._checked("Graph.in_adjacency")
        if self._in is None:
            self._in = Adjacency(self._vertices.backend, self._dst, self._src, self._weights, len(self._vertices))
        return self._in

    def is_directed(self) -> bool:
        """Whether edges have a direction."""
        return self.directed

    def is_weighted(self) -> bool:
        """Whether the edge list had a weight column."""
        return self._checked("Graph.is_weighted")._weights is not None

    def number_of_vertices(self) -> int:
        """Number of vertices."""
        return len(self._checked("Graph.number_of_vertices")._vertices)

    number_of_nodes = number_of_vertices

    def number_of_edges(self) -> int:
        """Number of distinct edges (an undirected edge counts once)."""
        return int(self._checked("Graph.number_of_edges")._src.shape[0])

    def nodes(self) -> Series:
        """The vertex ids, ascending, in their original dtype.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"source": ["y", "x"], "destination": ["z", "y"]})
        >>> hw.graph.Graph().from_edgelist(df).nodes().to_list()
        ['x', 'y', 'z']
        """
        return Series._from_column(self._checked("Graph.nodes")._vertices, "vertex")

    def has_node(self, n: Any) -> bool:
        """Whether ``n`` is a vertex of the graph."""
        self._checked("Graph.has_node")
        try:
            lookup(self._vertices, n, "Graph.has_node", "n")
        except GraphError:
            return False
        return True

    def view_edge_list(self) -> DataFrame:
        """The distinct edges with the edge list's own column names and dtypes.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"source": [1, 0, 1], "destination": [0, 1, 2]})
        >>> hw.graph.Graph().from_edgelist(df).view_edge_list().shape
        (2, 2)
        """
        self._checked("Graph.view_edge_list")
        source, destination, weight = self._names
        cols = {source: self.vertex_column(self._src), destination: self.vertex_column(self._dst)}
        if weight is not None:
            cols[weight] = self._weight_column
        return DataFrame._from_columns(cols)

    edges = view_edge_list

    # -- degrees (cuGraph has them as methods) ------------------------------------------
    def degree(self, vertex_subset: Any = None) -> DataFrame:
        """``vertex``, ``degree``: see :func:`headwater.graph.degree`."""
        from headwater.graph.degree import degree

        return degree(self, vertex_subset)

    def in_degree(self, vertex_subset: Any = None) -> DataFrame:
        """``vertex``, ``degree``: see :func:`headwater.graph.in_degree`."""
        from headwater.graph.degree import in_degree

        return in_degree(self, vertex_subset)

    def out_degree(self, vertex_subset: Any = None) -> DataFrame:
        """``vertex``, ``degree``: see :func:`headwater.graph.out_degree`."""
        from headwater.graph.degree import out_degree

        return out_degree(self, vertex_subset)

    def degrees(self, vertex_subset: Any = None) -> DataFrame:
        """``vertex``, ``in_degree``, ``out_degree``: see :func:`headwater.graph.degrees`."""
        from headwater.graph.degree import degrees

        return degrees(self, vertex_subset)

    # -- results ------------------------------------------------------------------------
    def vertex_column(self, ids: Any = None) -> Column:
        """Original vertex ids at internal ``ids`` (all vertices when None; -1 gives null)."""
        self._checked("Graph.vertex_column")
        if ids is None:
            return self._vertices
        return self._vertices.take(ids, allow_missing=True, checked=True)

    def lookup(self, values: Any, algorithm: str, argument: str) -> Any:
        """Internal ids of vertex values; :class:`VertexNotFoundError` names what is missing."""
        return lookup(self._checked(algorithm)._vertices, values, algorithm, argument)

    def result(self, columns: dict[str, Any], ids: Any = None) -> DataFrame:
        """A frame with ``vertex`` first, then ``columns`` (xp arrays, or ``(data, valid)``)."""
        out = {"vertex": self.vertex_column(ids)}
        for name, value in columns.items():
            if isinstance(value, Column):
                out[name] = value
            elif isinstance(value, tuple):
                out[name] = build_column(value[0], value[1])
            else:
                out[name] = build_column(value)
        return DataFrame._from_columns(out)

    def __repr__(self) -> str:
        if self._vertices is None:
            return f"<hw.graph.Graph directed={self.directed}, empty>"
        return (f"<hw.graph.Graph directed={self.directed} vertices={self.number_of_vertices()} "
                f"edges={self.number_of_edges()} on {self._vertices.device}>")


def _as_frame(df: Any) -> DataFrame:
    if isinstance(df, DataFrame):
        return df
    if type(df).__module__.startswith("pandas"):
        return DataFrame(df)
    raise TypeError(f"Graph.from_edgelist: input_df must be a hw.DataFrame (or a pandas DataFrame), "
                    f"got {type(df).__name__}")


def _edge_column(frame: DataFrame, name: Any, argument: str) -> Column:
    if isinstance(name, (list, tuple)):
        raise NotImplementedError(
            f"Graph.from_edgelist: {argument}={list(name)!r} names several columns; vertex ids are one "
            f"column here: combine them first (for example with str.cat) and pass its name"
        )
    if name not in frame.columns:
        raise EdgeColumnError(
            f"Graph.from_edgelist: {argument}={name!r} is not a column of the edge list (columns: "
            f"{frame.columns}); pass {argument}= the name of the column that holds the "
            f"{'edge weights' if argument == 'weight' else argument + ' vertex ids'}"
        )
    return frame._get_column(name)


def _weights(col: Column | None, name: str | None) -> Any:
    if col is None:
        return None
    if col.kind not in ("int", "uint", "float", "bool"):
        raise TypeError(f"Graph.from_edgelist: weight column {name!r} is {col.dtype}; weights must be numeric: "
                        f"cast it with df[{name!r}].astype('float64')")
    if col.missing_mask() is not None and bool(to_host(col.xp.any(~col.missing_mask()))):
        raise GraphError(f"Graph.from_edgelist: weight column {name!r} holds nulls or NaN; every edge needs a "
                         f"weight: fill them (df[{name!r}].fillna(1.0)) or drop those rows")
    return col.data.astype(col.xp.float64)


def _renumber(src: Column, dst: Column, names: tuple[str, str]) -> tuple[Any, Any, Column]:
    return renumber(src, dst, names)


def _identity_ids(src: Column, dst: Column, names: tuple[str, str]) -> tuple[Any, Any, Column]:
    """``renumber=False``: integer ids are the vertex numbers, vertices ``0..max``."""
    xp = src.xp
    check_no_nulls(src, dst, names)
    for col, name in zip((src, dst), names):
        if col.kind not in ("int", "uint"):
            raise TypeError(f"Graph.from_edgelist(renumber=False): column {name!r} is {col.dtype}; ids must be "
                            f"integers 0..V-1 without renumbering: pass renumber=True")
    a, b = src.data.astype(xp.int64), dst.data.astype(xp.int64)
    if len(a) and int(to_host(xp.minimum(a.min(), b.min()))) < 0:
        raise GraphError("Graph.from_edgelist(renumber=False): vertex ids must be non-negative; "
                         "pass renumber=True for arbitrary ids")
    n = int(to_host(xp.maximum(a.max(), b.max()))) + 1 if len(a) else 0
    return a, b, build_column(xp.arange(n, dtype=src.data.dtype))
