"""The H2O.ai db-benchmark data, re-implemented in Python (NumPy + pyarrow).

Follows ``_data/groupby-datagen.R`` and ``_data/join-datagen.R`` of
https://github.com/h2oai/db-benchmark: the same columns, types, distributions and
key cardinalities. The R random stream is not reproduced, so values differ from
the published CSV files while every question sees the same shape of data.

groupby ``G1_<N>_<K>_<nas>_<sort>``
    id1, id2: ``"id001".."id<K>"`` strings (K groups each); id3: ``"id0000000001"..``
    (N/K groups); id4, id5: int in 1..K; id6: int in 1..N/K; v1: int 1..5; v2: int
    1..15; v3: float in [0, 100) rounded to 6 digits. ``nas`` percent of each column
    set to null; ``sort=1`` sorts by id1..id6.

join ``J1_<N>_NA_0_0``
    x (N rows), small (N/1e6, at least 10), medium (N/1e3), big (N). Integer keys id1..id3 with
    N/1e6, N/1e3 and N distinct values, 90% of them shared between x and each right
    table; id4..id6 the same keys as strings ``"id<key>"``; v1 (x) and v2 (right
    tables) floats.
"""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["groupby_table", "join_tables", "cached_groupby", "cached_join", "SEED"]

SEED = 108  # the seed of the R scripts


def _labels(prefix: str, width: int, count: int) -> pa.Array:
    numbers = pa.array(np.arange(1, count + 1, dtype=np.int64)).cast(pa.string())
    if width:
        numbers = pc.utf8_lpad(numbers, width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), numbers, "")


def _dictionary(codes: np.ndarray, labels: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), labels)


def groupby_table(n: int, k: int = 100, nas: int = 0, sort: bool = False, seed: int = SEED) -> pa.Table:
    """The groupby table G1 as a pyarrow Table (string keys dictionary-encoded).

    Examples
    --------
    >>> t = groupby_table(1000, 10)
    >>> t.column_names
    ['id1', 'id2', 'id3', 'id4', 'id5', 'id6', 'v1', 'v2', 'v3']
    >>> len(t), len(set(t.column("id3").to_pylist())) <= 100
    (1000, True)
    """
    rng = np.random.default_rng(seed)
    groups = max(n // k, 1)
    codes = {
        "id1": rng.integers(0, k, n),
        "id2": rng.integers(0, k, n),
        "id3": rng.integers(0, groups, n),
    }
    ints = {
        "id4": rng.integers(1, k + 1, n).astype(np.int32),
        "id5": rng.integers(1, k + 1, n).astype(np.int32),
        "id6": rng.integers(1, groups + 1, n).astype(np.int32),
        "v1": rng.integers(1, 6, n).astype(np.int32),
        "v2": rng.integers(1, 16, n).astype(np.int32),
    }
    v3 = np.round(rng.random(n) * 100, 6)
    if sort:
        order = np.lexsort([ints["id6"], ints["id5"], ints["id4"], codes["id3"], codes["id2"], codes["id1"]])
        codes = {name: c[order] for name, c in codes.items()}
        ints = {name: c[order] for name, c in ints.items()}
        v3 = v3[order]
    labels = {"id1": _labels("id", 3, k), "id2": _labels("id", 3, k), "id3": _labels("id", 10, groups)}
    columns = {name: _dictionary(codes[name], labels[name]) for name in ("id1", "id2", "id3")}
    columns.update({name: pa.array(values) for name, values in ints.items()})
    columns["v3"] = pa.array(v3)
    if nas:
        columns = {name: _with_nulls(col, nas, rng) for name, col in columns.items()}
    return pa.table(columns)


def _with_nulls(column: pa.Array, percent: int, rng: np.random.Generator) -> pa.Array:
    n = len(column)
    null_rows = rng.choice(n, size=n * percent // 100, replace=False)
    valid = np.ones(n, dtype=bool)
    valid[null_rows] = False
    return pc.if_else(pa.array(valid), column, pa.nulls(n, column.type))


def _split_xlr(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    key = rng.permutation(int(n * 1.1)) + 1
    return {"x": key[: int(n * 0.9)], "l": key[int(n * 0.9): n], "r": key[n: int(n * 1.1)]}


def _sample_all(values: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    extra = rng.choice(values, size=max(size - len(values), 0), replace=True)
    return rng.permutation(np.concatenate([values, extra]))[:size]


def _as_strings(keys: np.ndarray) -> pa.DictionaryArray:
    distinct, codes = np.unique(keys, return_inverse=True)
    labels = pc.binary_join_element_wise(pa.scalar("id"), pa.array(distinct).cast(pa.string()), "")
    return _dictionary(codes, labels)


def join_tables(n: int, seed: int = SEED) -> dict[str, pa.Table]:
    """The join tables J1 (``x``, ``small``, ``medium``, ``big``) as pyarrow Tables.

    Examples
    --------
    >>> tables = join_tables(10**6)
    >>> {name: len(t) for name, t in tables.items()}
    {'x': 1000000, 'small': 10, 'medium': 1000, 'big': 1000000}
    """
    rng = np.random.default_rng(seed)
    sizes = (max(n // 10**6, 10), max(n // 10**3, 10), n)  # at least 10 keys to split
    keys = [_split_xlr(size, rng) for size in sizes]

    def table(rows: int, side: str, depth: int, value: str) -> pa.Table:
        cols: dict[str, pa.Array] = {}
        ints = [
            _sample_all(np.concatenate([keys[i]["x"], keys[i][side]]), rows, rng).astype(np.int32)
            for i in range(depth)
        ]
        for i, values in enumerate(ints):
            cols[f"id{i + 1}"] = pa.array(values)
        for i, values in enumerate(ints):
            cols[f"id{i + 4}"] = _as_strings(values)
        cols[value] = pa.array(np.round(rng.random(rows) * 100, 6))
        return pa.table(cols)

    return {
        "x": table(n, "l", 3, "v1"),
        "small": table(sizes[0], "r", 1, "v2"),
        "medium": table(sizes[1], "r", 2, "v2"),
        "big": table(n, "r", 3, "v2"),
    }


def data_dir() -> pathlib.Path:
    """Where generated tables are cached (``HEADWATER_DB_BENCHMARK_DATA`` or ~/.cache)."""
    default = pathlib.Path.home() / ".cache" / "headwater" / "db-benchmark"
    path = pathlib.Path(os.environ.get("HEADWATER_DB_BENCHMARK_DATA", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cached_groupby(n: int, k: int = 100, nas: int = 0, sort: bool = False) -> pathlib.Path:
    """Parquet file of G1 for these parameters, generated on first use."""
    path = data_dir() / f"G1_{n:.0e}_{k:.0e}_{nas}_{int(sort)}.parquet".replace("+0", "")
    if not path.exists():
        pq.write_table(groupby_table(n, k, nas, sort), path.with_suffix(".tmp"))
        path.with_suffix(".tmp").rename(path)
    return path


def cached_join(n: int) -> dict[str, pathlib.Path]:
    """Parquet files of J1 (x, small, medium, big), generated on first use."""
    stem = f"J1_{n:.0e}_NA_0_0".replace("+0", "")
    paths = {name: data_dir() / f"{stem}_{name}.parquet" for name in ("x", "small", "medium", "big")}
    if not all(p.exists() for p in paths.values()):
        for name, table in join_tables(n).items():
            pq.write_table(table, paths[name].with_suffix(".tmp"))
            paths[name].with_suffix(".tmp").rename(paths[name])
    return paths
