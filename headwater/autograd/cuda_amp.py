"""``hw.cuda.amp``: the older ``torch.cuda.amp`` spellings of mixed precision.

``hw.cuda.amp.autocast(...)`` is ``hw.autocast("cuda", ...)`` and
``hw.cuda.amp.GradScaler(...)`` is ``hw.amp.GradScaler("cuda", ...)``; the work is
done in :mod:`headwater.autograd.amp`. Without a GPU both disable themselves with a
warning, as torch's do.

Examples
--------
>>> import warnings
>>> import headwater as hw
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     scaler = hw.cuda.amp.GradScaler(enabled=hw.cuda.is_available())
>>> isinstance(scaler, hw.amp.GradScaler)
True
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.amp import autocast_mode, grad_scaler

__all__ = ["autocast", "GradScaler"]


class autocast(autocast_mode.autocast):  # noqa: N801  (torch's class name)
    """``hw.autocast("cuda", dtype, enabled, cache_enabled)``, as ``torch.cuda.amp.autocast``."""

    def __init__(self, enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> None:
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(grad_scaler.GradScaler):
    """``hw.amp.GradScaler("cuda", ...)``, as ``torch.cuda.amp.GradScaler``."""

    def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor,
                         backoff_factor=backoff_factor, growth_interval=growth_interval, enabled=enabled)
