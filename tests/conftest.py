"""Shared test configuration: markers, the device under test, reference helpers.

The suite runs on the default device (``HEADWATER_DEVICE``, ``auto`` by default), so
the same tests run on the CPU in CI and on a GPU with ``HEADWATER_DEVICE=cuda``.
"""

from __future__ import annotations

import importlib.util

import pytest

import headwater as hw
from headwater.tensor.backend.cuda import cuda_status

_CUDA_OK, _CUDA_WHY = cuda_status()
_TORCH_OK = importlib.util.find_spec("torch") is not None
_HOST_ARRAYS = hw.get_backend().xp is __import__("numpy")  # False on a GPU and under cpu-strict


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_gpu = pytest.mark.skip(reason=f"needs a usable CUDA GPU: {_CUDA_WHY}")
    skip_torch = pytest.mark.skip(reason="needs PyTorch as a test oracle: pip install torch==2.13.0")
    for item in items:
        if "gpu" in item.keywords and not _CUDA_OK:
            item.add_marker(skip_gpu)
        if "torch" in item.keywords and not _TORCH_OK:
            item.add_marker(skip_torch)
        marker = item.get_closest_marker("host_only")
        if marker is not None and not _HOST_ARRAYS:
            why = marker.args[0] if marker.args else marker.kwargs.get("reason", "host-only behaviour")
            item.add_marker(pytest.mark.skip(reason=f"host arrays only: {why}"))


@pytest.fixture
def device() -> hw.Device:
    """The device the suite runs on."""
    return hw.device()


@pytest.fixture
def xp():
    """The array namespace of the device under test (numpy or cupy)."""
    return hw.get_backend().xp


@pytest.fixture(autouse=True)
def _fresh_transfer_counter():
    hw.reset_transfer_stats()
    yield
