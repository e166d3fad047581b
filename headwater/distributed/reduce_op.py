"""``ReduceOp``: the reductions a collective applies, torch.distributed's names."""

from __future__ import annotations

import enum

__all__ = ["ReduceOp"]


class ReduceOp(enum.Enum):
    """``SUM PRODUCT MIN MAX AVG`` (``AVG`` is the sum divided by the world size).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.distributed.ReduceOp.SUM.value
    'sum'
    """

    SUM = "sum"
    PRODUCT = "prod"
    MIN = "min"
    MAX = "max"
    AVG = "avg"


def parse_op(op: object) -> ReduceOp:
    """A ReduceOp from a ReduceOp or its name (``"sum"``, ``"avg"``, ...)."""
    if isinstance(op, ReduceOp):
        return op
    for member in ReduceOp:
        if isinstance(op, str) and op.lower() in (member.value, member.name.lower()):
            return member
    raise ValueError(f"unknown reduction {op!r}; use one of hw.distributed.ReduceOp.{', '.join(ReduceOp.__members__)}")
