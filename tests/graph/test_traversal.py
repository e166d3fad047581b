"""bfs and sssp against NetworkX: exact distances, valid predecessors, nulls where unreachable."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from graph.helpers import both, by_vertex, karate, string_graph, weighted_digraph


def check_tree(ref: nx.Graph, result: hw.DataFrame, starts: set, expected: dict, weight: str | None = None):
    """Distances equal NetworkX's, unreachable vertices are null, predecessors form shortest-path trees."""
    dist, pred = by_vertex(result, "distance"), by_vertex(result, "predecessor")
    assert set(dist) == set(ref.nodes)
    for v in ref.nodes:
        if v not in expected:
            assert dist[v] is None and pred[v] is None
            continue
        if weight is None:
            assert dist[v] == expected[v]
        else:
            assert math.isclose(dist[v], expected[v], rel_tol=1e-12, abs_tol=1e-12)
        if v in starts:
            assert pred[v] is None and dist[v] == 0
            continue
        u = pred[v]
        assert ref.has_edge(u, v)
        step = 1 if weight is None else ref[u][v][weight]
        assert math.isclose(dist[u] + step, dist[v], rel_tol=1e-12)


def test_bfs_on_the_karate_club():
    G, ref = karate()
    for start in (0, 33, 16):
        check_tree(ref, hw.graph.bfs(G, start=start), {start}, nx.single_source_shortest_path_length(ref, start))


@pytest.mark.parametrize("seed", range(3))
def test_bfs_on_random_digraphs_with_string_ids(seed):
    G, ref = both(string_graph(80, 120, seed), directed=True)
    start = "v1" if "v1" in ref else next(iter(ref.nodes))
    check_tree(ref, hw.graph.bfs(G, start), {start}, nx.single_source_shortest_path_length(ref, start))


def test_bfs_depth_limit_and_several_starts():
    G, ref = both(string_graph(60, 90, 11))
    starts = sorted(ref.nodes)[:3]
    expected = nx.multi_source_dijkstra_path_length(ref, set(starts))
    check_tree(ref, hw.graph.bfs(G, start=starts), set(starts), expected)
    limited = {v: d for v, d in nx.single_source_shortest_path_length(ref, starts[0], cutoff=2).items()}
    check_tree(ref, hw.graph.bfs(G, starts[0], depth_limit=2), {starts[0]}, limited)


def test_bfs_without_predecessors_and_bad_starts():
    G, ref = karate()
    r = hw.graph.bfs(G, 0, return_predecessors=False)
    assert r["predecessor"].isna().all() and r["distance"].max() == nx.eccentricity(ref, 0)
    assert hw.graph.bfs(G, i_start=0)["distance"].to_list() == hw.graph.bfs(G, 0)["distance"].to_list()
    with pytest.raises(hw.graph.VertexNotFoundError, match=r"bfs: start names \[99\] .*not a vertex"):
        hw.graph.bfs(G, 99)
    with pytest.raises(hw.graph.VertexNotFoundError, match="bfs: start"):
        hw.graph.bfs(G, "zero")
    with pytest.raises(TypeError, match="start= is required"):
        hw.graph.bfs(G)
    with pytest.raises(ValueError, match="depth_limit"):
        hw.graph.bfs(G, 0, depth_limit=-1)


def test_sssp_on_a_weighted_digraph():
    G, ref = weighted_digraph()
    for source in (0, 5):
        expected = nx.single_source_dijkstra_path_length(ref, source)
        check_tree(ref, hw.graph.sssp(G, source), {source}, expected, weight="weight")


def test_sssp_on_the_weighted_karate_club_and_cutoff():
    G, ref = karate(weighted=True)
    check_tree(ref, hw.graph.sssp(G, 0), {0}, nx.single_source_dijkstra_path_length(ref, 0), weight="weight")
    near = nx.single_source_dijkstra_path_length(ref, 0, cutoff=3.0)
    check_tree(ref, hw.graph.sssp(G, 0, cutoff=3.0), {0}, near, weight="weight")


def test_sssp_unweighted_is_hops_and_errors_name_the_fix():
    G, ref = karate()
    r = hw.graph.sssp(G, source=0)
    assert by_vertex(r, "distance") == {v: float(d) for v, d in nx.single_source_shortest_path_length(ref, 0).items()}
    neg = hw.graph.Graph(directed=True).from_edgelist(
        hw.DataFrame({"source": [0, 1], "destination": [1, 2], "w": [1.0, -2.0]}), weight="w")
    with pytest.raises(hw.graph.NegativeWeightError, match=r"sssp: the graph has a negative edge weight \(-2.0\).*clip"):
        hw.graph.sssp(neg, 0)
    with pytest.raises(hw.graph.VertexNotFoundError, match="sssp: source"):
        hw.graph.sssp(G, 34)
    with pytest.raises(NotImplementedError, match="method='dijkstra'"):
        hw.graph.sssp(G, 0, method="dijkstra")
    with pytest.raises(TypeError, match="source= is required"):
        hw.graph.sssp(G)


edge_lists = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(1, 9)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(edges=edge_lists, directed=st.booleans())
def test_traversals_on_random_small_graphs(edges, directed):
    pairs = [(u, v) for u, v, _ in edges]
    weights = [float(w) for _, _, w in edges]
    G, ref = both(pairs, weights, directed=directed)
    start = pairs[0][0]
    check_tree(ref, hw.graph.bfs(G, start), {start}, nx.single_source_shortest_path_length(ref, start))
    check_tree(ref, hw.graph.sssp(G, start), {start}, nx.single_source_dijkstra_path_length(ref, start),
               weight="weight")
