"""Symbolic sizes from two traces, and the graph builder's run-time shapes."""

from __future__ import annotations

import numpy as np
import pytest

from headwater.onnx.dims import MergeError, SymDim, is_static, merge


def test_affine_and_product_sizes():
    bases = {"batch": 2, "seq": 5}
    got = merge((10, 12, 8, 3), {"batch": (15, 18, 8, 3), "seq": (12, 12, 8, 3)}, bases, "x")
    assert got[0] == SymDim(("batch", "seq"), 1, 0, 10)
    assert got[1] == SymDim(("batch",), 6, 0, 12)
    assert got[2:] == (8, 3)
    assert merge(7, {"batch": 8}, {"batch": 2}, "x") == SymDim(("batch",), 1, 5, 7)
    assert merge(slice(12, None), {"batch": slice(18, None)}, {"batch": 2}, "k") == slice(SymDim(("batch",), 6, 0, 12),
                                                                                         None)


def test_symbolic_arithmetic_and_labels():
    d = SymDim(("batch",), 1, 0, 2)
    assert d.is_plain and d.label() == "batch"
    assert (d * 5 + 2).label() == "5*batch+2" and (d * 5 + 2).base == 12
    assert not is_static([1, (2, d)]) and is_static([1, (2, 3)])


def test_sizes_that_no_product_explains_are_refused():
    with pytest.raises(MergeError, match="product"):
        merge(12, {"batch": 14, "seq": 18}, {"batch": 2, "seq": 5}, "slice")
    with pytest.raises(MergeError, match="another length"):
        merge([2, 2], {"seq": [2, 2, 2]}, {"seq": 2}, "batch_sizes")


def test_builder_computes_symbolic_shapes_at_run_time():
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from headwater.onnx.builder import GraphBuilder

    b = GraphBuilder(17)
    x = b.add_input("x", "float32", ["batch", 6])
    batch = SymDim(("batch",), 1, 0, 2)
    y = b.op("Reshape", [x, b.dims_tensor([batch * 2, 3])])
    b.add_output(y, "y", "float32", ["2*batch", 3])
    sess = ort.InferenceSession(b.build("t").SerializeToString(), providers=["CPUExecutionProvider"])
    (out,) = sess.run(None, {"x": np.arange(30, dtype=np.float32).reshape(5, 6)})
    assert out.shape == (10, 3)
