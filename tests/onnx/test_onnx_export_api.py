"""hw.onnx.export's contract: names, dynamic axes, opsets, errors, lazy import."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest

import headwater as hw
from tests.onnx.onnx_helpers import check_export, session

nn = hw.nn


def _mlp():
    hw.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.LayerNorm(5), nn.Linear(5, 2))


@pytest.mark.parametrize("opset", [13, 17, 18, 21])
def test_opsets_and_ir_version(opset):
    from headwater.onnx.opsets import ir_version_for

    proto = check_export(_mlp(), lambda n: (hw.randn(n, 3),), opset_version=opset)
    assert proto.opset_import[0].version == opset
    assert proto.ir_version == ir_version_for(opset)


def test_names_and_static_shapes(tmp_path):
    import onnx

    path = tmp_path / "m.onnx"
    hw.onnx.export(_mlp(), (hw.randn(4, 3),), path, input_names=["features"], output_names=["logits"],
                   dynamic_axes={})
    proto = onnx.load(str(path))
    assert [i.name for i in proto.graph.input] == ["features"]
    assert [o.name for o in proto.graph.output] == ["logits"]
    dims = [d.dim_value for d in proto.graph.output[0].type.tensor_type.shape.dim]
    assert dims == [4, 2]
    out = session(proto).run(None, {"features": np.ones((4, 3), np.float32)})[0]
    assert out.shape == (4, 2)


def test_dynamic_axes_named_by_the_user():
    proto = check_export(_mlp(), lambda n: (hw.randn(n, 3),), input_names=["x"], output_names=["y"],
                         dynamic_axes={"x": {0: "rows"}, "y": {0: "rows"}})
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "rows"
    assert proto.graph.output[0].type.tensor_type.shape.dim[0].dim_param == "rows"


def test_reshape_that_follows_the_batch():
    class Fold(nn.Module):
        def forward(self, x):  # (B, 6) -> (B * 2, 3) -> (B, 6): two sizes that move with the batch
            return (x.reshape(-1, 3) * 2).reshape(x.shape[0], 6)[:, 1:]

    check_export(Fold(), lambda n: (hw.randn(n, 6),))


def test_train_mode_is_restored_and_dropout_is_off():
    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))
    model.train()
    check_export_model = check_export  # check_export puts the model in eval itself; export must too
    hw.onnx.export(model, (hw.randn(2, 3),), io.BytesIO())
    assert model.training
    check_export_model(model, lambda n: (hw.randn(n, 3),))


def test_op_without_converter_names_the_op_and_module():
    class Inner(nn.Module):
        def forward(self, x):
            return hw.det(x)

    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Inner()

        def forward(self, x):
            return self.block(x)

    with pytest.raises(hw.onnx.UnsupportedOpError, match=r"'det'.*'Outer\.block'"):
        hw.onnx.export(Outer(), (hw.randn(2, 3, 3),), io.BytesIO())


def test_bad_arguments():
    with pytest.raises(ValueError, match="opset_version=9"):
        hw.onnx.export(_mlp(), (hw.randn(2, 3),), io.BytesIO(), opset_version=9)
    with pytest.raises(ValueError, match="input_names has 2 names for 1 inputs"):
        hw.onnx.export(_mlp(), (hw.randn(2, 3),), io.BytesIO(), input_names=["a", "b"])
    with pytest.raises(ValueError, match="neither input_names"):
        hw.onnx.export(_mlp(), (hw.randn(2, 3),), io.BytesIO(), dynamic_axes={"nope": {0: "n"}})
    with pytest.raises(TypeError, match="args\\[0\\] is a list"):
        hw.onnx.export(_mlp(), ([1.0, 2.0, 3.0],), io.BytesIO())


def test_batch_dependent_ops_refuse_a_dynamic_batch():
    class Branchy(nn.Module):
        def forward(self, x):
            return x * 2 if x.shape[0] % 2 == 0 else x + 1

    with pytest.raises(hw.onnx.OnnxExportError, match="static"):
        hw.onnx.export(Branchy(), (hw.randn(2, 3),), io.BytesIO())
    hw.onnx.export(Branchy(), (hw.randn(2, 3),), io.BytesIO(), dynamic_axes={})


def test_import_headwater_does_not_import_onnx():
    code = "import sys, headwater; assert 'onnx' not in sys.modules and 'onnxruntime' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_missing_onnx_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r'headwater\[onnx\]'):
        hw.onnx.export(_mlp(), (hw.randn(2, 3),), io.BytesIO())
