"""Write examples/data/trips.parquet: 200 taxi-like trips for the README's DataFrames example.

Seeded, so the file is the same every time: a fare (a few zero fares), a tip (some
missing) and a city name written with stray spaces and capitals, as raw data often is.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

OUT = Path(__file__).resolve().parent / "data" / "trips.parquet"


def main(n: int = 200, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    fare = np.round(rng.gamma(2.0, 8.0, n), 2)
    fare[rng.random(n) < 0.05] = 0.0
    tip = np.round(fare * rng.uniform(0.0, 0.3, n), 2)
    tip_missing = rng.random(n) < 0.1
    names = np.array(["Lima", " lima", "OSLO", "oslo ", "Pune", "pune", "Kyiv"])
    city = names[rng.integers(0, len(names), n)]
    table = pa.table({
        "fare": pa.array(fare),
        "tip": pa.array(tip, mask=tip_missing),
        "city": pa.array(city.tolist()),
    })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, OUT)
    return OUT


if __name__ == "__main__":
    print(main())
