"""Shared harness of the model benchmarks (train_cnn.py, train_lstm.py, train_transformer.py).

A benchmark defines its model once as ``build(L)`` with ``L`` either ``torch`` or
``headwater`` (the two spell these layers alike), a batch maker and a loss. The
harness builds the PyTorch model, copies its state dict into the Headwater one (same
weights), then alternates timed runs of the two on the same batches, same device and
thread count, and reports the median samples/s of each, the ratio, and the final
losses. With ``--memory`` it also measures each framework's peak resident memory
during training in a fresh process of its own (VmHWM, reset before the first step):
the training peak over the resident level before the first step (activations,
gradients and optimizer state, whatever the allocator keeps between steps), and the
growth over the level after two steps (which hides whatever an allocator retained).

Run any of them as ``python benchmarks/train_cnn.py --threads 1``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable


def token_batches(vocab: int, seq: int, count: int = 4) -> Callable:
    """A batch maker for the language-model benchmarks: random (input, next) token ids."""
    def make(rng, batch):
        return [(rng.integers(0, vocab, (batch, seq)).astype("int64"),
                 rng.integers(0, vocab, (batch, seq)).astype("int64")) for _ in range(count)]
    return make


def lm_loss(vocab: int) -> Callable:
    """Next-token cross-entropy over (batch, seq, vocab) logits, for either library."""
    def loss(L, model, x, y):
        return L.nn.functional.cross_entropy(model(x).reshape(-1, vocab), y.reshape(-1))
    return loss


def parse(doc: str, batch: int, steps: int) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=steps, help="training steps per timed run")
    p.add_argument("--runs", type=int, default=5, help="timed runs per framework")
    p.add_argument("--batch", type=int, default=batch)
    p.add_argument("--memory", action="store_true", help="also measure peak memory, one process per framework")
    p.add_argument("--only", choices=["headwater", "torch"], help=argparse.SUPPRESS)
    args = p.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    return args


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _copy_state(torch, tmodel, hmodel, hw) -> None:
    state = {k: hw.as_tensor(v.detach().cpu().numpy().copy()) for k, v in tmodel.state_dict().items()}
    hmodel.load_state_dict(state)


def _train(L, model, batches, loss_fn, steps: int, sync: Callable[[], None]) -> tuple[float, float]:
    opt = L.optim.Adam(model.parameters(), lr=1e-3)
    n = len(batches)
    sync()
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(steps):
        x, y = batches[i % n]
        loss = loss_fn(L, model, x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    sync()
    return time.perf_counter() - start, time.process_time() - cpu, float(loss.item())


def run(args: argparse.Namespace, name: str, build: Callable, make_batches: Callable, loss_fn: Callable,
        script: str) -> None:
    import numpy as np

    import headwater as hw

    hw.set_device(args.device)
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    host = make_batches(np.random.default_rng(0), args.batch)
    libs = {"headwater": hw, "torch": torch}
    syncs = {"headwater": hw.get_backend().synchronize,
             "torch": torch.cuda.synchronize if args.device == "cuda" else (lambda: None)}

    def batches(lib):
        if lib == "torch":
            return [tuple(torch.from_numpy(a).to(args.device) for a in b) for b in host]
        return [tuple(hw.as_tensor(a) for a in b) for b in host]

    def fresh(lib):
        tmodel = build(torch).to(args.device)
        if lib == "torch":
            return tmodel
        hmodel = build(hw)
        _copy_state(torch, tmodel, hmodel, hw)
        return hmodel

    if args.only:  # the memory probe: one framework in this process
        data, model = batches(args.only), fresh(args.only)
        _reset_peak()
        start = _status_kb("VmRSS")
        _train(libs[args.only], model, data, loss_fn, 2, syncs[args.only])
        first = _status_kb("VmHWM")
        _reset_peak()
        base = _status_kb("VmRSS")
        _train(libs[args.only], model, data, loss_fn, 5, syncs[args.only])
        peak = _status_kb("VmHWM")
        print(json.dumps({"peak_mb": max(peak - base, 0) / 1024, "hwm_mb": max(peak, first) / 1024,
                          "training_mb": max(max(peak, first) - start, 0) / 1024}))
        return

    data = {lib: batches(lib) for lib in libs}
    for lib in libs:  # warm-up
        _train(libs[lib], fresh(lib), data[lib], loss_fn, 3, syncs[lib])
    times = {lib: [] for lib in libs}
    cpus = {lib: [] for lib in libs}
    losses = {}
    for _ in range(args.runs):
        for lib in libs:
            elapsed, cpu, losses[lib] = _train(libs[lib], fresh(lib), data[lib], loss_fn, args.steps, syncs[lib])
            times[lib].append(elapsed)
            cpus[lib].append(cpu)
    samples = args.steps * args.batch
    rate = {lib: statistics.median(samples / t for t in times[lib]) for lib in libs}
    per_cpu = {lib: statistics.median(samples / t for t in cpus[lib]) for lib in libs}
    print(f"{name}: device={args.device} threads={args.threads} batch={args.batch} steps/run={args.steps} "
          f"runs={args.runs}")
    for lib, label, version in (("headwater", "headwater", hw.__version__), ("torch", "pytorch", torch.__version__)):
        print(f"{label} {version}: {rate[lib]:,.0f} samples/s wall, {per_cpu[lib]:,.0f} samples per CPU second "
              f"(medians), final loss {losses[lib]:.4f}")
    print(f"ratio headwater/pytorch: {rate['headwater'] / rate['torch']:.2f}x wall, "
          f"{per_cpu['headwater'] / per_cpu['torch']:.2f}x CPU time")
    if args.memory:
        peaks = {}
        for lib in libs:
            out = subprocess.run([sys.executable, script, "--only", lib, "--device", args.device,
                                  "--threads", str(args.threads), "--batch", str(args.batch)],
                                 capture_output=True, text=True, check=True)
            peaks[lib] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"peak resident memory (whole process): headwater {peaks['headwater']['hwm_mb']:.0f} MB, "
              f"pytorch {peaks['torch']['hwm_mb']:.0f} MB; training peak over the level before the first "
              f"step: headwater {peaks['headwater']['training_mb']:.0f} MB, pytorch "
              f"{peaks['torch']['training_mb']:.0f} MB; growth over the level after two steps: headwater "
              f"{peaks['headwater']['peak_mb']:.0f} MB, pytorch {peaks['torch']['peak_mb']:.0f} MB")
