"""Guards: a Python branch on a tensor (``bool(t)``: ``if t:``, ``if x.sum() > 0:``,
``while err > tol:``) under ``hw.compile`` becomes a check in the replay.

The trace records which way the branch went (``guard.bool`` nodes, in op order). A
replay recomputes the tensor, reads it on the host as eager does, and stops with
:class:`GuardFailed` when the value differs; ``hw.compile`` then tries the other
traces of the same signature, and traces the new path when none fits (each path is
one trace, within ``max_traces``). A guard stops a replay only before anything that a
stopped replay could not undo: the trace refuses a branch after ``backward()``, an
optimizer step or an in-place update of a buffer (that call runs eagerly, with a
warning naming the line), and the random generators are put back to their state
before the replay, so the next attempt draws the same numbers eager would.
"""

from __future__ import annotations

from typing import Any

from headwater.jit.graph import Graph, Value
from headwater.tensor import generator
from headwater.tensor.transfer import to_host

__all__ = ["GuardFailed", "GUARD_OP", "guard_step", "check_guard", "RandomState"]

GUARD_OP = "guard.bool"


class GuardFailed(Exception):
    """A replay met a branch that goes the other way than in its trace."""


def check_guard(array: Any, expected: bool) -> None:
    """Read the one-element ``array`` on the host (a counted crossing, as ``bool(t)``)
    and raise :class:`GuardFailed` unless its truth value is ``expected``.

    Examples
    --------
    >>> import numpy as np
    >>> check_guard(np.array(2.0), True)
    >>> check_guard(np.array(0.0), True)
    Traceback (most recent call last):
    ...
    headwater.jit.guards.GuardFailed: guard.bool: expected True
    """
    if bool(to_host(array).reshape(()).item()) is not expected:
        raise GuardFailed(f"{GUARD_OP}: expected {expected}")


def guard_step(node: Any):
    """The replay step of a ``guard.bool`` node."""
    index = node.args[0].index
    expected = node.attrs["expected"]

    def step(state: Any) -> None:
        check_guard(state.env[index], expected)
    return step


class RandomState:
    """The states of the random generators a guarded graph may draw from (every
    device's default generator, and generators passed to its ops), to put back
    when a guard stops a replay."""

    def __init__(self, graph: Graph) -> None:
        own = []
        for node in graph.nodes:
            for a in [*node.args, *node.attrs.values()]:
                if isinstance(a, generator.Generator) and not isinstance(a, Value):
                    own.append(a)
        self.own = own

    def save(self) -> list:
        """The CPU generators' positions (a trace refuses guards after GPU draws, whose
        generators do not expose their state)."""
        gens = [*generator._defaults.values(), *self.own]
        return [(g._rng, g._rng.bit_generator.state) for g in gens
                if g._rng is not None and g.device.type == "cpu"]

    @staticmethod
    def restore(saved: list) -> None:
        for rng, state in saved:
            rng.bit_generator.state = state
