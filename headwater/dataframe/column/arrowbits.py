"""Moving Arrow buffers onto the device: fixed-width data and bit-packed validity.

Arrow packs validity (and booleans) as bits; columns keep one byte per row. Bits are
uploaded packed (an eighth of the bytes) and unpacked on the device. Fixed-width data
buffers are wrapped with ``np.frombuffer`` (no copy) before the one counted upload,
which on the CPU hands the same memory over.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from headwater.tensor.backend.base import Backend

__all__ = ["upload_validity", "upload_fixed", "upload_bits", "host_validity"]


def _unpack(buf: pa.Buffer, offset: int, length: int, backend: Backend) -> Any:
    xp = backend.xp
    first = offset // 8
    last = (offset + length + 7) // 8
    bits = np.frombuffer(buf, dtype=np.uint8)[first:last]
    device_bits = backend.to_device(bits)
    start = offset - first * 8
    return xp.unpackbits(device_bits, bitorder="little")[start : start + length].astype(bool)


def upload_validity(arr: pa.Array, backend: Backend) -> Any:
    """The validity of ``arr`` as an xp bool array, or ``None`` when it has no nulls."""
    if arr.null_count == 0:
        return None
    buf = arr.buffers()[0]
    if buf is None:  # an all-null array of the null type carries no bitmap
        return backend.xp.zeros(len(arr), dtype=bool)
    return _unpack(buf, arr.offset, len(arr), backend)


def upload_fixed(arr: pa.Array, dtype: np.dtype, backend: Backend) -> Any:
    """The data buffer of a fixed-width array, viewed without a copy, then uploaded."""
    dtype = np.dtype(dtype)
    buf = arr.buffers()[1]
    if buf is None or len(arr) == 0:
        return backend.to_device(np.zeros(len(arr), dtype=dtype))
    host = np.frombuffer(buf, dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize)
    return backend.to_device(host)


def upload_bits(arr: pa.Array, backend: Backend) -> Any:
    """The values of a boolean Arrow array as an xp bool array."""
    buf = arr.buffers()[1]
    if buf is None or len(arr) == 0:
        return backend.to_device(np.zeros(len(arr), dtype=bool))
    return _unpack(buf, arr.offset, len(arr), backend)


def host_validity(mask: np.ndarray | None) -> np.ndarray | None:
    """The ``mask=`` argument pyarrow wants (True = null) from a host validity mask."""
    return None if mask is None else ~mask
