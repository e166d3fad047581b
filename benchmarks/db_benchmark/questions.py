"""The db-benchmark questions: names as published, in the published order."""

GROUPBY = {
    "q1": "sum v1 by id1",
    "q2": "sum v1 by id1:id2",
    "q3": "sum v1 mean v3 by id3",
    "q4": "mean v1:v3 by id4",
    "q5": "sum v1:v3 by id6",
    "q6": "median v3 sd v3 by id4 id5",
    "q7": "max v1 - min v2 by id3",
    "q8": "largest two v3 by id6",
    "q9": "regression v1 v2 by id2 id4",
    "q10": "sum v3 count by id1:id6",
}

JOIN = {
    "q1": "small inner on int",
    "q2": "medium inner on int",
    "q3": "medium outer on int",
    "q4": "medium inner on factor",
    "q5": "big inner on int",
}

TASKS = {"groupby": GROUPBY, "join": JOIN}
