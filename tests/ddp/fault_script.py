"""Run by test_faults under 2 MPI ranks: rank 1 hangs, fails or builds another model; rank 0 reports."""

from __future__ import annotations

import json
import sys
import time

import numpy as np

import headwater as hw


def main(mode: str, out: str) -> None:
    hw.distributed.init_process_group("mpi", timeout=2.0)
    rank = hw.distributed.get_rank()
    hw.manual_seed(0)
    width = 9 if mode == "shapes" and rank == 1 else 8
    try:
        ddp = hw.nn.parallel.DistributedDataParallel(hw.nn.Sequential(hw.nn.Linear(4, width), hw.nn.Linear(width, 1)))
    except ValueError as exc:
        with open(f"{out}/rank{rank}.json", "w") as fh:
            json.dump({"error": type(exc).__name__, "message": str(exc)}, fh)
        return
    opt = hw.optim.SGD(ddp.parameters(), lr=0.1)
    x = hw.tensor(np.ones((4, 4), dtype=np.float32))
    for step in range(10):
        if rank == 1 and step == 3:
            if mode == "hang":
                time.sleep(600)
            if mode == "fail":
                raise RuntimeError("rank 1 fails on purpose")
        opt.zero_grad()
        try:
            ddp(x).sum().backward()
        except hw.distributed.DistError as exc:
            start = time.monotonic()
            try:
                hw.distributed.barrier()
            except hw.distributed.DistError as again:
                later = str(again)
            with open(f"{out}/rank{rank}.json", "w") as fh:
                json.dump({"error": type(exc).__name__, "message": str(exc), "step": step, "later": later,
                           "later_s": time.monotonic() - start}, fh)
            raise
        opt.step()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
