"""A plain pandas script (a monthly sales report: totals with margins, codes pulled out
of free text, fixed region lists, dtype-driven column picks, joins with missing keys):
run by test_pandas_scripts.py once with pandas and once with `import headwater as pd`."""

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
        obj.columns = [str(c) for c in obj.columns]
    if hasattr(obj, "to_string"):
        text = obj.to_string(index=index, float_format=lambda v: f"{v:.6f}")
    else:
        text = repr(obj)
    print(f"== {label}\n{text}")


sales = pd.DataFrame({
    "region": ["north", "south", "north", "east", None, "south", "north", "east"],
    "channel": ["web", "store", "store", "web", "web", None, "web", "store"],
    "units": [3, 5, 2, 7, 1, 4, 6, 2],
    "price": [9.5, 12.0, None, 7.25, 3.0, 12.0, 9.5, 8.0],
    "note": ["sku A12 and B7", "sku C3", None, "no code", "sku A12", "skus B7, B8, A12", "", "sku C3"],
})
sales["revenue"] = sales["units"] * sales["price"]

# totals by region and channel, with pandas' All row and column
table = pd.pivot_table(sales, values="revenue", index="region", columns="channel", aggfunc="sum", margins=True)
show("revenue with margins", table.reset_index())
units = sales.pivot_table(values="units", index="region", columns="channel", aggfunc="mean",
                          margins=True, margins_name="Total")
show("mean units with Total", units.reset_index())
show("grand total", table.loc["All", "All"])

# product codes mentioned in the notes: one row per mention
codes = sales["note"].str.extractall(r"(?P<letter>[A-Z])(?P<number>\d+)")
show("codes", codes.reset_index())
mentions = codes.reset_index().groupby("letter").size().reset_index(name="mentions")
show("mentions per letter", mentions)

# every region of the fixed list, zero where nothing sold
regions = ["east", "north", "south", "west"]
per_region = sales.groupby("region")["units"].sum().reindex(regions, fill_value=0)
show("units per region", per_region.reset_index())
wide = sales.groupby("region")[["units", "revenue"]].sum().reindex(index=regions, columns=["units", "revenue", "returns"], fill_value=0)
show("region sheet", wide.reset_index())

# pick columns by dtype
dtypes = sales.dtypes
numeric = [c for c in sales.columns if dtypes[c] != "str" and dtypes[c] != object]
show("numeric columns", pd.Series(numeric, name="column"))
show("float columns", pd.Series(list(sales.columns[dtypes == "float64"]), name="column"))
show("dtype names", pd.DataFrame({"column": list(dtypes.index), "dtype": [str(d) for d in dtypes]}))

# targets per region, including the rows whose region is unknown (null keys match as in pandas)
targets = pd.DataFrame({"region": ["north", "south", None], "target": [40.0, 50.0, 5.0]})
joined = sales.merge(targets, on="region", how="left")
show("with targets", joined[["region", "units", "target"]])
outer = sales.groupby("region", dropna=False)["units"].sum().reset_index().merge(targets, on="region", how="outer")
show("outer with targets", outer)

# side by side: two summaries of the same groups, and channel indicators
summary = pd.concat([sales.groupby("region")["units"].sum(), sales.groupby("region")["price"].mean()], axis=1)
show("summary", summary.reset_index())
indicators = pd.get_dummies(sales["channel"], prefix="ch", dtype=int)
show("indicators", pd.concat([sales[["region"]], indicators], axis=1))
show("indicator totals", indicators.sum())
