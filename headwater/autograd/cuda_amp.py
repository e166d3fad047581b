"""``hw.cuda.amp``: the older ``torch.cuda.amp`` spellings of mixed precision.

``hw.cuda.amp.autocast(...)`` is ``hw.autocast("cuda", ...)`` and
``hw.cuda.amp.GradScaler(...)`` is ``hw.amp.GradScaler("cuda", ...)``; the work is
done by :mod:`headwater.autograd.amp`, loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["autocast", "GradScaler"]


def _amp() -> Any:
    try:
        return importlib.import_module("headwater.autograd.amp")
    except ModuleNotFoundError as exc:  # pragma: no cover - until amp lands
        raise NotImplementedError(
            "mixed precision (headwater.autograd.amp) is not available in this build; "
            "run in float32 without autocast/GradScaler"
        ) from exc


def autocast(enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> Any:
    """``hw.autocast("cuda", dtype, enabled, cache_enabled)``, as ``torch.cuda.amp.autocast``."""
    kwargs: dict[str, Any] = {"enabled": enabled, "cache_enabled": cache_enabled}
    if dtype is not None:
        kwargs["dtype"] = dtype
    return _amp().autocast("cuda", **kwargs)


def GradScaler(*args: Any, **kwargs: Any) -> Any:  # noqa: N802  (torch's class name)
    """``hw.amp.GradScaler("cuda", ...)``, as ``torch.cuda.amp.GradScaler``."""
    return _amp().GradScaler("cuda", *args, **kwargs)
