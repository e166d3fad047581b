"""Whether operations are recorded for ``backward``: ``hw.no_grad`` and friends.

The switch is process-wide (not per thread), which is enough for training loops and
data-loading threads that do not build graphs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
    "is_inference_mode_enabled",
]

F = TypeVar("F", bound=Callable[..., Any])

_enabled = True
_inference = False


def is_grad_enabled() -> bool:
    """True while operations are recorded.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.is_grad_enabled()
    True
    """
    return _enabled


class set_grad_enabled:
    """Turn recording on or off, as a call, a context manager or a decorator.

    Examples
    --------
    >>> import headwater as hw
    >>> with hw.set_grad_enabled(False):
    ...     hw.is_grad_enabled()
    False
    """

    def __init__(self, mode: bool) -> None:
        global _enabled
        self.prev = _enabled
        self.mode = bool(mode)
        _enabled = self.mode

    def __enter__(self) -> None:
        global _enabled
        _enabled = self.mode

    def __exit__(self, *exc: Any) -> None:
        global _enabled
        _enabled = self.prev

    def __call__(self, fn: F) -> F:
        mode = self.mode
        global _enabled
        _enabled = self.prev  # decorating must not leave the switch changed

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _GradSwitch:
    mode = True

    def __new__(cls, fn: Any = None) -> Any:
        self = super().__new__(cls)
        if callable(fn):  # used as a decorator without parentheses: @hw.no_grad
            return self(fn)
        return self

    def __init__(self, fn: Any = None) -> None:
        pass

    def __enter__(self) -> None:
        global _enabled
        self.prev = _enabled
        _enabled = self.mode

    def __exit__(self, *exc: Any) -> None:
        global _enabled
        _enabled = self.prev

    def __call__(self, fn: F) -> F:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            global _enabled
            prev = _enabled
            _enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                _enabled = prev

        return wrapper  # type: ignore[return-value]


class no_grad(_GradSwitch):
    """Stop recording operations, as a context manager or a decorator.

    Use it for evaluation and for in-place parameter updates.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(2, requires_grad=True)
    >>> with hw.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    >>> @hw.no_grad()
    ... def double(t):
    ...     return t * 2
    >>> double(x).requires_grad
    False
    >>> @hw.no_grad
    ... def triple(t):
    ...     return t * 3
    >>> triple(x).requires_grad
    False
    """

    mode = False


class enable_grad(_GradSwitch):
    """Record operations again inside a ``no_grad`` block.

    Examples
    --------
    >>> import headwater as hw
    >>> with hw.no_grad():
    ...     with hw.enable_grad():
    ...         hw.is_grad_enabled()
    True
    """

    mode = True


def is_inference_mode_enabled() -> bool:
    """True inside an enabled :class:`inference_mode` block.

    Examples
    --------
    >>> import headwater as hw
    >>> with hw.inference_mode():
    ...     hw.is_inference_mode_enabled()
    True
    """
    return _inference


class inference_mode:
    """Run without recording, as ``torch.inference_mode``: a context manager or a
    decorator (with or without parentheses); ``inference_mode(False)`` changes
    nothing.

    Headwater has no separate "inference tensors": inside the block nothing is
    recorded, exactly as under :class:`no_grad` (which has no bookkeeping cost to
    save), and tensors made there can be used in autograd later.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(2, requires_grad=True)
    >>> with hw.inference_mode():
    ...     y = x * 2
    >>> y.requires_grad
    False
    >>> @hw.inference_mode
    ... def predict(t):
    ...     return t * 3
    >>> predict(x).requires_grad, hw.is_grad_enabled()
    (False, True)
    """

    def __new__(cls, mode: Any = True) -> Any:
        self = super().__new__(cls)
        if callable(mode):  # used bare: @hw.inference_mode
            self.__init__(True)
            return self(mode)
        return self

    def __init__(self, mode: Any = True) -> None:
        self.mode = bool(mode)

    def __enter__(self) -> None:
        global _enabled, _inference
        self.prev = (_enabled, _inference)
        if self.mode:
            _enabled, _inference = False, True

    def __exit__(self, *exc: Any) -> None:
        global _enabled, _inference
        _enabled, _inference = self.prev

    def __call__(self, fn: F) -> F:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
