"""Schedules made of schedules: one after another (SequentialLR) or all at once
(ChainedScheduler)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from headwater.autograd.optim.lr_scheduler.base import LRScheduler
from headwater.autograd.optim.lr_scheduler.plateau import ReduceLROnPlateau
from headwater.autograd.optim.optimizer import Optimizer

__all__ = ["SequentialLR", "ChainedScheduler"]


def _check_members(owner: str, optimizer: Optimizer, schedulers: Sequence[LRScheduler]) -> None:
    if not schedulers:
        raise ValueError(f"{owner} needs at least one scheduler")
    for i, s in enumerate(schedulers):
        if not hasattr(s, "optimizer"):
            raise TypeError(f"{owner}: scheduler {i} ({type(s).__name__}) has no optimizer attribute")
        if isinstance(s, ReduceLROnPlateau):
            raise ValueError(
                f"{owner} can't hold ReduceLROnPlateau (scheduler {i}): its step needs a metric; "
                f"step it separately"
            )
        if s.optimizer is not optimizer:
            raise ValueError(f"{owner}: scheduler {i} ({type(s).__name__}) belongs to another optimizer")


class _Composite(LRScheduler):
    _unsaved = ("optimizer", "_schedulers")

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state = dict(state_dict)
        inner = state.pop("_schedulers")
        for s, saved in zip(self._schedulers, inner):
            s.load_state_dict(saved)
        super().load_state_dict(state)


class SequentialLR(_Composite):
    """Run ``schedulers[i]`` between ``milestones[i - 1]`` and ``milestones[i]``;
    each later one starts from its own epoch 0 (closed form) at its milestone.

    Examples
    --------
    >>> import headwater as hw
    >>> opt = hw.optim.SGD([hw.nn.Parameter(hw.zeros(1))], lr=1.0)
    >>> S = hw.optim.lr_scheduler
    >>> warm = S.LinearLR(opt, start_factor=0.5, total_iters=2)
    >>> decay = S.ExponentialLR(opt, gamma=0.5)
    >>> sched = S.SequentialLR(opt, [warm, decay], milestones=[2])
    >>> lrs = [sched.get_last_lr()[0]]
    >>> for _ in range(4):
    ...     sched.step(); lrs.append(sched.get_last_lr()[0])
    >>> lrs
    [0.5, 0.75, 1.0, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, schedulers: Sequence[LRScheduler], milestones: Sequence[int],
                 last_epoch: int = -1) -> None:
        _check_members("SequentialLR", optimizer, schedulers)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"SequentialLR needs one milestone fewer than schedulers, got {len(schedulers)} "
                f"schedulers and {len(milestones)} milestones"
            )
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        # undo the first step each member took when it was built, then start the first one
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self._undo(self)
        first = self._schedulers[bisect.bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    @classmethod
    def _undo(cls, sched: Any) -> None:
        inner = getattr(sched, "_schedulers", None)
        if inner is not None:
            for s in inner:
                cls._undo(s)
        elif hasattr(sched, "last_epoch"):
            sched.last_epoch -= 1

    def step(self) -> None:  # type: ignore[override]
        """Advance one epoch in the scheduler whose span holds it."""
        self.last_epoch += 1
        i = bisect.bisect_right(self._milestones, self.last_epoch)
        sched = self._schedulers[i]
        if i > 0 and self._milestones[i - 1] == self.last_epoch:
            sched._set_lr(0)
        else:
            sched.step()
        self._last_lr = sched.get_last_lr()


class ChainedScheduler(_Composite):
    """Step every scheduler each epoch, so their (chainable) factors multiply.

    Examples
    --------
    >>> import headwater as hw
    >>> opt = hw.optim.SGD([hw.nn.Parameter(hw.zeros(1))], lr=1.0)
    >>> S = hw.optim.lr_scheduler
    >>> sched = S.ChainedScheduler([S.ConstantLR(opt, factor=0.5, total_iters=2),
    ...                             S.ExponentialLR(opt, gamma=0.9)])
    >>> lrs = [sched.get_last_lr()[0]]
    >>> for _ in range(3):
    ...     sched.step(); lrs.append(round(sched.get_last_lr()[0], 4))
    >>> lrs
    [0.5, 0.45, 0.81, 0.729]
    """

    def __init__(self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None) -> None:
        if optimizer is None and schedulers:
            optimizer = schedulers[0].optimizer
        _check_members("ChainedScheduler", optimizer, schedulers)
        self._schedulers = list(schedulers)
        self.optimizer = optimizer
        self._last_lr = self._lrs()

    def step(self) -> None:  # type: ignore[override]
        """Step every scheduler in order."""
        for s in self._schedulers:
            s.step()
        self._last_lr = self._lrs()
