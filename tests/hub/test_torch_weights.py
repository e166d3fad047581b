"""A PyTorch state dict moved through safetensors gives the same outputs in Headwater."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw

torch = pytest.importorskip("torch")
stt = pytest.importorskip("safetensors.torch")
pytestmark = pytest.mark.torch


def _cnn(lib):
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4 * 4 * 4, 3),
    )


class _TorchLM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(11, 5)
        self.lstm = torch.nn.LSTM(5, 7, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(7, 11)

    def forward(self, x):
        return self.head(self.lstm(self.embed(x))[0])


class _HwLM(hw.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = hw.nn.Embedding(11, 5)
        self.lstm = hw.nn.LSTM(5, 7, num_layers=2, batch_first=True)
        self.head = hw.nn.Linear(7, 11)

    def forward(self, x):
        return self.head(self.lstm(self.embed(x))[0])


def _train_a_little(model, x):
    """A few SGD steps in train mode, so BatchNorm's running statistics are not the defaults."""
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    for _ in range(3):
        loss = model(x).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_torch_cnn_state_dict_gives_the_same_outputs(tmp_path, dtype):
    torch.manual_seed(0)
    ref = _cnn(torch).to(getattr(torch, dtype))
    x = np.random.default_rng(0).standard_normal((6, 1, 8, 8)).astype(dtype)
    _train_a_little(ref, torch.from_numpy(x))
    stt.save_file(ref.state_dict(), str(tmp_path / "cnn.safetensors"))
    ours = _cnn(hw).double() if dtype == "float64" else _cnn(hw)  # load_state_dict copies into the model's dtype, as torch's
    ours.load_state_dict(hw.load(tmp_path / "cnn.safetensors"))
    ours.eval()
    for name, value in ours.state_dict().items():
        assert value.dtype == np.dtype(dtype) or name.endswith("num_batches_tracked"), name
    with torch.no_grad():
        want = ref(torch.from_numpy(x)).numpy()
    with hw.no_grad():
        got = ours(hw.as_tensor(x)).numpy()
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == "float32" else 1e-12, atol=1e-6 if dtype == "float32" else 1e-12)


def test_a_torch_lstm_language_model_gives_the_same_outputs(tmp_path):
    torch.manual_seed(1)
    ref = _TorchLM().double().eval()
    stt.save_file(ref.state_dict(), str(tmp_path / "lm.safetensors"))
    ours = _HwLM().double()
    result = ours.load_state_dict(hw.load(tmp_path / "lm.safetensors"))
    assert result.missing_keys == [] and result.unexpected_keys == []
    tokens = np.random.default_rng(2).integers(0, 11, size=(3, 9))
    with torch.no_grad():
        want = ref(torch.from_numpy(tokens)).numpy()
    with hw.no_grad():
        got = ours(hw.as_tensor(tokens)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_headwater_weights_load_into_torch(tmp_path):
    hw.manual_seed(0)
    ours = _cnn(hw).eval()
    hw.save(ours.state_dict(), tmp_path / "hw.safetensors")
    ref = _cnn(torch).eval()
    ref.load_state_dict(stt.load_file(str(tmp_path / "hw.safetensors")))
    x = np.random.default_rng(3).standard_normal((2, 1, 8, 8)).astype("float32")
    with torch.no_grad():
        want = ref(torch.from_numpy(x)).numpy()
    with hw.no_grad():
        got = ours(hw.as_tensor(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
