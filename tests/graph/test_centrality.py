"""pagerank and hits against NetworkX (to 1e-6 and tighter), their options and errors."""

from __future__ import annotations

import pytest

import headwater as hw
from graph.helpers import both, by_vertex, karate, string_graph, weighted_digraph

import networkx as nx


def close(ours: dict, ref: dict, tol: float) -> None:
    assert set(ours) == set(ref)
    worst = max(abs(ours[v] - ref[v]) for v in ref)
    assert worst < tol, worst


@pytest.mark.parametrize("weighted", [False, True])
def test_pagerank_on_the_karate_club(weighted):
    G, ref = karate(weighted)
    ours = by_vertex(hw.graph.pagerank(G, tol=1e-10, max_iter=500), "pagerank")
    close(ours, nx.pagerank(ref, tol=1e-12, max_iter=500), 1e-6)
    # the same stopping rule as NetworkX's: with equal tol the iterates are the same
    close(by_vertex(hw.graph.pagerank(G, tol=1e-6), "pagerank"), nx.pagerank(ref, tol=1e-6), 1e-12)


def test_pagerank_on_a_weighted_digraph_with_dangling_vertices():
    G, ref = weighted_digraph(seed=3, n=80, m=160)
    assert any(ref.out_degree(v) == 0 for v in ref)
    close(by_vertex(hw.graph.pagerank(G, tol=1e-10, max_iter=500), "pagerank"),
          nx.pagerank(ref, tol=1e-12, max_iter=500), 1e-6)


def test_pagerank_with_personalization_and_nstart_on_string_ids():
    G, ref = both(string_graph(50, 150, 4), directed=True)
    people = sorted(ref.nodes)[:4]
    values = [1.0, 2.0, 3.0, 4.0]
    pers = hw.DataFrame({"vertex": people, "values": values})
    ours = by_vertex(hw.graph.pagerank(G, personalization=pers, tol=1e-10, max_iter=500), "pagerank")
    close(ours, nx.pagerank(ref, personalization=dict(zip(people, values)), tol=1e-12, max_iter=500), 1e-6)
    start = hw.DataFrame({"vertex": people, "values": values})
    close(by_vertex(hw.graph.pagerank(G, nstart=start, tol=1e-10, max_iter=500), "pagerank"),
          nx.pagerank(ref, tol=1e-12, max_iter=500), 1e-6)


def test_pagerank_convergence_and_bad_arguments():
    G, _ = karate()
    with pytest.raises(hw.graph.ConvergenceError, match="max_iter=2"):
        hw.graph.pagerank(G, max_iter=2)
    frame, converged = hw.graph.pagerank(G, max_iter=2, fail_on_nonconvergence=False)
    assert converged is False and frame.columns == ["vertex", "pagerank"]
    with pytest.raises(ValueError, match="alpha"):
        hw.graph.pagerank(G, alpha=1.0)
    with pytest.raises(hw.graph.VertexNotFoundError, match=r"personalization\['vertex'\]"):
        hw.graph.pagerank(G, personalization=hw.DataFrame({"vertex": [77], "values": [1.0]}))
    with pytest.raises(KeyError, match="'vertex' and 'values'"):
        hw.graph.pagerank(G, personalization=hw.DataFrame({"v": [1], "values": [1.0]}))
    with pytest.raises(TypeError, match="weight= is deprecated"):
        hw.graph.pagerank(G, weight="w")
    with pytest.raises(NotImplementedError, match="personalization="):
        hw.graph.pagerank(G, dangling={0: 1.0})


def test_precomputed_out_weights_are_used():
    G, ref = karate()
    deg = hw.graph.degree(G)
    sums = hw.DataFrame({"vertex": deg["vertex"], "sums": deg["degree"].astype("float64")})
    a = by_vertex(hw.graph.pagerank(G, precomputed_vertex_out_weight=sums, tol=1e-10), "pagerank")
    close(a, nx.pagerank(ref, tol=1e-12), 1e-6)


@pytest.mark.parametrize("graph", ["karate", "digraph"])
def test_hits_matches_networkx(graph):
    G, ref = karate(weighted=True) if graph == "karate" else weighted_digraph(seed=5, n=40, m=200)
    r = hw.graph.hits(G, max_iter=5000, tol=1e-13)
    hubs, auth = nx.hits(ref, max_iter=5000, tol=1e-13)
    close(by_vertex(r, "hubs"), hubs, 1e-6)
    close(by_vertex(r, "authorities"), auth, 1e-6)
    with pytest.raises(hw.graph.ConvergenceError, match="hits"):
        hw.graph.hits(G, max_iter=1, tol=1e-15)
