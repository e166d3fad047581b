"""``hw.compile``: trace per input signature, replay afterwards, eager where a replay
would be wrong."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from itertools import chain
from operator import methodcaller
from typing import Any

from headwater.autograd import grad_mode
from headwater.autograd.amp import autocast_mode
from headwater.autograd.nn import structure_version
from headwater.jit.discovery import modules_of
from headwater.jit.errors import CompileWarning, TraceError
from headwater.jit.guards import GuardFailed
from headwater.jit.program import Program
from headwater.jit.pytree import flatten, unflatten
from headwater.jit.trace import aliasing, record_call
from headwater.tensor.tensor import Tensor

__all__ = ["compile", "CompiledFunction", "DEFAULT_MAX_TRACES"]

DEFAULT_MAX_TRACES = 8
"""Traces one compiled function may record (``torch.compile``'s cache size limit)."""


def _leaf_key(x: Any) -> Any:
    if isinstance(x, Tensor):
        a = x.array
        return (a.shape, a.dtype, type(a), x._requires_grad)
    try:
        hash(x)
    except TypeError:
        return ("id", id(x))
    return ("value", type(x), x)


_PARAMS = methodcaller("get", "params", ())


def _optimizer_key(opt: Any) -> tuple:
    """The identity of an optimizer's state: its state mapping, the per-parameter state
    dicts (``load_state_dict`` replaces them) and the parameters of each group."""
    state = opt.state
    return (id(state), tuple(map(id, state.values())),
            tuple(map(id, chain.from_iterable(map(_PARAMS, opt.param_groups)))))


def _all_tensors(args: tuple) -> bool:
    for x in args:
        if not isinstance(x, Tensor):
            return False
    return True


class _Entry:
    """One recorded signature: its program (None: run eagerly) and its guards."""

    __slots__ = ("program", "out_spec", "optimizers", "opt_keys", "live", "why")

    def __init__(self, program: Program | None, out_spec: Any, optimizers: list, why: str = "") -> None:
        self.program = program
        self.out_spec = out_spec
        self.optimizers = optimizers
        self.opt_keys = [_optimizer_key(o) for o in optimizers]
        self.live = [] if program is None else [(v.tensor, v.shape, v.dtype) for v in program.live]
        self.why = why

    def holds(self) -> bool:
        for opt, key in zip(self.optimizers, self.opt_keys):
            if _optimizer_key(opt) != key:
                return False
        for t, shape, dtype in self.live:
            a = t.array
            if a.shape != shape or a.dtype != dtype:
                return False
        return True


class CompiledFunction:
    """What :func:`compile` returns: call it as the original.

    Attributes
    ----------
    traces : int
        Traces recorded so far (at most ``max_traces``).
    graphs : list of Graph
        The graphs of the signatures that replay.
    """

    def __init__(self, fn: Callable, max_traces: int = DEFAULT_MAX_TRACES, fullgraph: bool = False) -> None:
        if not callable(fn):
            raise TypeError(f"hw.compile expects a function or a Module, got {type(fn).__name__}")
        if not isinstance(max_traces, int) or max_traces < 1:
            raise ValueError(f"hw.compile: max_traces must be a positive int, got {max_traces!r}")
        self.fn = fn
        self.max_traces = max_traces
        self.fullgraph = fullgraph
        self.traces = 0
        self._cache: dict[Any, list[_Entry]] = {}
        self._modules: list | None = None  # found at the first call (globals may come later)
        self._subs: list | None = None
        self._parts: list | None = None
        self._parts_key: tuple = ()
        self._version = -1  # structure_version.current() at the last walk
        self._specs: dict[int, Any] = {}
        self._warned_limit = False
        self.__wrapped__ = fn
        self.__doc__ = getattr(fn, "__doc__", None)

    @property
    def graphs(self) -> list:
        return [e.program.graph for es in self._cache.values() for e in es if e.program is not None]

    def _module_state(self) -> tuple:
        """The training flags, parameter identities and children of every module the
        function uses (walked again when any of it changed). The walk is skipped when
        no module anywhere changed its registries or training flag since the last one
        (:mod:`~headwater.autograd.nn.structure_version`)."""
        version = structure_version.current()
        if version == self._version:
            return self._parts_key
        if self._modules is None:
            self._modules = [m for _, m in modules_of(self.fn)]
            self._subs = [s for m in self._modules for s in m.modules()]
        for _ in range(2):
            parts: list = []
            for sub in self._subs:
                parts.append(sub.training)
                parts += map(id, sub._parameters.values())
                parts.append(None)
                parts += map(id, sub._modules.values())
            if parts == self._parts:
                self._version = version
                return self._parts_key
            # something changed: walk the modules again (a child may have been replaced)
            self._subs = [s for m in self._modules for s in m.modules()]
            self._parts = None
        self._parts, self._parts_key = parts, tuple(parts)
        self._version = version
        return self._parts_key

    def _key(self, spec: Any, leaves: list) -> tuple:
        amp = (autocast_mode.active, autocast_mode._dtypes["cuda"]) if autocast_mode.active else False
        n = len(leaves)
        # distinct arguments (the usual case) alias nothing: no per-argument scan
        alias = tuple(range(n)) if len(set(map(id, leaves))) == n else aliasing(leaves)
        return (spec, tuple(map(_leaf_key, leaves)), alias, grad_mode._enabled, amp, self._module_state())

    def _flatten(self, args: tuple, kwargs: dict) -> tuple[list, Any]:
        """The call's leaves and spec (``flatten((args, kwargs))``), at once for the usual
        call of positional Tensors."""
        if not kwargs and _all_tensors(args):
            spec = self._specs.get(len(args))
            if spec is None:
                spec = self._specs[len(args)] = flatten((args, kwargs))[1]
            return list(args), spec
        return flatten((args, kwargs))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        leaves, spec = self._flatten(args, kwargs)
        key = self._key(spec, leaves)
        entries = self._cache.get(key)
        if entries:
            for k, e in enumerate(entries):
                if e.holds():
                    if e.program is None:
                        return self.fn(*args, **kwargs)
                    tensors = [x for x in leaves if isinstance(x, Tensor)]
                    try:
                        out = e.program.run(tensors)
                    except GuardFailed:  # a branch goes the other way: another trace
                        continue
                    if k:  # the path taken last is tried first next time
                        entries.insert(0, entries.pop(k))
                    return unflatten(e.out_spec, out)
        if self.traces >= self.max_traces:
            if not self._warned_limit:
                self._warned_limit = True
                warnings.warn(
                    f"hw.compile: {_name(self.fn)} has been traced {self.traces} times (the "
                    f"max_traces limit); new signatures now run eagerly. Pass max_traces= to "
                    f"hw.compile to allow more, or keep shapes fixed (pad the last batch)",
                    CompileWarning, stacklevel=2,
                )
            return self.fn(*args, **kwargs)
        self.traces += 1
        rec, result, out_spec = record_call(self.fn, args, kwargs, strict=True)
        if rec.problems:
            why = "; ".join(rec.problems)
            if self.fullgraph:
                raise TraceError(f"hw.compile(fullgraph=True): {_name(self.fn)} cannot be replayed: {why}")
            warnings.warn(f"hw.compile: {_name(self.fn)} runs eagerly for this signature: {why}",
                          CompileWarning, stacklevel=2)
            entry = _Entry(None, out_spec, rec.optimizers, why)
        else:
            entry = _Entry(Program(rec.graph), out_spec, rec.optimizers)
        self._cache.setdefault(self._key(spec, leaves), []).append(entry)
        return result

    def __getattr__(self, name: str) -> Any:
        # a compiled Module still reads as the module (parameters(), train(), ...)
        if name.startswith("__") or name in ("fn", "_cache", "_modules", "_subs", "_parts", "_parts_key", "_specs", "_version"):
            raise AttributeError(name)
        return getattr(self.fn, name)

    def __repr__(self) -> str:
        return f"<compiled {_name(self.fn)}: {self.traces} trace(s)>"


def _name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__


def compile(fn: Callable | None = None, *, max_traces: int = DEFAULT_MAX_TRACES, fullgraph: bool = False,
            **options: Any) -> Any:
    """Compile ``fn`` (a function or a Module) into replays of recorded graphs, as
    ``torch.compile``; usable as a decorator, with or without arguments.

    The first call for each *signature* runs eagerly while recording the ops (that
    call's result is eager's); later calls with that signature replay the graph with
    no Python graph building or autograd bookkeeping. The signature is: the shapes,
    dtypes, devices and ``requires_grad`` of the tensor arguments, the values of the
    other arguments, which arguments are the same tensor, grad mode, the training
    mode and parameter identity of the modules ``fn`` uses, autocast, and the identity
    of the state of the optimizers it steps. A compiled Module still answers the
    module's attributes (``compiled.parameters()``, ``compiled.eval()``). A whole training step may be compiled
    (``opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); opt.step()``):
    the replay runs the same forward, backward and update kernels in the same order,
    so parameters, gradients and optimizer state are exactly eager's, step after step.

    Each new signature records a trace, up to ``max_traces`` (8 by default); past
    that, new signatures run eagerly with a :class:`~headwater.jit.CompileWarning`.
    A Python branch on a tensor (``bool(t)``: ``if x.sum() > 0:``, ``while err > tol:``)
    becomes a *guard*: the replay recomputes the value, and when the branch goes the
    other way it stops, the other traces of the signature are tried, and the new path
    is traced (one trace per path, within ``max_traces``); a branch after
    ``backward()``, an optimizer step or a buffer update cannot be guarded (a stopped
    replay could not undo them) and runs eagerly as below. A call that a replay could
    not reproduce runs eagerly for that signature, with a warning naming the line: a
    value read on the host (``.item()``, ``.tolist()``, ``float(t)``, ``int(t)``,
    ``.numpy()``, printing), a random draw outside a recorded op,
    an in-place write outside the op tape, a custom ``Function``'s backward, an
    optimizer that overrides ``step``. With ``fullgraph=True`` those raise
    :class:`~headwater.jit.TraceError` instead. Python numbers the function reads from
    its closure or globals are baked into a trace; pass changing numbers as arguments.
    Python side effects (appending to a list, printing, a learning-rate scheduler's
    ``step()``) happen only in the calls that trace: keep them outside the compiled
    function (hyperparameters such as ``lr`` are read live at every replay).
    Outputs are fresh tensors; those of a replay carry no ``grad_fn`` when the graph
    has its own backward or needs no gradient.

    Parameters
    ----------
    fn : callable or Module
        What to compile.
    max_traces : int
        The most traces to record (documented limit; then eager with a warning).
    fullgraph : bool
        Raise instead of running eagerly where a call cannot replay.
    **options
        Accepted names of ``torch.compile`` that do not apply here raise TypeError.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.manual_seed(0)
    >>> model = hw.nn.Linear(3, 1)
    >>> opt = hw.optim.SGD(model.parameters(), lr=0.1)
    >>> @hw.compile
    ... def step(x, y):
    ...     opt.zero_grad()
    ...     loss = ((model(x) - y) ** 2).mean()
    ...     loss.backward()
    ...     opt.step()
    ...     return loss
    >>> x, y = hw.ones(4, 3), hw.zeros(4, 1)
    >>> losses = [round(step(x, y).item(), 4) for _ in range(3)]
    >>> step.traces, len(losses)
    (1, 3)
    """
    if options:
        raise TypeError(
            f"hw.compile: unsupported option(s) {sorted(options)}; Headwater's compile takes "
            f"max_traces= and fullgraph= (backend=, mode= and dynamic= do not apply)"
        )
    if fn is None:
        return lambda f: CompiledFunction(f, max_traces, fullgraph)
    return CompiledFunction(fn, max_traces, fullgraph)

