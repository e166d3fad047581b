"""Regression with a validation split, a learning-rate scheduler and early stopping."""

import copy
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n, 5))
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] - 0.2 * x[:, 3] ** 2 + 0.05 * rng.normal(size=n)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32).unsqueeze(1)


class Regressor(nn.Module):
    def __init__(self, hidden=24):
        super().__init__()
        self.fc1 = nn.Linear(5, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, 1)
        self.dropout = nn.Dropout(p=0.0)

    def forward(self, x):
        x = F.gelu(self.fc1(x))
        x = self.dropout(F.silu(self.fc2(x)))
        return self.out(x)


def init_weights(model):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            values = torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 0.61 + 2 * i)
            p.copy_(values.reshape(p.shape) * (0.8 / math.sqrt(p.shape[-1])))


def main():
    x_train, y_train = make_data(400, 0)
    x_val, y_val = make_data(100, 1)
    mean, std = x_train.mean(dim=0, keepdim=True), x_train.std(dim=0, keepdim=True)
    x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=50)

    model = Regressor()
    init_weights(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=1e-4)
    step_lr = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.7)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)

    best_loss, best_state, best_epoch, bad_epochs, patience = float("inf"), None, -1, 0, 3
    history = []
    for epoch in range(60):
        model.train()
        running = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = F.mse_loss(model(xb), yb)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
            optimizer.step()
            running += loss.item() * xb.shape[0]
        model.eval()
        with torch.no_grad():
            val_loss = F.mse_loss(model(x_val), y_val).item()
        step_lr.step()
        plateau.step(val_loss)
        history.append({"train": running / len(loader.dataset), "val": val_loss,
                        "lr": optimizer.param_groups[0]["lr"]})
        if val_loss < best_loss - 1e-3:
            best_loss, best_epoch, bad_epochs = val_loss, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                break
    model.load_state_dict(best_state)
    with torch.no_grad():
        pred = model(x_val)
        mae = torch.mean(torch.abs(pred - y_val)).item()
    print("RESULT " + json.dumps({"history": history, "best_epoch": best_epoch, "stopped_at": epoch,
                                  "best_val": best_loss, "mae": mae}))


if __name__ == "__main__":
    main()
