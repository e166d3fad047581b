"""Degrees, triangles, cores and Jaccard against NetworkX."""

from __future__ import annotations

import networkx as nx
import pytest

import headwater as hw
from graph.helpers import both, by_vertex, karate, string_graph


def test_degrees_count_self_loops_twice_as_networkx():
    edges = string_graph(30, 80, 2)
    G, ref = both(edges)
    assert by_vertex(hw.graph.degree(G), "degree") == dict(ref.degree())
    assert by_vertex(G.degree(), "degree") == dict(ref.degree())
    D, dref = both(edges, directed=True)
    assert by_vertex(hw.graph.in_degree(D), "degree") == dict(dref.in_degree())
    assert by_vertex(D.out_degree(), "degree") == dict(dref.out_degree())
    assert by_vertex(hw.graph.degree(D), "degree") == dict(dref.degree())
    both_ways = hw.graph.degrees(D)
    assert by_vertex(both_ways, "in_degree") == dict(dref.in_degree())
    a, b = sorted(ref.nodes)[:2]
    sub = hw.graph.degree(G, vertex_subset=[b, a])
    assert sub["vertex"].to_list() == [b, a] and sub["degree"].to_list() == [ref.degree(b), ref.degree(a)]
    with pytest.raises(hw.graph.VertexNotFoundError, match="vertex_subset"):
        hw.graph.degree(G, vertex_subset=["nope"])


def test_triangle_counts():
    G, ref = karate()
    assert by_vertex(hw.graph.triangle_count(G), "counts") == nx.triangles(ref)
    S, sref = both(string_graph(40, 200, 9))
    sref.remove_edges_from(nx.selfloop_edges(sref))
    assert by_vertex(hw.graph.triangle_count(S), "counts") == nx.triangles(sref)
    assert hw.graph.triangle_count(G, start=[33, 0])["counts"].to_list() == [nx.triangles(ref, 33), nx.triangles(ref, 0)]
    D, _ = both([(0, 1)], directed=True)
    with pytest.raises(hw.graph.UndirectedOnlyError, match="triangle_count: G is directed.*directed=False"):
        hw.graph.triangle_count(D)


def test_core_number_and_k_core():
    G, ref = karate()
    assert by_vertex(hw.graph.core_number(G), "core_number") == nx.core_number(ref)
    for k in (None, 2, 3):
        ours = hw.graph.k_core(G, k=k)
        theirs = nx.k_core(ref, k=k)
        assert set(ours.nodes().to_list()) == set(theirs.nodes)
        view = ours.view_edge_list()
        assert {frozenset(e) for e in zip(view["src"].to_list(), view["dst"].to_list())} == \
            {frozenset(e) for e in theirs.edges}
    S, sref = both([e for e in string_graph(50, 160, 5) if e[0] != e[1]])
    assert by_vertex(hw.graph.core_number(S), "core_number") == nx.core_number(sref)
    cores = hw.graph.core_number(S)
    assert set(hw.graph.k_core(S, 2, core_number=cores).nodes().to_list()) == set(nx.k_core(sref, 2).nodes)
    loops, _ = both([(0, 0), (0, 1)])
    with pytest.raises(hw.graph.GraphError, match="self loops"):
        hw.graph.core_number(loops)
    with pytest.raises(ValueError, match="degree_type"):
        hw.graph.core_number(G, degree_type="sideways")


def test_jaccard_on_given_pairs_and_two_hop_pairs():
    G, ref = karate()
    pairs = [(0, 1), (0, 33), (5, 6), (2, 32)]
    frame = hw.DataFrame({"first": [u for u, _ in pairs], "second": [v for _, v in pairs]})
    r = hw.graph.jaccard(G, frame)
    assert r.columns == ["first", "second", "jaccard_coeff"]
    expected = {(u, v): p for u, v, p in nx.jaccard_coefficient(ref, pairs)}
    for u, v, p in zip(r["first"].to_list(), r["second"].to_list(), r["jaccard_coeff"].to_list()):
        assert p == pytest.approx(expected[(u, v)], abs=1e-12)
    every = hw.graph.jaccard(G)
    got = dict(zip(zip(every["first"].to_list(), every["second"].to_list()), every["jaccard_coeff"].to_list()))
    two_hop = {(u, w) for v in ref for u in ref[v] for w in ref[v] if u < w}
    assert set(got) == two_hop
    for (u, w), p in list(got.items())[:50]:
        assert p == pytest.approx(next(iter(nx.jaccard_coefficient(ref, [(u, w)])))[2], abs=1e-12)
    with pytest.raises(NotImplementedError, match="use_weight"):
        hw.graph.jaccard(G, use_weight=True)
