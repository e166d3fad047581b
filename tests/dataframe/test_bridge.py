"""The zero-copy bridge: Series/DataFrame.to_tensor and DLPack both ways."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from headwater.dataframe.bridge import NullValuesError


def _pointer(array) -> int:
    """Address of an array's first element, on either device."""
    if isinstance(array, np.ndarray):
        return array.__array_interface__["data"][0]
    if type(array).__name__ == "StrictArray":  # HEADWATER_DEVICE=cpu-strict: NumPy memory inside
        return array._a.__array_interface__["data"][0]
    return int(array.data.ptr)


def test_series_to_tensor_shares_the_column_buffer():
    s = hw.Series([1.5, 2.5, 3.5], name="x")
    hw.reset_transfer_stats()
    t = s.to_tensor()
    assert hw.transfer_stats().calls == 0
    assert t.array is s._column.data or _pointer(t.array) == _pointer(s._column.data)
    if isinstance(t.array, np.ndarray):
        assert np.shares_memory(t.array, s._column.data)
    assert t.dtype == np.float64 and t.shape == (3,)


def test_string_and_categorical_series_give_their_codes():
    s = hw.Series(["b", "a", "b"], name="s", dtype="category").astype(str)  # dictionary layout
    t = s.to_tensor()
    assert t.dtype == np.int32
    assert _pointer(t.array) == _pointer(s._column.data)
    labels = s._column.dictionary.to_pylist()
    assert [labels[i] for i in t.tolist()] == ["b", "a", "b"]
    cat = hw.Series(pd.Series(pd.Categorical(["z", "y"], categories=["y", "z"])), name="c")
    assert cat.to_tensor().tolist() == [1, 0]


def test_datetime_series_gives_int64_nanoseconds():
    s = hw.Series(pd.Series(pd.to_datetime(["1970-01-01 00:00:01"])), name="t")
    assert s.to_tensor().tolist() == [10**9]


def test_nulls_are_an_error_naming_the_column_unless_filled():
    s = hw.Series([1.0, None, 3.0], name="price")
    with pytest.raises(NullValuesError, match="'price'.*fill"):
        s.to_tensor()
    assert s.to_tensor(fill=-1.0).tolist() == [1.0, -1.0, 3.0]
    df = hw.DataFrame({"a": [1, 2, 3], "b": [1.0, None, 3.0]})
    with pytest.raises(NullValuesError, match="'b'"):
        df.to_tensor()
    assert df.to_tensor(fill={"b": 0.0}).tolist() == [[1, 1], [2, 0], [3, 3]]


def test_frame_to_tensor_is_one_device_copy_in_column_order():
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5], "s": ["x", "y", "x"], "f": [True, False, True]})
    df = hw.DataFrame(pdf)
    hw.reset_transfer_stats()
    t = df.to_tensor(columns=["b", "a", "f"])
    assert hw.transfer_stats().calls == 0
    assert t.dtype == np.float32 and t.shape == (3, 3)
    np.testing.assert_array_equal(t.numpy(), pdf[["b", "a", "f"]].to_numpy(dtype=np.float32))
    everything = df.to_tensor(dtype="float64")
    assert everything.shape == (3, 4) and everything.dtype == np.float64
    assert everything.numpy()[:, 2].tolist() == df["s"].to_tensor().numpy().astype(float).tolist()


def test_frame_to_tensor_errors():
    df = hw.DataFrame({"a": [1, 2]})
    with pytest.raises(KeyError, match="'zz'"):
        df.to_tensor(columns=["zz"])
    with pytest.raises(ValueError, match="at least one column"):
        df.to_tensor(columns=[])


@pytest.mark.host_only("np.from_dlpack gives a host array only for host memory")
def test_series_dlpack_to_numpy_shares_memory():
    s = hw.Series(np.arange(5.0), name="x")
    if hw.device() != "cpu":
        pytest.skip("NumPy imports CPU memory only")
    arr = np.from_dlpack(s)
    assert np.shares_memory(arr, s._column.data)
    assert s.__dlpack_device__() == (1, 0)


def test_from_dlpack_of_numpy_and_tensor_round_trip():
    a = np.arange(6.0).reshape(2, 3)
    t = hw.from_dlpack(a)
    assert np.shares_memory(t.array, a)
    back = np.from_dlpack(t)
    assert np.shares_memory(back, a)
    with pytest.raises(TypeError, match="__dlpack__"):
        hw.from_dlpack([1, 2, 3])


def test_nulls_cannot_be_exported_through_dlpack():
    with pytest.raises(NullValuesError, match="'x'"):
        hw.Series([1.0, None], name="x").__dlpack__()


@pytest.mark.torch
def test_torch_shares_memory_both_ways():
    import torch

    s = hw.Series(np.arange(4, dtype=np.float32), name="x")
    t = torch.from_dlpack(s)
    expected = "cpu" if hw.device() == "cpu" else "cuda"
    assert t.device.type == expected
    assert t.data_ptr() == _pointer(s._column.data)
    tensor = s.to_tensor()
    assert torch.from_dlpack(tensor).data_ptr() == _pointer(tensor.array)

    source = torch.arange(6, dtype=torch.float64, device=expected).reshape(2, 3)
    mine = hw.from_dlpack(source)
    assert _pointer(mine.array) == source.data_ptr()
    assert mine.shape == (2, 3)
    source[0, 0] = 42.0  # a write through torch shows up in the shared memory
    assert mine.tolist()[0][0] == 42.0


@pytest.mark.torch
def test_torch_refuses_a_tensor_that_requires_grad():
    w = hw.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="detach"):
        w.__dlpack__()
    import torch

    assert torch.from_dlpack(w.detach()).tolist() == [1.0, 1.0, 1.0]
