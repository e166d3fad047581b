"""End to end, side by side: CSV -> feature engineering -> one training epoch.

Headwater (read_csv, hw.features, hw.data.DataLoader, hw.nn) against pandas + PyTorch
(pd.read_csv, the same features in pandas, torch.from_numpy, torch.utils.data.DataLoader,
torch.nn) on the same CSV, the same MLP (10 -> 64 -> 64 -> 1, ReLU, BCE with logits,
Adam, batch 512, shuffled) and the same thread count. Runs alternate between the
two; the report gives the best time of each phase and the ratio pandas+PyTorch /
Headwater (above 1: Headwater is faster).

    python benchmarks/end_to_end.py --rows 1000000 --device cpu
    python benchmarks/end_to_end.py --rows 1000000 --device cuda   # both on the GPU
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def _parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--runs", type=int, default=2, help="timed runs per framework (best is kept)")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--check", action="store_true", help="compare the two feature matrices")
    return p.parse_args()


ARGS = _parse()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

import headwater as hw  # noqa: E402

FEATURES = ["age", "income", "age_missing", "income_missing", "city_te", "income_mean_by_city",
            "city", "day_dayofweek", "day_is_weekend", "day_month"]
CITIES = np.array(["oslo", "lima", "pune", "kyiv", "baku", "rome", "nice", "riga"])
FOLDS, SMOOTHING, HIDDEN = 5, 5.0, 64
TORCH_DEVICE: str | None = None  # set by main()


def write_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    city = rng.choice(CITIES, size=rows)
    age = rng.integers(18, 80, size=rows).astype(float)
    income = np.exp(rng.normal(10, 0.6, size=rows))
    day = np.datetime64("2023-01-01") + rng.integers(0, 365, size=rows).astype("timedelta64[D]")
    label = ((age - 48) / 18 - (np.log(income) - 10) / 0.6 + rng.normal(0, 0.5, size=rows) > 0).astype(np.int64)
    age[rng.random(rows) < 0.05] = np.nan
    income[rng.random(rows) < 0.05] = np.nan
    city_arr = pa.array(city, mask=rng.random(rows) < 0.03)
    table = pa.table({"city": city_arr, "age": age, "income": income,
                      "day": pa.array(day.astype("datetime64[s]")).cast(pa.date32()), "label": label},
                     )
    pacsv.write_csv(table, path)


# -- Headwater ------------------------------------------------------------------------------
def headwater_features(path: Path):
    df = hw.read_csv(path, parse_dates=["day"])
    f = hw.features
    ops = [
        f.FillMissing(columns=["age", "income"], strategy="median", indicator=True),
        f.Log1p(columns=["income"]),
        f.Normalize(columns=["age", "income"]),
        f.TargetEncode(columns=["city"], target="label", smoothing=SMOOTHING, folds=FOLDS, suffix="_te"),
        f.GroupStats(columns=["income"], by="city", stats=["mean"]),
        f.Categorify(columns=["city"]),
        f.DatetimeParts(columns=["day"], parts=["dayofweek", "is_weekend", "month"]),
        f.Normalize(columns=["day_dayofweek", "day_month", "city"]),
    ]
    for op in ops:
        df = op.fit_transform(df)
    return df


def headwater_epoch(df) -> float:
    hw.manual_seed(0)
    loader = hw.data.DataLoader(df, batch_size=ARGS.batch, shuffle=True, seed=0, features=FEATURES,
                                target="label", target_dtype="float32", fill=0.0)
    model = hw.nn.Sequential(hw.nn.Linear(len(FEATURES), HIDDEN), hw.nn.ReLU(),
                             hw.nn.Linear(HIDDEN, HIDDEN), hw.nn.ReLU(), hw.nn.Linear(HIDDEN, 1))
    opt = hw.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = hw.nn.BCEWithLogitsLoss()
    total = hw.zeros(1)
    for x, y in loader:
        opt.zero_grad()
        loss = loss_fn(model(x).reshape(-1), y)
        loss.backward()
        opt.step()
        total = total + loss.detach()
    return (total / len(loader)).item()


# -- pandas + PyTorch -----------------------------------------------------------------------
def pandas_features(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, parse_dates=["day"])
    for c in ("age", "income"):
        df[f"{c}_missing"] = df[c].isna()
        df[c] = df[c].fillna(df[c].median())
    df["income"] = np.log1p(df["income"])
    for c in ("age", "income"):
        df[c] = (df[c] - df[c].mean()) / df[c].std(ddof=0)
    # out-of-fold target encoding, contiguous folds as KFold(shuffle=False)
    n = len(df)
    sizes = np.full(FOLDS, n // FOLDS) + (np.arange(FOLDS) < n % FOLDS)
    fold = np.repeat(np.arange(FOLDS), sizes)
    key = df["city"].fillna("<null>")
    encoded = np.empty(n)
    for k in range(FOLDS):
        rest = fold != k
        stats = df["label"][rest].groupby(key[rest]).agg(["sum", "count"])
        prior = df["label"][rest].mean()
        table = (stats["sum"] + SMOOTHING * prior) / (stats["count"] + SMOOTHING)
        encoded[~rest] = key[~rest].map(table).fillna(prior).to_numpy()
    df["city_te"] = encoded
    df["income_mean_by_city"] = df.groupby("city")["income"].transform("mean")
    cats = df["city"].astype("category")
    df["city"] = cats.cat.codes + 1  # categories are sorted; 0 for null
    df["day_dayofweek"] = df["day"].dt.day_of_week
    df["day_is_weekend"] = (df["day_dayofweek"] >= 5).astype(np.int32)
    df["day_month"] = df["day"].dt.month
    for c in ("day_dayofweek", "day_month", "city"):
        df[c] = (df[c] - df[c].mean()) / df[c].std(ddof=0)
    return df


def torch_epoch(df: pd.DataFrame, by_hand: bool = False) -> float:
    """One epoch with torch.utils.data.DataLoader, or (``by_hand``) with batches
    gathered from a ``torch.randperm`` on the device, as a user who skips the
    DataLoader would write it."""
    import torch

    torch.manual_seed(0)
    device = torch.device(TORCH_DEVICE)
    x = torch.from_numpy(df[FEATURES].fillna(0.0).to_numpy(dtype=np.float32))
    y = torch.from_numpy(df["label"].to_numpy(dtype=np.float32))
    if by_hand:
        x, y = x.to(device), y.to(device)
        order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0)).to(device)
        loader = [(x[order[i:i + ARGS.batch]], y[order[i:i + ARGS.batch]])
                  for i in range(0, len(x), ARGS.batch)]
    else:
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=ARGS.batch,
                                             shuffle=True, generator=torch.Generator().manual_seed(0))
    model = torch.nn.Sequential(torch.nn.Linear(len(FEATURES), HIDDEN), torch.nn.ReLU(),
                                torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.ReLU(),
                                torch.nn.Linear(HIDDEN, 1)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    total = torch.zeros(1, device=device)
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        opt.zero_grad()
        loss = loss_fn(model(xb).reshape(-1), yb)
        loss.backward()
        opt.step()
        total += loss.detach()
    return (total / len(loader)).item()


# -- driver ---------------------------------------------------------------------------------
def _sync() -> None:
    if ARGS.device == "cuda":
        hw.get_backend("cuda").synchronize()


def run_headwater(path: Path) -> dict[str, float]:
    start = time.perf_counter()
    df = headwater_features(path)
    _sync()
    middle = time.perf_counter()
    loss = headwater_epoch(df)
    end = time.perf_counter()
    return {"features": middle - start, "epoch": end - middle, "total": end - start, "loss": loss}


def run_pandas_torch(path: Path, by_hand: bool = False) -> dict[str, float]:
    start = time.perf_counter()
    df = pandas_features(path)
    middle = time.perf_counter()
    loss = torch_epoch(df, by_hand)
    end = time.perf_counter()
    return {"features": middle - start, "epoch": end - middle, "total": end - start, "loss": loss}


def check(path: Path) -> float:
    mine = headwater_features(path).to_tensor(FEATURES, dtype="float64", fill=0.0).numpy()
    theirs = pandas_features(path)[FEATURES].fillna(0.0).to_numpy(dtype=np.float64)
    return float(np.abs(mine - theirs).max())


def _torch_device() -> str | None:
    """Where PyTorch runs: the asked device, the CPU when its CUDA is missing, None without torch."""
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: timing Headwater only (pip install torch for the comparison)")
        return None
    torch.set_num_threads(ARGS.threads)
    if ARGS.device == "cuda" and not torch.cuda.is_available():
        print("this PyTorch build has no CUDA: the pandas + PyTorch side runs on the CPU")
        return "cpu"
    return ARGS.device


def main() -> int:
    global TORCH_DEVICE
    TORCH_DEVICE = _torch_device()
    hw.set_device(ARGS.device)
    with_torch = TORCH_DEVICE is not None
    names = ["headwater", "pandas+torch", "by hand"] if with_torch else ["headwater"]
    results: dict[str, list[dict[str, float]]] = {k: [] for k in names}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        write_csv(path, ARGS.rows)
        size_mb = path.stat().st_size / 1e6
        if ARGS.check:
            print(f"largest feature difference Headwater vs pandas: {check(path):.3g}")
        for _ in range(ARGS.runs):
            results["headwater"].append(run_headwater(path))
            if with_torch:
                results["pandas+torch"].append(run_pandas_torch(path))
                results["by hand"].append(run_pandas_torch(path, by_hand=True))
    best = {k: {p: min(r[p] for r in v) for p in ("features", "epoch", "total")} for k, v in results.items()}
    device = hw.get_backend(ARGS.device)
    where = device.device_properties()["name"] if ARGS.device == "cuda" else f"CPU, {ARGS.threads} threads"
    print(f"End to end on {ARGS.rows:,} rows ({size_mb:.0f} MB CSV), {where}, batch {ARGS.batch}, "
          f"best of {ARGS.runs}; PyTorch on {TORCH_DEVICE}")
    print("| phase | Headwater (s) | pandas + PyTorch (s) | ratio (pandas+PyTorch / Headwater) "
          "| PyTorch without DataLoader (s) |")
    print("|---|---|---|---|---|")
    for phase, label in (("features", "CSV read + features"), ("epoch", "one training epoch"),
                         ("total", "end to end")):
        a = best["headwater"][phase]
        if with_torch:
            b, c = best["pandas+torch"][phase], best["by hand"][phase]
            print(f"| {label} | {a:.2f} | {b:.2f} | {b / a:.2f}x | {c:.2f} |")
        else:
            print(f"| {label} | {a:.2f} | - | - | - |")
    losses = {k: round(v[-1]["loss"], 4) for k, v in results.items()}
    print(f"mean training loss of the epoch: {losses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
