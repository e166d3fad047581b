"""The 22 TPC-H queries in idiomatic pandas, run unchanged on pandas and on Headwater.

Each query is ``qN(t, pd)``: ``t`` maps table names to frames and ``pd`` is the
module (``pandas`` or ``headwater``); the code is what a pandas user writes
(``merge``, boolean masks, ``groupby(..., as_index=False).agg``, ``sort_values``,
``head``), with the validation parameters of the TPC-H specification. Output columns
are named as in ``queries_sql.py`` so that answers compare column by column.
"""

from __future__ import annotations


def q1(t, pd):
    li = t["lineitem"]
    cutoff = pd.Timestamp("1998-12-01") - pd.Timedelta(days=90)
    x = li[li["l_shipdate"] <= cutoff]
    x = x.assign(
        disc_price=x["l_extendedprice"] * (1 - x["l_discount"]),
        charge=x["l_extendedprice"] * (1 - x["l_discount"]) * (1 + x["l_tax"]),
    )
    out = x.groupby(["l_returnflag", "l_linestatus"], as_index=False).agg(
        sum_qty=("l_quantity", "sum"),
        sum_base_price=("l_extendedprice", "sum"),
        sum_disc_price=("disc_price", "sum"),
        sum_charge=("charge", "sum"),
        avg_qty=("l_quantity", "mean"),
        avg_price=("l_extendedprice", "mean"),
        avg_disc=("l_discount", "mean"),
        count_order=("l_orderkey", "count"),
    )
    return out.sort_values(["l_returnflag", "l_linestatus"]).reset_index(drop=True)


def q2(t, pd):
    region, nation, supplier = t["region"], t["nation"], t["supplier"]
    part, partsupp = t["part"], t["partsupp"]
    europe = region[region["r_name"] == "EUROPE"]
    ns = nation.merge(europe, left_on="n_regionkey", right_on="r_regionkey")
    sup = supplier.merge(ns, left_on="s_nationkey", right_on="n_nationkey")
    ps = partsupp.merge(sup, left_on="ps_suppkey", right_on="s_suppkey")
    brass = part[(part["p_size"] == 15) & part["p_type"].str.endswith("BRASS")]
    x = brass.merge(ps, left_on="p_partkey", right_on="ps_partkey")
    cheapest = x.groupby("p_partkey", as_index=False)["ps_supplycost"].min()
    x = x.merge(cheapest, on=["p_partkey", "ps_supplycost"])
    cols = ["s_acctbal", "s_name", "n_name", "p_partkey", "p_mfgr", "s_address", "s_phone",
            "s_comment"]
    out = x[cols].sort_values(["s_acctbal", "n_name", "s_name", "p_partkey"],
                              ascending=[False, True, True, True])
    return out.head(100).reset_index(drop=True)


def q3(t, pd):
    customer, orders, lineitem = t["customer"], t["orders"], t["lineitem"]
    date = pd.Timestamp("1995-03-15")
    c = customer[customer["c_mktsegment"] == "BUILDING"]
    o = orders[orders["o_orderdate"] < date]
    li = lineitem[lineitem["l_shipdate"] > date]
    x = c.merge(o, left_on="c_custkey", right_on="o_custkey")
    x = x.merge(li, left_on="o_orderkey", right_on="l_orderkey")
    x["revenue"] = x["l_extendedprice"] * (1 - x["l_discount"])
    out = x.groupby(["l_orderkey", "o_orderdate", "o_shippriority"], as_index=False)["revenue"].sum()
    out = out[["l_orderkey", "revenue", "o_orderdate", "o_shippriority"]]
    out = out.sort_values(["revenue", "o_orderdate"], ascending=[False, True])
    return out.head(10).reset_index(drop=True)


def q4(t, pd):
    orders, lineitem = t["orders"], t["lineitem"]
    o = orders[(orders["o_orderdate"] >= pd.Timestamp("1993-07-01"))
               & (orders["o_orderdate"] < pd.Timestamp("1993-10-01"))]
    late = lineitem[lineitem["l_commitdate"] < lineitem["l_receiptdate"]]
    o = o[o["o_orderkey"].isin(late["l_orderkey"])]
    out = o.groupby("o_orderpriority", as_index=False).agg(order_count=("o_orderkey", "count"))
    return out.sort_values("o_orderpriority").reset_index(drop=True)


def q5(t, pd):
    region, nation, customer = t["region"], t["nation"], t["customer"]
    orders, lineitem, supplier = t["orders"], t["lineitem"], t["supplier"]
    o = orders[(orders["o_orderdate"] >= pd.Timestamp("1994-01-01"))
               & (orders["o_orderdate"] < pd.Timestamp("1995-01-01"))]
    asia = region[region["r_name"] == "ASIA"]
    x = customer.merge(o, left_on="c_custkey", right_on="o_custkey")
    x = x.merge(lineitem, left_on="o_orderkey", right_on="l_orderkey")
    x = x.merge(supplier, left_on=["l_suppkey", "c_nationkey"], right_on=["s_suppkey", "s_nationkey"])
    x = x.merge(nation, left_on="s_nationkey", right_on="n_nationkey")
    x = x.merge(asia, left_on="n_regionkey", right_on="r_regionkey")
    x["revenue"] = x["l_extendedprice"] * (1 - x["l_discount"])
    out = x.groupby("n_name", as_index=False)["revenue"].sum()
    return out.sort_values("revenue", ascending=False).reset_index(drop=True)


def q6(t, pd):
    li = t["lineitem"]
    mask = ((li["l_shipdate"] >= pd.Timestamp("1994-01-01"))
            & (li["l_shipdate"] < pd.Timestamp("1995-01-01"))
            & li["l_discount"].between(0.05, 0.07)
            & (li["l_quantity"] < 24))
    x = li[mask]
    revenue = (x["l_extendedprice"] * x["l_discount"]).sum()
    return pd.DataFrame({"revenue": [revenue]})


def q7(t, pd):
    nation, supplier, lineitem = t["nation"], t["supplier"], t["lineitem"]
    orders, customer = t["orders"], t["customer"]
    li = lineitem[(lineitem["l_shipdate"] >= pd.Timestamp("1995-01-01"))
                  & (lineitem["l_shipdate"] <= pd.Timestamp("1996-12-31"))]
    n1 = nation[["n_nationkey", "n_name"]].rename(columns={"n_nationkey": "s_nationkey",
                                                           "n_name": "supp_nation"})
    n2 = nation[["n_nationkey", "n_name"]].rename(columns={"n_nationkey": "c_nationkey",
                                                           "n_name": "cust_nation"})
    x = supplier.merge(n1, on="s_nationkey")
    x = x.merge(li, left_on="s_suppkey", right_on="l_suppkey")
    x = x.merge(orders, left_on="l_orderkey", right_on="o_orderkey")
    x = x.merge(customer, left_on="o_custkey", right_on="c_custkey")
    x = x.merge(n2, on="c_nationkey")
    x = x[((x["supp_nation"] == "FRANCE") & (x["cust_nation"] == "GERMANY"))
          | ((x["supp_nation"] == "GERMANY") & (x["cust_nation"] == "FRANCE"))]
    x = x.assign(l_year=x["l_shipdate"].dt.year,
                 volume=x["l_extendedprice"] * (1 - x["l_discount"]))
    out = x.groupby(["supp_nation", "cust_nation", "l_year"], as_index=False)["volume"].sum()
    out = out.rename(columns={"volume": "revenue"})
    return out.sort_values(["supp_nation", "cust_nation", "l_year"]).reset_index(drop=True)


def q8(t, pd):
    part, supplier, lineitem = t["part"], t["supplier"], t["lineitem"]
    orders, customer, nation, region = t["orders"], t["customer"], t["nation"], t["region"]
    p = part[part["p_type"] == "ECONOMY ANODIZED STEEL"]
    o = orders[(orders["o_orderdate"] >= pd.Timestamp("1995-01-01"))
               & (orders["o_orderdate"] <= pd.Timestamp("1996-12-31"))]
    america = region[region["r_name"] == "AMERICA"]
    n1 = nation[["n_nationkey", "n_regionkey"]]
    n2 = nation[["n_nationkey", "n_name"]].rename(columns={"n_nationkey": "s_nationkey",
                                                           "n_name": "nation"})
    x = p.merge(lineitem, left_on="p_partkey", right_on="l_partkey")
    x = x.merge(supplier, left_on="l_suppkey", right_on="s_suppkey")
    x = x.merge(o, left_on="l_orderkey", right_on="o_orderkey")
    x = x.merge(customer, left_on="o_custkey", right_on="c_custkey")
    x = x.merge(n1, left_on="c_nationkey", right_on="n_nationkey")
    x = x.merge(america, left_on="n_regionkey", right_on="r_regionkey")
    x = x.merge(n2, on="s_nationkey")
    x["o_year"] = x["o_orderdate"].dt.year
    x["volume"] = x["l_extendedprice"] * (1 - x["l_discount"])
    x["brazil_volume"] = x["volume"].where(x["nation"] == "BRAZIL", 0.0)
    g = x.groupby("o_year", as_index=False)[["brazil_volume", "volume"]].sum()
    g["mkt_share"] = g["brazil_volume"] / g["volume"]
    return g[["o_year", "mkt_share"]].sort_values("o_year").reset_index(drop=True)


def q9(t, pd):
    part, partsupp, supplier = t["part"], t["partsupp"], t["supplier"]
    lineitem, orders, nation = t["lineitem"], t["orders"], t["nation"]
    p = part[part["p_name"].str.contains("green")]
    x = p.merge(partsupp, left_on="p_partkey", right_on="ps_partkey")
    x = x.merge(supplier, left_on="ps_suppkey", right_on="s_suppkey")
    x = x.merge(lineitem, left_on=["ps_partkey", "ps_suppkey"], right_on=["l_partkey", "l_suppkey"])
    x = x.merge(orders, left_on="l_orderkey", right_on="o_orderkey")
    x = x.merge(nation, left_on="s_nationkey", right_on="n_nationkey")
    x["nation"] = x["n_name"]
    x["o_year"] = x["o_orderdate"].dt.year
    x["amount"] = (x["l_extendedprice"] * (1 - x["l_discount"])
                   - x["ps_supplycost"] * x["l_quantity"])
    out = x.groupby(["nation", "o_year"], as_index=False)["amount"].sum()
    out = out.rename(columns={"amount": "sum_profit"})
    return out.sort_values(["nation", "o_year"], ascending=[True, False]).reset_index(drop=True)


def q10(t, pd):
    customer, orders, lineitem, nation = t["customer"], t["orders"], t["lineitem"], t["nation"]
    o = orders[(orders["o_orderdate"] >= pd.Timestamp("1993-10-01"))
               & (orders["o_orderdate"] < pd.Timestamp("1994-01-01"))]
    li = lineitem[lineitem["l_returnflag"] == "R"]
    x = customer.merge(o, left_on="c_custkey", right_on="o_custkey")
    x = x.merge(li, left_on="o_orderkey", right_on="l_orderkey")
    x = x.merge(nation, left_on="c_nationkey", right_on="n_nationkey")
    x["revenue"] = x["l_extendedprice"] * (1 - x["l_discount"])
    keys = ["c_custkey", "c_name", "c_acctbal", "c_phone", "n_name", "c_address", "c_comment"]
    out = x.groupby(keys, as_index=False)["revenue"].sum()
    out = out[["c_custkey", "c_name", "revenue", "c_acctbal", "n_name", "c_address", "c_phone",
               "c_comment"]]
    return out.sort_values("revenue", ascending=False).head(20).reset_index(drop=True)


def q11(t, pd):
    partsupp, supplier, nation = t["partsupp"], t["supplier"], t["nation"]
    germany = nation[nation["n_name"] == "GERMANY"]
    x = partsupp.merge(supplier, left_on="ps_suppkey", right_on="s_suppkey")
    x = x.merge(germany, left_on="s_nationkey", right_on="n_nationkey")
    x["value"] = x["ps_supplycost"] * x["ps_availqty"]
    threshold = x["value"].sum() * 0.0001
    out = x.groupby("ps_partkey", as_index=False)["value"].sum()
    out = out[out["value"] > threshold]
    return out.sort_values("value", ascending=False).reset_index(drop=True)


def q12(t, pd):
    orders, lineitem = t["orders"], t["lineitem"]
    li = lineitem[lineitem["l_shipmode"].isin(["MAIL", "SHIP"])
                  & (lineitem["l_commitdate"] < lineitem["l_receiptdate"])
                  & (lineitem["l_shipdate"] < lineitem["l_commitdate"])
                  & (lineitem["l_receiptdate"] >= pd.Timestamp("1994-01-01"))
                  & (lineitem["l_receiptdate"] < pd.Timestamp("1995-01-01"))]
    x = orders.merge(li, left_on="o_orderkey", right_on="l_orderkey")
    high = x["o_orderpriority"].isin(["1-URGENT", "2-HIGH"])
    x["high_line_count"] = high.astype(int)
    x["low_line_count"] = (~high).astype(int)
    out = x.groupby("l_shipmode", as_index=False)[["high_line_count", "low_line_count"]].sum()
    return out.sort_values("l_shipmode").reset_index(drop=True)


def q13(t, pd):
    customer, orders = t["customer"], t["orders"]
    o = orders[~orders["o_comment"].str.contains("special.*requests", regex=True)]
    x = customer.merge(o, left_on="c_custkey", right_on="o_custkey", how="left")
    per_customer = x.groupby("c_custkey", as_index=False)["o_orderkey"].count()
    per_customer = per_customer.rename(columns={"o_orderkey": "c_count"})
    out = per_customer.groupby("c_count").size().reset_index(name="custdist")
    return out.sort_values(["custdist", "c_count"], ascending=[False, False]).reset_index(drop=True)


def q14(t, pd):
    lineitem, part = t["lineitem"], t["part"]
    li = lineitem[(lineitem["l_shipdate"] >= pd.Timestamp("1995-09-01"))
                  & (lineitem["l_shipdate"] < pd.Timestamp("1995-10-01"))]
    x = li.merge(part, left_on="l_partkey", right_on="p_partkey")
    revenue = x["l_extendedprice"] * (1 - x["l_discount"])
    promo = revenue.where(x["p_type"].str.startswith("PROMO"), 0.0).sum()
    return pd.DataFrame({"promo_revenue": [100.0 * promo / revenue.sum()]})


def q15(t, pd):
    lineitem, supplier = t["lineitem"], t["supplier"]
    li = lineitem[(lineitem["l_shipdate"] >= pd.Timestamp("1996-01-01"))
                  & (lineitem["l_shipdate"] < pd.Timestamp("1996-04-01"))]
    li = li.assign(total_revenue=li["l_extendedprice"] * (1 - li["l_discount"]))
    revenue = li.groupby("l_suppkey", as_index=False)["total_revenue"].sum()
    top = revenue[revenue["total_revenue"] == revenue["total_revenue"].max()]
    x = supplier.merge(top, left_on="s_suppkey", right_on="l_suppkey")
    out = x[["s_suppkey", "s_name", "s_address", "s_phone", "total_revenue"]]
    return out.sort_values("s_suppkey").reset_index(drop=True)


def q16(t, pd):
    part, partsupp, supplier = t["part"], t["partsupp"], t["supplier"]
    p = part[(part["p_brand"] != "Brand#45")
             & ~part["p_type"].str.startswith("MEDIUM POLISHED")
             & part["p_size"].isin([49, 14, 23, 45, 19, 3, 36, 9])]
    complaints = supplier[supplier["s_comment"].str.contains("Customer.*Complaints", regex=True)]
    ps = partsupp[~partsupp["ps_suppkey"].isin(complaints["s_suppkey"])]
    x = p.merge(ps, left_on="p_partkey", right_on="ps_partkey")
    out = x.groupby(["p_brand", "p_type", "p_size"], as_index=False)["ps_suppkey"].nunique()
    out = out.rename(columns={"ps_suppkey": "supplier_cnt"})
    out = out.sort_values(["supplier_cnt", "p_brand", "p_type", "p_size"],
                          ascending=[False, True, True, True])
    return out.reset_index(drop=True)


def q17(t, pd):
    lineitem, part = t["lineitem"], t["part"]
    p = part[(part["p_brand"] == "Brand#23") & (part["p_container"] == "MED BOX")]
    x = p.merge(lineitem, left_on="p_partkey", right_on="l_partkey")
    avg = x.groupby("l_partkey", as_index=False)["l_quantity"].mean()
    avg = avg.rename(columns={"l_quantity": "avg_quantity"})
    x = x.merge(avg, on="l_partkey")
    x = x[x["l_quantity"] < 0.2 * x["avg_quantity"]]
    return pd.DataFrame({"avg_yearly": [x["l_extendedprice"].sum() / 7.0]})


def q18(t, pd):
    customer, orders, lineitem = t["customer"], t["orders"], t["lineitem"]
    qty = lineitem.groupby("l_orderkey", as_index=False)["l_quantity"].sum()
    big = qty[qty["l_quantity"] > 300]["l_orderkey"]
    o = orders[orders["o_orderkey"].isin(big)]
    x = o.merge(customer, left_on="o_custkey", right_on="c_custkey")
    x = x.merge(lineitem, left_on="o_orderkey", right_on="l_orderkey")
    keys = ["c_name", "c_custkey", "o_orderkey", "o_orderdate", "o_totalprice"]
    out = x.groupby(keys, as_index=False)["l_quantity"].sum()
    out = out.rename(columns={"l_quantity": "sum_quantity"})
    out = out.sort_values(["o_totalprice", "o_orderdate"], ascending=[False, True])
    return out.head(100).reset_index(drop=True)


def q19(t, pd):
    lineitem, part = t["lineitem"], t["part"]
    x = lineitem.merge(part, left_on="l_partkey", right_on="p_partkey")
    common = x["l_shipmode"].isin(["AIR", "AIR REG"]) & (x["l_shipinstruct"] == "DELIVER IN PERSON")
    c1 = ((x["p_brand"] == "Brand#12")
          & x["p_container"].isin(["SM CASE", "SM BOX", "SM PACK", "SM PKG"])
          & x["l_quantity"].between(1, 11) & x["p_size"].between(1, 5))
    c2 = ((x["p_brand"] == "Brand#23")
          & x["p_container"].isin(["MED BAG", "MED BOX", "MED PKG", "MED PACK"])
          & x["l_quantity"].between(10, 20) & x["p_size"].between(1, 10))
    c3 = ((x["p_brand"] == "Brand#34")
          & x["p_container"].isin(["LG CASE", "LG BOX", "LG PACK", "LG PKG"])
          & x["l_quantity"].between(20, 30) & x["p_size"].between(1, 15))
    x = x[common & (c1 | c2 | c3)]
    revenue = (x["l_extendedprice"] * (1 - x["l_discount"])).sum()
    return pd.DataFrame({"revenue": [revenue]})


def q20(t, pd):
    part, partsupp, lineitem = t["part"], t["partsupp"], t["lineitem"]
    supplier, nation = t["supplier"], t["nation"]
    forest = part[part["p_name"].str.startswith("forest")]["p_partkey"]
    li = lineitem[(lineitem["l_shipdate"] >= pd.Timestamp("1994-01-01"))
                  & (lineitem["l_shipdate"] < pd.Timestamp("1995-01-01"))]
    shipped = li.groupby(["l_partkey", "l_suppkey"], as_index=False)["l_quantity"].sum()
    ps = partsupp[partsupp["ps_partkey"].isin(forest)]
    x = ps.merge(shipped, left_on=["ps_partkey", "ps_suppkey"], right_on=["l_partkey", "l_suppkey"])
    suppliers = x[x["ps_availqty"] > 0.5 * x["l_quantity"]]["ps_suppkey"]
    canada = nation[nation["n_name"] == "CANADA"]
    s = supplier[supplier["s_suppkey"].isin(suppliers)]
    s = s.merge(canada, left_on="s_nationkey", right_on="n_nationkey")
    return s[["s_name", "s_address"]].sort_values("s_name").reset_index(drop=True)


def q21(t, pd):
    supplier, lineitem, orders, nation = t["supplier"], t["lineitem"], t["orders"], t["nation"]
    saudi = nation[nation["n_name"] == "SAUDI ARABIA"]
    s = supplier.merge(saudi, left_on="s_nationkey", right_on="n_nationkey")
    failed = orders[orders["o_orderstatus"] == "F"]
    late = lineitem[lineitem["l_receiptdate"] > lineitem["l_commitdate"]]
    suppliers = lineitem.groupby("l_orderkey", as_index=False)["l_suppkey"].nunique()
    shared = suppliers[suppliers["l_suppkey"] > 1]["l_orderkey"]
    late_suppliers = late.groupby("l_orderkey", as_index=False)["l_suppkey"].nunique()
    alone = late_suppliers[late_suppliers["l_suppkey"] == 1]["l_orderkey"]
    x = late[late["l_orderkey"].isin(shared) & late["l_orderkey"].isin(alone)]
    x = x.merge(s, left_on="l_suppkey", right_on="s_suppkey")
    x = x.merge(failed, left_on="l_orderkey", right_on="o_orderkey")
    out = x.groupby("s_name").size().reset_index(name="numwait")
    out = out.sort_values(["numwait", "s_name"], ascending=[False, True])
    return out.head(100).reset_index(drop=True)


def q22(t, pd):
    customer, orders = t["customer"], t["orders"]
    c = customer.assign(cntrycode=customer["c_phone"].str[:2])
    c = c[c["cntrycode"].isin(["13", "31", "23", "29", "30", "18", "17"])]
    average = c[c["c_acctbal"] > 0.0]["c_acctbal"].mean()
    c = c[(c["c_acctbal"] > average) & ~c["c_custkey"].isin(orders["o_custkey"])]
    out = c.groupby("cntrycode", as_index=False).agg(numcust=("c_acctbal", "size"),
                                                      totacctbal=("c_acctbal", "sum"))
    return out.sort_values("cntrycode").reset_index(drop=True)


QUERIES = {i: globals()[f"q{i}"] for i in range(1, 23)}
