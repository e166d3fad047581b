"""DuckDB answers, as in db-benchmark's groupby-duckdb and join-duckdb (SQL).

Tables are loaded from Parquet into DuckDB's own storage (in memory) before timing,
and each answer is materialised with ``CREATE TABLE ans AS``, as db-benchmark does.
"""

from __future__ import annotations

import duckdb


def load_groupby(path):
    con = duckdb.connect()
    con.execute(f"CREATE TABLE x AS SELECT * FROM read_parquet('{path}')")
    return con


def load_join(paths):
    con = duckdb.connect()
    for name, p in paths.items():
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{p}')")
    return con


def to_pandas(con):
    return con.execute("SELECT * FROM ans").df()


def _ans(sql):
    def run(con):
        con.execute("DROP TABLE IF EXISTS ans")
        con.execute(f"CREATE TABLE ans AS {sql}")
        return con
    return run


GROUPBY = {
    "q1": _ans("SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1"),
    "q2": _ans("SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2"),
    "q3": _ans("SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3"),
    "q4": _ans("SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4"),
    "q5": _ans("SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6"),
    "q6": _ans("SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5"),
    "q7": _ans("SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3"),
    "q8": _ans("SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER "
               "(PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) "
               "sub_query WHERE order_v3 <= 2"),
    "q9": _ans("SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4"),
    "q10": _ans("SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count "
                "FROM x GROUP BY id1, id2, id3, id4, id5, id6"),
}

JOIN = {
    "q1": _ans("SELECT x.*, small.id4 AS small_id4, v2 FROM x JOIN small USING (id1)"),
    "q2": _ans("SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, "
               "medium.id5 AS medium_id5, v2 FROM x JOIN medium USING (id2)"),
    "q3": _ans("SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, "
               "medium.id5 AS medium_id5, v2 FROM x LEFT JOIN medium USING (id2)"),
    "q4": _ans("SELECT x.*, medium.id1 AS medium_id1, medium.id2 AS medium_id2, "
               "medium.id4 AS medium_id4, v2 FROM x JOIN medium USING (id5)"),
    "q5": _ans("SELECT x.*, big.id1 AS big_id1, big.id2 AS big_id2, big.id4 AS big_id4, "
               "big.id5 AS big_id5, big.id6 AS big_id6, v2 FROM x JOIN big USING (id3)"),
}
