"""A plain pandas script (groupby with keys, value_counts, set_index/loc, map/apply,
query/eval, merge indicators, group methods): run by test_pandas_scripts.py once with
pandas and once with `import headwater as pd`."""

import sys

import numpy as np

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd


def show(label, obj):
    if hasattr(obj, "to_pandas"):  # the one line that knows about Headwater: print through pandas
        obj = obj.to_pandas()
    if hasattr(obj, "to_string"):
        text = obj.to_string(float_format=lambda v: f"{v:.6f}")
    else:
        text = repr(obj)
    print(f"== {label}\n{text}")


sales = pd.DataFrame({
    "region": ["east", "west", "east", "north", "west", "east", "north", "west"],
    "product": ["a", "b", "a", "c", "a", "b", "c", "b"],
    "units": [3, 5, 2, 7, 1, 4, 6, 2],
    "price": [9.5, 3.25, 9.5, 12.0, 10.0, 3.0, 11.5, 3.5],
})
sales["revenue"] = sales["units"] * sales["price"]

by_region = sales.groupby("region")["revenue"].sum()
show("sum by region", by_region)
show("largest region", by_region.idxmax())
show("region dict", {k: round(v, 6) for k, v in by_region.to_dict().items()})
show("size reset", sales.groupby(["region", "product"]).size().reset_index(name="n"))
show("agg reset", sales.groupby("region").agg(units=("units", "sum"), top=("price", "max")).reset_index())
show("as_index False", sales.groupby("product", as_index=False)["units"].mean())
show("value_counts", sales["product"].value_counts().reset_index())

indexed = sales.groupby("region").sum(numeric_only=True)
show("loc", indexed.loc["west", "units"])
show("loc list", indexed.loc[["north", "east"], ["units"]])
show("sort_index", indexed.sort_index(ascending=False)["units"])

show("map dict", sales["product"].map({"a": "alpha", "b": "beta", "c": "gamma"}))
show("map series", sales["region"].map(by_region))
show("apply", sales["units"].apply(lambda u: u * 10 if u > 3 else -u))
show("row apply", sales.apply(lambda r: r["units"] * r["price"] - 1, axis=1))
show("query", sales.query("units > 2 and region != 'north'")[["region", "units"]].reset_index(drop=True))
limit = 4
show("query var", sales.query("units >= @limit")["units"].reset_index(drop=True))
show("eval", sales.eval("margin = revenue - units * 2")[["margin"]])

show("cumsum", sales.groupby("region")["units"].cumsum())
show("shift", sales.groupby("region")["price"].shift())
show("rank", sales.groupby("region")["units"].rank())
show("transform", sales.groupby("region")["units"].transform(lambda s: s - s.mean()))
show("filter", sales.groupby("region").filter(lambda g: g["units"].sum() > 8)[["region", "units"]]
     .reset_index(drop=True))
show("nunique", sales.groupby("region")["product"].nunique())

targets = pd.DataFrame({"region": ["east", "west", "south"], "target": [30.0, 25.0, 10.0]})
joined = indexed.reset_index().merge(targets, on="region", how="outer", indicator=True)
show("merge indicator", joined[["region", "target"]])
show("merge flags", joined["_merge"].astype(str))
show("corr", round(sales["units"].corr(sales["price"]), 6))
show("mode", sales["product"].mode())
show("select_dtypes", list(sales.select_dtypes("number").columns))
sales.rename(columns={"units": "qty"}, inplace=True)
sales.drop(columns=["revenue"], inplace=True)
show("inplace", sales.head(3))
show("drop rows", sales.drop(index=[0, 1]).reset_index(drop=True))
show("numpy", np.round(sales[["qty", "price"]].to_numpy().sum(axis=0), 6).tolist())
