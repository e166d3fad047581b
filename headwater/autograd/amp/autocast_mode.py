"""``autocast``: mixed precision for matrix products on the GPU.

Inside an enabled ``autocast("cuda")`` region, ``matmul`` and ``linear`` (and so
``nn.Linear``, ``mm``, ``bmm``, ``addmm``...) cast their floating inputs to the
region's dtype (float16) and compute there; ``softmax`` and ``log_softmax`` (and so
``cross_entropy``) compute in float32. The casts are recorded ops, so gradients
flow back to float32 master weights in float32, as in PyTorch. Every other op runs
in the dtype it is given (mixed float16/float32 operands promote to float32).

On the CPU autocast is a documented no-op: NumPy has no fast float16 (or bfloat16)
matrix products, so ``autocast("cpu")`` leaves every op in float32 and scripts run
unchanged. ``autocast("cuda")`` without a GPU warns and disables itself, as PyTorch
does.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from headwater.tensor.tensor import Tensor

__all__ = ["autocast", "is_autocast_enabled", "get_autocast_dtype", "lower_precision", "full_precision"]

F = TypeVar("F", bound=Callable[..., Any])

_DEVICES = ("cuda", "cpu")
_enabled = {"cuda": False, "cpu": False}
_dtypes: dict[str, Any] = {"cuda": np.dtype("float16"), "cpu": "bfloat16"}
# True only while CUDA autocast is on: the one check the ops make on their fast path
active = False


def _cuda_available() -> bool:
    from headwater.tensor.devices import get_backend

    try:
        get_backend("cuda")
    except Exception:
        return False
    return True


def is_autocast_enabled(device_type: str = "cuda") -> bool:
    """Whether autocast is on for ``device_type`` (``"cuda"`` by default).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.amp.is_autocast_enabled("cpu")
    False
    >>> with hw.autocast("cpu"):
    ...     hw.amp.is_autocast_enabled("cpu")
    True
    """
    return _enabled[_device_type(device_type)]


def get_autocast_dtype(device_type: str = "cuda") -> Any:
    """The lower-precision dtype autocast uses on ``device_type``."""
    return _dtypes[_device_type(device_type)]


def _device_type(device_type: Any) -> str:
    name = getattr(device_type, "type", device_type)
    if not isinstance(name, str) or name.split(":")[0] not in _DEVICES:
        raise ValueError(f"autocast: device_type must be 'cuda' or 'cpu', got {device_type!r}")
    return name.split(":")[0]


class autocast:
    """Mixed precision for a region, as ``torch.autocast``: a context manager or a
    decorator.

    Parameters
    ----------
    device_type : str
        ``"cuda"`` (float16 matrix products on CuPy) or ``"cpu"`` (a no-op: NumPy
        has no fast half-precision matrix products).
    dtype : dtype, optional
        ``hw.float16`` (the default on CUDA). bfloat16 on CUDA raises: CuPy has no
        bfloat16 arrays.
    enabled : bool
        False makes the region a no-op (also inside an enabled region).
    cache_enabled : bool, optional
        Accepted for PyTorch's signature; casts are not cached.

    Examples
    --------
    >>> import headwater as hw
    >>> model = hw.nn.Linear(4, 2)
    >>> with hw.autocast("cpu"):
    ...     out = model(hw.ones(3, 4))
    >>> out.dtype
    dtype('float32')
    """

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        self.device = _device_type(device_type)
        self.enabled = bool(enabled)
        if self.device == "cuda":
            if dtype is not None and "bfloat16" in str(dtype):
                raise TypeError("autocast('cuda', dtype=bfloat16): CuPy has no bfloat16; use hw.float16")
            self.dtype = np.dtype("float16") if dtype is None else np.dtype(dtype)
            if self.dtype != np.dtype("float16"):
                raise TypeError(f"autocast('cuda') computes in float16, got dtype={self.dtype}")
            if self.enabled and not _cuda_available():
                warnings.warn(
                    "User provided device_type of 'cuda', but CUDA is not available. Disabling",
                    UserWarning, stacklevel=2,
                )
                self.enabled = False
        else:
            self.dtype = "bfloat16" if dtype is None else dtype

    def __enter__(self) -> autocast:
        global active
        self.__dict__.setdefault("_prev", []).append((_enabled[self.device], _dtypes[self.device]))
        _enabled[self.device] = self.enabled
        if self.enabled:
            _dtypes[self.device] = self.dtype
        active = _enabled["cuda"]
        return self

    def __exit__(self, *exc: Any) -> None:
        global active
        _enabled[self.device], _dtypes[self.device] = self._prev.pop()
        active = _enabled["cuda"]

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:  # re-entrant: each entry pushes the state it restores
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def _cast(tensors: tuple, want: Any, only_from: Any = None) -> tuple:
    from headwater.autograd.ops.conversion import to

    out = []
    for t in tensors:
        if (isinstance(t, Tensor) and t.is_cuda and t.array.dtype.kind == "f" and t.array.dtype != want
                and (only_from is None or t.array.dtype == only_from)):
            t = to(t, want)
        out.append(t)
    return tuple(out)


def lower_precision(*tensors: Any) -> tuple:
    """The operands of a matrix product under CUDA autocast: floating CUDA tensors
    cast (recorded, so differentiable) to the region's dtype. Callers check
    :data:`active` first."""
    return _cast(tensors, _dtypes["cuda"])


def full_precision(*tensors: Any) -> tuple:
    """The operands of a precision-sensitive op (softmax) under CUDA autocast:
    float16 CUDA tensors cast to float32."""
    return _cast(tensors, np.dtype("float32"), np.dtype("float16"))
