"""Weak and strong components against NetworkX: the same partitions."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from graph.helpers import both, karate, partition, string_graph


def parts(components) -> set[frozenset]:
    return {frozenset(c) for c in components}


@pytest.mark.parametrize("seed", range(3))
def test_weak_components_of_random_string_graphs(seed):
    G, ref = both(string_graph(120, 90, seed))
    assert partition(hw.graph.connected_components(G), "labels") == parts(nx.connected_components(ref))
    D, dref = both(string_graph(120, 90, seed), directed=True)
    assert partition(hw.graph.weakly_connected_components(D), "labels") == parts(nx.weakly_connected_components(dref))


@pytest.mark.parametrize("seed", range(3))
def test_strong_components_of_random_string_digraphs(seed):
    D, ref = both(string_graph(60, 110, seed), directed=True)
    expected = parts(nx.strongly_connected_components(ref))
    assert partition(hw.graph.strongly_connected_components(D), "labels") == expected
    assert partition(hw.graph.connected_components(D, connection="strong"), "labels") == expected


def test_labels_are_dense_and_karate_is_one_component():
    G, _ = karate()
    r = hw.graph.connected_components(G)
    assert r.columns == ["vertex", "labels"] and set(r["labels"].to_list()) == {0}
    assert set(hw.graph.strongly_connected_components(G)["labels"].to_list()) == {0}
    with pytest.raises(ValueError, match="'weak' or 'strong'"):
        hw.graph.connected_components(G, connection="both")
    with pytest.raises(TypeError, match="directed="):
        hw.graph.connected_components(G, directed=True)


@settings(max_examples=40, deadline=None)
@given(edges=st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), min_size=1, max_size=40))
def test_components_of_random_small_digraphs(edges):
    D, ref = both(edges, directed=True)
    assert partition(hw.graph.strongly_connected_components(D), "labels") == parts(nx.strongly_connected_components(ref))
    assert partition(hw.graph.weakly_connected_components(D), "labels") == parts(nx.weakly_connected_components(ref))
