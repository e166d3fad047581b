"""MLP training throughput: Headwater against PyTorch eager, side by side.

The same MLP (64 -> 256 -> 256 -> 10, ReLU, cross-entropy, Adam, batch 256) starts
from the same weights in both frameworks, on the same device and thread count, and
trains on the same data. Runs alternate between the two frameworks; the report gives
the median samples/s of each and the ratio Headwater / PyTorch.

Two cases (``--case``):

- ``batches``: the 16 batches are tensors already, so only training is timed.
- ``dataset``: a custom map-style ``Dataset`` (NumPy rows and Python ints, the same
  class body on ``hw.utils.data.Dataset`` and ``torch.utils.data.Dataset``) feeds each
  framework's own ``DataLoader(batch_size, shuffle=True)``; fetching, collating and
  training are timed together.
- ``loader``: the ``dataset`` case's two DataLoaders alone (no model), to show what
  fetching and collating cost.

The training cases also time a *compiled* Headwater column: the same training step
(``zero_grad``, forward, loss, ``backward``, ``step``) wrapped in ``hw.compile``, whose
first call traces and later calls replay (``--no-compiled`` leaves it out). Every
framework's first step of a run (optimizer state created, the trace) runs before the
clock starts, so the figures are the steady training step; the trace's own time is
printed beside them.
``--clock cpu`` times the process's CPU time instead of the elapsed time.

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
    p.add_argument("--no-compiled", action="store_true", help="leave out the hw.compile column")
    p.add_argument("--case", choices=["batches", "dataset", "loader", "all"], default="all")
    p.add_argument("--workers", type=int, default=0, help="DataLoader num_workers in the dataset case")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="wall: elapsed time; cpu: this process's CPU time (steadier on a loaded, "
                        "shared machine; counts no DataLoader worker processes)")
    return p.parse_args()


ARGS = _parse()
# thread pools read these when NumPy and PyTorch load, so set them first
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "HEADWATER_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402

import headwater as hw  # noqa: E402

IN, HIDDEN, OUT = 64, 256, 10
CLOCK = time.perf_counter if ARGS.clock == "wall" else time.process_time


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


def in_memory(xs, ys):
    """The prepared batches, cycled."""
    while True:
        yield from zip(xs, ys)


def from_loader(loader, to_device=None):
    """Batches of a DataLoader, epoch after epoch (moved to the device for torch on CUDA)."""
    while True:
        for x, y in loader:
            yield (x, y) if to_device is None else (x.to(to_device), y.to(to_device))


def _timed(step, batches, steps: int, sync) -> tuple[float, float, float]:
    """``(seconds of steps steps, final loss, seconds of the first step)``: the first step
    (the optimizer's state created; under ``hw.compile`` the trace) runs untimed before
    the ``steps`` timed ones, for every framework alike, so the figures are the steady
    training step; the first step's own time is returned beside them."""
    x, y = next(batches)
    sync()
    t0 = time.perf_counter()
    step(x, y)
    sync()
    first = time.perf_counter() - t0
    start = CLOCK()
    for _, (x, y) in zip(range(steps), batches):
        loss = step(x, y)
    sync()
    return CLOCK() - start, loss.item(), first


def time_headwater(model, batches, steps: int) -> tuple[float, float, float]:
    opt = hw.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = hw.nn.CrossEntropyLoss()

    def step(x, y):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss
    return _timed(step, batches, steps, hw.get_backend().synchronize)


def time_compiled(model, batches, steps: int) -> tuple[float, float, float]:
    """The Headwater step under ``hw.compile``: the first call traces, the rest replay."""
    opt = hw.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = hw.nn.CrossEntropyLoss()

    @hw.compile
    def step(x, y):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss
    return _timed(step, batches, steps, hw.get_backend().synchronize)


def time_torch(torch, model, batches, steps: int, device: str) -> tuple[float, float, float]:
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x, y):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss
    return _timed(step, batches, steps, torch.cuda.synchronize if device == "cuda" else (lambda: None))


def time_loader(batches, steps: int, sync) -> tuple[float, float, float]:
    """Seconds to draw ``steps`` batches (no training); the loss and first-step slots are NaN."""
    sync()
    start = CLOCK()
    for _ in zip(range(steps), batches):
        pass
    sync()
    return CLOCK() - start, float("nan"), float("nan")


def rows_dataset(base, x: np.ndarray, y: np.ndarray):
    """A custom map-style Dataset, written as a PyTorch user writes one, on ``base``."""
    class Rows(base):
        def __init__(self):
            self.x, self.y = x, y

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i], int(self.y[i])
    return Rows()


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


def run_case(case: str, state, init, x_host, y_host, torch) -> None:
    """Warm up, then alternate timed runs of both frameworks; print the medians."""
    if case == "batches":
        hw_x = [hw.as_tensor(x) for x in x_host]
        hw_y = [hw.as_tensor(y) for y in y_host]
        hw_batches = lambda: in_memory(hw_x, hw_y)  # noqa: E731
        if torch is not None:
            t_x = [torch.from_numpy(x).to(ARGS.device) for x in x_host]
            t_y = [torch.from_numpy(y).to(ARGS.device) for y in y_host]
            torch_batches = lambda: in_memory(t_x, t_y)  # noqa: E731
    else:  # dataset, loader
        x_rows, y_rows = x_host.reshape(-1, IN), y_host.reshape(-1)
        kw = {"batch_size": ARGS.batch, "shuffle": True, "num_workers": ARGS.workers}
        if ARGS.workers:
            kw["persistent_workers"] = True
        hw_loader = hw.utils.data.DataLoader(rows_dataset(hw.utils.data.Dataset, x_rows, y_rows), **kw)
        hw_batches = lambda: from_loader(hw_loader)  # noqa: E731
        if torch is not None:
            import torch.utils.data

            t_loader = torch.utils.data.DataLoader(rows_dataset(torch.utils.data.Dataset, x_rows, y_rows), **kw)
            to = None if ARGS.device == "cpu" else ARGS.device
            torch_batches = lambda: from_loader(t_loader, to)  # noqa: E731

    if case == "loader":
        hw_sync = hw.get_backend().synchronize
        torch_sync = (lambda: None) if torch is None or ARGS.device == "cpu" else torch.cuda.synchronize
        run_hw = lambda steps: time_loader(hw_batches(), steps, hw_sync)  # noqa: E731
        run_torch = lambda steps: time_loader(torch_batches(), steps, torch_sync)  # noqa: E731
    else:
        def run_hw(steps):
            model = headwater_model()
            model.load_state_dict(state)
            return time_headwater(model, hw_batches(), steps)

        def run_torch(steps):
            return time_torch(torch, torch_copy(torch, init, ARGS.device), torch_batches(), steps, ARGS.device)

        def run_compiled(steps):
            model = headwater_model()
            model.load_state_dict(state)
            return time_compiled(model, hw_batches(), steps)

    compiled = case != "loader" and not ARGS.no_compiled
    hw_times, torch_times, hw_loss, torch_loss = [], [], None, None
    comp_times, comp_loss, comp_first = [], None, []
    run_hw(20)  # warm-up: one short run each
    if torch is not None:
        run_torch(20)
    if compiled:
        run_compiled(20)
    for _ in range(ARGS.runs):
        elapsed, hw_loss, _ = run_hw(ARGS.steps)
        hw_times.append(elapsed)
        if compiled:
            elapsed, comp_loss, first = run_compiled(ARGS.steps)
            comp_times.append(elapsed)
            comp_first.append(first)
        if torch is not None:
            elapsed, torch_loss, _ = run_torch(ARGS.steps)
            torch_times.append(elapsed)

    samples = ARGS.steps * ARGS.batch
    hw_rate = statistics.median(samples / t for t in hw_times)
    workers = f" workers={ARGS.workers}" if case != "batches" else ""
    print(f"case={case}{workers} device={ARGS.device} threads={ARGS.threads} batch={ARGS.batch} "
          f"steps/run={ARGS.steps} runs={ARGS.runs} clock={ARGS.clock}")
    loss = lambda value: "" if case == "loader" else f", final loss {value:.4f}"  # noqa: E731
    print(f"  headwater {hw.__version__}: {hw_rate:,.0f} samples/s (median){loss(hw_loss)}")
    if compiled:
        comp_rate = statistics.median(samples / t for t in comp_times)
        print(f"  headwater compiled: {comp_rate:,.0f} samples/s (median){loss(comp_loss)}")
        paired = statistics.median(h / c for h, c in zip(hw_times, comp_times))
        print(f"  ratio compiled/eager headwater: {comp_rate / hw_rate:.2f}x "
              f"(median of the runs' own ratios, each pair run back to back: {paired:.2f}x)")
        print(f"  compiled first call (the trace, untimed above): {statistics.median(comp_first) * 1e3:.1f} ms (median)")
    if torch is not None:
        torch_rate = statistics.median(samples / t for t in torch_times)
        print(f"  pytorch {torch.__version__}: {torch_rate:,.0f} samples/s (median){loss(torch_loss)}")
        print(f"  ratio headwater/pytorch: {hw_rate / torch_rate:.2f}x")
        if compiled:
            print(f"  ratio compiled/pytorch: {comp_rate / torch_rate:.2f}x")


def main() -> int:
    hw.set_device(ARGS.device)
    hw.manual_seed(0)
    x_host, y_host = make_data(16, ARGS.batch)
    init = headwater_model()
    state = {k: v.clone() for k, v in init.state_dict().items()}
    torch = None
    if not ARGS.no_torch:
        import torch

        torch.set_num_threads(ARGS.threads)
    for case in (["batches", "dataset", "loader"] if ARGS.case == "all" else [ARGS.case]):
        run_case(case, state, init, x_host, y_host, torch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
