"""``hw.graph``: graph analytics on edge-list frames, with cuGraph's names and defaults.

Build a :class:`Graph` from a frame with ``Graph(directed=...).from_edgelist(df,
source=, destination=, weight=)``; every algorithm takes the graph and returns a
DataFrame whose ``vertex`` column holds the original vertex ids. The array work is
``xp`` code with sparse products through ``scipy.sparse`` on the CPU and
``cupyx.scipy.sparse`` on the GPU, on the device of the edge list.
"""

from headwater.graph.components import connected_components, weakly_connected_components
from headwater.graph.cores import core_number, k_core
from headwater.graph.degree import degree, degrees, in_degree, out_degree
from headwater.graph.errors import (
    ConvergenceError,
    EdgeColumnError,
    GraphError,
    NegativeWeightError,
    NullVertexError,
    UndirectedOnlyError,
    VertexNotFoundError,
)
from headwater.graph.graph import Graph
from headwater.graph.hits import hits
from headwater.graph.jaccard import jaccard, jaccard_coefficient
from headwater.graph.louvain import louvain
from headwater.graph.pagerank import pagerank
from headwater.graph.scc import strongly_connected_components
from headwater.graph.sssp import shortest_path, sssp
from headwater.graph.traversal import bfs
from headwater.graph.triangles import triangle_count

__all__ = [
    "Graph", "bfs", "connected_components", "core_number", "degree", "degrees", "hits", "in_degree",
    "jaccard", "jaccard_coefficient", "k_core", "louvain", "out_degree", "pagerank", "shortest_path", "sssp",
    "strongly_connected_components", "triangle_count", "weakly_connected_components",
    "ConvergenceError", "EdgeColumnError", "GraphError", "NegativeWeightError", "NullVertexError",
    "UndirectedOnlyError", "VertexNotFoundError",
]
