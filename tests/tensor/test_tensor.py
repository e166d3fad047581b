"""The Tensor type: construction without copies, attributes, host crossings, repr."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw


@pytest.mark.host_only("NumPy data shares memory with a CPU tensor; a device upload copies")
def test_as_tensor_wraps_a_device_array_without_copy(xp):
    a = xp.arange(6, dtype=xp.float32)
    t = hw.as_tensor(a)
    assert t.array is a
    assert hw.as_tensor(t) is t
    assert hw.Tensor(a).array is a


@pytest.mark.host_only("NumPy data shares memory with a CPU tensor; a device upload copies")
def test_as_tensor_from_numpy_on_cpu_shares_memory_and_counts_the_upload(device):
    a = np.ones(4, dtype=np.float32)
    hw.reset_transfer_stats()
    t = hw.as_tensor(a)
    assert hw.transfer_stats().to_device_calls == 1
    if device.type == "cpu":
        assert t.array is a


def test_dtypes_follow_pytorch():
    assert hw.as_tensor([1.0, 2.0]).dtype == hw.float32
    assert hw.as_tensor([1, 2]).dtype == hw.int64
    assert hw.as_tensor([True]).dtype == hw.bool_
    assert hw.as_tensor(3.5).shape == ()
    assert hw.as_tensor([1, 2], dtype=hw.float64).dtype == hw.float64
    assert hw.as_tensor(np.zeros(2, np.float64)).dtype == hw.float64  # arrays keep their dtype
    assert hw.float32 == np.float32 and hw.int64 == np.dtype("int64")


def test_factories(xp):
    assert hw.zeros(2, 3).tolist() == [[0.0] * 3] * 2
    assert hw.ones((2,), dtype=hw.int32).dtype == hw.int32
    assert hw.full((2, 2), 7).dtype == hw.int64
    assert hw.full((2,), 1.5).tolist() == [1.5, 1.5]
    assert hw.empty(3, 4).shape == (3, 4)
    assert hw.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert hw.arange(1, 2, 0.25).dtype == hw.float32
    assert hw.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert hw.eye(3).numpy().trace() == 3
    assert hw.eye(2, 3).shape == (2, 3)
    base = hw.ones(2, 3, dtype=hw.float64)
    assert hw.zeros_like(base).dtype == hw.float64 and hw.ones_like(base).shape == (2, 3)
    assert hw.full_like(base, 2).tolist() == [[2.0] * 3] * 2
    assert hw.zeros(2, requires_grad=True).requires_grad
    assert isinstance(hw.zeros(2).array, xp.ndarray)


def test_attributes():
    t = hw.zeros(2, 3, 4)
    assert t.shape == (2, 3, 4) and t.ndim == 3 and t.dim() == 3 and len(t) == 2
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.numel() == 24
    assert t.device == hw.device()
    assert t.T.shape == (4, 3, 2)
    assert t.is_leaf and t.grad is None and t.grad_fn is None
    with pytest.raises(TypeError, match="len"):
        len(hw.as_tensor(1.0))


def test_to_dtype_and_device():
    t = hw.ones(2)
    assert t.to(hw.float64).dtype == hw.float64
    assert t.to("float16").dtype == hw.float16
    assert t.to(t.device) is t
    assert t.double().dtype == hw.float64 and t.long().dtype == hw.int64 and t.int().dtype == hw.int32
    assert t.to(hw.ones(1, dtype=hw.float64)).dtype == hw.float64
    assert t.cpu().device == "cpu"
    assert t.to(device="cpu", dtype=hw.float64).dtype == hw.float64


def test_host_crossings_are_counted():
    t = hw.arange(4)
    hw.reset_transfer_stats()
    t.numpy()
    t[0].item()
    t.tolist()
    repr(t)
    bool(t[1] > 0)
    assert hw.transfer_stats().to_host_calls == 5


def test_item_and_scalars():
    assert hw.as_tensor([2.5]).item() == 2.5
    assert isinstance(hw.as_tensor(3).item(), int)
    assert float(hw.as_tensor(1.5)) == 1.5 and int(hw.as_tensor(4)) == 4
    assert [10, 20, 30][hw.as_tensor(1)] == 20


def test_repr_like_pytorch():
    assert repr(hw.as_tensor([1.0, 2.5])) == "tensor([1.0000, 2.5000])"
    assert repr(hw.as_tensor([1, 2])) == "tensor([1, 2])"
    assert repr(hw.as_tensor([1, 2], dtype=hw.int32)) == "tensor([1, 2], dtype=int32)"
    assert repr(hw.ones(1, requires_grad=True)) == "tensor([1.], requires_grad=True)"
    assert "grad_fn=<MulBackward>" in repr(hw.ones(1, requires_grad=True) * 2)
    assert repr(nn_param()).startswith("Parameter containing:\ntensor(")


def nn_param():
    return hw.nn.Parameter(hw.zeros(1))


def test_numpy_interop():
    t = hw.ones(3)
    assert (np.float32(2) * t).tolist() == [2.0, 2.0, 2.0]
    if t.device == "cpu":
        assert np.asarray(t).tolist() == [1.0, 1.0, 1.0]


def test_tensors_hash_by_identity_and_compare_elementwise():
    a, b = hw.ones(2), hw.ones(2)
    assert len({a, b}) == 2
    assert (a == b).tolist() == [True, True]


def test_default_dtype():
    hw.set_default_dtype(hw.float64)
    try:
        assert hw.as_tensor([1.0]).dtype == hw.float64 and hw.zeros(1).dtype == hw.float64
    finally:
        hw.set_default_dtype(hw.float32)
    with pytest.raises(hw.DTypeError):
        hw.set_default_dtype(hw.int32)
    with pytest.raises(hw.DTypeError, match="not a dtype"):
        hw.zeros(1, dtype="floaty")


def test_module_functions_and_methods_are_the_same():
    x = hw.as_tensor([[1.0, -2.0], [3.0, 0.5]])
    assert hw.exp(x).tolist() == x.exp().tolist()
    assert hw.sum(x, dim=1).tolist() == x.sum(1).tolist()
    assert hw.where(x > 0, x, 0.0).tolist() == [[1.0, 0.0], [3.0, 0.5]]
    assert hw.maximum(x, 1.0).tolist() == [[1.0, 1.0], [3.0, 1.0]]
    assert hw.cat([x, x]).shape == (4, 2)
    assert x.masked_fill(x < 0, 9.0).tolist() == [[1.0, 9.0], [3.0, 0.5]]
    assert (~(x > 0)).tolist() == [[False, True], [False, False]]
    assert ((x > 0) & (x < 2)).tolist() == [[True, False], [False, True]]
    assert hw.one_hot(hw.as_tensor([1, 0]), 3).tolist() == [[0, 1, 0], [1, 0, 0]]
    assert hw.one_hot(hw.as_tensor([2])).tolist() == [[0, 0, 1]]
