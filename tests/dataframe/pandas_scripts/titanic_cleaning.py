"""A plain pandas script (Titanic-style cleaning: fillna, map, cut, get_dummies,
survival rates per group): run by test_pandas_scripts.py once with pandas and once with
`import headwater as pd`."""

import sys

import numpy as np

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd

train = pd.DataFrame({
    "PassengerId": list(range(1, 13)),
    "Survived": [0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1],
    "Pclass": [3, 1, 3, 1, 3, 3, 1, 3, 3, 2, 3, 1],
    "Name": ["Braund, Mr. Owen Harris", "Cumings, Mrs. John Bradley", "Heikkinen, Miss. Laina",
             "Futrelle, Mrs. Jacques Heath", "Allen, Mr. William Henry", "Moran, Mr. James",
             "McCarthy, Mr. Timothy J", "Palsson, Master. Gosta Leonard", "Johnson, Mrs. Oscar W",
             "Nasser, Mrs. Nicholas", "Sandstrom, Miss. Marguerite Rut", "Bonnell, Miss. Elizabeth"],
    "Sex": ["male", "female", "female", "female", "male", "male", "male", "male", "female", "female",
            "female", "female"],
    "Age": [22.0, 38.0, 26.0, 35.0, 35.0, None, 54.0, 2.0, 27.0, 14.0, 4.0, 58.0],
    "SibSp": [1, 1, 0, 1, 0, 0, 0, 3, 0, 1, 1, 0],
    "Parch": [0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 1, 0],
    "Fare": [7.25, 71.2833, 7.925, 53.1, 8.05, 8.4583, 51.8625, 21.075, 11.1333, 30.0708, 16.7, 26.55],
    "Cabin": [None, "C85", None, "C123", None, None, "E46", None, None, None, "G6", "C103"],
    "Embarked": ["S", "C", "S", "S", "S", "Q", "S", "S", "S", "C", "S", None],
})

print("== shape and missing")
print(train.shape)
print(train.isnull().sum())
print("== missing share")
print((train.isna().mean() * 100).round(1))

train["Embarked"] = train["Embarked"].fillna(train["Embarked"].mode()[0])
train["Age"] = train["Age"].fillna(train["Age"].median())
train["HasCabin"] = train["Cabin"].notna().astype(int)
train["Deck"] = train["Cabin"].str[0].fillna("U")
train["Sex"] = train["Sex"].map({"male": 0, "female": 1})
train["FamilySize"] = train["SibSp"] + train["Parch"] + 1
train["IsAlone"] = np.where(train["FamilySize"] == 1, 1, 0)
train["Title"] = train["Name"].str.extract(r" ([A-Za-z]+)\.", expand=False)
train["Title"] = train["Title"].replace(["Master"], "Rare")
train["AgeBand"] = pd.cut(train["Age"], bins=[0, 12, 18, 35, 60, 100],
                          labels=["child", "teen", "young", "adult", "senior"])
train["FareBand"] = pd.qcut(train["Fare"], 4, labels=False)
print("== engineered")
print(train[["PassengerId", "Sex", "Age", "HasCabin", "Deck", "FamilySize", "IsAlone", "Title",
             "AgeBand", "FareBand"]].to_string(index=False))

print("== survival by class")
print(train.groupby("Pclass")["Survived"].mean())
print("== survival by sex and class")
print(train.groupby(["Sex", "Pclass"], as_index=False)["Survived"].mean())
print("== survival by title")
print(train[["Title", "Survived"]].groupby(["Title"], as_index=False).mean()
      .sort_values(by="Survived", ascending=False).to_string(index=False))
print("== age band counts")
print(train["AgeBand"].value_counts(sort=False))

dummies = pd.get_dummies(train[["Embarked", "Deck"]], prefix=["Emb", "Deck"], dtype=int)
model = pd.concat([train[["Survived", "Pclass", "Sex", "Age", "Fare"]], dummies], axis=1)
model = model.drop(columns=["Deck_U"])
print("== model frame")
print(model.head(6).to_string())
print(list(model.columns))
print("== correlations with survival")
print(model.corr()["Survived"].sort_values(ascending=False).round(4))
print("== fare summary")
print(train["Fare"].describe().round(3))
print(round(train["Fare"].skew(), 6), round(train["Age"].std(), 6))
