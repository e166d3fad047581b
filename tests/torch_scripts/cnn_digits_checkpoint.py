"""A tutorial-style CNN on scikit-learn's digits: random split, shuffled loader, SGD with
momentum and StepLR, gradient clipping, a checkpoint through io.BytesIO."""
import json, io, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader, random_split
from sklearn.datasets import load_digits

torch.manual_seed(0)
digits = load_digits()
X = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
y = torch.tensor(digits.target, dtype=torch.long)
ds = TensorDataset(X, y)
train_ds, val_ds = random_split(ds, [1500, len(ds) - 1500], generator=torch.Generator().manual_seed(42))
train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=128)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(32 * 2 * 2, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = self.dropout(x)
        x = F.relu(self.fc1(x))
        return self.fc2(x)

model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model.to(device)

for epoch in range(6):
    model.train()
    running = 0.0
    for xb, yb in train_loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()
        out = model(xb)
        loss = criterion(out, yb)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
        optimizer.step()
        running += loss.item() * xb.size(0)
    scheduler.step()
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in val_loader:
            pred = model(xb).argmax(dim=1)
            correct += (pred == yb).sum().item()
            total += yb.size(0)
    print(f"epoch {epoch} loss {running / len(train_ds):.4f} val_acc {correct / total:.4f} lr {scheduler.get_last_lr()[0]:.4f}")

buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
model2 = Net()
model2.load_state_dict(torch.load(buf))
model2.eval()
with torch.no_grad():
    a = model(X[:10]); b = model2(X[:10])
    probs = F.softmax(b, dim=1)
print("same", torch.allclose(a, b), probs.shape, probs.sum(dim=1).mean().item())
n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
print("params", n_params)
print("RESULT", json.dumps({"acc": correct / total, "same": bool(torch.allclose(a, b)), "params": n_params}))
