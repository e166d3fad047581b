"""``nn.parallel.DistributedDataParallel``: data-parallel training over the default process group.

At wrap time the parameters and buffers are broadcast from rank 0 (after a check
that every rank holds the same parameter shapes). Each backward then averages the
gradients over the ranks: the parameters are cut into flat buckets of about
``bucket_cap_mb`` (in reverse registration order, as the gradients usually arrive),
and each bucket is reduced in one ``all_reduce`` once all its gradients are in, the
buckets always in the same fixed order on every rank. ``no_sync()`` accumulates
locally; the next synchronized backward averages the accumulated gradients.
"""

from __future__ import annotations

import weakref

import contextlib
from collections.abc import Iterator
from typing import Any

from headwater.autograd import engine
from headwater.autograd.nn.module import Module
from headwater.distributed import group as dist
from headwater.distributed.reduce_op import ReduceOp
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["DistributedDataParallel"]


class DistributedDataParallel(Module):
    """Wrap ``module`` so that its gradients are averaged over all ranks.

    Parameters
    ----------
    module : Module
    device_ids, output_device : optional
        torch's single-device placement; the module stays on its device here.
    broadcast_buffers : bool, default True
        Broadcast buffers (running statistics) from rank 0 at every forward.
    process_group : None
        The default group (sub-groups are not supported).
    bucket_cap_mb : float, default 25
        Size of the flat gradient buckets.
    find_unused_parameters : False
        Every parameter must receive a gradient in each synchronized backward.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.distributed.init_process_group("loopback")
    >>> model = hw.nn.parallel.DistributedDataParallel(hw.nn.Linear(3, 1))
    >>> model(hw.ones(2, 3)).sum().backward()
    >>> model.module.weight.grad.tolist()
    [[2.0, 2.0, 2.0]]
    >>> hw.distributed.destroy_process_group()
    """

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None,
                 broadcast_buffers: bool = True, process_group: Any = None, bucket_cap_mb: float = 25,
                 find_unused_parameters: bool = False, gradient_as_bucket_view: bool = False,
                 static_graph: bool = False) -> None:
        super().__init__()
        if find_unused_parameters:
            raise NotImplementedError("DistributedDataParallel: find_unused_parameters=True is not supported; "
                                      "every parameter must get a gradient (freeze unused ones with "
                                      "requires_grad_(False) before wrapping)")
        self._comm = dist.current(process_group)
        self.module = module
        self.broadcast_buffers = bool(broadcast_buffers)
        self.require_backward_grad_sync = True
        params = [p for p in module.parameters() if p.requires_grad]
        self._params = params
        self._check_shapes()
        for tensor in [*module.parameters(), *module.buffers()]:
            dist.broadcast(tensor, 0)
        self._buckets = _buckets(params, bucket_cap_mb)
        self._bucket_of = {i: b for b, members in enumerate(self._buckets) for i in members}
        self._reset()
        self._handles = [engine.register_hook(p, self._hook_for(i)) for i, p in enumerate(params)]

    # -- the wrapped module -------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if any(self._arrived):
            raise RuntimeError("DistributedDataParallel: the last backward did not reach every parameter "
                               f"(buckets {[b for b, n in enumerate(self._arrived) if n < len(self._buckets[b])]} "
                               "are incomplete); every parameter must take part in the loss")
        if self.broadcast_buffers and self._comm.world_size > 1:
            for buf in self.module.buffers():
                dist.broadcast(buf, 0)
        return self.module(*args, **kwargs)

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Backward passes inside accumulate gradients locally, without communication."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous

    # -- gradient reduction -------------------------------------------------------------
    def _reset(self) -> None:
        self._arrived = [0] * len(self._buckets)
        self._pending: dict[int, Any] = {}
        self._next = 0

    def _hook_for(self, index: int) -> Any:
        # the hook lives in the engine's global hook table: it holds the wrapper weakly,
        # so that a wrapper (and its parameters) no longer used can be collected
        owner = weakref.ref(self)

        def hook(grad: Tensor) -> Tensor | None:
            ddp = owner()
            if ddp is None:
                return None
            if not ddp.require_backward_grad_sync:
                return None
            p = ddp._params[index]
            if index in ddp._pending:
                raise RuntimeError("DistributedDataParallel: a parameter received its gradient twice in one "
                                   "backward; call backward once per forward")
            ddp._pending[index] = grad.array if p.grad is None else p.grad.array + grad.array
            bucket = ddp._bucket_of[index]
            ddp._arrived[bucket] += 1
            while ddp._next < len(ddp._buckets) and \
                    ddp._arrived[ddp._next] == len(ddp._buckets[ddp._next]):
                ddp._reduce(ddp._buckets[ddp._next])
                ddp._next += 1
            if ddp._next == len(ddp._buckets):
                ddp._reset()
            # the averaged gradient is already in .grad; the engine adds this zero to it
            return Tensor(backend_of(grad.array).xp.zeros_like(grad.array))
        return hook

    def _reduce(self, members: list[int]) -> None:
        arrays = [self._pending[i] for i in members]
        xp = backend_of(arrays[0]).xp
        flat = xp.concatenate([a.reshape(-1) for a in arrays])
        self._comm.all_reduce(flat, ReduceOp.AVG)
        offset = 0
        for i, a in zip(members, arrays):
            p = self._params[i]
            p.grad = Tensor(flat[offset:offset + a.size].reshape(a.shape).copy())
            offset += a.size

    def _check_shapes(self) -> None:
        xp = backend_of(self._params[0].array).xp if self._params else None
        if xp is None or self._comm.world_size == 1:
            return
        signature = [len(self._params)] + [d for p in self._params for d in (p.array.ndim, *p.array.shape)]
        backend = backend_of(self._params[0].array)
        mine = backend.to_device([len(signature), hash(tuple(signature)) % (2**61)], dtype="int64")
        lo, hi = mine.copy(), mine.copy()
        self._comm.all_reduce(lo, ReduceOp.MIN)
        self._comm.all_reduce(hi, ReduceOp.MAX)
        if bool(to_host(xp.any(lo != hi))):
            raise ValueError(f"DistributedDataParallel: rank {self._comm.rank} holds parameters whose shapes differ "
                             f"from another rank's ({len(self._params)} parameters, shapes "
                             f"{[tuple(p.array.shape) for p in self._params][:6]}...); build the same model on "
                             f"every rank")


def _buckets(params: list[Tensor], cap_mb: float) -> list[list[int]]:
    cap = max(1, int(cap_mb * 2**20))
    buckets: list[list[int]] = []
    size = 0
    for i in reversed(range(len(params))):
        nbytes = params[i].array.nbytes
        if not buckets or (size + nbytes > cap and buckets[-1]):
            buckets.append([])
            size = 0
        buckets[-1].append(i)
        size += nbytes
    return buckets
