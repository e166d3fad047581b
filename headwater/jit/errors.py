"""Errors and warnings of graph mode."""

from __future__ import annotations

__all__ = ["TraceError", "TracerWarning", "CompileWarning"]


class TraceError(RuntimeError):
    """A call cannot be recorded as a graph that replays correctly (the message says
    what was seen, where, and what to do instead)."""


class TracerWarning(UserWarning):
    """``hw.jit.trace`` baked something into the graph that a replay will not redo
    (a value read on the host, the branch taken on it, a tensor made outside the op
    tape)."""


class CompileWarning(UserWarning):
    """``hw.compile`` runs a call eagerly instead of replaying it (the message says why)."""
