"""Write the synthetic retail data of ``examples/synthetic.yaml`` (1 million rows by default).

Three Parquet tables under ``examples/data/synthetic/``:

- ``transactions.parquet``: one row per purchase (customer, store, time stamp,
  amount, items, and the target ``returned``), in time order;
- ``customers.parquet``: segment, age and tenure per customer;
- ``stores.parquet``: region and size per store.

Whether a purchase is returned depends on how unusual its amount is for the customer
(the ratio to the customer's recent average: a rolling feature), the store's return
rate (a group feature), the customer's segment and the store's region (joins), and the
hour of the day. So a pipeline that joins, groups and rolls can learn it; one that
does not, cannot. Everything is drawn from a seeded NumPy generator.

Run: ``python examples/make_synthetic.py [--rows 1000000] [--out DIR]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def generate(rows: int, seed: int = 0, oracle: bool = False) -> tuple[pd.DataFrame, ...]:
    """The three tables, as pandas frames (and, with ``oracle=True``, the true return
    probability of each purchase: the best any model can do)."""
    rng = np.random.default_rng(seed)
    n_customers = max(100, rows // 20)
    n_stores = 200
    segments = np.array(["student", "family", "retired", "business", "premium"])
    regions = np.array(["north", "south", "east", "west"])
    customers = pd.DataFrame({
        "customer_id": np.arange(n_customers, dtype=np.int64),
        "segment": segments[rng.integers(0, len(segments), n_customers)],
        "age": rng.integers(18, 90, n_customers),
        "tenure_days": rng.integers(0, 3000, n_customers),
    })
    stores = pd.DataFrame({
        "store_id": np.arange(n_stores, dtype=np.int64),
        "region": regions[rng.integers(0, len(regions), n_stores)],
        "store_size": rng.choice([1, 2, 3], n_stores, p=[0.5, 0.35, 0.15]),
    })
    customer = rng.integers(0, n_customers, rows)
    store = rng.integers(0, n_stores, rows)
    start = np.datetime64("2024-01-01T00:00:00", "s")
    seconds = np.sort(rng.integers(0, 365 * 86400, rows))
    ts = start + seconds.astype("timedelta64[s]")
    base = rng.lognormal(3.5, 0.6, n_customers)  # each customer's usual spend
    spike = rng.random(rows) < 0.08
    amount = base[customer] * rng.lognormal(0.0, 0.25, rows) * np.where(spike, rng.uniform(2.5, 6.0, rows), 1.0)
    hour = (seconds % 86400) // 3600
    store_rate = rng.normal(0.0, 0.8, n_stores)
    seg_effect = {"student": 0.6, "family": 0.0, "retired": -0.5, "business": -0.2, "premium": 0.4}
    reg_effect = {"north": 0.0, "south": 0.3, "east": -0.3, "west": 0.1}
    logit = (
        -2.6
        + 1.8 * np.log(amount / base[customer])
        + store_rate[store]
        + customers["segment"].map(seg_effect).to_numpy()[customer]
        + stores["region"].map(reg_effect).to_numpy()[store]
        + 0.5 * ((hour >= 22) | (hour <= 4))
    )
    returned = rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))
    transactions = pd.DataFrame({
        "txn_id": np.arange(rows, dtype=np.int64),
        "customer_id": customer,
        "store_id": store,
        "ts": ts.astype("datetime64[ns]"),
        "amount": np.round(amount, 2),
        "n_items": rng.integers(1, 12, rows),
        "returned": returned.astype(np.int64),
    })
    if oracle:
        return transactions, customers, stores, pd.Series(1.0 / (1.0 + np.exp(-logit)), name="probability")
    return transactions, customers, stores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=HERE / "data" / "synthetic")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, frame in zip(("transactions", "customers", "stores"), generate(args.rows, args.seed)):
        frame.to_parquet(args.out / f"{name}.parquet", index=False)
        print(f"{args.out / name}.parquet: {len(frame)} rows")


if __name__ == "__main__":
    main()
