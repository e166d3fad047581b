"""A small GAN on scikit-learn's digits: two networks, two Adam optimizers, the
generator's output detached for the discriminator's step, BCEWithLogitsLoss with
one-sided label smoothing, LeakyReLU and Dropout-free MLPs. The latent codes come
from a formula, not a random stream, so both frameworks see the same ones."""

import json
import math

import torch
import torch.nn as nn
from sklearn.datasets import load_digits

LATENT = 8


def set_weights(model, phase):
    with torch.no_grad():
        for i, (name, p) in enumerate(sorted(model.named_parameters())):
            if name.endswith("bias"):
                p.zero_()
            else:
                values = torch.sin(torch.arange(p.numel(), dtype=torch.float32) * 0.71 + i + phase)
                p.copy_(values.reshape(p.shape) * math.sqrt(2.0 / p.shape[1]))


def latent(step, n):
    k = torch.arange(n * LATENT, dtype=torch.float32).reshape(n, LATENT)
    return torch.sin(k * 0.37 + step * 1.7) + torch.cos(k * 0.11 - step)


def main():
    digits = load_digits()
    real = torch.tensor(digits.data / 8.0 - 1.0, dtype=torch.float32)  # in [-1, 1]
    generator = nn.Sequential(nn.Linear(LATENT, 32), nn.LeakyReLU(0.2), nn.Linear(32, 64), nn.Tanh())
    discriminator = nn.Sequential(nn.Linear(64, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))
    set_weights(generator, 0.0)
    set_weights(discriminator, 0.5)
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
    criterion = nn.BCEWithLogitsLoss()
    batch = 64
    d_losses, g_losses, d_real, d_fake = [], [], [], []
    for step in range(40):
        xb = real[(step * batch) % 1728:(step * batch) % 1728 + batch]
        fake = generator(latent(step, len(xb)))

        opt_d.zero_grad()
        loss_real = criterion(discriminator(xb), torch.full((len(xb), 1), 0.9))
        loss_fake = criterion(discriminator(fake.detach()), torch.zeros(len(xb), 1))
        loss_d = loss_real + loss_fake
        loss_d.backward()
        opt_d.step()

        opt_g.zero_grad()
        scores = discriminator(fake)
        loss_g = criterion(scores, torch.ones_like(scores))
        loss_g.backward()
        opt_g.step()

        d_losses.append(loss_d.item())
        g_losses.append(loss_g.item())
        with torch.no_grad():
            d_real.append(torch.sigmoid(discriminator(xb)).mean().item())
            d_fake.append(torch.sigmoid(scores).mean().item())

    with torch.no_grad():
        samples = generator(latent(1000, 16))
        pixel_spread = samples.std(dim=0).mean().item()
        low, high = torch.aminmax(samples)
    print("RESULT " + json.dumps({
        "d_losses": d_losses, "g_losses": g_losses, "d_real": d_real, "d_fake": d_fake,
        "pixel_spread": pixel_spread, "range": [low.item(), high.item()],
        "grad_is_none": [p.grad is None for p in generator.parameters()],
    }))


if __name__ == "__main__":
    main()
