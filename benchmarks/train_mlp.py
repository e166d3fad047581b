"""MLP training throughput: Headwater against PyTorch eager, side by side.

The same MLP (64 -> 256 -> 256 -> 10, ReLU, cross-entropy, Adam, batch 256) starts
from the same weights in both frameworks, on the same device and thread count, and
trains on the same data. Runs alternate between the two frameworks; the report gives
the median samples/s of each and the ratio Headwater / PyTorch.

    python benchmarks/train_mlp.py --device cpu --threads 2
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--steps", type=int, default=200, help="training steps per timed run")
    p.add_argument("--runs", type=int, default=7, help="timed runs per framework")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--no-torch", action="store_true", help="time Headwater only")
    return p.parse_args()


ARGS = _parse()
# thread pools read these when NumPy and PyTorch load, so set them first
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402

import headwater as hw  # noqa: E402

IN, HIDDEN, OUT = 64, 256, 10


def make_data(n_batches: int, batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_batches, batch, IN)).astype(np.float32)
    y = rng.integers(0, OUT, size=(n_batches, batch)).astype(np.int64)
    return x, y


def headwater_model() -> hw.nn.Module:
    return hw.nn.Sequential(
        hw.nn.Linear(IN, HIDDEN), hw.nn.ReLU(),
        hw.nn.Linear(HIDDEN, HIDDEN), hw.nn.ReLU(),
        hw.nn.Linear(HIDDEN, OUT),
    )


def time_headwater(model, xs, ys, steps: int) -> tuple[float, float]:
    opt = hw.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = hw.nn.CrossEntropyLoss()
    backend = hw.get_backend()
    n = len(xs)
    backend.synchronize()
    start = time.perf_counter()
    for i in range(steps):
        loss = loss_fn(model(xs[i % n]), ys[i % n])
        opt.zero_grad()
        loss.backward()
        opt.step()
    backend.synchronize()
    elapsed = time.perf_counter() - start
    return elapsed, loss.item()


def time_torch(torch, model, xs, ys, steps: int, device: str) -> tuple[float, float]:
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = len(xs)
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for i in range(steps):
        loss = loss_fn(model(xs[i % n]), ys[i % n])
        opt.zero_grad()
        loss.backward()
        opt.step()
    if device == "cuda":
        torch.cuda.synchronize()
    elapsed = time.perf_counter() - start
    return elapsed, loss.item()


def torch_copy(torch, model: hw.nn.Module, device: str):
    layers = []
    for m in model:
        if isinstance(m, hw.nn.Linear):
            t = torch.nn.Linear(m.in_features, m.out_features)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(m.weight.detach().cpu().numpy().copy()))
                t.bias.copy_(torch.from_numpy(m.bias.detach().cpu().numpy().copy()))
            layers.append(t)
        else:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers).to(device)


def main() -> int:
    hw.set_device(ARGS.device)
    hw.manual_seed(0)
    n_batches = 16
    x_host, y_host = make_data(n_batches, ARGS.batch)
    hw_x = [hw.as_tensor(x) for x in x_host]
    hw_y = [hw.as_tensor(y) for y in y_host]
    init = headwater_model()
    state = {k: v.clone() for k, v in init.state_dict().items()}

    torch = None
    if not ARGS.no_torch:
        import torch

        torch.set_num_threads(ARGS.threads)
        t_x = [torch.from_numpy(x).to(ARGS.device) for x in x_host]
        t_y = [torch.from_numpy(y).to(ARGS.device) for y in y_host]

    # warm-up: one short run each
    hw_times, torch_times, hw_loss, torch_loss = [], [], None, None
    model = headwater_model()
    model.load_state_dict(state)
    time_headwater(model, hw_x, hw_y, 20)
    if torch is not None:
        time_torch(torch, torch_copy(torch, init, ARGS.device), t_x, t_y, 20, ARGS.device)
    for _ in range(ARGS.runs):
        model = headwater_model()
        model.load_state_dict(state)
        elapsed, hw_loss = time_headwater(model, hw_x, hw_y, ARGS.steps)
        hw_times.append(elapsed)
        if torch is not None:
            tmodel = torch_copy(torch, init, ARGS.device)
            elapsed, torch_loss = time_torch(torch, tmodel, t_x, t_y, ARGS.steps, ARGS.device)
            torch_times.append(elapsed)

    samples = ARGS.steps * ARGS.batch
    hw_rate = statistics.median(samples / t for t in hw_times)
    print(f"device={ARGS.device} threads={ARGS.threads} batch={ARGS.batch} steps/run={ARGS.steps} runs={ARGS.runs}")
    print(f"headwater {hw.__version__}: {hw_rate:,.0f} samples/s (median), final loss {hw_loss:.4f}")
    if torch is not None:
        torch_rate = statistics.median(samples / t for t in torch_times)
        print(f"pytorch {torch.__version__}: {torch_rate:,.0f} samples/s (median), final loss {torch_loss:.4f}")
        print(f"ratio headwater/pytorch: {hw_rate / torch_rate:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
