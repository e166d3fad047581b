"""How tensors print: ``set_printoptions`` (torch's spelling) and the formatter
``Tensor.__repr__`` uses.

The options are process-wide, as torch's: ``precision`` (digits after the point),
``threshold`` (above this many elements the middle is summarised with ``...``),
``edgeitems`` (items kept at each end when summarised), ``linewidth`` (characters
per line) and ``sci_mode`` (``True`` always scientific, ``False`` never, ``None``
NumPy's choice). ``profile`` sets them all at once: ``"default"``, ``"short"`` or
``"full"``.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

__all__ = ["set_printoptions", "format_array"]

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}
_options: dict[str, Any] = dict(_PROFILES["default"], sci_mode=None)


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Set how tensors print, as ``torch.set_printoptions``; arguments left ``None``
    keep their value (a ``profile`` first resets the four sizes).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.set_printoptions(precision=2)
    >>> hw.as_tensor([1.2345, 2.5])
    tensor([1.23, 2.50])
    >>> hw.set_printoptions(profile="default")
    >>> hw.as_tensor([1.2345, 2.5])
    tensor([1.2345, 2.5000])
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"set_printoptions: profile must be one of {', '.join(_PROFILES)}, got {profile!r}")
        _options.update(_PROFILES[profile])
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            if value < 0:
                raise ValueError(f"set_printoptions: {name} must be non-negative, got {value}")
            _options[name] = value
    # as torch: sci_mode=None (the default) goes back to the automatic choice
    _options["sci_mode"] = None if sci_mode is None else bool(sci_mode)


def get_printoptions() -> dict[str, Any]:
    """The current options (a copy); internal, torch has no such function."""
    return dict(_options)


def format_array(host: np.ndarray, prefix: str) -> str:
    """The body of a tensor's repr: ``host`` (a NumPy array) under the options."""
    opts = _options
    threshold = opts["threshold"]
    threshold = sys.maxsize if threshold == math.inf else int(threshold)
    kwargs: dict[str, Any] = dict(
        separator=", ", prefix=prefix, precision=opts["precision"], threshold=threshold,
        edgeitems=opts["edgeitems"], max_line_width=opts["linewidth"],
    )
    if host.dtype.kind == "f" and host.size:
        finite = np.isfinite(host)
        fixed = bool(finite.all()) and not bool((host == np.round(host)).all())
        kwargs["floatmode"] = "fixed" if fixed else "maxprec"
        if opts["sci_mode"] is True:
            digits = opts["precision"]
            kwargs["formatter"] = {"float_kind": lambda v: np.format_float_scientific(
                v, precision=digits, unique=False, exp_digits=2)}
        elif opts["sci_mode"] is False:
            kwargs["suppress_small"] = True
            kwargs["floatmode"] = "fixed"
    return np.array2string(host, **kwargs)
