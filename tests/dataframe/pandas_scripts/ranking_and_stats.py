"""A plain pandas script (exam results: per-group apply/transform, rank, nlargest,
idxmax, describe, corr, quantile, sorting on several keys with na_position, z-scores,
drop_duplicates): run by test_pandas_scripts.py once with pandas and once with
`import headwater as pd`."""

import sys

import numpy as np

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd

scores = pd.DataFrame({
    "student": ["ann", "bob", "cat", "dan", "eli", "fay", "gus", "hal", "ivy", "jon"],
    "school": ["north", "north", "south", "south", "south", "east", "east", "north", "east", "south"],
    "math": [88, 92, 79, 65, 92, 71, 85, 60, 99, 79],
    "reading": [75.5, 81.0, None, 70.0, 88.5, 93.0, 64.0, 72.5, 90.0, 77.0],
    "hours": [5.0, 6.5, 4.0, 2.0, 7.5, 6.0, 3.5, 1.5, 8.0, 4.5],
})

print("== describe")
print(scores.describe())
print(scores[["math", "reading"]].describe().loc[["mean", "50%"]].round(3))
print("== quantiles")
print(scores["math"].quantile(0.9), scores["math"].quantile([0.25, 0.75]).tolist())
print(scores[["math", "hours"]].quantile(0.5))
print("== correlations")
print(scores[["math", "reading", "hours"]].corr().round(4))
print(round(scores["math"].corr(scores["hours"]), 6), round(scores["math"].cov(scores["hours"]), 6))
print(scores[["math", "hours"]].corr(method="spearman").round(4))

print("== ranks")
scores["math_rank"] = scores["math"].rank(ascending=False)
scores["math_rank_min"] = scores["math"].rank(method="min", ascending=False)
scores["math_dense"] = scores["math"].rank(method="dense", ascending=False).astype(int)
scores["reading_pct"] = scores["reading"].rank(pct=True)
scores["school_rank"] = scores.groupby("school")["math"].rank(method="first", ascending=False)
print(scores[["student", "math_rank", "math_rank_min", "math_dense", "reading_pct", "school_rank"]])

print("== top and bottom")
print(scores.nlargest(3, "math")[["student", "math"]].to_string(index=False))
print(scores.nsmallest(2, "hours")[["student", "hours"]].to_string(index=False))
print(scores.loc[scores["math"].idxmax(), "student"], scores["reading"].idxmin(), scores["hours"].argmax())
best = scores.loc[scores.groupby("school")["math"].idxmax(), ["school", "student", "math"]]
print(best.to_string(index=False))

print("== group transforms")
scores["school_mean"] = scores.groupby("school")["math"].transform("mean")
scores["vs_school"] = scores["math"] - scores["school_mean"]
scores["z"] = scores.groupby("school")["math"].transform(lambda s: (s - s.mean()) / s.std())
scores["share_hours"] = scores["hours"] / scores.groupby("school")["hours"].transform("sum")
print(scores[["student", "school_mean", "vs_school", "z", "share_hours"]].round(4))
print("== group apply")
spread = scores.groupby("school")["math"].apply(lambda s: s.max() - s.min())
print(spread)
print(scores.groupby("school").apply(lambda g: g["math"].mean() / g["hours"].mean(), include_groups=False).round(4))
print(scores.groupby("school")["reading"].agg(["mean", "median", "std", "count"]).round(3))
print(scores.groupby("school").filter(lambda g: g["math"].mean() > 78)["student"].tolist())

print("== sorting")
print(scores.sort_values(["school", "math"], ascending=[True, False])[["school", "student", "math"]]
      .to_string(index=False))
print(scores.sort_values("reading", na_position="first")[["student", "reading"]].head(3).to_string(index=False))
print(scores.sort_values(by=["math", "student"], ascending=False)["student"].tolist())
print("== duplicates")
print(scores.drop_duplicates(subset=["math"])["student"].tolist())
print(scores.drop_duplicates(subset=["school"], keep="last")[["school", "student"]].to_string(index=False))
print(scores["math"].duplicated(keep=False).tolist())
print("== clip, between, cut")
scores["math_clipped"] = scores["math"].clip(lower=65, upper=95)
scores["grade"] = pd.cut(scores["math"], bins=[0, 69, 79, 89, 100], labels=["D", "C", "B", "A"])
print(scores[["student", "math_clipped", "grade"]].to_string(index=False))
print(scores["grade"].value_counts().sort_index())
print(scores.groupby("grade", observed=True)["hours"].mean().round(3))
print(scores["math"].between(70, 90).sum(), (scores["math"] > 80).mean())
print("== cumulative and pct")
ordered = scores.sort_values("hours")
print(ordered["math"].cumsum().tolist(), ordered["math"].cummax().tolist())
print(scores["math"].pct_change().round(4).tolist()[1:])
print(scores[["math", "reading"]].mean(axis=1).round(2).tolist())
print(scores.select_dtypes(include="number").columns.tolist())
print(np.round(np.log(scores["math"]), 4).head(3).tolist(), scores["math"].apply(np.sqrt).round(3).tolist()[:3])
