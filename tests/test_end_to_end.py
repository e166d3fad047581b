"""End to end: CSV -> features -> DataLoader -> MLP with hw.nn -> evaluation.

The transfer counter tells the story of the run: the CSV is uploaded once at load;
fitting and applying the features reads nothing back (they upload only small
dictionary-sized lookup tables); a training epoch crosses nothing; and the host
sees exactly the metrics that are reported.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import headwater as hw

N_TRAIN, N_TEST = 3000, 1000


def _write_csv(path) -> None:
    rng = np.random.default_rng(0)
    n = N_TRAIN + N_TEST
    city = rng.choice(["oslo", "lima", "pune", "kyiv", "baku"], size=n)
    age = rng.integers(18, 80, size=n).astype(float)
    income = np.exp(rng.normal(10, 0.6, size=n))
    day = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365, size=n), unit="D")
    city_effect = pd.Series(city).map({"oslo": 1.2, "lima": -1.0, "pune": 0.4, "kyiv": -0.3, "baku": 0.0})
    score = (1.5 * (age - 48) / 18 - 1.2 * (np.log(income) - 10) / 0.6 + 2 * city_effect.to_numpy()
             + 0.8 * (day.day_of_week >= 5) + rng.normal(0, 0.3, size=n))
    label = (score > 0).astype(int)
    age[rng.random(n) < 0.05] = np.nan
    income[rng.random(n) < 0.05] = np.nan
    city = np.where(rng.random(n) < 0.03, None, city)
    pd.DataFrame({"city": city, "age": age, "income": income, "day": day.strftime("%Y-%m-%d"),
                  "label": label}).to_csv(path, index=False)


def _features() -> list:
    f = hw.features
    return [
        f.FillMissing(columns=["age", "income"], strategy="median", indicator=True),
        f.Log1p(columns=["income"]),
        f.Normalize(columns=["age", "income"]),
        f.TargetEncode(columns=["city"], target="label", smoothing=5.0, suffix="_te"),
        f.GroupStats(columns=["income"], by="city", stats=["mean"]),
        f.Categorify(columns=["city"]),
        f.DatetimeParts(columns=["day"], parts=["dayofweek", "is_weekend", "month"]),
        f.Normalize(columns=["day_dayofweek", "day_month", "city"]),
    ]


FEATURES = ["age", "income", "age_missing", "income_missing", "city_te", "income_mean_by_city",
            "city", "day_dayofweek", "day_is_weekend", "day_month"]


def test_csv_to_trained_model_with_transfers_only_at_load_and_metrics(tmp_path):
    path = tmp_path / "people.csv"
    _write_csv(path)
    hw.manual_seed(0)

    hw.reset_transfer_stats()
    df = hw.read_csv(path, parse_dates=["day"])
    load = hw.transfer_stats()
    assert load.to_device_calls > 0  # the columns went up once

    hw.reset_transfer_stats()
    train, test = df.head(N_TRAIN), df.tail(N_TEST)
    ops = _features()
    for op in ops:
        train = op.fit_transform(train)
    for op in ops:
        test = op.transform(test)
    loader = hw.data.DataLoader(train, batch_size=128, shuffle=True, seed=0, features=FEATURES,
                                target="label", target_dtype="float32", fill=0.0)
    x_test = test.to_tensor(FEATURES, fill=0.0)
    y_test = test["label"].to_tensor()
    prep = hw.transfer_stats()
    assert prep.to_host_calls == 0, prep
    assert prep.to_device_bytes < 0.01 * load.to_device_bytes, (prep, load)  # lookup tables only

    model = hw.nn.Sequential(hw.nn.Linear(len(FEATURES), 32), hw.nn.ReLU(), hw.nn.Linear(32, 1))
    optimizer = hw.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = hw.nn.BCEWithLogitsLoss()

    reported = []
    for _epoch in range(6):
        hw.reset_transfer_stats()
        total = hw.zeros(1)
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x).reshape(-1), y)
            loss.backward()
            optimizer.step()
            total = total + loss.detach()
        assert hw.transfer_stats().calls == 0, hw.transfer_stats()  # a whole epoch on the device
        reported.append((total / len(loader)).item())  # the one crossing: a reported metric
        assert hw.transfer_stats().to_host_calls == 1
    assert reported[-1] < reported[0]

    hw.reset_transfer_stats()
    model.eval()
    with hw.no_grad():
        predicted = (model(x_test).reshape(-1) > 0).to(y_test.dtype)
        accuracy = (predicted == y_test).float().mean().item()
    assert hw.transfer_stats().to_host_calls == 1 and hw.transfer_stats().to_device_calls == 0
    print(f"losses {reported}, test accuracy {accuracy:.3f}")
    assert accuracy > 0.85, accuracy

    baseline = pd.read_csv(path)["label"].tail(N_TEST).mean()
    assert accuracy > max(baseline, 1 - baseline) + 0.2
