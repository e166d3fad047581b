"""Louvain: modularity within 5% of NetworkX's on the same graphs, and the reported value is right."""

from __future__ import annotations

import networkx as nx
import pytest

import headwater as hw
from graph.helpers import both, karate, partition


def check(G, ref, weight=None, **kw):
    parts, q = hw.graph.louvain(G, **kw)
    assert parts.columns == ["vertex", "partition"]
    communities = partition(parts, "partition")
    assert q == pytest.approx(nx.community.modularity(ref, communities, weight=weight), abs=1e-9)
    theirs = max(nx.community.modularity(ref, nx.community.louvain_communities(ref, weight=weight, seed=s),
                                         weight=weight) for s in range(3))
    assert q >= 0.95 * theirs, (q, theirs)
    return communities


@pytest.mark.parametrize("weighted", [False, True])
def test_louvain_on_the_karate_club(weighted):
    G, ref = karate(weighted)
    check(G, ref, "weight" if weighted else None)


@pytest.mark.parametrize("seed", range(2))
def test_louvain_recovers_planted_communities_with_string_ids(seed):
    P = nx.planted_partition_graph(6, 30, 0.4, 0.01, seed=seed)
    edges = [(f"n{u}", f"n{v}") for u, v in P.edges()]
    G, ref = both(edges)
    check(G, ref)


def test_louvain_options_and_refusals():
    G, ref = karate()
    coarse = partition(hw.graph.louvain(G, resolution=0.3)[0], "partition")
    fine = partition(hw.graph.louvain(G, resolution=3.0)[0], "partition")
    assert len(coarse) < len(fine)
    assert len(partition(hw.graph.louvain(G, max_level=0)[0], "partition")) == 34
    with pytest.warns(FutureWarning, match="max_level"):
        hw.graph.louvain(G, max_iter=1)
    D, _ = both([(0, 1)], directed=True)
    with pytest.raises(hw.graph.UndirectedOnlyError, match="louvain"):
        hw.graph.louvain(D)
