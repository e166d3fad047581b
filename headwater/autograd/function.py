"""Graph nodes: the built-in :class:`Op` and the user-facing :class:`Function`.

Each recorded operation leaves one node behind as the ``grad_fn`` of its output. A
node keeps its ``inputs``, which of them need a gradient (``needs``), and the version
of every tensor its backward reads (``checks``), so that the engine can refuse a
backward through data modified in place since.

Built-in ops subclass :class:`Op`: ``forward`` and ``backward`` work directly on
``xp`` arrays, which keeps the per-op overhead small. Users subclass
:class:`Function`, PyTorch-style, with static methods that see Tensors.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from headwater.autograd import grad_mode
from headwater.autograd.errors import DeviceMismatchError, ShapeError
from headwater.tensor.devices import array_device, backend_of
from headwater.tensor.tensor import Tensor

__all__ = ["Op", "Function", "FunctionCtx", "wrap", "xp_of"]

_new = Tensor.__new__

# The active graph-mode recorder (headwater.jit) while a trace records, else None: the
# one check every op pays when nothing is traced.
_recorder: Any = None


def wrap(data: Any) -> Tensor:
    """A Tensor around ``data`` (an xp array), skipping argument checks."""
    t = _new(Tensor)
    t.array = data
    t.grad = None
    t.grad_fn = None
    t._requires_grad = False
    t._vc = [0]
    if _recorder is not None:
        _recorder.untracked_tensor(t)
    return t


def xp_of(data: Any) -> Any:
    """The array namespace (numpy or cupy) of ``data``."""
    if isinstance(data, (np.ndarray, np.generic)):
        return np
    return backend_of(data).xp


def _device_name(data: Any) -> str:
    return array_device(data) or "cpu"


def _check_devices(name: str, inputs: tuple) -> None:
    kind = None
    for x in inputs:
        if isinstance(x, Tensor):
            if kind is None:
                kind = type(x.array)
            elif type(x.array) is not kind:
                devices = sorted({_device_name(y.array) for y in inputs if isinstance(y, Tensor)})
                raise DeviceMismatchError(
                    f"{name}: expected all tensors on one device, found {' and '.join(devices)}; "
                    f"move one with .to(...) first (Headwater never copies implicitly)"
                )


class Op:
    """A built-in differentiable operation on xp arrays.

    Subclasses define ``forward(self, *arrays, **params)`` returning an array and
    ``backward(self, grad)`` returning one gradient per input (a tuple, or a bare
    array for one input; ``None`` where no gradient flows). ``self`` is the node:
    forward stores on it what backward needs.

    Class attributes declare what backward reads: ``saves`` lists the inputs whose
    data it uses and ``saves_output`` says it uses the output, so the engine can
    detect in-place changes; ``is_view`` says the output shares memory (and so the
    version counter) with input 0. ``mutates`` lists the inputs that ``forward``
    writes in place (running statistics): their version counters advance once per
    call, and graph mode replays the write.
    """

    name: ClassVar[str] = "op"
    saves: ClassVar[tuple[int, ...]] = ()
    saves_output: ClassVar[bool] = False
    is_view: ClassVar[bool] = False
    n_out: ClassVar[int] = 1
    differentiable: ClassVar[bool] = True
    mutates: ClassVar[tuple[int, ...]] = ()
    inputs: tuple | None = None
    _retained: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__.lower()
        if "backward" in cls.__dict__:
            cls._run_backward = cls.backward

    def forward(self, *arrays: Any, **params: Any) -> Any:
        raise NotImplementedError

    def backward(self, grad: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs: Any, **params: Any) -> Tensor:
        """Run the op on Tensors (or Python scalars) and record it when needed."""
        node = cls.__new__(cls)
        track = False
        datas = []
        n_tensors = 0
        for x in inputs:
            if isinstance(x, Tensor):
                datas.append(x.array)
                n_tensors += 1
                if x._requires_grad:
                    track = True
            else:
                datas.append(x)
        if n_tensors > 1:
            _check_devices(cls.name, inputs)
        try:
            out = node.forward(*datas, **params)
            if isinstance(out, np.generic):
                out = np.asarray(out)
        except ValueError as exc:
            shapes = " and ".join(str(tuple(d.shape)) for d in datas if hasattr(d, "shape"))
            raise ShapeError(f"{cls.name}: shapes {shapes} do not fit: {exc}") from None
        t = _new(Tensor)
        t.array = out
        t.grad = None
        if track and grad_mode._enabled and cls.differentiable:
            node.inputs = inputs
            node.needs = tuple(isinstance(x, Tensor) and x._requires_grad for x in inputs)
            t._vc = inputs[0]._vc if cls.is_view else [0]
            checks = [
                (inputs[i]._vc, inputs[i]._vc[0]) for i in cls.saves if isinstance(inputs[i], Tensor)
            ]
            if cls.saves_output:
                checks.append((t._vc, t._vc[0]))
            node.checks = checks
            t.grad_fn = node
            t._requires_grad = True
        else:
            t.grad_fn = None
            t._requires_grad = False
            t._vc = inputs[0]._vc if cls.is_view else [0]
        if _recorder is not None:
            _recorder.record(node, inputs, params, t)
        for i in cls.mutates:
            if isinstance(inputs[i], Tensor):
                inputs[i]._vc[0] += 1
        return t

    def _free(self) -> None:
        self.__dict__.clear()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}Backward>"


class FunctionCtx:
    """The ``ctx`` a custom :class:`Function` sees, and its node in the graph."""

    name = "function"
    inputs: tuple | None = None
    _retained: Any = None

    def __init__(self, fn: type[Function]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.saved = ()
        self.checks: list = []
        self.needs_input_grad: tuple[bool, ...] = ()
        self.n_out = 1
        self.non_differentiable: set[int] = set()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors for ``backward``; modifying them in place afterwards is an error."""
        self.saved = tensors
        self.checks = [(t._vc, t._vc[0]) for t in tensors if isinstance(t, Tensor)]

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward``."""
        return self.saved

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """Declare outputs (such as indices) that carry no gradient."""
        self.non_differentiable |= {id(t) for t in tensors}

    @property
    def needs(self) -> tuple[bool, ...]:
        return self.needs_input_grad

    def _run_backward(self, grad: Any) -> tuple:
        grads = grad if self.n_out > 1 else [grad]
        with grad_mode.no_grad():
            result = self.fn.backward(self, *[None if g is None else wrap(g) for g in grads])
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) < len(self.inputs):
            raise TypeError(
                f"{self.name}.backward returned {len(result)} gradient(s) for "
                f"{len(self.inputs)} input(s) of forward; return one per input (None for "
                f"inputs without a gradient)"
            )
        out = []
        for x, g in zip(self.inputs, result):
            if g is None or not isinstance(x, Tensor):
                out.append(None)
                continue
            if not isinstance(g, Tensor):
                raise TypeError(f"{self.name}.backward must return Tensors or None, got {type(g).__name__}")
            if g.shape != x.shape:
                raise ShapeError(
                    f"{self.name}.backward returned a gradient of shape {g.shape} for an "
                    f"input of shape {x.shape}"
                )
            out.append(g.array)
        return tuple(out)

    def _free(self) -> None:
        self.inputs = None
        self.saved = ()

    def __repr__(self) -> str:
        return f"<{self.name}Backward>"


class Function:
    """Base class for custom differentiable operations, as in PyTorch.

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx,
    *grad_outputs)`` working on Tensors, save what backward needs with
    ``ctx.save_for_backward``, and call ``YourFunction.apply(*args)``. ``backward``
    returns one gradient per argument of ``forward`` (``None`` for non-tensors).
    Higher-order gradients are not supported: backward runs without recording.

    Examples
    --------
    >>> import headwater as hw
    >>> class Cube(hw.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x * x
    >>> x = hw.as_tensor([2.0], requires_grad=True)
    >>> Cube.apply(x).sum().backward()
    >>> x.grad.tolist()
    [12.0]
    """

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("subclasses of Function define a static forward(ctx, ...)")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        raise NotImplementedError("subclasses of Function define a static backward(ctx, ...)")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` without recording, then record one node for the call."""
        ctx = FunctionCtx(cls)
        tensors = tuple(a for a in args if isinstance(a, Tensor))
        if len(tensors) > 1:
            _check_devices(cls.__name__, tensors)
        track = grad_mode._enabled and any(t._requires_grad for t in tensors)
        if track and _recorder is not None:
            _recorder.problem(f"the custom hw.autograd.Function {cls.__name__} records a backward "
                              f"that a replay cannot reproduce; trace it under hw.no_grad()")
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        with grad_mode.no_grad():
            result = cls.forward(ctx, *args, **kwargs)
        outs = result if isinstance(result, tuple) else (result,)
        for o in outs:
            if not isinstance(o, Tensor):
                raise TypeError(f"{cls.__name__}.forward must return Tensors, got {type(o).__name__}")
        if not track:
            return result
        ctx.inputs = args
        ctx.n_out = len(outs)
        wrapped = []
        for i, o in enumerate(outs):
            t = wrap(o.array)
            t._vc = o._vc
            if id(o) not in ctx.non_differentiable:
                t.grad_fn = ctx
                t._requires_grad = True
                if ctx.n_out > 1:
                    t._out_index = i  # type: ignore[attr-defined]
            wrapped.append(t)
        return tuple(wrapped) if isinstance(result, tuple) else wrapped[0]
