"""Display options: ``hw.set_option / get_option / reset_option / option_context /
options``, as pandas' (the ``display.*`` family that frame reprs read)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["set_option", "get_option", "reset_option", "option_context", "options", "describe_option"]

_DEFAULTS: dict[str, Any] = {
    "display.max_rows": 60,
    "display.min_rows": 10,
    "display.max_columns": 20,
    "display.width": 80,
    "display.precision": 6,
    "display.max_colwidth": 50,
    "display.float_format": None,
    "display.show_dimensions": "truncate",
    "display.large_repr": "truncate",
    "mode.copy_on_write": True,
    "future.infer_string": True,
}
_VALUES: dict[str, Any] = dict(_DEFAULTS)


def _key(pattern: str) -> str:
    if pattern in _VALUES:
        return pattern
    matches = [k for k in _VALUES if k.endswith("." + pattern) or pattern in k]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise KeyError(f"no option {pattern!r}; options are {sorted(_VALUES)}")
    raise KeyError(f"option {pattern!r} is ambiguous: {sorted(matches)}")


def get_option(pattern: str) -> Any:
    """The value of an option (a full name such as ``"display.max_rows"`` or a unique part).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.get_option("display.max_rows")
    60
    """
    return _VALUES[_key(pattern)]


def set_option(*args: Any) -> None:
    """Set options: ``set_option("display.max_rows", 100)`` (pairs may repeat).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.set_option("display.max_rows", 5); hw.get_option("max_rows")
    5
    >>> hw.reset_option("display.max_rows")
    """
    if len(args) % 2 or not args:
        raise ValueError("set_option takes name, value pairs")
    for name, value in zip(args[::2], args[1::2]):
        key = _key(name)
        default = _DEFAULTS[key]
        if isinstance(default, int) and not isinstance(default, bool) and value is not None and not isinstance(value, int):
            raise ValueError(f"option {key!r} takes an integer (or None), got {value!r}")
        _VALUES[key] = value


def reset_option(pattern: str) -> None:
    """Back to the default (``"all"`` resets every option)."""
    keys = list(_VALUES) if pattern == "all" else [_key(pattern)]
    for key in keys:
        _VALUES[key] = _DEFAULTS[key]


def describe_option(pattern: str = "") -> None:
    """Print options and their values."""
    for key in sorted(_VALUES):
        if pattern in key:
            print(f"{key}: {_VALUES[key]!r} [default: {_DEFAULTS[key]!r}]")


@contextlib.contextmanager
def option_context(*args: Any) -> Iterator[None]:
    """Options set inside a ``with`` block, restored after it.

    Examples
    --------
    >>> import headwater as hw
    >>> with hw.option_context("display.max_rows", 3):
    ...     hw.get_option("display.max_rows")
    3
    """
    saved = {_key(name): get_option(name) for name in args[::2]}
    set_option(*args)
    try:
        yield
    finally:
        _VALUES.update(saved)


class _Options:
    """``hw.options.display.max_rows = 100``: attribute access to the options."""

    def __init__(self, prefix: str = "") -> None:
        object.__setattr__(self, "_prefix", prefix)

    def _full(self, name: str) -> str:
        return f"{self._prefix}.{name}" if self._prefix else name

    def __getattr__(self, name: str) -> Any:
        full = self._full(name)
        if full in _VALUES:
            return _VALUES[full]
        if any(k.startswith(full + ".") for k in _VALUES):
            return _Options(full)
        raise AttributeError(f"no option {full!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        full = self._full(name)
        if full not in _VALUES:
            raise AttributeError(f"no option {full!r}")
        set_option(full, value)

    def __dir__(self) -> list[str]:
        depth = len(self._prefix.split(".")) if self._prefix else 0
        return sorted({k.split(".")[depth] for k in _VALUES if k.startswith(self._prefix)})


options = _Options()
