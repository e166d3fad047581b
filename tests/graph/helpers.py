"""Graphs built twice, as a Headwater Graph and as a NetworkX graph, from one edge list."""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

import headwater as hw


def edge_frame(edges: list[tuple[Any, Any]], weights: list[float] | None = None) -> hw.DataFrame:
    data: dict[str, list[Any]] = {"src": [u for u, _ in edges], "dst": [v for _, v in edges]}
    if weights is not None:
        data["w"] = weights
    return hw.DataFrame(data)


def both(edges: list[tuple[Any, Any]], weights: list[float] | None = None,
         directed: bool = False) -> tuple[hw.graph.Graph, nx.Graph]:
    """(Headwater graph, NetworkX graph) over the same edges (the last weight of a repeat wins in both)."""
    G = hw.graph.Graph(directed=directed).from_edgelist(
        edge_frame(edges, weights), source="src", destination="dst", weight=None if weights is None else "w")
    ref = nx.DiGraph() if directed else nx.Graph()
    if weights is None:
        ref.add_edges_from(edges)
    else:
        ref.add_weighted_edges_from([(u, v, w) for (u, v), w in zip(edges, weights)])
    return G, ref


def karate(weighted: bool = False) -> tuple[hw.graph.Graph, nx.Graph]:
    K = nx.karate_club_graph()
    edges = [(u, v) for u, v in K.edges()]
    weights = [float(K[u][v]["weight"]) for u, v in edges] if weighted else None
    return both(edges, weights)


def string_graph(n: int, m: int, seed: int, directed: bool = False) -> list[tuple[str, str]]:
    """A random edge list over string ids (repeats and self loops included)."""
    rng = random.Random(seed)
    return [(f"v{rng.randrange(n)}", f"v{rng.randrange(n)}") for _ in range(m)]


def weighted_digraph(seed: int = 7, n: int = 60, m: int = 240) -> tuple[hw.graph.Graph, nx.DiGraph]:
    rng = random.Random(seed)
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(m)]
    weights = [round(rng.uniform(0.1, 10.0), 3) for _ in edges]
    return both(edges, weights, directed=True)


def by_vertex(frame: hw.DataFrame, column: str) -> dict[Any, Any]:
    return dict(zip(frame["vertex"].to_list(), frame[column].to_list()))


def partition(frame: hw.DataFrame, column: str) -> set[frozenset[Any]]:
    groups: dict[Any, set[Any]] = {}
    for vertex, label in zip(frame["vertex"].to_list(), frame[column].to_list()):
        groups.setdefault(label, set()).add(vertex)
    return {frozenset(g) for g in groups.values()}
