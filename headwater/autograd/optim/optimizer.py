"""The optimizer base: parameter groups, per-parameter state, state_dict.

Updates run in place on the device with Python-float hyperparameters, so a step
never synchronises with the host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from headwater.autograd import function, grad_mode
from headwater.autograd.function import wrap
from headwater.autograd.ops.conversion import move
from headwater.tensor.tensor import Tensor

__all__ = ["Optimizer", "decayed_grad"]


class _ParamState(dict):
    """Per-parameter state, keyed by ``id(param)``; a Tensor works as a key too
    (``opt.state[p]``), without ever comparing Tensors elementwise. Reading a
    parameter's state for the first time gives (and keeps) an empty dict, as
    PyTorch's ``defaultdict(dict)`` does, so custom optimizers can write
    ``state = self.state[p]; if not state: ...``."""

    @staticmethod
    def _key(key: Any) -> Any:
        return id(key) if isinstance(key, Tensor) else key

    def __getitem__(self, key: Any) -> Any:
        key = self._key(key)
        if not super().__contains__(key):
            super().__setitem__(key, {})
        return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(self._key(key), value)

    def __contains__(self, key: Any) -> bool:
        return super().__contains__(self._key(key))

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(self._key(key), default)


def decayed_grad(group: dict, data: Any, grad: Any) -> Any:
    """``grad`` negated under ``maximize`` and with L2 ``weight_decay * data`` added,
    the first lines of most of PyTorch's update rules (a new array, never in place)."""
    if group.get("maximize"):
        grad = -grad
    wd = group.get("weight_decay", 0)
    if wd:
        grad = grad + wd * data
    return grad


class Optimizer:
    """Base class: holds ``param_groups`` (dicts of hyperparameters with a
    ``params`` list) and ``state`` (per-parameter buffers: ``opt.state[param]``).

    Built-in subclasses implement ``_update(group, param, grad_array, state)`` on
    raw arrays. A custom optimizer is written as in PyTorch: call
    ``super().__init__(params, defaults)`` and override ``step(closure=None)``,
    iterating ``self.param_groups`` and ``self.state[p]`` and writing ``p.data``.

    Examples
    --------
    >>> import headwater as hw
    >>> class PlainSGD(hw.optim.Optimizer):
    ...     def __init__(self, params, lr=0.1):
    ...         super().__init__(params, dict(lr=lr))
    ...     @hw.no_grad()
    ...     def step(self, closure=None):
    ...         for group in self.param_groups:
    ...             for p in group["params"]:
    ...                 if p.grad is None:
    ...                     continue
    ...                 state = self.state[p]
    ...                 state["steps"] = state.get("steps", 0) + 1
    ...                 p.data.add_(p.grad, alpha=-group["lr"])
    >>> w = hw.nn.Parameter(hw.as_tensor([1.0, -2.0])); w.grad = hw.as_tensor([3.0, -1.0])
    >>> opt = PlainSGD([w]); opt.step(); [round(v, 4) for v in w.tolist()], opt.state[w]["steps"]
    ([0.7, -1.9], 1)
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: dict[Any, dict[str, Any]] = _ParamState()
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                f"{type(self).__name__}: params must be an iterable of Tensors or of dicts, got a "
                f"single Tensor; wrap it in a list"
            )
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        if not isinstance(params[0], dict):
            params = [{"params": params}]
        for group in params:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters."""
        group = dict(group)
        ps = group["params"]
        group["params"] = [ps] if isinstance(ps, Tensor) else list(ps)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__} can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__} can't optimize a non-leaf Tensor")
            if id(p) in seen:
                raise ValueError("some parameters appear in more than one parameter group")
            seen.add(id(p))
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all parameters (to None by default).

        Examples
        --------
        >>> import headwater as hw
        >>> p = hw.nn.Parameter(hw.ones(2)); p.grad = hw.ones(2)
        >>> opt = hw.optim.SGD([p], lr=0.1); opt.zero_grad(); p.grad is None
        True
        """
        if function._recorder is not None:
            function._recorder.zero_grad([p for g in self.param_groups for p in g["params"]], set_to_none, self)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad.array[...] = 0

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place.

        ``closure`` (re-evaluating the loss) is called first when given; its
        result is returned.

        Examples
        --------
        >>> import headwater as hw
        >>> w = hw.nn.Parameter(hw.as_tensor([1.0]))
        >>> opt = hw.optim.SGD([w], lr=0.25)
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = (w * w).sum()
        ...     loss.backward()
        ...     return loss
        >>> opt.step(closure).item(), w.tolist()
        (1.0, [0.5])
        """
        if function._recorder is not None:
            function._recorder.optimizer_step(self, closure)
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state.get(id(p))
                if state is None:
                    state = self.state[id(p)] = {}
                self._update(group, p, p.grad.array, state)
                p._vc[0] += 1
        return loss

    def _update(self, group: dict, param: Tensor, grad: Any, state: dict) -> None:
        raise NotImplementedError

    # -- state ----------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [...]}`` with parameters as
        indices, as in PyTorch; buffers are Tensors sharing the optimizer's memory.

        Examples
        --------
        >>> import headwater as hw
        >>> p = hw.nn.Parameter(hw.ones(2)); p.grad = hw.ones(2)
        >>> opt = hw.optim.Adam([p]); _ = opt.step()
        >>> sd = opt.state_dict()
        >>> sd["param_groups"][0]["params"], sorted(sd["state"][0])
        ([0], ['exp_avg', 'exp_avg_sq', 'step'])
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {}
        for pid, st in self.state.items():
            if pid in index:
                state[index[pid]] = {
                    k: v if isinstance(v, Tensor) else wrap(v) if hasattr(v, "ndim") else v
                    for k, v in st.items()
                }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and buffers saved by :meth:`state_dict` (copied
        onto each parameter's device).

        Raises
        ------
        ValueError
            The number of groups or their sizes differ from this optimizer's.

        Examples
        --------
        >>> import headwater as hw
        >>> p = hw.nn.Parameter(hw.ones(1)); p.grad = hw.ones(1)
        >>> a = hw.optim.SGD([p], lr=0.5, momentum=0.9); _ = a.step()
        >>> b = hw.optim.SGD([p], lr=0.1); b.load_state_dict(a.state_dict())
        >>> b.param_groups[0]["lr"], b.state[p]["momentum_buffer"].tolist()
        (0.5, [1.0])
        """
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state has {len(groups)} parameter group(s), this optimizer has "
                f"{len(self.param_groups)}"
            )
        by_index = {}
        for saved, group in zip(groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"a loaded parameter group has {len(saved['params'])} parameters, this "
                    f"optimizer's has {len(group['params'])}"
                )
            for i, p in zip(saved["params"], group["params"]):
                by_index[i] = p
            for key, value in saved.items():
                if key != "params":
                    group[key] = tuple(value) if isinstance(value, list) else value
        self.state = _ParamState()
        # built-in update rules keep raw arrays; a custom step() sees Tensors, as saved
        as_arrays = type(self)._update is not Optimizer._update
        for i, st in state_dict["state"].items():
            p = by_index.get(int(i))
            if p is None:
                continue
            restored = {}
            for key, value in st.items():
                if isinstance(value, Tensor):
                    data = move(value.array, p.device)
                    if data.dtype.kind == "f" and data.dtype != p.dtype and data.ndim:
                        data = data.astype(p.dtype)
                    restored[key] = data.copy() if as_arrays else wrap(data.copy())
                elif isinstance(value, list):
                    restored[key] = [v.clone() if isinstance(v, Tensor) else v for v in value]
                else:
                    restored[key] = value
            self.state[id(p)] = restored

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)
