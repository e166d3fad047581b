"""A plain pandas script (a store sales report: named aggregations, pivot_table,
unstack, resample by month and week, rolling means, shares of a total, top products):
run by test_pandas_scripts.py once with pandas and once with `import headwater as pd`."""

import sys

import numpy as np

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd

rng = np.random.default_rng(7)
n = 120
sales = pd.DataFrame({
    "date": pd.date_range("2023-01-01", periods=n, freq="D"),
    "store": rng.choice(["Berlin", "Hamburg", "Munich"], n),
    "product": rng.choice(["apples", "bread", "cheese", "dates"], n),
    "units": rng.integers(1, 20, n),
    "unit_price": rng.choice([0.5, 2.25, 4.0, 7.5], n),
})
sales["revenue"] = sales["units"] * sales["unit_price"]
sales["month"] = sales["date"].dt.month
sales["weekday"] = sales["date"].dt.day_name()

print("== head")
print(sales.head())
print("== info-like")
print(sales.shape, sales["store"].nunique(), sales["product"].unique().tolist())

by_store = sales.groupby("store").agg(
    total_revenue=("revenue", "sum"),
    avg_units=("units", "mean"),
    orders=("units", "count"),
    best_day=("revenue", "max"),
)
print("== by store")
print(by_store.round(2))
print("== sorted by revenue")
print(by_store.sort_values("total_revenue", ascending=False).index.tolist())

print("== store x product (sum)")
table = sales.pivot_table(index="store", columns="product", values="revenue", aggfunc="sum", fill_value=0)
print(table.round(2).reset_index().to_string(index=False))
print("== store x month units (unstack)")
monthly = sales.groupby(["store", "month"])["units"].sum().unstack()
print(monthly.reset_index().to_string(index=False))
print("== share of revenue per store")
share = sales.groupby("store")["revenue"].sum() / sales["revenue"].sum()
print((share * 100).round(2))

print("== monthly revenue (resample)")
ts = sales.set_index("date")
print(ts["revenue"].resample("ME").sum().round(2).reset_index().to_string(index=False))
print("== weekly orders")
print(ts.resample("W")["units"].count().head(6).reset_index().to_string(index=False))

daily = sales.groupby("date", as_index=False)["revenue"].sum()
daily["rolling_7"] = daily["revenue"].rolling(window=7).mean()
daily["rolling_7_min3"] = daily["revenue"].rolling(7, min_periods=3).mean()
daily["cum_revenue"] = daily["revenue"].cumsum()
print("== rolling")
print(daily.head(9).round({"revenue": 3, "rolling_7": 3, "rolling_7_min3": 3, "cum_revenue": 3}).to_string(index=False))

print("== top products per store")
top = (sales.groupby(["store", "product"], as_index=False)["revenue"].sum()
       .sort_values(["store", "revenue"], ascending=[True, False])
       .groupby("store").head(2))
print(top.to_string(index=False))
print("== multi agg")
multi = sales.groupby("product")["units"].agg(["sum", "mean", "min", "max"])
print(multi.round(3))
print("== weekday means")
print(sales.groupby("weekday")["revenue"].mean().round(2).sort_values())
