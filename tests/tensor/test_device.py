"""Device selection: HEADWATER_DEVICE, hw.set_device, hw.device, missing-GPU errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import headwater as hw
from headwater.tensor import devices as device_mod
from headwater.tensor.backend.cuda import cuda_status

CUDA_OK, _ = cuda_status()


def _run(code: str, env_device: str | None) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ)
    env.pop("HEADWATER_DEVICE", None)
    if env_device is not None:
        env["HEADWATER_DEVICE"] = env_device
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_device_parses_names_like_torch_device():
    assert hw.device("cpu") == hw.device("CPU") == "cpu"
    assert hw.device("cuda:0").type == "cuda"
    assert repr(hw.device("cpu")) == "device(type='cpu')"
    assert hash(hw.device("cpu")) == hash(hw.Device("cpu"))


@pytest.mark.parametrize("bad", ["tpu", "cuda:7x", ""])
def test_unknown_device_name_is_a_value_error(bad):
    with pytest.raises(ValueError, match="use 'cpu' or 'cuda'"):
        hw.device(bad)


def test_device_type_error_names_the_type():
    with pytest.raises(TypeError, match="float"):
        hw.Device(3.5)  # type: ignore[arg-type]
    assert hw.Device(0) == "cuda:0"  # an int is a GPU index, as in torch


@pytest.mark.host_only("asserts that the CPU namespace is NumPy itself")
def test_set_device_cpu_changes_the_default_and_the_backend():
    before = hw.device()
    try:
        hw.set_device("cpu")
        assert hw.device() == "cpu"
        assert hw.get_backend().xp is np
        assert "set_device" in device_mod.device_choice_reason()
    finally:
        hw.set_device(before)


@pytest.mark.skipif(CUDA_OK, reason="checks the error raised on a machine without a GPU")
def test_cuda_without_gpu_raises_device_unavailable_with_the_fix():
    before = hw.device()
    with pytest.raises(hw.DeviceUnavailableError) as info:
        hw.set_device("cuda")
    message = str(info.value)
    assert "cuda" in message and "HEADWATER_DEVICE=cpu" in message
    assert hw.device() == before, "a failed set_device must not change the default"
    with pytest.raises(hw.DeviceUnavailableError):
        hw.get_backend("cuda")


@pytest.mark.skipif(CUDA_OK, reason="checks the error raised on a machine without a GPU")
def test_env_cuda_without_gpu_fails_loudly_not_silently():
    proc = _run("import headwater as hw; hw.device()", "cuda")
    assert proc.returncode != 0
    assert "DeviceUnavailableError" in proc.stderr


def test_env_cpu_and_auto_choose_a_device():
    proc = _run("import headwater as hw; print(hw.device())", "cpu")
    assert proc.stdout.strip() == "cpu", proc.stderr
    proc = _run("import headwater as hw; print(hw.device())", None)
    assert proc.stdout.strip() == ("cuda" if CUDA_OK else "cpu"), proc.stderr


def test_env_garbage_names_the_variable():
    proc = _run("import headwater as hw; hw.device()", "quantum")
    assert proc.returncode != 0
    assert "HEADWATER_DEVICE='quantum'" in proc.stderr


def test_backend_of_refuses_mixed_devices(monkeypatch):
    cpu = hw.get_backend("cpu")

    class FakeGpuArray:  # stands for an array owned by another backend
        pass

    fake = object.__new__(type(cpu))
    monkeypatch.setattr(device_mod, "_owner", lambda a: fake if isinstance(a, FakeGpuArray) else cpu)
    fake.name = "cuda"
    with pytest.raises(hw.DeviceMismatchError, match="cpu and cuda"):
        device_mod.backend_of(np.zeros(2), FakeGpuArray())


def test_backend_of_ignores_python_scalars():
    assert device_mod.backend_of(1, 2.0, None, np.zeros(1)).name == "cpu"


@pytest.mark.gpu
def test_cuda_backend_round_trip():
    backend = hw.get_backend("cuda")
    hw.reset_transfer_stats()
    on_gpu = backend.to_device(np.arange(4, dtype=np.int64))
    assert backend.owns(on_gpu)
    back = backend.to_host(on_gpu)
    assert back.tolist() == [0, 1, 2, 3]
    stats = hw.transfer_stats()
    assert (stats.to_device_calls, stats.to_host_calls) == (1, 1)
    assert stats.to_host_bytes == 32
