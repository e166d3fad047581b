"""Data-parallel MLP training throughput: samples/s at 1 and 2 MPI ranks.

Each rank trains the same MLP (64 -> 256 -> 256 -> 1, float32, SGD) under
DistributedDataParallel on its own shard of synthetic data at a fixed per-rank batch;
rank 0 times ``--steps`` steps after ``--warmup`` and prints the global samples/s
(all ranks' samples). The ranks are started with ``headwater launch`` (mpiexec).

    python benchmarks/ddp_mlp.py --ranks 1 2 --steps 200 --batch 256 --repeat 3

``--repeat`` interleaves the launches (1, 2, 1, 2, ...) so that a shared machine's
load weighs on every world size alike, and reports the median of each; the load
average before and after is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--batch", type=int, default=256, help="samples per rank per step")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads per rank")
    p.add_argument("--repeat", type=int, default=1, help="launches per world size (interleaved); medians reported")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args()


def worker(args: argparse.Namespace) -> None:
    import numpy as np

    import headwater as hw

    hw.distributed.init_process_group("mpi")
    rank, world = hw.distributed.get_rank(), hw.distributed.get_world_size()
    hw.manual_seed(0)
    model = hw.nn.parallel.DistributedDataParallel(
        hw.nn.Sequential(hw.nn.Linear(64, 256), hw.nn.ReLU(), hw.nn.Linear(256, 256), hw.nn.ReLU(),
                         hw.nn.Linear(256, 1)))
    opt = hw.optim.SGD(model.parameters(), lr=0.01)
    rng = np.random.default_rng(rank)
    x = hw.tensor(rng.normal(size=(args.batch * 8, 64)).astype(np.float32))
    y = hw.tensor(rng.normal(size=(args.batch * 8, 1)).astype(np.float32))
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            hw.distributed.barrier()
            start = time.perf_counter()
        lo = (step % 8) * args.batch
        opt.zero_grad()
        loss = ((model(x[lo:lo + args.batch]) - y[lo:lo + args.batch]) ** 2).mean()
        loss.backward()
        opt.step()
    hw.distributed.barrier()
    seconds = time.perf_counter() - start
    if rank == 0:
        print(json.dumps({"ranks": world, "samples_per_s": args.steps * args.batch * world / seconds,
                          "step_ms": 1000 * seconds / args.steps}))
    hw.distributed.destroy_process_group()


def main() -> None:
    args = _parse()
    if args.worker:
        worker(args)
        return
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), OPENBLAS_NUM_THREADS=str(args.threads))
    runs: dict[int, list[dict]] = {n: [] for n in args.ranks}
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for _ in range(args.repeat):
        for n in args.ranks:
            cmd = [sys.executable, "-m", "headwater.pipelines.cli", "launch", "-n", str(n), __file__, "--worker",
                   "--steps", str(args.steps), "--warmup", str(args.warmup), "--batch", str(args.batch)]
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
            runs[n].append(json.loads(next(line for line in out.splitlines() if line.startswith("{"))))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    rows = [{"ranks": n, "samples_per_s": statistics.median(r["samples_per_s"] for r in got),
             "step_ms": statistics.median(r["step_ms"] for r in got),
             "all": [round(r["samples_per_s"]) for r in got]} for n, got in runs.items()]
    base = rows[0]["samples_per_s"]
    print(f"MLP 64-256-256-1 float32, batch {args.batch} per rank, {args.steps} steps, {args.threads} BLAS thread(s) "
          f"per rank, median of {args.repeat}")
    print(f"{'ranks':>5} {'samples/s':>12} {'step ms':>9} {'vs first':>9}  runs")
    for r in rows:
        print(f"{r['ranks']:>5} {r['samples_per_s']:>12.0f} {r['step_ms']:>9.2f} {r['samples_per_s'] / base:>8.2f}x  "
              f"{r['all']}")


if __name__ == "__main__":
    main()
