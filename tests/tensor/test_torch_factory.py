"""hw.tensor, hw.device, dtype aliases and the small tensor surface, against torch."""

from __future__ import annotations

import copy
import importlib
import pickle

import numpy as np
import pytest

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _dt(torch_dtype) -> np.dtype:
    return np.dtype(str(torch_dtype).replace("torch.", ""))


@pytest.mark.parametrize("data", [
    [1.0, 2.5], [1, 2, 3], [True, False], [[1, 2], [3, 4]], 3, 2.5, True, [],
    [[1.5], [2.0]], np.float64(1.5), np.int32(7), [1, 2.0], [True, 2],
])
def test_tensor_dtype_and_values_match_torch(data):
    h, t = hw.tensor(data), torch.tensor(data)
    assert h.dtype == _dt(t.dtype)
    assert h.shape == tuple(t.shape)
    np.testing.assert_array_equal(h.numpy(), t.numpy())


@pytest.mark.host_only("NumPy data shares memory with a CPU tensor; a device upload copies")
def test_tensor_always_copies_where_as_tensor_shares():
    a = np.arange(3.0)
    t = hw.tensor(a, device="cpu")
    a[0] = 9.0
    assert t.tolist() == [0.0, 1.0, 2.0]
    assert hw.as_tensor(a, device="cpu").array is a
    src = hw.ones(2, requires_grad=True)
    c = hw.tensor(src)
    assert c.array is not src.array and not c.requires_grad and c.grad_fn is None


def test_tensor_arguments():
    t = hw.tensor([1, 2], dtype=hw.float64, device="cpu", requires_grad=True)
    assert t.dtype == hw.float64 and t.requires_grad and t.device == "cpu"
    assert hw.tensor([hw.tensor(1.0), hw.tensor(2.0)]).tolist() == [1.0, 2.0]
    with pytest.raises(hw.DTypeError, match="floating-point"):
        hw.tensor([1, 2], requires_grad=True)


def test_tensor_module_is_callable_and_still_the_package():
    import headwater.tensor as package
    from headwater.tensor.devices import Device

    assert hw.tensor is package and callable(package)
    assert package.Device is Device
    assert importlib.import_module("headwater.tensor") is package
    assert package([1.5]).tolist() == [1.5]


def test_device_objects_like_torch_device():
    for spec in ["cpu", "cuda", "cuda:0", "cuda:1"]:
        h, t = hw.device(spec), torch.device(spec)
        assert (h.type, h.index, str(h)) == (t.type, t.index, str(t))
        assert repr(h) == repr(t)
    assert hw.device("cuda", 1) == hw.device("cuda:1") and str(hw.device("cuda", 1)) == "cuda:1"
    assert isinstance(hw.device("cpu"), hw.device) and isinstance(hw.zeros(1).device, hw.device)
    assert hw.device() == hw.zeros(1).device
    assert hw.device("cpu") != hw.device("cuda") and hw.device("cuda:0") != "cuda:1"
    d = hw.device("cuda:0")
    assert copy.deepcopy(d) is d and pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(AttributeError, match="immutable"):
        d.type = "cpu"
    with pytest.raises(ValueError, match="cpu device has no index"):
        hw.device("cpu:1")


def test_device_objects_work_as_arguments():
    dev = hw.device("cpu")
    x = hw.zeros(2, device=dev)
    assert x.to(dev) is x and x.to(device=dev).device == dev
    assert hw.tensor([1.0], device=dev).device == "cpu"
    assert x.cpu() is x


@pytest.mark.skipif(hw.cuda.is_available(), reason="checks the answers without a GPU")
def test_cuda_answers_as_torch_does_without_a_gpu():
    assert hw.cuda.is_available() is False is torch.cuda.is_available()
    assert hw.cuda.device_count() == 0 == torch.cuda.device_count()
    assert hw.cuda.memory_allocated() == 0 and hw.cuda.max_memory_allocated() == 0
    assert hw.cuda.memory_reserved() == 0 and hw.cuda.is_bf16_supported() is False
    hw.cuda.manual_seed(0)
    hw.cuda.manual_seed_all(0)
    hw.cuda.empty_cache()
    for call in (hw.cuda.current_device, hw.cuda.get_device_name, hw.cuda.synchronize,
                 hw.cuda.reset_peak_memory_stats, hw.cuda.Event, hw.cuda.Stream):
        with pytest.raises(hw.DeviceUnavailableError, match="is_available"):
            call()
    with pytest.raises(hw.DeviceUnavailableError):
        hw.zeros(1).cuda()
    with pytest.raises(hw.DeviceUnavailableError):
        hw.nn.Linear(2, 2).cuda()


@pytest.mark.gpu
def test_cuda_on_a_gpu():
    assert hw.cuda.is_available() and hw.cuda.device_count() >= 1
    assert isinstance(hw.cuda.get_device_name(), str) and hw.cuda.current_device() == 0
    hw.cuda.reset_peak_memory_stats()
    before = hw.cuda.memory_allocated()
    x = hw.zeros(1 << 20, device="cuda")
    assert hw.cuda.memory_allocated() >= before + (1 << 22)
    assert hw.cuda.max_memory_allocated() >= hw.cuda.memory_allocated()
    assert x.device == hw.device("cuda:0") and str(x.device) == "cuda:0"
    start, end = hw.cuda.Event(enable_timing=True), hw.cuda.Event(enable_timing=True)
    start.record()
    y = (x + 1).sum()
    end.record()
    end.synchronize()
    assert start.elapsed_time(end) >= 0 and y.item() == 1 << 20
    s = hw.cuda.Stream()
    with hw.cuda.stream(s):
        z = x * 2
    s.synchronize()
    assert z.cpu().sum().item() == 0
    m = hw.nn.Linear(2, 2).cuda()
    assert m.weight.device == "cuda" and m.cpu().weight.device == "cpu"
    del x
    hw.cuda.empty_cache()


def test_dtype_aliases_and_default_dtype():
    pairs = {"long": "int64", "int": "int32", "short": "int16", "half": "float16",
             "float": "float32", "double": "float64", "bool": "bool", "uint8": "uint8",
             "int8": "int8"}
    for name, expected in pairs.items():
        assert getattr(hw, name) == np.dtype(expected) == _dt(getattr(torch, name))
    assert all(isinstance(getattr(hw, n), hw.dtype) for n in ("float32", "int64", "bool_", "uint8"))
    with pytest.raises(hw.DTypeError, match="bfloat16 is not supported"):
        hw.zeros(2, dtype=hw.bfloat16)
    with pytest.raises(hw.DTypeError, match="bfloat16"):
        hw.ones(2).to("bfloat16")
    assert hw.get_default_dtype() == hw.float32
    hw.set_default_dtype(hw.float64)
    try:
        assert hw.tensor([1.5]).dtype == hw.float64 and hw.finfo().bits == 64
    finally:
        hw.set_default_dtype(hw.float32)


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name):
    h, t = hw.finfo(getattr(hw, name)), torch.finfo(getattr(torch, name))
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(h, attr) == getattr(t, attr), attr


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name):
    h, t = hw.iinfo(getattr(hw, name)), torch.iinfo(getattr(torch, name))
    assert (h.bits, h.min, h.max) == (t.bits, t.min, t.max)
    with pytest.raises(hw.DTypeError, match="finfo"):
        hw.iinfo(hw.float32)


def test_constants_and_small_names():
    assert (hw.nan != hw.nan, hw.inf, hw.pi, hw.e) == (True, torch.inf, torch.pi, torch.e)
    assert hw.is_tensor(hw.zeros(1)) and not hw.is_tensor(np.zeros(1))
    assert hw.numel(hw.zeros(2, 3)) == 6 and hw.is_floating_point(hw.zeros(1))
    assert not hw.is_floating_point(hw.arange(2))
    with pytest.raises(TypeError, match="Tensor"):
        hw.numel([1, 2])
    assert hw.backends.mps.is_available() is False
    assert hw.backends.cudnn.enabled is True
    hw.backends.cudnn.benchmark = True
    assert hw.backends.cudnn.is_available() == hw.cuda.is_available()


def test_threads_round_trip():
    before = hw.get_num_threads()
    try:
        hw.set_num_threads(1)
        assert hw.get_num_threads() == 1
    finally:
        hw.set_num_threads(before)
    with pytest.raises(ValueError, match="positive"):
        hw.set_num_threads(0)


@pytest.mark.host_only("NumPy data shares memory with a CPU tensor; a device upload copies")
def test_from_numpy_shares_memory_both_ways():
    a = np.arange(4, dtype=np.int32)
    t = hw.from_numpy(a)
    assert t.dtype == hw.int32 and t.device == "cpu"
    t.array[1] = 10
    a[0] = 5
    assert t.tolist() == [5, 10, 2, 3] == torch.from_numpy(a).tolist()
    with pytest.raises(TypeError, match="numpy.ndarray"):
        hw.from_numpy([1, 2])


def test_size_is_a_tuple_like_torch_size():
    h, t = hw.zeros(2, 3, 4), torch.zeros(2, 3, 4)
    assert isinstance(h.shape, hw.Size) and isinstance(h.size(), tuple)
    assert h.shape == t.shape and h.size(1) == t.size(1)
    assert h.shape.numel() == t.shape.numel() and isinstance(h.shape[1:], hw.Size)
    assert tuple(h.shape[1:]) == tuple(t.shape[1:]) and isinstance(h.shape + (5,), hw.Size)
    assert hw.zeros(h.shape[::-1]).shape == (4, 3, 2)
    assert pickle.loads(pickle.dumps(h.shape)) == (2, 3, 4)


@pytest.mark.parametrize("shape,perm", [((2, 3), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((5,), (0,))])
def test_stride_and_contiguity_match_torch(shape, perm):
    h = hw.zeros(*shape).permute(*perm)
    t = torch.zeros(*shape).permute(*perm)
    assert h.stride() == t.stride() and h.stride(0) == t.stride(0)
    assert h.is_contiguous() == t.is_contiguous()
    assert h.contiguous().is_contiguous() and h.contiguous().stride() == t.contiguous().stride()


def test_new_and_like_factories_match_torch():
    h, t = hw.ones(2, dtype=hw.float64), torch.ones(2, dtype=torch.float64)
    for name, args in [("new_zeros", (3, 2)), ("new_ones", ((3,),)), ("new_empty", (2,))]:
        ho, to = getattr(h, name)(*args), getattr(t, name)(*args)
        assert ho.shape == tuple(to.shape) and ho.dtype == _dt(to.dtype)
        if name != "new_empty":
            assert ho.tolist() == to.tolist()
    assert h.new_full((2,), 7).tolist() == t.new_full((2,), 7).tolist()
    assert h.new_tensor([1, 2]).dtype == _dt(t.new_tensor([1, 2]).dtype)
    assert h.new_zeros(2, dtype=hw.int32).dtype == hw.int32
    assert h.new_ones(2, requires_grad=True).requires_grad


def test_type_and_type_as_match_torch():
    h, t = hw.ones(2), torch.ones(2)
    assert h.type() == t.type()
    assert h.long().type() == t.long().type()
    assert h.type(hw.float64).dtype == _dt(t.type(torch.float64).dtype)
    assert h.type("torch.LongTensor").dtype == _dt(t.type("torch.LongTensor").dtype)
    assert h.type_as(hw.arange(2)).dtype == hw.int64
    x = hw.ones(2, requires_grad=True)
    x.type(hw.float64).sum().backward()
    assert x.grad.dtype == hw.float32 and x.grad.tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="unknown tensor type"):
        h.type("torch.NopeTensor")


def test_deepcopy_of_tensors_and_models():
    x = hw.ones(2, requires_grad=True)
    x.grad = hw.zeros(2)
    y = copy.deepcopy(x)
    assert y.requires_grad and y.array is not x.array and y.grad.tolist() == [0.0, 0.0]
    model = hw.nn.Sequential(hw.nn.Linear(3, 2), hw.nn.ReLU())
    clone = copy.deepcopy(model)
    clone[0].weight.data.add_(1.0)
    assert not np.allclose(clone[0].weight.detach().numpy(), model[0].weight.detach().numpy())
    inp = hw.ones(1, 3)
    with hw.no_grad():
        np.testing.assert_allclose(model(inp).numpy(), copy.deepcopy(model)(inp).numpy())
