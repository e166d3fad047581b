"""Where a recorded call came from: the user's ``file:line``, the module scope, and
whether a host read or a random draw happens inside a kernel that replays whole.

These walk the Python stack, which only ever happens while a trace records.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["user_location", "module_scope", "inside_replayed_kernel", "branch_tensor"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def user_location(depth: int = 2) -> str:
    """``file:line`` of the innermost frame outside the headwater package."""
    f = sys._getframe(depth)
    while f is not None:
        name = f.f_code.co_filename
        if not os.path.abspath(name).startswith(_PACKAGE):
            return f"{name}:{f.f_lineno}"
        f = f.f_back
    return "<unknown>"


def module_scope(names: dict[int, str], depth: int = 2) -> str:
    """The dotted path of the innermost module whose ``forward`` is running."""
    from headwater.autograd.nn.module import Module

    f = sys._getframe(depth)
    while f is not None:
        if f.f_code.co_name == "forward":
            owner = f.f_locals.get("self")
            if isinstance(owner, Module):
                name = names.get(id(owner))
                return name if name is not None else type(owner).__name__
        f = f.f_back
    return ""


def inside_replayed_kernel(depth: int = 2) -> bool:
    """True when a frame on the stack runs an Op's forward/backward, the autograd
    engine's walk or an optimizer's update: those replay as a whole, so what they
    read or draw inside is recomputed on every replay."""
    from headwater.autograd import engine
    from headwater.autograd.function import Op
    from headwater.autograd.optim.optimizer import Optimizer

    walk = engine._run.__code__
    f = sys._getframe(depth)
    while f is not None:
        code = f.f_code
        if code is walk:
            return True
        if code.co_name in ("forward", "backward", "_run_backward", "_update", "step"):
            owner: Any = f.f_locals.get("self")
            if isinstance(owner, Op) or (code.co_name in ("_update", "step") and isinstance(owner, Optimizer)):
                return True
        f = f.f_back
    return False


def branch_tensor(depth: int = 2) -> Any:
    """The Tensor whose truth value is being read (``bool(t)``: a Python ``if``/``while``
    or ``and``/``or``/``not`` on it) when the host read comes from ``Tensor.__bool__``
    within a few frames; None for other reads (``.item()``, ``.tolist()``, ...)."""
    from headwater.tensor.tensor import Tensor

    code = Tensor.__bool__.__code__
    f = sys._getframe(depth)
    for _ in range(3):
        if f is None:
            break
        if f.f_code is code:
            owner = f.f_locals.get("self")
            return owner if isinstance(owner, Tensor) else None
        f = f.f_back
    return None
