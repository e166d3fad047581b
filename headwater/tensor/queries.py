"""Small questions torch answers as functions: ``is_tensor``, ``numel``, threads."""

from __future__ import annotations

import os
from typing import Any

from headwater.tensor.backend import threads
from headwater.tensor.tensor import Tensor

__all__ = ["is_tensor", "numel", "is_floating_point", "set_num_threads", "get_num_threads"]


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a Tensor (Parameters included).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.is_tensor(hw.zeros(1)), hw.is_tensor([1.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


def _tensor(input: Any, name: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}() expects a Tensor, got {type(input).__name__}; "
                        f"wrap data with hw.tensor(...) first")
    return input


def numel(input: Tensor) -> int:
    """The number of elements of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.numel(hw.zeros(2, 3))
    6
    """
    return _tensor(input, "numel").numel()


def is_floating_point(input: Tensor) -> bool:
    """Whether ``input`` has a float dtype.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.is_floating_point(hw.zeros(1)), hw.is_floating_point(hw.arange(2))
    (True, False)
    """
    return _tensor(input, "is_floating_point").is_floating_point()


def set_num_threads(num: int) -> None:
    """Use ``num`` CPU threads: for Headwater's host kernels (``HEADWATER_NUM_THREADS``)
    and, when ``threadpoolctl`` is installed, for NumPy's BLAS (matrix products).

    Examples
    --------
    >>> import headwater as hw
    >>> before = hw.get_num_threads()
    >>> hw.set_num_threads(1); hw.get_num_threads()
    1
    >>> hw.set_num_threads(before)
    """
    if not isinstance(num, int) or isinstance(num, bool) or num < 1:
        raise ValueError(f"set_num_threads needs a positive int, got {num!r}")
    os.environ["HEADWATER_NUM_THREADS"] = str(num)
    try:
        import threadpoolctl
    except ImportError:  # BLAS keeps its own setting (OMP_NUM_THREADS at start-up)
        return
    threadpoolctl.threadpool_limits(num, user_api="blas")


def get_num_threads() -> int:
    """The CPU threads Headwater's host kernels use (see :func:`set_num_threads`).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.get_num_threads() >= 1
    True
    """
    return threads.num_threads()
