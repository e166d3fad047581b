"""A variational autoencoder: reparameterised sampling, a KL term, and evaluation on the means."""

import json
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.utils.data import DataLoader, Dataset


class Curves(Dataset):
    """16-dimensional points on a noisy 2-d manifold, in (0, 1)."""

    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        z = rng.uniform(-1, 1, size=(n, 2))
        grid = np.linspace(0, np.pi, 16)
        x = 0.5 + 0.4 * np.sin(np.outer(z[:, 0], grid) + z[:, 1:2]) + 0.02 * rng.normal(size=(n, 16))
        self.x = np.clip(x, 0.01, 0.99).astype(np.float32)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i]


class VAE(nn.Module):
    def __init__(self, d=16, hidden=32, latent=2):
        super().__init__()
        self.enc = nn.Linear(d, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, d)

    def encode(self, x):
        h = F.relu(self.enc(x))
        return self.mu(h), self.logvar(h)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def decode(self, z):
        return torch.sigmoid(self.dec2(F.relu(self.dec1(z))))

    def forward(self, x):
        mu, logvar = self.encode(x)
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar


def loss_function(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def main():
    torch.manual_seed(0)
    train = DataLoader(Curves(1024, 0), batch_size=64, shuffle=True)
    test = Curves(256, 1)
    model = VAE()
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.53 + i).reshape(p.shape)
                    / math.sqrt(p.shape[-1]))
    optimizer = optim.Adam(model.parameters(), lr=3e-3)
    epoch_losses = []
    for epoch in range(15):
        model.train()
        total = 0.0
        for x in train:
            optimizer.zero_grad()
            recon, mu, logvar = model(x)
            loss = loss_function(recon, x, mu, logvar)
            loss.backward()
            optimizer.step()
            total += loss.item()
        epoch_losses.append(total / len(train.dataset))
    model.eval()
    with torch.no_grad():
        x = torch.from_numpy(test.x)
        mu, logvar = model.encode(x)
        recon_mse = F.mse_loss(model.decode(mu), x).item()
    print("RESULT " + json.dumps({"epoch_losses": epoch_losses, "test_recon_mse": recon_mse}))


if __name__ == "__main__":
    main()
