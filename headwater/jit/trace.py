"""``hw.jit.trace``: record one call as a static graph and replay it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.jit.discovery import module_names, modules_of, tensor_names
from headwater.jit.errors import TraceError
from headwater.jit.graph import Graph
from headwater.jit.program import Program
from headwater.jit.pytree import flatten, unflatten
from headwater.jit.recorder import Recorder, recording
from headwater.tensor.tensor import Tensor

__all__ = ["trace", "TracedFunction", "record_call", "tensor_signature", "aliasing"]


def aliasing(leaves: list) -> tuple:
    """For each argument, the position of the first argument that is the same tensor
    (a graph traced with ``f(x, x)`` must not replay on ``f(x, y)``).

    Examples
    --------
    >>> import headwater as hw
    >>> x, y = hw.ones(1), hw.ones(1)
    >>> aliasing([x, x, y, 3])
    (0, 0, 2, 3)
    """
    first: dict[int, int] = {}
    return tuple(first.setdefault(id(x), i) if isinstance(x, Tensor) else i for i, x in enumerate(leaves))


def tensor_signature(t: Tensor) -> tuple:
    """What a replay needs to be the same for a tensor argument: shape, dtype, device.

    Examples
    --------
    >>> import headwater as hw
    >>> tensor_signature(hw.ones(2, 3))[:2]
    ((2, 3), dtype('float32'))
    """
    a = t.array
    return (a.shape, a.dtype, type(a))


def record_call(fn: Callable, args: tuple, kwargs: dict, strict: bool) -> tuple[Recorder, Any, Any]:
    """Run ``fn(*args, **kwargs)`` eagerly while recording it; returns the recorder, the
    call's result and the spec of the flattened result. ``strict`` (``hw.compile``)
    collects as problems what ``hw.jit.trace`` only warns about.

    Examples
    --------
    >>> import headwater as hw
    >>> rec, out, _ = record_call(lambda x: x + 1, (hw.ones(2),), {}, strict=True)
    >>> [n.op for n in rec.graph.nodes], out.tolist(), rec.problems
    (['add'], [2.0, 2.0], [])
    """
    modules = modules_of(fn)
    rec = Recorder(strict, module_names(modules), tensor_names(modules))
    leaves, _ = flatten((args, kwargs))
    k = 0
    for x in leaves:
        if isinstance(x, Tensor):
            rec.add_input(x, f"input{k}")
            k += 1
    named = {}
    for _, m in modules:
        named.update({id(t): t for t in m.parameters()})
        named.update({id(t): t for t in m.buffers()})
    rec.watch(list(named.values()))
    with recording(rec):
        result = fn(*args, **kwargs)
        out_leaves, out_spec = flatten(result)
        rec.finish(out_leaves)
    rec.check_watched()
    return rec, result, out_spec


class TracedFunction:
    """A call recorded by :func:`trace`: ``graph`` prints it, calling it replays it.

    Replays need the tensor arguments to have the traced shapes, dtypes and device,
    and the other arguments the traced values; anything else raises
    :class:`~headwater.jit.TraceError` (use ``hw.compile`` for calls whose shapes vary).
    """

    def __init__(self, fn: Callable, graph: Graph, in_spec: Any, in_leaves: list, out_spec: Any) -> None:
        self.fn = fn
        self.graph = graph
        self._in_spec = in_spec
        self._expected = [tensor_signature(x) if isinstance(x, Tensor) else ("value", x) for x in in_leaves]
        self._out_spec = out_spec
        self._aliasing = aliasing(in_leaves)
        self._program = Program(graph)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        leaves, spec = flatten((args, kwargs))
        if spec != self._in_spec or len(leaves) != len(self._expected):
            raise TraceError(
                "the traced function was called with arguments of another structure than the "
                "example inputs; trace again, or use hw.compile, which traces once per signature"
            )
        tensors = []
        for i, (x, want) in enumerate(zip(leaves, self._expected)):
            if isinstance(x, Tensor):
                got = tensor_signature(x)
                if got != want:
                    raise TraceError(
                        f"argument {i}: traced for shape {want[0]}, dtype {want[1]} on "
                        f"{_device(want[2])}, called with shape {got[0]}, dtype {got[1]} on "
                        f"{_device(got[2])}; a trace never replays on another signature: trace "
                        f"again or use hw.compile, which retraces per signature"
                    )
                tensors.append(x)
            elif want[0] != "value" or not _same(x, want[1]):
                raise TraceError(
                    f"argument {i}: traced with the value {want[1]!r}, called with {x!r}; the "
                    f"trace baked in the traced value. Trace again or use hw.compile"
                )
        if aliasing(leaves) != self._aliasing:
            raise TraceError(
                "the traced call passed one tensor in several argument positions (or distinct "
                "tensors where this call passes one); the graph depends on that: trace again "
                "or use hw.compile"
            )
        return unflatten(self._out_spec, self._program.run(tensors))

    def __repr__(self) -> str:
        return f"<TracedFunction of {getattr(self.fn, '__name__', type(self.fn).__name__)}: {self.graph!r}>"


def _device(kind: type) -> str:
    return "cpu" if kind.__module__ == "numpy" else "cuda"


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # noqa: BLE001 - values without a plain equality
        return a is b


def trace(fn_or_module: Callable, example_inputs: Any, example_kwarg_inputs: dict | None = None) -> TracedFunction:
    """Run ``fn_or_module(*example_inputs)`` once and record the ops it ran as a static
    graph (shapes, dtypes, parameters by module path), as ``torch.jit.trace``.

    Calling the result replays the graph on new tensors of the same shapes, dtypes and
    device: no Python code of the function runs again. Like every tracer it bakes in
    what it saw: Python control flow takes the branch the example took, values read
    on the host (``.item()``, ``bool(t)``, ``.tolist()``, a branch on a tensor) are
    constants, and so are tensors made outside the op tape; each of these raises a
    :class:`~headwater.jit.TracerWarning` naming the line. A call that a replay cannot
    reproduce at all (random draws outside a recorded op, in-place writes outside the
    tape, a custom ``Function``'s backward) raises :class:`~headwater.jit.TraceError`.
    Dropout draws inside its op, so a replay draws fresh masks from the generator, as
    eager does. Outputs are fresh tensors; with gradients enabled and parameters that
    require grad they carry ``grad_fn`` (the replay runs through the autograd tape),
    otherwise not. Parameters are read live, so updates between calls are seen.

    Parameters
    ----------
    fn_or_module : callable or Module
        What to trace. A function's modules (closure, globals, bound ``self``) name
        its parameters in the graph.
    example_inputs : Tensor or tuple
        The positional arguments of the traced call (a lone Tensor is one argument).
    example_kwarg_inputs : dict, optional
        Keyword arguments of the traced call.

    Returns
    -------
    TracedFunction
        Callable; ``.graph`` is the recorded :class:`~headwater.jit.Graph`.

    Raises
    ------
    TraceError
        The call cannot be replayed (the message names what and where).

    Examples
    --------
    >>> import headwater as hw
    >>> net = hw.nn.Sequential(hw.nn.Linear(3, 2), hw.nn.ReLU()).eval()
    >>> traced = hw.jit.trace(net, hw.ones(4, 3))
    >>> print(traced.graph)  # doctest: +NORMALIZE_WHITESPACE
    graph(%input0: float32[4, 3]):
      %0.weight: float32[2, 3]  # param
      %0.bias: float32[2]  # param
      %0: float32[4, 2] = linear(%input0, %0.weight, %0.bias)  # 0
      %1: float32[4, 2] = relu(%0)  # 1
      return (%1)
    >>> x = hw.randn(4, 3)
    >>> with hw.no_grad():
    ...     bool((traced(x) == net(x)).all())
    True
    """
    args = example_inputs if isinstance(example_inputs, tuple) else (example_inputs,)
    kwargs = dict(example_kwarg_inputs or {})
    rec, _, out_spec = record_call(fn_or_module, args, kwargs, strict=False)
    if rec.problems:
        raise TraceError("hw.jit.trace cannot record this call so that it replays: " + "; ".join(rec.problems))
    leaves, in_spec = flatten((args, kwargs))
    return TracedFunction(fn_or_module, rec.graph, in_spec, leaves, out_spec)
