"""A small ResNet on scikit-learn's digits, with the mixed-precision idioms of the
tutorials (GradScaler and autocast, enabled only when CUDA is there, so here they
pass through), BatchNorm2d, skip connections with a strided 1x1 projection,
AdaptiveAvgPool2d, SGD with Nesterov momentum and OneCycleLR, then evaluation
with running statistics, a state_dict round trip and per-class metrics."""

import io
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class SmallResNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(8, 8)
        self.layer2 = BasicBlock(8, 16, stride=2)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, classes)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


def set_weights(model):
    with torch.no_grad():
        for i, (name, p) in enumerate(sorted(model.named_parameters())):
            if "bn" in name or name.startswith("stem.1") or name.startswith("layer2.shortcut.1"):
                continue  # BatchNorm keeps weight 1, bias 0
            if name.endswith("bias"):
                p.zero_()
            else:
                fan_in = p[0].numel()
                values = torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 1.3 + i)
                p.copy_(values.reshape(p.shape) * math.sqrt(3.0 / fan_in))


def main():
    digits = load_digits()
    images = torch.tensor(digits.images[:, None] / 16.0, dtype=torch.float32)
    labels = torch.tensor(digits.target, dtype=torch.long)
    train_x, train_y, test_x, test_y = images[:1400], labels[:1400], images[1400:], labels[1400:]

    device = "cuda" if torch.cuda.is_available() else "cpu"
    use_amp = device == "cuda"
    model = SmallResNet().to(device)
    set_weights(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    epochs, batch = 2, 100
    steps = epochs * math.ceil(len(train_x) / batch)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=steps)
    scaler = torch.amp.GradScaler(device, enabled=use_amp)

    losses = []
    for epoch in range(epochs):
        model.train()
        for start in range(0, len(train_x), batch):
            xb = train_x[start:start + batch].to(device)
            yb = train_y[start:start + batch].to(device)
            optimizer.zero_grad()
            with torch.autocast(device_type=device, dtype=torch.float16, enabled=use_amp):
                loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            losses.append(loss.item())

    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    buffer.seek(0)
    restored = SmallResNet()
    restored.load_state_dict(torch.load(buffer))
    restored.eval()
    model.eval()
    with torch.no_grad():
        logits = model(test_x)
        same = bool(torch.allclose(logits, restored(test_x)))
        pred = logits.argmax(1)
        accuracy = (pred == test_y).float().mean().item()
        per_class = [((pred == c) & (test_y == c)).sum().item() / max(1, (test_y == c).sum().item())
                     for c in range(10)]
        confidence = F.softmax(logits, dim=1).max(dim=1).values
    print("RESULT " + json.dumps({
        "losses": losses, "accuracy": accuracy, "per_class": per_class, "same": same,
        "running_mean": model.layer2.bn2.running_mean.tolist(),
        "running_var": model.layer2.bn2.running_var.tolist(),
        "tracked": int(model.layer2.bn2.num_batches_tracked),
        "confidence_median": confidence.median().item(),
        "lr_last": scheduler.get_last_lr()[0],
        "params": sum(p.numel() for p in model.parameters()),
    }))


if __name__ == "__main__":
    main()
