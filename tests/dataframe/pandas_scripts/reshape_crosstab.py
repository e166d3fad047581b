"""A plain pandas script (reshaping a survey: melt, pivot, stack/unstack, crosstab with
margins and normalize, get_dummies, explode, pivot_table with several aggregations):
run by test_pandas_scripts.py once with pandas and once with `import headwater as pd`."""

import sys

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd

wide = pd.DataFrame({
    "id": [1, 2, 3, 4, 5, 6],
    "gender": ["f", "m", "f", "m", "f", None],
    "group": ["a", "a", "b", "b", "b", "a"],
    "q1": [4, 3, 5, 2, 4, 3],
    "q2": [5, 2, 4, 3, 5, 1],
    "q3": [3, 3, 4, None, 5, 2],
    "tags": ["x,y", "y", "x,z,y", None, "z", "x"],
})

print("== melt")
long = wide.melt(id_vars=["id", "group"], value_vars=["q1", "q2", "q3"], var_name="question", value_name="score")
print(long.head(8).to_string())
print(long.groupby("question")["score"].mean().round(3))
print("== pivot back")
back = long.pivot(index="id", columns="question", values="score")
print(back.reset_index().to_string(index=False))
print("== pivot_table")
pt = long.pivot_table(index="group", columns="question", values="score", aggfunc="mean")
print(pt.round(3).reset_index().to_string(index=False))
pt2 = long.pivot_table(index="question", values="score", aggfunc=["mean", "max"])
print(pt2.shape)

print("== crosstab")
ct = pd.crosstab(wide["group"], wide["gender"])
print(ct.reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], margins=True).reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], normalize="index").round(4).reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], normalize="columns").round(4).reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], normalize=True).round(4).reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], margins=True, normalize="index").round(4)
      .reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], margins=True, normalize=True).round(4)
      .reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], margins=True, normalize="columns").round(4)
      .reset_index().to_string(index=False))
print(pd.crosstab(wide["group"], wide["gender"], values=wide["q1"], aggfunc="sum").reset_index().to_string(index=False))

print("== stack / unstack")
means = wide.groupby(["group", "gender"])["q1"].mean()
print(means.unstack().reset_index().to_string(index=False))
print(means.unstack(fill_value=0).reset_index().to_string(index=False))
stacked = wide.set_index("id")[["q1", "q2"]].stack()
print(stacked.head(6).reset_index().to_string(index=False))

print("== dummies and explode")
print(pd.get_dummies(wide[["group", "gender"]], dtype=int).to_string(index=False))
print(pd.get_dummies(wide["group"], drop_first=True, dtype=int).sum().to_dict())
print(wide["tags"].str.get_dummies(sep=",").to_string(index=False))
exploded = wide.assign(tag=wide["tags"].str.split(",")).explode("tag")
print(exploded[["id", "tag"]].to_string(index=False))
print(exploded["tag"].value_counts().to_dict())
print("== wide_to_long by hand")
totals = wide[["q1", "q2", "q3"]].sum(axis=1)
print(totals.tolist(), wide[["q1", "q2", "q3"]].max(axis=1).tolist())
print(wide[["q1", "q2", "q3"]].T.shape)
