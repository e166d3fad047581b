"""``state_dict`` / ``load_state_dict`` of :class:`~headwater.autograd.nn.Module`,
with PyTorch's keys, strictness and ``(missing_keys, unexpected_keys)`` result."""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Iterator
from typing import Any

from headwater.autograd import grad_mode
from headwater.tensor.tensor import Tensor

__all__ = ["IncompatibleKeys", "StateDictError", "StateDictMixin"]

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class StateDictError(RuntimeError, KeyError, ValueError):
    """``load_state_dict`` could not load a checkpoint (missing or unexpected keys,
    or shapes that differ): a RuntimeError as in PyTorch (and a KeyError and a
    ValueError, which earlier Headwater versions raised)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class StateDictMixin:
    """Saving and restoring a module's parameters and persistent buffers."""

    def _state_items(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        for mod_prefix, mod in self.named_modules(prefix=prefix):
            dot = f"{mod_prefix}." if mod_prefix else ""
            for name, p in mod._parameters.items():
                if p is not None:
                    yield dot + name, p
            for name, b in mod._buffers.items():
                if b is not None and name not in mod._non_persistent:
                    yield dot + name, b

    def state_dict(self, *, destination: dict | None = None, prefix: str = "",
                   keep_vars: bool = False) -> OrderedDict[str, Tensor]:
        """Parameters and persistent buffers by dotted name (detached and sharing
        data, or the Parameters themselves with ``keep_vars=True``), written into
        ``destination`` when given.

        Examples
        --------
        >>> import headwater as hw
        >>> list(hw.nn.Linear(2, 3).state_dict())
        ['weight', 'bias']
        """
        out = OrderedDict() if destination is None else destination
        for key, t in self._state_items(prefix):
            out[key] = t if keep_vars else t.detach()
        return out

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True,
                        assign: bool = False) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers in place
        (with ``assign=True`` they take the checkpoint's arrays instead, no copy).

        Returns torch's ``(missing_keys, unexpected_keys)`` named tuple.

        Raises
        ------
        StateDictError
            (a RuntimeError, as in PyTorch) With ``strict=True``, when keys are
            missing or unexpected (both listed); and whenever a value's shape differs
            from the parameter's.

        Examples
        --------
        >>> import headwater as hw
        >>> a, b = hw.nn.Linear(2, 2), hw.nn.Linear(2, 2)
        >>> b.load_state_dict(a.state_dict())
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        """
        own = dict(self._state_items())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        name = type(self).__name__
        if strict and (missing or unexpected):
            raise StateDictError(
                f"Error(s) in loading state_dict for {name}: missing keys {missing}, "
                f"unexpected keys {unexpected}; pass strict=False to load the keys that match"
            )
        mismatched = []
        for key, target in own.items():
            value = state_dict.get(key)
            if value is None:
                continue
            if not isinstance(value, Tensor):
                raise TypeError(f"load_state_dict: {key!r} holds {type(value).__name__}, not a Tensor")
            if value.shape != target.shape:
                mismatched.append(
                    f"size mismatch for {key!r}: the checkpoint has shape {value.shape}, the model {target.shape}"
                )
        if mismatched:
            raise StateDictError(f"Error(s) in loading state_dict for {name}: " + "; ".join(mismatched))
        with grad_mode.no_grad():
            for key, target in own.items():
                if key in state_dict:
                    if assign:
                        target.array = state_dict[key].array
                        target._vc[0] += 1
                    else:
                        target.copy_(state_dict[key])
        return IncompatibleKeys(missing, unexpected)
