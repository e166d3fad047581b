"""Every model family exports and matches Headwater's forward in onnxruntime at two batch sizes."""

from __future__ import annotations

import pytest

import headwater as hw
from tests.onnx.onnx_helpers import check_export

nn = hw.nn


@pytest.fixture(autouse=True)
def _seed():
    hw.manual_seed(0)


def randn(*shape):
    return hw.randn(*shape)


def test_mlp():
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 8), nn.GELU(),
                          nn.Linear(8, 3), nn.Softmax(dim=-1))
    proto = check_export(model, lambda n: (randn(n, 4),))
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"


def test_mlp_float64_and_activations():
    model = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 6), nn.SiLU(), nn.Linear(6, 6), nn.LeakyReLU(0.1),
                          nn.Linear(6, 6), nn.ELU(), nn.Linear(6, 6), nn.Sigmoid(), nn.Hardswish(), nn.Softplus(),
                          nn.LogSoftmax(dim=1)).double()
    check_export(model, lambda n: (hw.randn(n, 3, dtype=hw.float64),), atol=1e-10)


def test_embedding():
    class Bag(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 4)
            self.out = nn.Linear(12, 2)

        def forward(self, idx):
            return self.out(self.emb(idx).flatten(1))

    check_export(Bag(), lambda n: (hw.randint(0, 10, (n, 3)),))


@pytest.mark.parametrize("norm", ["layer", "batch1d", "batch2d", "group", "instance"])
def test_normalisation(norm):
    if norm == "layer":
        model, shape = nn.Sequential(nn.Linear(6, 6), nn.LayerNorm(6)), (6,)
    elif norm == "batch1d":
        model, shape = nn.Sequential(nn.Linear(6, 6), nn.BatchNorm1d(6)), (6,)
    elif norm == "batch2d":
        model, shape = nn.BatchNorm2d(3), (3, 4, 4)
    elif norm == "group":
        model, shape = nn.GroupNorm(2, 4), (4, 5)
    else:
        model, shape = nn.InstanceNorm1d(3, affine=True), (3, 7)
    if norm.startswith("batch"):  # non-trivial running statistics
        model.train()
        with hw.no_grad():
            for _ in range(3):
                model(randn(8, *shape) * 2 + 1)
    check_export(model, lambda n: (randn(n, *shape),))


def test_convolution_and_pooling():
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 4, 3, stride=2, padding=1, groups=2), nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    check_export(model, lambda n: (randn(n, 3, 9, 9),))


def test_conv1d_and_transpose():
    model = nn.Sequential(nn.Conv1d(2, 3, 3, dilation=2), nn.ConvTranspose1d(3, 2, 3, stride=2, padding=1,
                                                                           output_padding=1),
                          nn.MaxPool1d(3, stride=2, padding=1))
    check_export(model, lambda n: (randn(n, 2, 11),))


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_recurrent(kind):
    cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]

    class Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = cls(3, 5, num_layers=2, batch_first=True, bidirectional=True)
            self.head = nn.Linear(10, 2)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.head(out)

    check_export(Seq(), lambda n: (randn(n, 4, 3),))


def test_lstm_states_returned():
    model = nn.LSTM(3, 4)  # (T, B, I): the batch is axis 1
    check_export(model, lambda n: (randn(6, n, 3),), dynamic_axes={"x": {1: "batch"}}, input_names=["x"])


def test_attention_and_transformer():
    model = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True)
    check_export(model, lambda n: (randn(n, 5, 8),), atol=2e-5)


def test_multihead_attention_two_inputs():
    class Attend(nn.Module):
        def __init__(self):
            super().__init__()
            self.mha = nn.MultiheadAttention(8, 2, batch_first=True)

        def forward(self, q, kv):
            out, weights = self.mha(q, kv, kv)
            return out, weights

    check_export(Attend(), lambda n: (randn(n, 3, 8), randn(n, 6, 8)), atol=2e-5)
