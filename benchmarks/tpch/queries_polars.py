"""The 22 TPC-H queries in Polars' lazy API, as a Polars user writes them.

Each ``qN(t)`` takes Polars DataFrames, builds a lazy query and collects it; output
columns are named as in ``queries_sql.py``.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

c = pl.col


def _d(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _rev() -> pl.Expr:
    return c("l_extendedprice") * (1 - c("l_discount"))


def q1(t):
    return (t["lineitem"].lazy()
            .filter(c("l_shipdate") <= _d("1998-09-02"))
            .group_by("l_returnflag", "l_linestatus")
            .agg(sum_qty=c("l_quantity").sum(),
                 sum_base_price=c("l_extendedprice").sum(),
                 sum_disc_price=_rev().sum(),
                 sum_charge=(_rev() * (1 + c("l_tax"))).sum(),
                 avg_qty=c("l_quantity").mean(),
                 avg_price=c("l_extendedprice").mean(),
                 avg_disc=c("l_discount").mean(),
                 count_order=pl.len())
            .sort("l_returnflag", "l_linestatus").collect())


def q2(t):
    europe = (t["region"].lazy().filter(c("r_name") == "EUROPE")
              .join(t["nation"].lazy(), left_on="r_regionkey", right_on="n_regionkey")
              .join(t["supplier"].lazy(), left_on="n_nationkey", right_on="s_nationkey")
              .join(t["partsupp"].lazy(), left_on="s_suppkey", right_on="ps_suppkey"))
    x = (t["part"].lazy().filter((c("p_size") == 15) & c("p_type").str.ends_with("BRASS"))
         .join(europe, left_on="p_partkey", right_on="ps_partkey"))
    return (x.filter(c("ps_supplycost") == c("ps_supplycost").min().over("p_partkey"))
            .select("s_acctbal", "s_name", "n_name", "p_partkey", "p_mfgr", "s_address",
                    "s_phone", "s_comment")
            .sort(["s_acctbal", "n_name", "s_name", "p_partkey"],
                  descending=[True, False, False, False])
            .head(100).collect())


def q3(t):
    date = _d("1995-03-15")
    return (t["customer"].lazy().filter(c("c_mktsegment") == "BUILDING")
            .join(t["orders"].lazy().filter(c("o_orderdate") < date),
                  left_on="c_custkey", right_on="o_custkey")
            .join(t["lineitem"].lazy().filter(c("l_shipdate") > date),
                  left_on="o_orderkey", right_on="l_orderkey")
            .group_by(c("o_orderkey").alias("l_orderkey"), "o_orderdate", "o_shippriority")
            .agg(revenue=_rev().sum())
            .select("l_orderkey", "revenue", "o_orderdate", "o_shippriority")
            .sort(["revenue", "o_orderdate"], descending=[True, False])
            .head(10).collect())


def q4(t):
    late = t["lineitem"].lazy().filter(c("l_commitdate") < c("l_receiptdate"))
    return (t["orders"].lazy()
            .filter(c("o_orderdate").is_between(_d("1993-07-01"), _d("1993-10-01"), closed="left"))
            .join(late, left_on="o_orderkey", right_on="l_orderkey", how="semi")
            .group_by("o_orderpriority").agg(order_count=pl.len())
            .sort("o_orderpriority").collect())


def q5(t):
    return (t["region"].lazy().filter(c("r_name") == "ASIA")
            .join(t["nation"].lazy(), left_on="r_regionkey", right_on="n_regionkey")
            .join(t["customer"].lazy(), left_on="n_nationkey", right_on="c_nationkey")
            .join(t["orders"].lazy().filter(
                c("o_orderdate").is_between(_d("1994-01-01"), _d("1995-01-01"), closed="left")),
                left_on="c_custkey", right_on="o_custkey")
            .join(t["lineitem"].lazy(), left_on="o_orderkey", right_on="l_orderkey")
            .join(t["supplier"].lazy(), left_on=["l_suppkey", "n_nationkey"],
                  right_on=["s_suppkey", "s_nationkey"])
            .group_by("n_name").agg(revenue=_rev().sum())
            .sort("revenue", descending=True).collect())


def q6(t):
    return (t["lineitem"].lazy()
            .filter(c("l_shipdate").is_between(_d("1994-01-01"), _d("1995-01-01"), closed="left")
                    & c("l_discount").is_between(0.05, 0.07) & (c("l_quantity") < 24))
            .select(revenue=(c("l_extendedprice") * c("l_discount")).sum()).collect())


def q7(t):
    nation = t["nation"].lazy()
    x = (t["supplier"].lazy()
         .join(nation.select(s_nationkey="n_nationkey", supp_nation="n_name"), on="s_nationkey")
         .join(t["lineitem"].lazy().filter(
             c("l_shipdate").is_between(_d("1995-01-01"), _d("1996-12-31"))),
             left_on="s_suppkey", right_on="l_suppkey")
         .join(t["orders"].lazy(), left_on="l_orderkey", right_on="o_orderkey")
         .join(t["customer"].lazy(), left_on="o_custkey", right_on="c_custkey")
         .join(nation.select(c_nationkey="n_nationkey", cust_nation="n_name"), on="c_nationkey"))
    pair = (((c("supp_nation") == "FRANCE") & (c("cust_nation") == "GERMANY"))
            | ((c("supp_nation") == "GERMANY") & (c("cust_nation") == "FRANCE")))
    return (x.filter(pair)
            .group_by("supp_nation", "cust_nation", c("l_shipdate").dt.year().alias("l_year"))
            .agg(revenue=_rev().sum())
            .sort("supp_nation", "cust_nation", "l_year").collect())


def q8(t):
    nation = t["nation"].lazy()
    x = (t["part"].lazy().filter(c("p_type") == "ECONOMY ANODIZED STEEL")
         .join(t["lineitem"].lazy(), left_on="p_partkey", right_on="l_partkey")
         .join(t["supplier"].lazy(), left_on="l_suppkey", right_on="s_suppkey")
         .join(t["orders"].lazy().filter(
             c("o_orderdate").is_between(_d("1995-01-01"), _d("1996-12-31"))),
             left_on="l_orderkey", right_on="o_orderkey")
         .join(t["customer"].lazy(), left_on="o_custkey", right_on="c_custkey")
         .join(nation.select("n_nationkey", "n_regionkey"), left_on="c_nationkey",
               right_on="n_nationkey")
         .join(t["region"].lazy().filter(c("r_name") == "AMERICA"), left_on="n_regionkey",
               right_on="r_regionkey")
         .join(nation.select(s_nationkey="n_nationkey", nation="n_name"), on="s_nationkey"))
    return (x.with_columns(volume=_rev(), o_year=c("o_orderdate").dt.year())
            .group_by("o_year")
            .agg(mkt_share=pl.when(c("nation") == "BRAZIL").then(c("volume")).otherwise(0.0).sum()
                 / c("volume").sum())
            .sort("o_year").collect())


def q9(t):
    return (t["part"].lazy().filter(c("p_name").str.contains("green", literal=True))
            .join(t["partsupp"].lazy(), left_on="p_partkey", right_on="ps_partkey")
            .join(t["supplier"].lazy(), left_on="ps_suppkey", right_on="s_suppkey")
            .join(t["lineitem"].lazy(), left_on=["p_partkey", "ps_suppkey"],
                  right_on=["l_partkey", "l_suppkey"])
            .join(t["orders"].lazy(), left_on="l_orderkey", right_on="o_orderkey")
            .join(t["nation"].lazy(), left_on="s_nationkey", right_on="n_nationkey")
            .group_by(c("n_name").alias("nation"), c("o_orderdate").dt.year().alias("o_year"))
            .agg(sum_profit=(_rev() - c("ps_supplycost") * c("l_quantity")).sum())
            .sort(["nation", "o_year"], descending=[False, True]).collect())


def q10(t):
    return (t["customer"].lazy()
            .join(t["orders"].lazy().filter(
                c("o_orderdate").is_between(_d("1993-10-01"), _d("1994-01-01"), closed="left")),
                left_on="c_custkey", right_on="o_custkey")
            .join(t["lineitem"].lazy().filter(c("l_returnflag") == "R"),
                  left_on="o_orderkey", right_on="l_orderkey")
            .join(t["nation"].lazy(), left_on="c_nationkey", right_on="n_nationkey")
            .group_by("c_custkey", "c_name", "c_acctbal", "c_phone", "n_name", "c_address",
                      "c_comment")
            .agg(revenue=_rev().sum())
            .select("c_custkey", "c_name", "revenue", "c_acctbal", "n_name", "c_address",
                    "c_phone", "c_comment")
            .sort("revenue", descending=True).head(20).collect())


def q11(t):
    x = (t["partsupp"].lazy()
         .join(t["supplier"].lazy(), left_on="ps_suppkey", right_on="s_suppkey")
         .join(t["nation"].lazy().filter(c("n_name") == "GERMANY"), left_on="s_nationkey",
               right_on="n_nationkey")
         .with_columns(value=c("ps_supplycost") * c("ps_availqty")))
    threshold = x.select(c("value").sum() * 0.0001)
    return (x.group_by("ps_partkey").agg(c("value").sum())
            .join(threshold.select(threshold=c("value")), how="cross")
            .filter(c("value") > c("threshold")).select("ps_partkey", "value")
            .sort("value", descending=True).collect())


def q12(t):
    high = c("o_orderpriority").is_in(["1-URGENT", "2-HIGH"])
    return (t["orders"].lazy()
            .join(t["lineitem"].lazy().filter(
                c("l_shipmode").is_in(["MAIL", "SHIP"])
                & (c("l_commitdate") < c("l_receiptdate"))
                & (c("l_shipdate") < c("l_commitdate"))
                & c("l_receiptdate").is_between(_d("1994-01-01"), _d("1995-01-01"), closed="left")),
                left_on="o_orderkey", right_on="l_orderkey")
            .group_by("l_shipmode")
            .agg(high_line_count=high.sum(), low_line_count=(~high).sum())
            .sort("l_shipmode").collect())


def q13(t):
    orders = t["orders"].lazy().filter(~c("o_comment").str.contains("special.*requests"))
    return (t["customer"].lazy()
            .join(orders, left_on="c_custkey", right_on="o_custkey", how="left")
            .group_by("c_custkey").agg(c_count=c("o_orderkey").count())
            .group_by("c_count").agg(custdist=pl.len())
            .sort(["custdist", "c_count"], descending=[True, True]).collect())


def q14(t):
    return (t["lineitem"].lazy()
            .filter(c("l_shipdate").is_between(_d("1995-09-01"), _d("1995-10-01"), closed="left"))
            .join(t["part"].lazy(), left_on="l_partkey", right_on="p_partkey")
            .select(promo_revenue=100.0 * pl.when(c("p_type").str.starts_with("PROMO"))
                    .then(_rev()).otherwise(0.0).sum() / _rev().sum())
            .collect())


def q15(t):
    revenue = (t["lineitem"].lazy()
               .filter(c("l_shipdate").is_between(_d("1996-01-01"), _d("1996-04-01"), closed="left"))
               .group_by("l_suppkey").agg(total_revenue=_rev().sum()))
    return (t["supplier"].lazy()
            .join(revenue, left_on="s_suppkey", right_on="l_suppkey")
            .filter(c("total_revenue") == c("total_revenue").max())
            .select("s_suppkey", "s_name", "s_address", "s_phone", "total_revenue")
            .sort("s_suppkey").collect())


def q16(t):
    complaints = (t["supplier"].lazy()
                  .filter(c("s_comment").str.contains("Customer.*Complaints")).select("s_suppkey"))
    return (t["part"].lazy()
            .filter((c("p_brand") != "Brand#45")
                    & ~c("p_type").str.starts_with("MEDIUM POLISHED")
                    & c("p_size").is_in([49, 14, 23, 45, 19, 3, 36, 9]))
            .join(t["partsupp"].lazy(), left_on="p_partkey", right_on="ps_partkey")
            .join(complaints, left_on="ps_suppkey", right_on="s_suppkey", how="anti")
            .group_by("p_brand", "p_type", "p_size")
            .agg(supplier_cnt=c("ps_suppkey").n_unique())
            .sort(["supplier_cnt", "p_brand", "p_type", "p_size"],
                  descending=[True, False, False, False]).collect())


def q17(t):
    x = (t["part"].lazy().filter((c("p_brand") == "Brand#23") & (c("p_container") == "MED BOX"))
         .join(t["lineitem"].lazy(), left_on="p_partkey", right_on="l_partkey"))
    return (x.filter(c("l_quantity") < 0.2 * c("l_quantity").mean().over("p_partkey"))
            .select(avg_yearly=c("l_extendedprice").sum() / 7.0).collect())


def q18(t):
    big = (t["lineitem"].lazy().group_by("l_orderkey").agg(c("l_quantity").sum())
           .filter(c("l_quantity") > 300).select("l_orderkey"))
    return (t["orders"].lazy()
            .join(big, left_on="o_orderkey", right_on="l_orderkey", how="semi")
            .join(t["customer"].lazy(), left_on="o_custkey", right_on="c_custkey")
            .join(t["lineitem"].lazy(), left_on="o_orderkey", right_on="l_orderkey")
            .group_by(c("c_name"), c("o_custkey").alias("c_custkey"), "o_orderkey",
                      "o_orderdate", "o_totalprice")
            .agg(sum_quantity=c("l_quantity").sum())
            .sort(["o_totalprice", "o_orderdate"], descending=[True, False])
            .head(100).collect())


def q19(t):
    x = t["lineitem"].lazy().join(t["part"].lazy(), left_on="l_partkey", right_on="p_partkey")
    common = c("l_shipmode").is_in(["AIR", "AIR REG"]) & (c("l_shipinstruct") == "DELIVER IN PERSON")

    def case(brand, containers, low, high, size):
        return ((c("p_brand") == brand) & c("p_container").is_in(containers)
                & c("l_quantity").is_between(low, high) & c("p_size").is_between(1, size))

    cond = (case("Brand#12", ["SM CASE", "SM BOX", "SM PACK", "SM PKG"], 1, 11, 5)
            | case("Brand#23", ["MED BAG", "MED BOX", "MED PKG", "MED PACK"], 10, 20, 10)
            | case("Brand#34", ["LG CASE", "LG BOX", "LG PACK", "LG PKG"], 20, 30, 15))
    return x.filter(common & cond).select(revenue=_rev().sum()).collect()


def q20(t):
    shipped = (t["lineitem"].lazy()
               .filter(c("l_shipdate").is_between(_d("1994-01-01"), _d("1995-01-01"), closed="left"))
               .group_by("l_partkey", "l_suppkey").agg(half=0.5 * c("l_quantity").sum()))
    forest = t["part"].lazy().filter(c("p_name").str.starts_with("forest")).select("p_partkey")
    suppliers = (t["partsupp"].lazy()
                 .join(forest, left_on="ps_partkey", right_on="p_partkey", how="semi")
                 .join(shipped, left_on=["ps_partkey", "ps_suppkey"],
                       right_on=["l_partkey", "l_suppkey"])
                 .filter(c("ps_availqty") > c("half")).select("ps_suppkey"))
    return (t["supplier"].lazy()
            .join(suppliers, left_on="s_suppkey", right_on="ps_suppkey", how="semi")
            .join(t["nation"].lazy().filter(c("n_name") == "CANADA"), left_on="s_nationkey",
                  right_on="n_nationkey")
            .select("s_name", "s_address").sort("s_name").collect())


def q21(t):
    lineitem = t["lineitem"].lazy()
    late = lineitem.filter(c("l_receiptdate") > c("l_commitdate"))
    shared = (lineitem.group_by("l_orderkey").agg(n=c("l_suppkey").n_unique())
              .filter(c("n") > 1).select("l_orderkey"))
    alone = (late.group_by("l_orderkey").agg(n=c("l_suppkey").n_unique())
             .filter(c("n") == 1).select("l_orderkey"))
    return (late.join(shared, on="l_orderkey", how="semi")
            .join(alone, on="l_orderkey", how="semi")
            .join(t["supplier"].lazy(), left_on="l_suppkey", right_on="s_suppkey")
            .join(t["nation"].lazy().filter(c("n_name") == "SAUDI ARABIA"),
                  left_on="s_nationkey", right_on="n_nationkey")
            .join(t["orders"].lazy().filter(c("o_orderstatus") == "F"),
                  left_on="l_orderkey", right_on="o_orderkey")
            .group_by("s_name").agg(numwait=pl.len())
            .sort(["numwait", "s_name"], descending=[True, False]).head(100).collect())


def q22(t):
    codes = ["13", "31", "23", "29", "30", "18", "17"]
    x = (t["customer"].lazy().with_columns(cntrycode=c("c_phone").str.slice(0, 2))
         .filter(c("cntrycode").is_in(codes)))
    average = x.filter(c("c_acctbal") > 0.0).select(avg=c("c_acctbal").mean())
    return (x.join(average, how="cross").filter(c("c_acctbal") > c("avg"))
            .join(t["orders"].lazy(), left_on="c_custkey", right_on="o_custkey", how="anti")
            .group_by("cntrycode").agg(numcust=pl.len(), totacctbal=c("c_acctbal").sum())
            .sort("cntrycode").collect())


QUERIES = {i: globals()[f"q{i}"] for i in range(1, 23)}
