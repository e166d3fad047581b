"""The errors of ``hw.distributed``: torch.distributed's ``DistError`` family, and a timeout.

A collective that does not complete within the process group's ``timeout`` raises
:class:`DistTimeoutError` (a ``DistBackendError``, as torch's watchdog reports a
timed-out collective). The group is then unusable: the collective cannot be cancelled
while the other ranks may still join it, so every later collective raises at once,
and with the ``mpi`` backend the whole job is aborted when this process exits (after
its error has been printed), so that a hung rank is stopped too.
"""

from __future__ import annotations

__all__ = ["DistError", "DistBackendError", "DistTimeoutError"]


class DistError(RuntimeError):
    """Base of the errors raised by the process group (torch's ``DistError``)."""


class DistBackendError(DistError):
    """A backend's collective failed (torch's ``DistBackendError``)."""


class DistTimeoutError(DistBackendError):
    """A collective did not complete within the process group's timeout.

    Examples
    --------
    >>> from headwater.distributed.errors import DistTimeoutError
    >>> err = DistTimeoutError("all_reduce", rank=0, world_size=2, timeout=30.0)
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    rank 0 of 2: all_reduce did not complete within 30 s: another rank failed, hangs or runs a different
    sequence of collectives. The process group cannot be used any more; look at the other ranks' errors,
    or raise timeout= in init_process_group if a rank is only slow
    """

    def __init__(self, what: str, rank: int, world_size: int, timeout: float) -> None:
        self.what, self.rank, self.world_size, self.timeout = what, rank, world_size, timeout
        super().__init__(f"rank {rank} of {world_size}: {what} did not complete within {timeout:g} s: another rank "
                         f"failed, hangs or runs a different sequence of collectives. The process group cannot be "
                         f"used any more; look at the other ranks' errors, or raise timeout= in init_process_group "
                         f"if a rank is only slow")
