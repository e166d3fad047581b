"""Module hooks: forward pre-hooks, forward hooks and full backward (pre-)hooks,
with PyTorch's signatures, order and removable handles.

``Module.__call__`` runs ``forward`` directly when a module has no hooks; otherwise
:func:`call_with_hooks` runs: pre-hooks (which may replace the arguments), then the
backward hooks' identity node on the tensor arguments, ``forward``, the forward
hooks (which may replace the output) and the identity node on the outputs. The
two identity nodes see the gradients of the outputs and of the inputs during
``backward`` and call the module's backward hooks with them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from headwater.autograd import grad_mode
from headwater.autograd.function import Function
from headwater.autograd.hooks import IdSet, RemovableHandle, add_hook
from headwater.tensor.tensor import Tensor

__all__ = ["HookMixin", "call_with_hooks", "HOOK_STORES"]

HOOK_STORES = ("_forward_pre_hooks", "_forward_hooks", "_backward_hooks", "_backward_pre_hooks")
_FLAG_STORES = ("_forward_pre_hooks_with_kwargs", "_forward_hooks_with_kwargs", "_forward_hooks_always_called")


class HookMixin:
    """The ``register_*_hook`` methods of :class:`~headwater.autograd.nn.Module`."""

    def _init_hooks(self) -> None:
        for name in HOOK_STORES:
            object.__setattr__(self, name, OrderedDict())
        for name in _FLAG_STORES:
            object.__setattr__(self, name, IdSet())

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if "_forward_hooks" not in self.__dict__:  # pickled before modules had hooks
            self._init_hooks()

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Call ``hook(module, args)`` before ``forward``; a non-None result replaces
        ``args`` (a non-tuple is wrapped in one). With ``with_kwargs=True`` the hook is
        ``hook(module, args, kwargs)`` and returns None or ``(args, kwargs)``.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.nn.Identity()
        >>> _ = m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
        >>> m(hw.ones(2)).tolist()
        [2.0, 2.0]
        """
        kw = self._forward_pre_hooks_with_kwargs
        return add_hook(self._forward_pre_hooks, hook, prepend, (kw,) if with_kwargs else (), (kw,))

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after ``forward``; a non-None result
        replaces the output. ``with_kwargs=True``: ``hook(module, args, kwargs,
        output)``; ``always_call=True``: run it even when ``forward`` raised.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.nn.Linear(2, 3)
        >>> shapes = []
        >>> h = m.register_forward_hook(lambda mod, args, out: shapes.append(out.shape))
        >>> _ = m(hw.ones(4, 2)); h.remove(); _ = m(hw.ones(1, 2)); shapes
        [(4, 3)]
        """
        kw, always = self._forward_hooks_with_kwargs, self._forward_hooks_always_called
        flags = tuple(f for f, on in ((kw, with_kwargs), (always, always_call)) if on)
        return add_hook(self._forward_hooks, hook, prepend, flags, (kw, always))

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` when the gradients of the outputs are
        known; a non-None result (a tuple) replaces ``grad_output``.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.nn.Identity()
        >>> _ = m.register_full_backward_pre_hook(lambda mod, gout: (gout[0] * 3,))
        >>> x = hw.ones(2, requires_grad=True); m(x).sum().backward(); x.grad.tolist()
        [3.0, 3.0]
        """
        return add_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` once the gradients of the
        module's positional tensor arguments are computed (None for arguments that
        are not tensors or do not require grad); a non-None result (a tuple, one
        entry per argument) replaces ``grad_input``.

        Examples
        --------
        >>> import headwater as hw
        >>> m = hw.nn.Linear(2, 1)
        >>> seen = []
        >>> _ = m.register_full_backward_hook(
        ...     lambda mod, gin, gout: seen.append((gin[0].shape, gout[0].shape)))
        >>> x = hw.ones(3, 2, requires_grad=True); m(x).sum().backward(); seen
        [((3, 2), (3, 1))]
        """
        return add_hook(self._backward_hooks, hook, prepend)


class _BackwardState:
    """One call's bookkeeping between its output node and its input node."""

    def __init__(self, module: Any, n_args: int, positions: list[int]) -> None:
        self.module, self.n_args, self.positions = module, n_args, positions
        self.grad_output: tuple | None = None

    def on_grad_output(self, grads: tuple) -> tuple:
        for hook in list(self.module._backward_pre_hooks.values()):
            out = hook(self.module, grads)
            if out is not None:
                grads = _as_grads(out, len(grads), "a backward pre-hook")
        self.grad_output = grads
        if not self.positions:  # no input needs a gradient: the hooks run now
            self._call_hooks((None,) * self.n_args)
        return grads

    def on_grad_input(self, grads: tuple) -> tuple:
        full = [None] * self.n_args
        for pos, g in zip(self.positions, grads):
            full[pos] = g
        full = self._call_hooks(tuple(full))
        return tuple(full[pos] for pos in self.positions)

    def _call_hooks(self, grad_input: tuple) -> tuple:
        for hook in list(self.module._backward_hooks.values()):
            out = hook(self.module, grad_input, self.grad_output)
            if out is not None:
                grad_input = _as_grads(out, len(grad_input), "a full backward hook")
        return grad_input


def _as_grads(out: Any, n: int, what: str) -> tuple:
    out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    if len(out) != n:
        raise ValueError(f"{what} returned {len(out)} gradient(s), expected {n} (one per entry it was given)")
    return out


class _InputNode(Function):
    @staticmethod
    def forward(ctx: Any, state: _BackwardState, *tensors: Tensor) -> tuple:
        ctx.state = state
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple:
        return (None, *ctx.state.on_grad_input(grads))


class _OutputNode(Function):
    @staticmethod
    def forward(ctx: Any, state: _BackwardState, *tensors: Tensor) -> tuple:
        ctx.state = state
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple:
        return (None, *ctx.state.on_grad_output(grads))


def _wrap_outputs(state: _BackwardState, result: Any) -> Any:
    single = isinstance(result, Tensor)
    items = [result] if single else list(result) if isinstance(result, (tuple, list)) else None
    if items is None:
        return result
    idx = [i for i, r in enumerate(items) if isinstance(r, Tensor) and r.requires_grad]
    if not idx:
        return result
    wrapped = _OutputNode.apply(state, *[items[i] for i in idx])
    for i, w in zip(idx, wrapped):
        items[i] = w
    if single:
        return items[0]
    return tuple(items) if isinstance(result, tuple) else items


def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    """Run ``module.forward`` with its hooks (see the module docstring)."""
    for hid, hook in list(module._forward_pre_hooks.items()):
        if hid in module._forward_pre_hooks_with_kwargs:
            out = hook(module, args, kwargs)
            if out is not None:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise TypeError("a forward pre-hook registered with_kwargs=True must return None or (args, kwargs)")
                args, kwargs = out
        else:
            out = hook(module, args)
            if out is not None:
                args = out if isinstance(out, tuple) else (out,)
    state = None
    if (module._backward_hooks or module._backward_pre_hooks) and grad_mode.is_grad_enabled():
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        state = _BackwardState(module, len(args), positions)
        if positions:
            wrapped = _InputNode.apply(state, *[args[i] for i in positions])
            args = list(args)
            for i, w in zip(positions, wrapped):
                args[i] = w
            args = tuple(args)
    try:
        result = module.forward(*args, **kwargs)
    except Exception:
        for hid, hook in list(module._forward_hooks.items()):
            if hid in module._forward_hooks_always_called:
                try:
                    if hid in module._forward_hooks_with_kwargs:
                        hook(module, args, kwargs, None)
                    else:
                        hook(module, args, None)
                except Exception:  # the forward's error is the one to report
                    pass
        raise
    for hid, hook in list(module._forward_hooks.items()):
        if hid in module._forward_hooks_with_kwargs:
            out = hook(module, args, kwargs, result)
        else:
            out = hook(module, args, result)
        if out is not None:
            result = out
    if state is not None:
        result = _wrap_outputs(state, result)
    return result
