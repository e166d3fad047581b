"""A plain pandas script (dates, text, windows, bins, reshaping, NumPy): run by
test_pandas_scripts.py once with pandas and once with `import headwater as pd`."""

import sys

import numpy as np

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd


def show(label, obj, index=False):
    if hasattr(obj, "to_pandas"):  # the one line that knows about Headwater: print through pandas
        obj = obj.to_pandas()
    if hasattr(obj, "columns"):
        obj.columns.name = None  # Headwater keeps no name for the column labels (documented)
    if hasattr(obj, "to_string"):
        text = obj.to_string(index=index, float_format=lambda v: f"{v:.6f}")
    else:
        text = repr(obj)
    print(f"== {label}\n{text}")


orders = pd.DataFrame({
    "order_date": ["1995-01-31", "1998-09-01", "1996-02-29", "1998-12-01", "1997-06-15", "1994-03-31"],
    "clerk": ["Clerk#000000951", "Clerk#000000880", "Clerk#000000951", "Clerk#000000012", None, "Clerk#000000880"],
    "priority": ["1-URGENT", "5-LOW", "1-URGENT", "3-MEDIUM", "2-HIGH", "5-LOW"],
    "price": [173665.47, 46929.18, 193846.25, 32151.78, 144659.20, 58749.59],
    "qty": [17, 36, 8, 28, 24, 32],
})
orders["order_date"] = pd.to_datetime(orders["order_date"])
cutoff = pd.Timestamp("1998-12-01") - pd.Timedelta(days=90)
show("before cutoff", orders[orders["order_date"] <= cutoff][["priority", "price"]])
show("within a year", orders[(orders["order_date"] >= pd.Timestamp("1995-01-01"))
                             & (orders["order_date"] < pd.Timestamp("1995-01-01") + pd.DateOffset(years=2))])
orders["prio"] = orders["priority"].str[:1].astype("int64")
orders["clerk_no"] = pd.to_numeric(orders["clerk"].fillna("#0").str.extract(r"#(\d+)", expand=False))
orders["label"] = orders["priority"].str.split("-", expand=True)[1].str.title().str.pad(8, fillchar=".")
orders["first_word"] = orders["priority"].str.split("-").str[0]
orders["ym"] = orders["order_date"].dt.strftime("%Y-%m")
orders["month_end"] = orders["order_date"].dt.is_month_end
orders["dim"] = orders["order_date"].dt.days_in_month
orders["week"] = orders["order_date"].dt.isocalendar().week
show("derived", orders[["prio", "clerk_no", "label", "ym", "month_end", "dim", "week"]])
orders = orders.sort_values("order_date")
orders["rolling_qty"] = orders["qty"].rolling(3, min_periods=1).mean()
orders["ewm_price"] = orders["price"].ewm(span=3).mean()
orders["cum_max"] = orders["price"].expanding().max()
show("windows", orders[["qty", "rolling_qty", "ewm_price", "cum_max"]])
orders["size"] = pd.cut(orders["qty"], bins=[0, 10, 25, 40], labels=["small", "medium", "large"])
orders["quartile"] = pd.qcut(orders["price"], 4, labels=False)
show("bins", orders[["qty", "size", "quartile"]])
show("pivot", pd.pivot_table(orders, values="qty", index="prio", columns="size", aggfunc="sum", fill_value=0),
     index=True)
show("crosstab", pd.crosstab(orders["prio"], orders["ym"].str[:3]), index=True)
show("resample", orders.resample("YE", on="order_date")["qty"].sum().reset_index())
show("melt", pd.melt(orders[["priority", "price", "qty"]], id_vars="priority", value_vars=["qty"]))
show("log price", np.log(orders["price"]).round(4))
show("sum", float(np.sum(orders["qty"])))
show("date range", list(pd.date_range("1998-01-30", periods=3, freq="ME")))
