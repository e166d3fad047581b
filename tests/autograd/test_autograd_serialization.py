"""hw.save / hw.load: round trips, atomic writes, and refusing what is not ours."""

from __future__ import annotations

import json
import os
import pickle
import zipfile

import numpy as np
import pytest

import headwater as hw
from headwater import nn, optim
from headwater.autograd.serialization import SerializationError


def test_nested_roundtrip_preserves_types(tmp_path):
    obj = {
        "model": {"w": hw.randn(2, 3), "steps": hw.arange(4, dtype=hw.int32)},
        3: ("a", 1.5, None, True),
        "list": [hw.ones(1, dtype=hw.float64), {"nested": hw.zeros(0)}],
        "array": np.arange(3),
    }
    path = tmp_path / "ckpt.hw"
    hw.save(obj, path)
    out = hw.load(path)
    assert set(out) == {"model", 3, "list", "array"}
    np.testing.assert_array_equal(out["model"]["w"].numpy(), obj["model"]["w"].numpy())
    assert out["model"]["steps"].dtype == hw.int32
    assert out[3] == ("a", 1.5, None, True)
    assert out["list"][0].dtype == hw.float64 and out["list"][1]["nested"].shape == (0,)
    np.testing.assert_array_equal(out["array"], np.arange(3))


def test_model_and_optimizer_checkpoint(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    opt = optim.AdamW(model.parameters(), lr=0.01)
    model(hw.randn(5, 3)).sum().backward()
    opt.step()
    hw.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 2}, tmp_path / "c.hw")
    ck = hw.load(tmp_path / "c.hw")
    model2 = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    model2.load_state_dict(ck["model"])
    opt2 = optim.AdamW(model2.parameters(), lr=0.5)
    opt2.load_state_dict(ck["optim"])
    assert opt2.param_groups[0]["lr"] == 0.01 and opt2.param_groups[0]["betas"] == (0.9, 0.999)
    assert ck["epoch"] == 2 and 0 in ck["optim"]["state"] and ck["optim"]["state"][0]["step"] == 1
    for a, b in zip(model.state_dict().values(), model2.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_parameters_and_requires_grad_survive(tmp_path):
    hw.save({"p": nn.Parameter(hw.ones(2)), "t": hw.ones(2, requires_grad=True)}, tmp_path / "p.hw")
    out = hw.load(tmp_path / "p.hw")
    assert isinstance(out["p"], nn.Parameter) and out["t"].requires_grad


def test_format_has_no_pickles(tmp_path):
    hw.save({"w": hw.ones(2)}, tmp_path / "f.hw")
    with zipfile.ZipFile(tmp_path / "f.hw") as zf:
        names = zf.namelist()
        meta = json.loads(zf.read("headwater.json"))
        assert meta["format"] == "headwater.save"
        for name in names:
            assert name == "headwater.json" or name.endswith(".npy")


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "a.hw"
    hw.save({"v": hw.ones(1)}, path)
    with pytest.raises(SerializationError, match=r"cannot store a object at obj\['bad'\]"):
        hw.save({"v": hw.zeros(1), "bad": object()}, path)
    assert hw.load(path)["v"].tolist() == [1.0]  # the old file is intact
    assert os.listdir(tmp_path) == ["a.hw"]


def test_refuses_models_and_odd_keys(tmp_path):
    with pytest.raises(SerializationError, match="save a model's state_dict"):
        hw.save(nn.Linear(2, 2), tmp_path / "m.hw")
    with pytest.raises(SerializationError, match="dict key"):
        hw.save({(1, 2): 3}, tmp_path / "k.hw")


def test_load_refuses_other_files(tmp_path):
    p = tmp_path / "x.pkl"
    p.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(SerializationError, match="not a Headwater checkpoint"):
        hw.load(p)
    z = tmp_path / "z.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("other.txt", "hi")
    with pytest.raises(SerializationError, match="not written by hw.save"):
        hw.load(z)


def test_load_counts_uploads_to_the_device(tmp_path):
    hw.save({"a": hw.ones(3), "b": hw.ones(2)}, tmp_path / "u.hw")
    hw.reset_transfer_stats()
    hw.load(tmp_path / "u.hw")
    assert hw.transfer_stats().to_device_calls == 2


def test_tensors_refuse_pickle_only_through_save():
    # deepcopy works (models are copied), and a loaded checkpoint never unpickles
    import copy

    t = hw.ones(2, requires_grad=True)
    c = copy.deepcopy(t)
    assert c.requires_grad and c.array is not t.array


def test_file_objects_as_torch_save_and_load_take_them(tmp_path):
    import io

    from headwater.autograd.file_kind import PickleFileError
    from headwater.autograd.safetensors_format import save as safetensors_bytes

    model = nn.Linear(3, 2)
    buf = io.BytesIO()
    hw.save({"model": model.state_dict(), "epoch": 4}, buf)
    buf.seek(0)
    out = hw.load(buf, map_location="cpu")
    assert out["epoch"] == 4
    np.testing.assert_array_equal(out["model"]["weight"].numpy(), model.weight.detach().numpy())
    # a safetensors payload in memory, and an open file, load by content as paths do
    st = hw.load(io.BytesIO(safetensors_bytes(model.state_dict())))
    np.testing.assert_array_equal(st["bias"].numpy(), model.bias.detach().numpy())
    with open(tmp_path / "m.bin", "wb") as fh:
        hw.save(model.state_dict(), fh)
    with open(tmp_path / "m.bin", "rb") as fh:
        assert sorted(hw.load(fh)) == ["bias", "weight"]
    with pytest.raises(PickleFileError, match="never unpickles"):
        hw.load(io.BytesIO(pickle.dumps({"w": 1})))
    with pytest.raises(SerializationError, match="the file object is not a Headwater checkpoint"):
        hw.load(io.BytesIO(b"not a checkpoint"))
