"""safetensors read and written without the package, checked against the package's
NumPy and PyTorch flavours; pickle-based files refused by content."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

import headwater as hw
from headwater.autograd import safetensors_format as st
from headwater.autograd.file_kind import PickleFileError
from headwater.autograd.serialization import SerializationError

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def _sample(dtype: str, shape=(2, 3)) -> np.ndarray:
    rng = np.random.default_rng(0)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if dtype.startswith("float"):
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


def _cases() -> dict[str, np.ndarray]:
    cases = {f"x.{d}": _sample(d) for d in DTYPES}
    cases.update({"empty": np.zeros((0, 3), np.float32), "scalar": np.array(3.5), "vector": np.arange(5, dtype=np.int64)})
    return cases


def _assert_same(ours: dict, theirs: dict) -> None:
    assert set(ours) == set(theirs)
    for key, want in theirs.items():
        got = ours[key]
        assert got.dtype == want.dtype and tuple(got.shape) == tuple(want.shape), key
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=key)


def test_numpy_flavour_files_load_here(tmp_path):
    sn = pytest.importorskip("safetensors.numpy")
    cases = _cases()
    sn.save_file(cases, tmp_path / "np.safetensors", metadata={"source": "numpy"})
    _assert_same({k: v.numpy() for k, v in hw.load(tmp_path / "np.safetensors").items()}, cases)
    assert st.read_metadata(tmp_path / "np.safetensors") == {"source": "numpy"}


def test_our_files_load_in_the_numpy_flavour(tmp_path):
    sn = pytest.importorskip("safetensors.numpy")
    cases = _cases()
    st.save_file({k: hw.as_tensor(v) for k, v in cases.items()}, tmp_path / "ours.safetensors", metadata={"a": "b"})
    _assert_same(sn.load_file(str(tmp_path / "ours.safetensors")), cases)
    from safetensors import safe_open

    with safe_open(str(tmp_path / "ours.safetensors"), framework="numpy") as fh:
        assert fh.metadata() == {"a": "b"}
    assert sn.load(st.save(cases)).keys() == cases.keys()  # bytes, as well as files


@pytest.mark.torch
def test_torch_flavour_both_ways_for_every_dtype(tmp_path):
    torch = pytest.importorskip("torch")
    stt = pytest.importorskip("safetensors.torch")
    cases = _cases()
    stt.save_file({k: torch.from_numpy(v.copy()) for k, v in cases.items()}, str(tmp_path / "t.safetensors"),
                  metadata={"format": "pt"})
    _assert_same({k: v.numpy() for k, v in hw.load(tmp_path / "t.safetensors").items()}, cases)
    assert st.read_metadata(tmp_path / "t.safetensors") == {"format": "pt"}
    hw.save({k: hw.as_tensor(v) for k, v in cases.items()}, tmp_path / "h.safetensors")
    _assert_same({k: v.numpy() for k, v in stt.load_file(str(tmp_path / "h.safetensors")).items()}, cases)


@pytest.mark.torch
def test_bfloat16_is_widened_to_float32_exactly(tmp_path):
    torch = pytest.importorskip("torch")
    stt = pytest.importorskip("safetensors.torch")
    t = torch.tensor([[1.5, -2.25, 3.0e38], [1e-30, 0.0, -0.0]]).to(torch.bfloat16)
    stt.save_file({"w": t}, str(tmp_path / "bf.safetensors"))
    out = hw.load(tmp_path / "bf.safetensors")["w"]
    assert out.dtype == hw.float32
    np.testing.assert_array_equal(out.numpy(), t.float().numpy())


def test_dtypes_headwater_cannot_hold_are_refused_by_name(tmp_path):
    sn = pytest.importorskip("safetensors.numpy")
    sn.save_file({"ok": np.ones(2, np.float32), "counts": np.ones(2, np.uint16)}, tmp_path / "u.safetensors")
    with pytest.raises(SerializationError, match="'counts' is U16"):
        hw.load(tmp_path / "u.safetensors")
    with pytest.raises(SerializationError, match="uint16"):
        st.save({"c": np.ones(2, np.uint16)})


def test_a_state_dict_roundtrips_and_keys_that_do_not_fit_are_listed(tmp_path):
    model = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.BatchNorm1d(4), hw.nn.Linear(4, 2))
    hw.save(model.state_dict(), tmp_path / "m.safetensors")
    state = hw.load(tmp_path / "m.safetensors")
    other = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.BatchNorm1d(4), hw.nn.Linear(4, 2))
    other.load_state_dict(state)
    x = hw.randn(5, 3)
    model.eval(), other.eval()
    np.testing.assert_array_equal(model(x).detach().numpy(), other(x).detach().numpy())
    state["extra.weight"] = hw.ones(1)
    del state["2.bias"]
    with pytest.raises(RuntimeError, match=r"missing keys \['2.bias'\].*unexpected keys \['extra.weight'\]"):
        other.load_state_dict(state)
    result = other.load_state_dict(state, strict=False)
    assert result.missing_keys == ["2.bias"] and result.unexpected_keys == ["extra.weight"]
    state["0.weight"] = hw.ones(9, 9)
    with pytest.raises(RuntimeError, match="size mismatch for '0.weight'"):
        other.load_state_dict(state, strict=False)


def test_saving_refuses_what_the_format_cannot_hold():
    with pytest.raises(SerializationError, match="flat dict"):
        st.save([hw.ones(1)])
    with pytest.raises(SerializationError, match="holds a int"):
        st.save({"epoch": 3})
    with pytest.raises(TypeError, match="metadata must be a dict of str"):
        st.save({"w": hw.ones(1)}, metadata={"epoch": 3})
    with pytest.raises(SerializationError, match="'__metadata__' is not allowed|not allowed"):
        st.save({"__metadata__": hw.ones(1)})


def test_corrupt_files_are_refused_with_the_reason(tmp_path):
    good = st.save({"a": hw.ones(4), "b": hw.zeros(2)})
    with pytest.raises(SerializationError, match="truncated"):
        st.load(good[:12])
    with pytest.raises(SerializationError, match="past the end of the data"):
        st.load(good[:-4])
    with pytest.raises(SerializationError, match="cover 24 of 26"):
        st.load(good + b"xx")
    n = int.from_bytes(good[:8], "little")
    header = json.loads(good[8:8 + n])
    header["a"]["data_offsets"] = [0, 8]
    text = json.dumps(header).encode()
    with pytest.raises(SerializationError, match="do not match its size"):
        st.load(len(text).to_bytes(8, "little") + text + good[8 + n:])


def test_pickle_based_files_are_refused_by_content_not_by_name(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save({"w": torch.ones(2)}, tmp_path / "looks.safetensors")
    with pytest.raises(PickleFileError, match=r"torch.save archive.*never unpickles.*safetensors.torch import save_file"):
        hw.load(tmp_path / "looks.safetensors")
    torch.save({"w": torch.ones(2)}, tmp_path / "legacy.hwt", _use_new_zipfile_serialization=False)
    with pytest.raises(PickleFileError, match="pickle stream"):
        hw.load(tmp_path / "legacy.hwt")
    (tmp_path / "plain.bin").write_bytes(pickle.dumps({"w": [1.0]}))
    with pytest.raises(PickleFileError, match="pickle stream"):
        hw.load(tmp_path / "plain.bin")
    # and Headwater's own formats load whatever they are called
    hw.save({"w": hw.ones(2)}, tmp_path / "ours.pt")
    hw.save({"w": hw.ones(2)}, tmp_path / "ours.safetensors")
    (tmp_path / "renamed.pt").write_bytes((tmp_path / "ours.safetensors").read_bytes())
    assert hw.load(tmp_path / "ours.pt")["w"].tolist() == [1.0, 1.0]
    assert hw.load(tmp_path / "renamed.pt")["w"].tolist() == [1.0, 1.0]


def test_map_location_and_weights_only_as_torch_load_takes_them(tmp_path):
    hw.save({"w": hw.arange(3)}, tmp_path / "w.safetensors")
    p = tmp_path / "w.safetensors"
    for spec in ("cpu", hw.device("cpu"), {"cpu": "cpu"}, {"cuda:0": "cpu"}):
        assert hw.load(p, map_location=spec, weights_only=True)["w"].device == "cpu"
    seen = []
    out = hw.load(p, map_location=lambda t, loc: seen.append(loc) or t.double(), weights_only=False)
    assert seen == ["cpu"] and out["w"].dtype == hw.float64
    assert hw.load(p, lambda t, loc: None)["w"].dtype == hw.int64
    with pytest.raises(TypeError, match="never unpickles"):
        hw.load(p, pickle_module=pickle)
    with pytest.raises(TypeError, match="weights_only must be"):
        hw.load(p, weights_only="yes")
    with pytest.raises(ValueError, match="not both"):
        hw.load(p, map_location="cpu", device="cpu")
