"""A tabular model with embeddings for categorical columns, fed from a pandas DataFrame."""

import json

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def make_frame(n, seed):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "city": rng.choice(["oslo", "lima", "pune", "kobe", "nice"], size=n),
        "weekday": rng.integers(0, 7, size=n),
        "age": rng.normal(40, 12, size=n).round(),
        "income": rng.lognormal(10, 0.5, size=n),
    })
    score = (df["city"].map({"oslo": 1.0, "lima": -0.5, "pune": 0.2, "kobe": 0.8, "nice": -1.0})
             + 0.3 * np.cos(df["weekday"]) + 0.04 * (df["age"] - 40) + 0.6 * np.log(df["income"] / 22000))
    df["bought"] = (score + rng.normal(0, 0.5, size=n) > 0).astype(int)
    return df


class TabularNet(nn.Module):
    def __init__(self, n_cities, n_days=7, n_numeric=2):
        super().__init__()
        self.city = nn.Embedding(n_cities, 4)
        self.day = nn.Embedding(n_days, 3)
        self.mlp = nn.Sequential(nn.Linear(4 + 3 + n_numeric, 16), nn.ReLU(), nn.LayerNorm(16), nn.Linear(16, 1))

    def forward(self, cats, nums):
        h = torch.cat([self.city(cats[:, 0]), self.day(cats[:, 1]), nums], dim=1)
        return self.mlp(h).squeeze(-1)


def tensors(df, cities, stats):
    codes = pd.Categorical(df["city"], categories=cities).codes
    cats = torch.tensor(np.stack([codes, df["weekday"].to_numpy()], axis=1), dtype=torch.long)
    numeric = df[["age", "income"]].assign(income=np.log(df["income"]))
    numeric = (numeric - stats["mean"]) / stats["std"]
    return cats, torch.tensor(numeric.values, dtype=torch.float32), torch.tensor(df["bought"].values).float()


def main():
    train_df, test_df = make_frame(600, 0), make_frame(200, 1)
    cities = sorted(train_df["city"].unique())
    logged = train_df[["age", "income"]].assign(income=np.log(train_df["income"]))
    stats = {"mean": logged.mean(), "std": logged.std()}
    train = TensorDataset(*tensors(train_df, cities, stats))
    test_cats, test_nums, test_y = tensors(test_df, cities, stats)

    model = TabularNet(len(cities))
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):  # the same start in any framework
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.3 + i).reshape(p.shape) * 0.4)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)
    criterion = nn.BCEWithLogitsLoss()
    losses = []
    for epoch in range(5):
        for cats, nums, y in DataLoader(train, batch_size=64):
            optimizer.zero_grad()
            loss = criterion(model(cats, nums), y)
            loss.backward()
            optimizer.step()
            losses.append(round(loss.item(), 6))
    model.eval()
    with torch.no_grad():
        prob = torch.sigmoid(model(test_cats, test_nums))
        accuracy = ((prob > 0.5).float() == test_y).float().mean().item()
        test_loss = criterion(model(test_cats, test_nums), test_y).item()
    embedding_norms = model.city.weight.norm(dim=1).tolist()
    print("RESULT " + json.dumps({"losses": losses, "accuracy": accuracy, "test_loss": test_loss,
                                  "city_embedding_norms": embedding_norms}))


if __name__ == "__main__":
    main()
