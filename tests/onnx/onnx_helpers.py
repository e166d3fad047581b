"""Export a model, run it in onnxruntime, compare with Headwater's forward."""

from __future__ import annotations

import io

import numpy as np
import pytest

import headwater as hw

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def session(proto):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(proto.SerializeToString(), options, providers=["CPUExecutionProvider"])


def host(t):
    return np.asarray(t.cpu().numpy())


def flat(out):
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in flat(o)]
    return [out]


def check_export(model, make_inputs, batches=(2, 5), atol=1e-5, rtol=1e-5, **kwargs):
    """Export ``model`` on ``make_inputs(batches[0])``, then compare onnxruntime with the
    model's forward at every batch size in ``batches``. Returns the ModelProto."""
    if hasattr(model, "eval"):
        model.eval()
    args = make_inputs(batches[0])
    names = kwargs.pop("input_names", [f"in{i}" for i in range(len(args))])
    proto = hw.onnx.export(model, args, io.BytesIO(), input_names=names, **kwargs)
    sess = session(proto)
    for n in batches:
        args = make_inputs(n)
        with hw.no_grad():
            want = model(*args)
        want = flat(want)
        got = sess.run(None, {name: host(a) for name, a in zip(names, args)})
        assert len(got) == len(want)
        for g, w in zip(got, want):
            w = host(w)
            assert g.dtype == w.dtype, (g.dtype, w.dtype)
            assert g.shape == w.shape, (g.shape, w.shape)
            np.testing.assert_allclose(g, w, atol=atol, rtol=rtol)
    return proto
