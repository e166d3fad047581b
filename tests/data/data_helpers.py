"""Comparing batches from hw.utils.data with batches from torch.utils.data."""

from __future__ import annotations

from typing import Any

import numpy as np

import headwater as hw


def plain(batch: Any) -> Any:
    """A batch as nested Python containers of ("tensor", dtype name, NumPy array) leaves.

    Works for Headwater and torch batches alike, so one ``==``-style comparison checks
    structure, container types, dtypes and values.
    """
    if isinstance(batch, hw.Tensor):
        return ("tensor", str(batch.dtype), batch.numpy())
    if type(batch).__module__.startswith("torch") and hasattr(batch, "numpy"):
        return ("tensor", str(batch.dtype).replace("torch.", ""), batch.numpy())
    if isinstance(batch, dict):
        return {k: plain(v) for k, v in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return (type(batch).__name__, tuple(plain(v) for v in batch))
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [plain(v) for v in batch])
    return batch


def assert_same(ours: Any, theirs: Any) -> None:
    a, b = plain(ours), plain(theirs)
    _compare(a, b, "batch")


def _compare(a: Any, b: Any, where: str) -> None:
    if isinstance(a, tuple) and len(a) == 3 and a[0] == "tensor":
        assert isinstance(b, tuple) and b[0] == "tensor", f"{where}: {a!r} against {b!r}"
        assert a[1] == b[1], f"{where}: dtype {a[1]} against {b[1]}"
        np.testing.assert_array_equal(a[2], b[2], err_msg=where)
        return
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), f"{where}: keys {list(a)} against {b!r}"
        for k in a:
            _compare(a[k], b[k], f"{where}[{k!r}]")
        return
    if isinstance(a, tuple) and len(a) == 2 and isinstance(a[1], (list, tuple)):
        assert isinstance(b, tuple) and a[0] == b[0], f"{where}: container {a[0]} against {b!r}"
        assert len(a[1]) == len(b[1]), f"{where}: lengths {len(a[1])} and {len(b[1])}"
        for i, (x, y) in enumerate(zip(a[1], b[1])):
            _compare(x, y, f"{where}[{i}]")
        return
    assert a == b, f"{where}: {a!r} against {b!r}"
