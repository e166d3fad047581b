"""Classic ML side by side: hw.ml vs scikit-learn, in one process, on the same float32 data.

KMeans (8 clusters from the same initial centres, 20 Lloyd iterations), PCA (8
components), LogisticRegression (binary, lbfgs) on ``rows x features`` float32,
and exact kNN (k=10) of ``queries`` rows against the training rows. Reports the
median of several interleaved runs and the ratio. ``--clock cpu`` times the
process's CPU time (all threads; on a shared machine the work done rather than the
waiting, though it also counts BLAS/OpenMP threads spinning while they wait). The
compiled host loops (numba) are compiled or loaded from their cache on a small
slice before timing. Run:

    python benchmarks/ml.py --rows 1e6 --features 32 --queries 1e4 --repeat 3 [--clock cpu] [--write benchmarks/RESULTS.md]

``--write`` replaces the section "## Classic ML (issue 17)" in the results file.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
import sklearn
from sklearn import cluster, decomposition, linear_model, neighbors

import headwater as hw

SECTION = "## Classic ML (issue 17)"


def median_times(pairs: list[tuple[Callable[[], object], Callable[[], object]]], repeat: int,
                 sync: Callable[[], None], clock: Callable[[], float] = time.perf_counter) -> list[tuple[float, float]]:
    """Median seconds of (Headwater, scikit-learn) for each pair, runs interleaved."""
    runs: list[list[list[float]]] = [[[], []] for _ in pairs]
    for _ in range(repeat):
        for k, pair in enumerate(pairs):
            for side, fn in enumerate(pair):
                start = clock()
                fn()
                sync()
                runs[k][side].append(clock() - start)
    return [(statistics.median(a), statistics.median(b)) for a, b in runs]


def _numba_version() -> str:
    try:
        import numba
    except ImportError:
        return "not installed"
    on = os.environ.get("HEADWATER_JIT_NUMBA", "1") != "0"
    return numba.__version__ + ("" if on else " (switched off)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--features", type=int, default=32)
    parser.add_argument("--queries", type=float, default=1e4)
    parser.add_argument("--knn-rows", type=float, default=None, help="training rows of the kNN search (default --rows)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    parser.add_argument("--write", default=None)
    args = parser.parse_args()
    n, p, m = int(args.rows), args.features, int(args.queries)
    n_knn = int(args.knn_rows or args.rows)
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=4.0, size=(8, p)).astype(np.float32)
    X = (centres[rng.integers(0, 8, n)] + rng.normal(size=(n, p))).astype(np.float32)
    w = rng.normal(size=p).astype(np.float32)
    y = (X @ w + rng.normal(size=n).astype(np.float32) > 0).astype(np.int64)
    Q = X[:m].copy()
    train = X[:n_knn]
    start = X[rng.choice(n, 8, replace=False)].copy()
    backend = hw.get_backend()

    def dev(a: np.ndarray) -> object:
        return a if backend.owns(a) else backend.to_device(a)

    Xd, yd, Qd, startd = dev(X), dev(y), dev(Q), dev(start)
    Td = Xd[:n_knn]
    load_before = os.getloadavg()
    warnings.simplefilter("ignore")
    pairs = {
        "KMeans (8 clusters, 20 iterations)": (
            lambda: hw.ml.KMeans(8, init=startd, n_init=1, max_iter=20, tol=0.0).fit(Xd),
            lambda: cluster.KMeans(8, init=start, n_init=1, max_iter=20, tol=0.0).fit(X)),
        "PCA (8 components)": (lambda: hw.ml.PCA(8).fit_transform(Xd), lambda: decomposition.PCA(8).fit_transform(X)),
        "LogisticRegression (lbfgs)": (lambda: hw.ml.LogisticRegression(max_iter=100).fit(Xd, yd),
                                       lambda: linear_model.LogisticRegression(max_iter=100).fit(X, y)),
        f"kNN k=10, {m:,} queries vs {n_knn:,} rows": (
            lambda: hw.ml.NearestNeighbors(n_neighbors=10).fit(Td).kneighbors(Qd),
            lambda: neighbors.NearestNeighbors(n_neighbors=10).fit(train).kneighbors(Q)),
    }
    # compile (or load from numba's cache) the host loops before timing
    hw.ml.KMeans(8, init=startd, n_init=1, max_iter=2).fit(Xd[:5000])
    hw.ml.NearestNeighbors(n_neighbors=10).fit(Td[:5000]).kneighbors(Qd[:10])
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    times = median_times(list(pairs.values()), args.repeat, backend.synchronize, clock)
    load = f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after (1-minute)"
    # the answers agree (so the timings compare the same work)
    ours = hw.ml.PCA(8).fit(Xd).explained_variance_
    theirs = decomposition.PCA(8).fit(X).explained_variance_
    agree = float(np.abs(hw.get_backend().to_host(ours) - theirs).max() / theirs.max())
    cmd = (f"python benchmarks/ml.py --rows {args.rows:g} --features {p} --queries {args.queries:g}"
           + (f" --knn-rows {args.knn_rows:g}" if args.knn_rows else "") + f" --repeat {args.repeat}"
           + (" --clock cpu" if args.clock == "cpu" else ""))
    lines = [SECTION, "",
             f"`{cmd}`; machine: {os.cpu_count()}-core {platform.machine()} CPU, device {backend.name} (shared with "
             f"other jobs: {load}; the ratios matter more than the times); scikit-learn {sklearn.__version__}, "
             f"NumPy {np.__version__}, numba {_numba_version()}. Median of {args.repeat} interleaved runs "
             f"({'CPU' if args.clock == 'cpu' else 'elapsed'} time); float32 data of {n:,} x {p}. "
             f"Ratio < 1 means Headwater is faster. (PCA explained variances agree to {agree:.1e} relative.)", "",
             "| estimator | Headwater (ms) | scikit-learn (ms) | Headwater / scikit-learn |", "|---|---:|---:|---:|"]
    for (name, _), (a, b) in zip(pairs.items(), times):
        lines.append(f"| {name} | {a * 1e3:.1f} | {b * 1e3:.1f} | {a / b:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        with open(args.write, encoding="utf-8") as fh:
            old = fh.read()
        if SECTION in old:
            head, _, rest = old.partition(SECTION)
            tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
            new = head + text + tail
        else:
            new = old.rstrip("\n") + "\n\n" + text
        with open(args.write, "w", encoding="utf-8") as fh:
            fh.write(new)


if __name__ == "__main__":
    main()
