"""The errors of ``hw.graph``: each names the algorithm, the argument and the fix."""

from __future__ import annotations

__all__ = [
    "GraphError",
    "NullVertexError",
    "NegativeWeightError",
    "VertexNotFoundError",
    "EdgeColumnError",
    "UndirectedOnlyError",
    "ConvergenceError",
]


class GraphError(ValueError):
    """Base class of the graph errors (a ``ValueError``)."""


class NullVertexError(GraphError):
    """An edge list holds a null vertex id."""


class NegativeWeightError(GraphError):
    """A shortest-path search met a negative edge weight."""


class VertexNotFoundError(GraphError, KeyError):
    """A vertex named by an argument (``start``, ``source``, ...) is not in the graph."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class EdgeColumnError(GraphError, KeyError):
    """``source=``, ``destination=`` or ``weight=`` names a column the frame lacks."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UndirectedOnlyError(GraphError):
    """The algorithm is defined here for undirected graphs only."""


class ConvergenceError(GraphError):
    """A power iteration did not converge within ``max_iter``."""


def undirected_only(G: object, algorithm: str) -> None:
    """Raise :class:`UndirectedOnlyError` when ``G`` is directed."""
    if getattr(G, "directed", False):
        raise UndirectedOnlyError(
            f"{algorithm}: G is directed, and {algorithm} is defined for undirected graphs; "
            f"build the graph with hw.graph.Graph(directed=False).from_edgelist(...)"
        )
