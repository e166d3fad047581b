"""Run by test_mpi_ddp: 20 SGD steps of an MLP under DistributedDataParallel, weights saved per rank."""

from __future__ import annotations

import sys

import numpy as np

import headwater as hw

STEPS, BATCH, N = 20, 4, 20 * 4 * 2


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(N, 5)), rng.normal(size=(N, 1))


def net(seed: int) -> hw.nn.Module:
    hw.manual_seed(seed)
    return hw.nn.Sequential(hw.nn.Linear(5, 16), hw.nn.Tanh(), hw.nn.Linear(16, 1)).double()


def train(model: hw.nn.Module, batches: list[np.ndarray]) -> None:
    x, y = data()
    opt = hw.optim.SGD(model.parameters(), lr=0.1)
    for idx in batches:
        opt.zero_grad()
        loss = ((model(hw.tensor(x[idx])) - hw.tensor(y[idx])) ** 2).mean()
        loss.backward()
        opt.step()


def main(out: str) -> None:
    hw.distributed.init_process_group("mpi")
    rank = hw.distributed.get_rank()
    ddp = hw.nn.parallel.DistributedDataParallel(net(seed=100 + rank), bucket_cap_mb=0.0005)  # several buckets
    order = np.array(list(hw.data.DistributedSampler(range(N), shuffle=False)))
    train(ddp, [order[k * BATCH:(k + 1) * BATCH] for k in range(STEPS)])
    np.savez(f"{out}/rank{rank}.npz", *[p.detach().numpy() for p in ddp.module.parameters()])
    hw.distributed.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
