"""The transfer counter: every host crossing is counted, on every device."""

from __future__ import annotations

import numpy as np

import headwater as hw
from headwater.tensor.transfer import to_host


def test_counter_starts_at_zero_after_reset():
    hw.reset_transfer_stats()
    assert hw.transfer_stats() == hw.TransferStats()
    assert hw.transfer_stats().calls == 0


def test_to_host_counts_calls_and_bytes_even_on_cpu():
    a = np.zeros(10, dtype=np.float64)
    hw.reset_transfer_stats()
    out = to_host(a)
    assert out is a, "the CPU hand-over must not copy"
    to_host(np.float32(1.0))
    stats = hw.transfer_stats()
    assert stats.to_host_calls == 2
    assert stats.to_host_bytes == 80 + 4


def test_upload_counts_through_the_backend(xp):
    backend = hw.get_backend()
    hw.reset_transfer_stats()
    arr = backend.to_device([1, 2, 3], dtype=np.int32)
    assert isinstance(arr, xp.ndarray)
    stats = hw.transfer_stats()
    assert stats.to_device_calls == 1 and stats.to_device_bytes == 12
    assert stats.to_host_calls == 0


def test_stats_difference_and_dict():
    hw.reset_transfer_stats()
    before = hw.transfer_stats()
    to_host(np.ones(3, dtype=np.int8))
    delta = hw.transfer_stats() - before
    assert delta.as_dict() == {
        "to_host_calls": 1,
        "to_host_bytes": 3,
        "to_device_calls": 0,
        "to_device_bytes": 0,
    }
    assert delta.bytes == 3
