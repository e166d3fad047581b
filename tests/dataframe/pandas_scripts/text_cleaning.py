"""A plain pandas script (cleaning free-text survey answers: strip/lower/title,
replace with regular expressions, contains/startswith, extract, split/get, value_counts
with normalize, dropping duplicates): run by test_pandas_scripts.py once with pandas and
once with `import headwater as pd`."""

import sys

import numpy as np

if sys.argv[1:] == ["headwater"]:
    import headwater as pd
else:
    import pandas as pd

survey = pd.DataFrame({
    "respondent": ["  alice SMITH ", "Bob jones", "carol  white", "DAVE brown", "eve black", "Bob jones", None,
                   "frank  green"],
    "email": ["ALICE@Example.com", "bob@example.org", "carol(at)example.com", "dave@example.com", None,
              "bob@example.org", "gina@example.net", "frank@EXAMPLE.com "],
    "phone": ["(555) 123-4567", "555.987.6543", "555 222 3333", "n/a", "5554445555", "555.987.6543", "", None],
    "answer": ["Yes!", "no", " YES ", "Maybe", "yes", "no", "N/A", "nope"],
    "country": ["USA", "U.S.A.", "United States", "Canada", "canada ", "U.S.A.", "Mexico", "usa"],
    "salary": ["$50,000", "$62,500.50", "48000", "$1,200,000", None, "$62,500.50", "unknown", "$75k"],
})

df = survey.copy()
df["respondent"] = df["respondent"].str.strip().str.replace(r"\s+", " ", regex=True).str.title()
df["email"] = df["email"].str.strip().str.lower().str.replace("(at)", "@", regex=False)
df["domain"] = df["email"].str.split("@").str[1]
df["valid_email"] = df["email"].str.contains(r"^[\w.]+@[\w.]+\.\w+$", regex=True, na=False)
df["digits"] = df["phone"].str.replace(r"\D", "", regex=True)
df["phone_ok"] = df["digits"].str.len() == 10
df["answer"] = df["answer"].str.strip().str.lower().str.replace(r"[^a-z/]", "", regex=True)
df["answer"] = df["answer"].replace({"nope": "no", "n/a": np.nan})
df["country"] = (df["country"].str.strip().str.upper().str.replace(".", "", regex=False)
                 .replace({"UNITED STATES": "USA"}))
df["salary_num"] = pd.to_numeric(df["salary"].str.replace(r"[$,]", "", regex=True), errors="coerce")
df["first"] = df["respondent"].str.split(" ").str[0]
df["initials"] = df["respondent"].str[0] + df["respondent"].str.split(" ").str[-1].str[0]
print("== cleaned")
print(df[["respondent", "email", "domain", "valid_email", "digits", "phone_ok"]].to_string())
print("== answers")
print(df[["answer", "country", "salary_num", "first", "initials"]].to_string())

print("== answer shares")
print(df["answer"].value_counts(normalize=True))
print(df["answer"].value_counts(dropna=False))
print("== countries")
print(df["country"].value_counts())
print(df["country"].nunique(), df["country"].unique().tolist())
print("== domains")
print(df["domain"].value_counts(normalize=True).round(3))

print("== duplicates")
print(df.duplicated(subset=["respondent", "email"]).sum())
dedup = df.drop_duplicates(subset=["respondent"], keep="last")
print(dedup[["respondent", "answer"]].to_string(index=False))
print(df.drop_duplicates(subset=["country"], keep=False)["country"].tolist())

print("== predicates")
print(df["respondent"].str.startswith("B").sum(), df["email"].str.endswith(".com").sum())
print(df["email"].str.extract(r"@(\w+)\.(\w+)").to_string())
print(df["respondent"].str.len().max(), df["respondent"].str.count("o").fillna(-1).tolist())
print(df["respondent"].str.upper().str.zfill(14).tolist()[:3])
print(df["respondent"].fillna("").str.rjust(14, "*").tolist()[:2])
print(df["salary"].str.isnumeric().tolist())
print("== filtered")
print(df.loc[df["answer"] == "yes", "respondent"].tolist())
print(df[df["email"].str.contains("example.com", regex=False, na=False)].shape[0])
print(df["respondent"].dropna().sort_values().tolist())
