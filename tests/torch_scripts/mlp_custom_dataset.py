"""An MLP classifier trained from a custom Dataset through a DataLoader with workers."""

import json
import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class Points(Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        self.x = rng.normal(size=(n, 8)).astype(np.float32)
        w = np.linspace(-1.0, 1.0, 8 * 3).reshape(8, 3)
        self.y = np.argmax(self.x @ w + 0.3 * np.sin(3 * self.x[:, :3]), axis=1)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return torch.from_numpy(self.x[idx]), int(self.y[idx])


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(8, 32),
            nn.ReLU(),
            nn.Linear(32, 32),
            nn.Tanh(),
            nn.Linear(32, 3),
        )

    def forward(self, x):
        return self.net(x)


def init_weights(model):
    # the same starting point in any framework, whatever its random stream
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            values = torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.37 + i)
            p.copy_(values.reshape(p.shape) / math.sqrt(p.shape[-1]))


def main():
    torch.manual_seed(0)
    train_loader = DataLoader(Points(512, 0), batch_size=32, shuffle=False, num_workers=2)
    test_loader = DataLoader(Points(256, 1), batch_size=128)
    model = MLP()
    init_weights(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    losses = []
    for epoch in range(4):
        model.train()
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, targets in test_loader:
            predicted = model(inputs).argmax(dim=1)
            correct += (predicted == targets).sum().item()
            total += targets.size(0)
    print("RESULT " + json.dumps({"losses": losses, "accuracy": correct / total}))


if __name__ == "__main__":
    main()
