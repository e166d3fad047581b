"""Graph.from_edgelist: renumbering of any key dtype, repeats, the edge view and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from graph.helpers import edge_frame


def test_from_edgelist_returns_the_graph_and_chains():
    G = hw.graph.Graph()
    assert G.from_edgelist(edge_frame([(1, 2)]), source="src", destination="dst") is G
    assert repr(G).startswith("<hw.graph.Graph directed=False vertices=2 edges=1")


@pytest.mark.parametrize("values", [
    [10, -3, 7, 10],
    np.array([5, 1, 9, 5], dtype=np.int32),
    ["x", "b", "zz", "x"],
    [2.5, -1.0, 8.25, 2.5],
    pd.to_datetime(["2024-01-03", "2023-05-01", "2025-02-02", "2024-01-03"]),
])
def test_vertex_ids_of_any_key_dtype_come_back_as_given(values):
    df = hw.DataFrame({"src": list(values[:2]) + [values[2]], "dst": [values[1], values[2], values[3]]})
    G = hw.graph.Graph(directed=True).from_edgelist(df, source="src", destination="dst")
    col = df["src"]
    nodes = G.nodes()
    assert nodes.dtype == col.dtype
    assert nodes.to_list() == sorted(set(df["src"].to_list()) | set(df["dst"].to_list()))
    r = hw.graph.bfs(G, start=df["src"].to_list()[0])
    assert r["vertex"].dtype == col.dtype and r["predecessor"].dtype == col.dtype


def test_repeated_edges_are_one_edge_with_the_last_weight():
    df = edge_frame([(0, 1), (1, 0), (0, 1), (1, 2)], [1.0, 2.0, 3.0, 4.0])
    G = hw.graph.Graph().from_edgelist(df, source="src", destination="dst", weight="w")
    assert G.number_of_edges() == 2
    view = G.view_edge_list()
    assert view.columns == ["src", "dst", "w"]
    assert sorted(zip(view["src"].to_list(), view["dst"].to_list(), view["w"].to_list())) == [(0, 1, 3.0), (1, 2, 4.0)]
    D = hw.graph.Graph(directed=True).from_edgelist(df, source="src", destination="dst", weight="w")
    assert D.number_of_edges() == 3


def test_edge_attr_is_the_weight_and_defaults_are_cugraphs():
    df = hw.DataFrame({"source": ["a", "b"], "destination": ["b", "c"], "x": [2, 3]})
    G = hw.graph.Graph().from_edgelist(df, edge_attr="x")
    assert G.is_weighted() and not G.is_directed()
    assert G.view_edge_list()["x"].dtype == df["x"].dtype
    assert G.has_node("a") and not G.has_node("q")


def test_pandas_edge_lists_are_accepted():
    pdf = pd.DataFrame({"source": [1, 2], "destination": [2, 3]})
    assert hw.graph.Graph().from_pandas_edgelist(pdf).number_of_vertices() == 3
    assert hw.graph.Graph().from_edgelist(pdf).number_of_vertices() == 3


def test_renumber_false_keeps_integer_ids_and_isolated_vertices():
    G = hw.graph.Graph().from_edgelist(hw.DataFrame({"source": [0, 3], "destination": [3, 4]}), renumber=False)
    assert G.nodes().to_list() == [0, 1, 2, 3, 4]
    r = hw.graph.bfs(G, 0)
    assert r["distance"].to_list() == [0, None, None, 1, 2]
    with pytest.raises(TypeError, match="renumber=True"):
        hw.graph.Graph().from_edgelist(hw.DataFrame({"source": ["a"], "destination": ["b"]}), renumber=False)


def test_null_vertex_ids_are_refused_with_the_column_and_fix():
    df = hw.DataFrame({"src": [1, None, 3], "dst": [2, 3, 1]})
    with pytest.raises(hw.graph.NullVertexError, match=r"'src' holds 1 null vertex id.*dropna"):
        hw.graph.Graph().from_edgelist(df, source="src", destination="dst")
    df = hw.DataFrame({"src": ["a", "b"], "dst": ["b", None]})
    with pytest.raises(hw.graph.NullVertexError, match="'dst'"):
        hw.graph.Graph().from_edgelist(df, source="src", destination="dst")
    df = hw.DataFrame({"src": [1.0, float("nan")], "dst": [2.0, 3.0]})
    with pytest.raises(hw.graph.NullVertexError, match="'src'"):
        hw.graph.Graph().from_edgelist(df, source="src", destination="dst")


def test_wrong_column_names_name_the_argument_and_the_columns():
    df = edge_frame([(1, 2)])
    with pytest.raises(hw.graph.EdgeColumnError, match=r"from_edgelist: source='source' is not a column.*\['src', 'dst'\]"):
        hw.graph.Graph().from_edgelist(df)
    with pytest.raises(KeyError, match="destination='to'"):
        hw.graph.Graph().from_edgelist(df, source="src", destination="to")
    with pytest.raises(hw.graph.EdgeColumnError, match="weight='w'"):
        hw.graph.Graph().from_edgelist(df, source="src", destination="dst", weight="w")
    with pytest.raises(NotImplementedError, match="one column"):
        hw.graph.Graph().from_edgelist(df, source=["src", "dst"], destination="dst")


def test_bad_weights_and_other_misuse():
    df = hw.DataFrame({"src": [1, 2], "dst": [2, 3], "w": ["a", "b"], "n": [1.0, None]})
    with pytest.raises(TypeError, match="numeric"):
        hw.graph.Graph().from_edgelist(df, source="src", destination="dst", weight="w")
    with pytest.raises(hw.graph.GraphError, match="fillna"):
        hw.graph.Graph().from_edgelist(df, source="src", destination="dst", weight="n")
    G = hw.graph.Graph().from_edgelist(df, source="src", destination="dst")
    with pytest.raises(hw.graph.GraphError, match="already has edges"):
        G.from_edgelist(df, source="src", destination="dst")
    with pytest.raises(hw.graph.GraphError, match="no edges yet"):
        hw.graph.pagerank(hw.graph.Graph())
    with pytest.raises(TypeError, match="hw.DataFrame"):
        hw.graph.Graph().from_edgelist([(1, 2)])
    with pytest.raises(NotImplementedError, match="MultiGraph"):
        hw.graph.Graph(m_graph=G)


def test_the_graph_stays_on_the_frames_device():
    G = hw.graph.Graph().from_edgelist(edge_frame([(1, 2), (2, 3)]), source="src", destination="dst")
    assert G.out_adjacency().backend is hw.get_backend()
    assert hw.graph.pagerank(G).device == hw.device()
