"""``GradScaler``: dynamic loss scaling for float16 training, as
``torch.amp.GradScaler``.

The loss is multiplied by ``scale`` before ``backward`` so that small float16
gradients do not flush to zero; ``step`` unscales the gradients, skips the update
when any is inf or nan, and ``update`` halves the scale after a skipped step or
doubles it after ``growth_interval`` clean ones. Unscaling and the inf/nan check
run on the device; ``step`` reads one flag on the host (as PyTorch does) to decide
whether to call ``optimizer.step()``.

``GradScaler("cuda")`` (the default) on a machine without a GPU warns and disables
itself, as PyTorch does: every method then behaves as PyTorch's with
``enabled=False`` (``scale`` returns the loss unchanged, ``step`` calls
``optimizer.step()``), so scripts run unchanged. ``GradScaler("cpu")`` scales, as
PyTorch's does.
"""

from __future__ import annotations

import warnings
from typing import Any

from headwater.autograd.function import wrap, xp_of
from headwater.tensor.devices import get_backend
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["GradScaler"]

Optimizer = Any  # any object with param_groups and step(): hw.optim's or a custom one

_READY, _UNSCALED, _STEPPED = 0, 1, 2


class GradScaler:
    """Scale the loss, unscale and check the gradients, skip bad steps and adapt
    the scale.

    Examples
    --------
    >>> import headwater as hw
    >>> model = hw.nn.Linear(2, 1)
    >>> opt = hw.optim.SGD(model.parameters(), lr=0.1)
    >>> scaler = hw.amp.GradScaler("cpu", init_scale=1024.0)
    >>> loss = model(hw.ones(4, 2)).pow(2).mean()
    >>> scaler.scale(loss).backward()
    >>> scaler.step(opt); scaler.update(); scaler.get_scale()
    1024.0
    """

    def __init__(self, device: str = "cuda", init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:
        self._device = str(getattr(device, "type", device)).split(":")[0]
        if self._device not in ("cuda", "cpu"):
            raise ValueError(f"GradScaler: device must be 'cuda' or 'cpu', got {device!r}")
        self._enabled = bool(enabled)
        if self._enabled and self._device == "cuda":
            try:
                get_backend("cuda")
            except Exception:
                warnings.warn(
                    "torch.amp.GradScaler is enabled, but CUDA is not available. Disabling.",
                    UserWarning, stacklevel=2,
                )
                self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise ValueError(f"GradScaler: growth_factor must be > 1, got {growth_factor}")
            if not 0.0 < backoff_factor < 1.0:
                raise ValueError(f"GradScaler: backoff_factor must be in (0, 1), got {backoff_factor}")
            if growth_interval <= 0:
                raise ValueError(f"GradScaler: growth_interval must be a positive integer, got {growth_interval}")
        self._init_scale, self._growth_factor = float(init_scale), float(growth_factor)
        self._backoff_factor, self._growth_interval = float(backoff_factor), int(growth_interval)
        self._scale: Any = None  # device arrays, made lazily on the loss's device
        self._growth_tracker: Any = None
        self._pending_tracker = 0  # a loaded tracker, until the device arrays exist
        self._per_optimizer: dict[int, dict[str, Any]] = {}

    # -- scaling ---------------------------------------------------------------------
    def _lazy_init(self, like: Any) -> None:
        xp = xp_of(like)
        self._scale = xp.full((), self._init_scale, dtype="float32")
        self._growth_tracker = xp.full((), self._pending_tracker, dtype="int32")

    def scale(self, outputs: Any) -> Any:
        """``outputs`` (a Tensor or nested lists/tuples of them) times the scale;
        unchanged when disabled."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, Tensor):
            if self._scale is None:
                self._lazy_init(outputs.array)
            return outputs * wrap(self._scale.astype(outputs.dtype) if outputs.dtype.kind == "f" else self._scale)
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        raise TypeError(f"GradScaler.scale expects Tensors (or lists/tuples of them), got {type(outputs).__name__}")

    def _state(self, optimizer: Optimizer) -> dict[str, Any]:
        return self._per_optimizer.setdefault(id(optimizer), {"stage": _READY, "found_inf": None})

    def unscale_(self, optimizer: Optimizer) -> None:
        """Divide the gradients of ``optimizer``'s parameters by the scale in place
        (e.g. before clipping them) and record whether any is inf or nan.

        Raises
        ------
        RuntimeError
            Called twice for one optimizer before ``update()``, or after ``step()``.
        """
        if not self._enabled:
            return
        state = self._state(optimizer)
        if state["stage"] == _UNSCALED:
            raise RuntimeError("unscale_() has already been called on this optimizer since the last update()")
        if state["stage"] == _STEPPED:
            raise RuntimeError("unscale_() is being called after step()")
        if self._scale is None:
            raise RuntimeError("GradScaler: call scale(loss) (and backward) before unscale_ or step")
        xp = xp_of(self._scale)
        inv = (1.0 / self._scale.astype("float64")).astype("float32")
        found = xp.zeros((), dtype=bool)
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.array
                g[...] = g * inv  # in float32 at least, written back in the gradient's dtype
                found = found | ~xp.isfinite(g).all()
                p.grad._vc[0] += 1
        state["found_inf"] = found
        state["stage"] = _UNSCALED

    def step(self, optimizer: Optimizer, *args: Any, **kwargs: Any) -> Any:
        """Unscale (unless ``unscale_`` already ran) and call ``optimizer.step()``
        unless a gradient is inf or nan; returns what ``step`` returned (None when
        skipped)."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("closure use is not supported when GradScaler is enabled; "
                               "call scaler.scale(loss).backward() before scaler.step(optimizer)")
        state = self._state(optimizer)
        if state["stage"] == _STEPPED:
            raise RuntimeError("step() has already been called since the last update()")
        if state["stage"] == _READY:
            self.unscale_(optimizer)
        result = None
        if not bool(to_host(state["found_inf"])):
            result = optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return result

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """Adapt the scale for the next iteration (or set it to ``new_scale``): back
        off after any inf/nan this iteration, grow after ``growth_interval`` clean
        steps. Runs on the device."""
        if not self._enabled:
            return
        if self._scale is None:  # nothing scaled yet: only an explicit new scale applies
            if new_scale is not None:
                self._init_scale = float(new_scale)
            return
        xp = xp_of(self._scale)
        if new_scale is not None:
            value = new_scale.array if isinstance(new_scale, Tensor) else new_scale
            self._scale = xp.asarray(value, dtype="float32").reshape(())
        else:
            flags = [s["found_inf"] for s in self._per_optimizer.values() if s["found_inf"] is not None]
            if not flags:
                raise RuntimeError("GradScaler.update(): no inf checks were recorded; call step() or unscale_() first")
            found = flags[0]
            for f in flags[1:]:
                found = found | f
            grown = self._growth_tracker + 1
            larger = (self._scale * self._growth_factor).astype("float32")
            grow = (grown >= self._growth_interval) & ~found
            self._scale = xp.where(found, self._scale * self._backoff_factor,
                                   xp.where(grow & xp.isfinite(larger), larger, self._scale)).astype("float32")
            self._growth_tracker = xp.where(found | grow, 0, grown).astype("int32")
        self._per_optimizer = {}

    # -- introspection -----------------------------------------------------------------
    def get_scale(self) -> float:
        """The current scale as a Python float (a host read; 1.0 when disabled)."""
        if not self._enabled:
            return 1.0
        if self._scale is None:
            return self._init_scale
        return float(to_host(self._scale))

    def get_growth_factor(self) -> float:
        """The factor the scale grows by."""
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        """Set the growth factor."""
        self._growth_factor = float(new_factor)

    def get_backoff_factor(self) -> float:
        """The factor the scale shrinks by after an inf/nan."""
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        """Set the backoff factor."""
        self._backoff_factor = float(new_factor)

    def get_growth_interval(self) -> int:
        """Clean steps between two growths."""
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        """Set the growth interval."""
        self._growth_interval = int(new_interval)

    def is_enabled(self) -> bool:
        """Whether the scaler scales (False when disabled or without a GPU for "cuda")."""
        return self._enabled

    def state_dict(self) -> dict[str, Any]:
        """``scale``, the factors, the interval and the growth tracker (empty when
        disabled), as PyTorch saves them."""
        if not self._enabled:
            return {}
        tracker = self._pending_tracker if self._growth_tracker is None else int(to_host(self._growth_tracker))
        return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": tracker}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`."""
        if not self._enabled:
            return
        if not state_dict:
            raise RuntimeError("the GradScaler state dict is empty: it was saved from a disabled GradScaler")
        self._init_scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        tracker = int(state_dict.get("_growth_tracker", 0))
        if self._scale is not None:
            xp = xp_of(self._scale)
            self._scale = xp.full((), self._init_scale, dtype="float32")
            self._growth_tracker = xp.full((), tracker, dtype="int32")
        else:
            self._pending_tracker = tracker
