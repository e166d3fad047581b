"""A plain pandas script (customers, orders and a price update: merge with indicator
and validate, anti-joins, combine_first, update, isin, map from a lookup Series):
run by test_pandas_scripts.py once with pandas and once with `import headwater as pd`."""

import sys

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd

customers = pd.DataFrame({
    "customer_id": [1, 2, 3, 4, 5],
    "name": ["Ana", "Ben", "Chloe", "Dev", "Eve"],
    "city": ["Lisbon", "Porto", None, "Lisbon", "Faro"],
    "tier": ["gold", "silver", "silver", None, "bronze"],
})
orders = pd.DataFrame({
    "order_id": [100, 101, 102, 103, 104, 105, 106],
    "customer_id": [1, 1, 2, 3, 3, 6, 2],
    "amount": [25.0, 40.5, 13.25, 99.9, 5.0, 60.0, 18.0],
    "status": ["paid", "paid", "refunded", "paid", "pending", "paid", "paid"],
})

print("== inner")
inner = orders.merge(customers, on="customer_id", how="inner", validate="many_to_one")
print(inner.to_string(index=False))
print("== left with indicator")
left = orders.merge(customers[["customer_id", "name"]], on="customer_id", how="left", indicator=True)
print(left.to_string(index=False))
print(left["_merge"].value_counts())
print("== orphan orders")
orphans = left[left["_merge"] == "left_only"]
print(orphans[["order_id", "customer_id"]].to_string(index=False))
print("== customers without orders (anti join)")
outer = customers.merge(orders, on="customer_id", how="outer", indicator="source")
print(outer[outer["source"] == "left_only"][["customer_id", "name"]].to_string(index=False))
print(outer["source"].value_counts().to_dict())
print("== validate error")
try:
    customers.merge(orders, on="customer_id", validate="one_to_one")
except Exception as exc:
    print(type(exc).__name__)

print("== totals per customer")
totals = orders[orders["status"] == "paid"].groupby("customer_id")["amount"].sum()
customers["paid_total"] = customers["customer_id"].map(totals)
customers["paid_total"] = customers["paid_total"].fillna(0)
print(customers.to_string(index=False))

print("== suffixes")
returns = pd.DataFrame({"order_id": [101, 104, 999], "amount": [40.5, 5.0, 1.0], "reason": ["size", "late", "?"]})
both = orders.merge(returns, on="order_id", how="left", suffixes=("", "_returned"))
print(both.to_string(index=False))
print("== left_on / right_on")
lookup = pd.DataFrame({"cid": [1, 2, 3], "segment": ["A", "B", "B"]})
seg = orders.merge(lookup, left_on="customer_id", right_on="cid", how="left").drop(columns=["cid"])
print(seg[["order_id", "segment"]].to_string(index=False))

print("== combine_first")
primary = pd.DataFrame({"id": [1, 2, 3, 4], "email": ["a@x.com", None, "c@x.com", None],
                        "phone": [None, "555-2", None, None]})
backup = pd.DataFrame({"id": [1, 2, 3, 4], "email": ["old@x.com", "b@x.com", None, "d@x.com"],
                       "phone": ["555-1", "000", "555-3", None]})
filled = primary.set_index("id").combine_first(backup.set_index("id")).reset_index()
print(filled.to_string(index=False))
print("== update")
prices = pd.DataFrame({"sku": ["a", "b", "c"], "price": [1.0, 2.0, 3.0]}).set_index("sku")
new = pd.DataFrame({"sku": ["b", "c"], "price": [2.5, None]}).set_index("sku")
prices.update(new)
print(prices.reset_index().to_string(index=False))
print("== isin and concat")
vip = customers[customers["tier"].isin(["gold", "silver"])]
print(vip["name"].tolist())
stacked = pd.concat([orders.head(2), orders.tail(2)], ignore_index=True)
print(stacked.to_string())
print(pd.concat([customers[["name"]], customers[["tier"]]], axis=1).shape)
print("== where and mask")
orders["flagged"] = orders["amount"].where(orders["amount"] < 50, other=50.0)
orders["small"] = orders["amount"].mask(orders["amount"] > 20)
print(orders[["order_id", "flagged", "small"]].to_string(index=False))
