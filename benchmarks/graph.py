"""Graph analytics side by side: Headwater's hw.graph against NetworkX (and igraph).

One process, one random graph of ``--edges`` edges over ``--vertices`` vertices
(uniform endpoints, so one giant component and short paths), built once per library
from the same edge arrays; then PageRank (alpha 0.85, NetworkX's stopping rule at
tol 1e-6, on the directed graph), BFS from vertex 0 and connected components (on
the undirected graph). Each algorithm runs ``--runs`` times per library, in
alternation; the report gives the median time of each and the ratio
NetworkX / Headwater (above 1: Headwater is faster). Every answer is checked against
NetworkX's (PageRank to 1e-6, BFS distances exact, the same number of components).

    python benchmarks/graph.py --edges 1000000 --device cpu
    python benchmarks/graph.py --edges 1000000 --device cuda
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any, Callable


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--edges", type=int, default=1_000_000)
    p.add_argument("--vertices", type=int, default=200_000)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--runs", type=int, default=3, help="timed runs per library and algorithm (median kept)")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--skip-networkx", action="store_true", help="time Headwater (and igraph) only")
    return p.parse_args()


ARGS = _parse()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

import headwater as hw  # noqa: E402

try:
    import igraph  # noqa: E402
except ImportError:  # optional peer
    igraph = None


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    if ARGS.device == "cuda":
        hw.get_backend("cuda").synchronize()
    return time.perf_counter() - start, out


def edges() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    src = rng.integers(0, ARGS.vertices, ARGS.edges)
    dst = rng.integers(0, ARGS.vertices, ARGS.edges)
    return src, dst


def main() -> None:
    src, dst = edges()
    frame = hw.DataFrame({"source": src, "destination": dst}, device=ARGS.device)
    build: dict[str, float] = {}
    build["headwater"], directed = timed(lambda: hw.graph.Graph(directed=True).from_edgelist(frame))
    _, undirected = timed(lambda: hw.graph.Graph().from_edgelist(frame))
    libs: dict[str, dict[str, Callable[[], Any]]] = {
        "headwater": {
            "pagerank": lambda: hw.graph.pagerank(directed, tol=1e-6),
            "bfs": lambda: hw.graph.bfs(undirected, start=0),
            "connected_components": lambda: hw.graph.connected_components(undirected),
        },
    }
    if not ARGS.skip_networkx:
        pairs = list(zip(src.tolist(), dst.tolist()))
        build["networkx"], nx_directed = timed(lambda: nx.DiGraph(pairs))
        nx_undirected = nx.Graph(pairs)
        libs["networkx"] = {
            "pagerank": lambda: nx.pagerank(nx_directed, tol=1e-6),
            "bfs": lambda: nx.single_source_shortest_path_length(nx_undirected, 0),
            "connected_components": lambda: list(nx.connected_components(nx_undirected)),
        }
    if igraph is not None:
        n = ARGS.vertices
        ig_pairs = list(zip(src.tolist(), dst.tolist()))
        build["igraph"], ig_directed = timed(lambda: igraph.Graph(n=n, edges=ig_pairs, directed=True).simplify())
        ig_undirected = igraph.Graph(n=n, edges=ig_pairs, directed=False).simplify()
        libs["igraph"] = {
            "pagerank": lambda: ig_directed.pagerank(damping=0.85),
            "bfs": lambda: ig_undirected.distances(source=0)[0],
            "connected_components": lambda: ig_undirected.connected_components(),
        }
    # one untimed call each first: Headwater builds and caches the in-edge CSR on its first PageRank
    # (cuGraph caches its transposed adjacency the same way); NetworkX converts on every call
    for algos in libs.values():
        for fn in algos.values():
            fn()
    times: dict[str, dict[str, list[float]]] = {lib: {a: [] for a in algos} for lib, algos in libs.items()}
    answers: dict[str, dict[str, Any]] = {lib: {} for lib in libs}
    for _ in range(ARGS.runs):
        for lib, algos in libs.items():
            for name, fn in algos.items():
                seconds, answers[lib][name] = timed(fn)
                times[lib][name].append(seconds)
    check(answers)
    report(times, build)


def check(answers: dict[str, dict[str, Any]]) -> None:
    ours = answers["headwater"]
    if "networkx" in answers:
        ref = answers["networkx"]
        pr = dict(zip(ours["pagerank"]["vertex"].to_list(), ours["pagerank"]["pagerank"].to_list()))
        worst = max(abs(pr[v] - p) for v, p in ref["pagerank"].items())
        assert worst < 1e-6, f"pagerank differs from NetworkX by {worst}"
        dist = ours["bfs"]
        got = {v: d for v, d in zip(dist["vertex"].to_list(), dist["distance"].to_list()) if d is not None}
        assert got == ref["bfs"], "bfs distances differ from NetworkX"
        labels = ours["connected_components"]["labels"]
        assert labels.nunique() == len(ref["connected_components"]), "component counts differ"
        print("answers checked against NetworkX: pagerank max |diff| %.2e, bfs exact, %d components"
              % (worst, len(ref["connected_components"])))


def report(times: dict[str, dict[str, list[float]]], build: dict[str, float]) -> None:
    libs = list(times)
    print(f"graph: {ARGS.vertices} vertices, {ARGS.edges} random edges; device {ARGS.device}; "
          f"{ARGS.threads} threads; median of {ARGS.runs} runs (seconds)")
    print("build (once): " + ", ".join(f"{lib} {seconds:.3f}" for lib, seconds in build.items()))
    header = f"{'algorithm':<22}" + "".join(f"{lib:>12}" for lib in libs)
    header += "".join(f"{lib + '/hw':>14}" for lib in libs if lib != "headwater")
    print(header)
    for name in times["headwater"]:
        med = {lib: statistics.median(times[lib][name]) for lib in libs}
        row = f"{name:<22}" + "".join(f"{med[lib]:>12.4f}" for lib in libs)
        row += "".join(f"{med[lib] / med['headwater']:>13.1f}x" for lib in libs if lib != "headwater")
        print(row)


if __name__ == "__main__":
    main()
