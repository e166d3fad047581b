"""A plain pandas script (a daily time series: parsing dates in several formats, dt
accessors, lags, returns, expanding and rolling statistics, date filters): run by
test_pandas_scripts.py once with pandas and once with `import headwater as pd`."""

import sys

import numpy as np

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd

raw = pd.DataFrame({
    "day": ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09",
            "2024-01-10", "2024-01-11", "2024-01-12", "2024-01-16", "2024-01-17", "2024-01-18"],
    "ticker": ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "BBB", "BBB", "BBB", "BBB", "BBB", "BBB"],
    "close": [101.5, 102.25, 100.75, 103.0, None, 104.5, 55.0, 54.5, 56.25, 57.0, 55.75, 58.0],
    "volume": [1200, 1500, 900, 1800, 1100, 1300, 400, 380, 520, 610, 450, 700],
    "stamp": ["02/01/2024 09:30", "03/01/2024 09:31", "04/01/2024 09:30", "05/01/2024 09:35",
              "08/01/2024 09:30", "09/01/2024 09:30", "10/01/2024 10:00", "11/01/2024 10:00",
              "12/01/2024 10:05", "16/01/2024 10:00", "17/01/2024 10:10", "18/01/2024 10:00"],
})
df = raw.copy()
df["day"] = pd.to_datetime(df["day"])
df["stamp"] = pd.to_datetime(df["stamp"], format="%d/%m/%Y %H:%M")
df["year"] = df["day"].dt.year
df["month"] = df["day"].dt.month
df["dow"] = df["day"].dt.day_of_week
df["day_name"] = df["day"].dt.day_name()
df["quarter"] = df["day"].dt.quarter
df["is_monday"] = df["day"].dt.day_of_week == 0
df["minute"] = df["stamp"].dt.minute
df["date_only"] = df["stamp"].dt.normalize()
print("== calendar features")
print(df[["day", "year", "month", "dow", "day_name", "quarter", "is_monday", "minute"]].to_string())

df["close"] = df.groupby("ticker")["close"].transform(lambda s: s.ffill())
df["prev_close"] = df.groupby("ticker")["close"].shift(1)
df["ret"] = df.groupby("ticker")["close"].pct_change()
df["diff"] = df["close"].diff()
df["ret_2"] = df.groupby("ticker")["close"].pct_change(periods=2)
df["cum_max"] = df.groupby("ticker")["close"].cummax()
df["exp_mean"] = df["close"].expanding().mean()
df["exp_std"] = df["close"].expanding(min_periods=2).std()
df["roll_sum_vol"] = df["volume"].rolling(3).sum()
df["roll_max"] = df.groupby("ticker")["close"].transform(lambda s: s.rolling(3, min_periods=1).max())
print("== returns")
print(df[["ticker", "close", "prev_close", "ret", "diff", "ret_2", "cum_max"]].round(5))
print("== windows")
print(df[["exp_mean", "exp_std", "roll_sum_vol", "roll_max"]].round(4))

print("== gaps between days")
gaps = df.groupby("ticker")["day"].diff()
print(gaps.dt.days)
print(gaps.dt.days.value_counts().sort_index())
print("== filters")
mid = df[(df["day"] >= "2024-01-05") & (df["day"] <= "2024-01-11")]
print(mid[["day", "ticker", "close"]].to_string(index=False))
print(df[df["day"].between("2024-01-09", "2024-01-12")]["volume"].sum())
print(df.loc[df["day"].dt.day_name() == "Friday", ["day", "close"]].to_string(index=False))
print("== offsets")
df["next_week"] = df["day"] + pd.Timedelta(days=7)
df["month_start"] = df["day"] - pd.offsets.MonthBegin(1)
df["days_to_end"] = (pd.Timestamp("2024-01-31") - df["day"]).dt.days
print(df[["day", "next_week", "month_start", "days_to_end"]].head(4))
print("== strftime")
print(df["day"].dt.strftime("%b %d, %Y").head(3).tolist())
print(df["stamp"].min(), df["stamp"].max(), df["stamp"].max() - df["stamp"].min())
print("== per ticker summary")
summary = df.groupby("ticker").agg(first_day=("day", "min"), last_day=("day", "max"),
                                   mean_close=("close", "mean"), total_volume=("volume", "sum"))
summary["span"] = summary["last_day"] - summary["first_day"]
print(summary)
