"""The schedule base: ``step()`` advances ``last_epoch`` and writes each group's lr.

Schedules set ``group["lr"]`` (a Python float) between steps, so they never touch
the device. As in PyTorch, each ``get_lr`` is chainable: it derives the next lr from
the group's current one, so schedules compose (``ChainedScheduler``) and a schedule
built on an optimizer restored with ``load_state_dict`` continues from the saved lr.
``step(epoch)`` (deprecated in PyTorch, kept for old scripts) jumps with the closed
form where a schedule has one.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.optim.optimizer import Optimizer

__all__ = ["LRScheduler", "group_values"]


def group_values(optimizer: Optimizer, name: str, value: Any) -> list:
    """``value`` once per parameter group (a list or tuple must have one per group)."""
    n = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"expected {n} values for {name} (one per parameter group), got {len(value)}")
        return list(value)
    return [value] * n


class LRScheduler:
    """Base class of the epoch (or batch) schedules; building one applies the lr of
    epoch 0.

    Subclasses define ``get_lr()`` (chainable, from ``group["lr"]``) and may define
    ``_closed_form_lr()`` (from ``base_lrs`` and ``last_epoch``).
    """

    _is_initial = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__} needs an Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(
                    f"{type(self).__name__}: resuming (last_epoch={last_epoch}) needs 'initial_lr' in "
                    f"param_groups[{i}]; load the optimizer's state_dict first"
                )
        self.base_lrs = [g["initial_lr"] for g in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The lr of each group for the current ``last_epoch``."""
        raise NotImplementedError

    def _lrs(self) -> list[float]:
        return [g["lr"] for g in self.optimizer.param_groups]

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or batch, for per-batch schedules); with ``epoch``,
        jump there (closed form where the schedule has one)."""
        self._step_count += 1
        self._set_lr(epoch)

    def _set_lr(self, epoch: int | None) -> None:
        if epoch is None:
            self.last_epoch += 1
            lrs = self.get_lr()
        else:
            self.last_epoch = epoch
            closed = getattr(self, "_closed_form_lr", None)
            lrs = closed() if closed is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = self._lrs()

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the last ``step``.

        Examples
        --------
        >>> import headwater as hw
        >>> opt = hw.optim.SGD([hw.nn.Parameter(hw.zeros(1))], lr=0.5)
        >>> hw.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5).get_last_lr()
        [0.5]
        """
        return list(self._last_lr)

    _unsaved: tuple[str, ...] = ("optimizer",)

    def state_dict(self) -> dict[str, Any]:
        """The schedule's state: every attribute but the optimizer (and functions,
        which are not saved: a callable object's attributes are)."""
        return {k: v for k, v in self.__dict__.items() if k not in self._unsaved}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state from :meth:`state_dict`, and with it each group's lr.

        PyTorch restores the counters only and leaves ``group["lr"]`` as the
        optimizer has it; writing the saved lr back as well resumes the schedule
        exactly even when the optimizer's state was not loaded (and is a no-op when
        it was).

        Examples
        --------
        >>> import headwater as hw
        >>> opt = hw.optim.SGD([hw.nn.Parameter(hw.zeros(1))], lr=1.0)
        >>> sched = hw.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
        >>> sched.step(); saved_opt, saved = opt.state_dict(), sched.state_dict()
        >>> opt2 = hw.optim.SGD([hw.nn.Parameter(hw.zeros(1))], lr=1.0)
        >>> opt2.load_state_dict(saved_opt)
        >>> sched2 = hw.optim.lr_scheduler.StepLR(opt2, step_size=1, gamma=0.5)
        >>> sched2.load_state_dict(saved); sched2.step(); sched2.get_last_lr()
        [0.25]
        """
        self.__dict__.update(state_dict)
        last = state_dict.get("_last_lr")
        if last is not None and len(last) == len(self.optimizer.param_groups):
            for group, lr in zip(self.optimizer.param_groups, last):
                group["lr"] = lr
